/** What apply.ts modules share: the result shape and read-back verification with a short, bounded retry. */
import { describeAwsError } from '../../rules/shared/live-s3';
import type { Fact } from '../../rules/shared/types';
import type { SettingSnapshot } from './outcome';

export type ApplyResult =
  | { readonly status: 'changed'; readonly reason: string; readonly after: SettingSnapshot }
  | { readonly status: 'failed'; readonly reason: string; readonly after?: SettingSnapshot };

export interface ApplyOptions {
  /** Injected so tests do not wait; defaults to a real timer. */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** Read-back attempts before declaring a mismatch (S3 bucket configuration is eventually consistent). Default 3. */
  readonly readBackAttempts?: number;
}

export const defaultSleep = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, milliseconds);
  });

const READ_BACK_DELAY_MS = 500;

export function callFailed(operation: string, error: unknown): ApplyResult {
  return { status: 'failed', reason: `${operation} failed: ${describeAwsError(error)}; nothing was changed` };
}

/**
 * Reads the setting back until `check` returns no problem or the attempts run out. `check` returns the mismatch in
 * words (`BlockPublicPolicy still false`) or undefined when the setting is as applied.
 */
export async function verifyReadBack<T>(
  read: () => Promise<Fact<T>>,
  check: (value: T) => string | undefined,
  snapshot: (value: T) => SettingSnapshot,
  describeApplied: string,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const attempts = Math.max(1, options.readBackAttempts ?? 3);
  const sleep = options.sleep ?? defaultSleep;
  let last: Fact<T> | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    last = await read();
    if (last.known && check(last.value) === undefined) {
      return {
        status: 'changed',
        reason: `${describeApplied}; verified by reading it back`,
        after: snapshot(last.value),
      };
    }
    if (attempt < attempts) await sleep(READ_BACK_DELAY_MS * 2 ** (attempt - 1));
  }
  if (last === undefined || !last.known) {
    return {
      status: 'failed',
      reason: `${describeApplied}, but reading it back failed (${last?.known === false ? last.reason : 'no read'}): not verified`,
    };
  }
  return {
    status: 'failed',
    reason: `${describeApplied}, but the read-back after ${attempts} attempt${attempts === 1 ? '' : 's'} shows ${check(last.value)}`,
    after: snapshot(last.value),
  };
}
