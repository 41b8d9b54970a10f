/**
 * What apply.ts modules share: the result shape, read-back verification with a short, bounded retry, and the pieces
 * of the bucket and account PutPublicAccessBlock requests.
 */
import { describeAwsError } from '../../aws/live-s3';
import { BPA_FLAGS, type Fact, type PublicAccessBlockFlags } from '../../model/types';
import { PASCAL_BPA_NAMES, type SettingSnapshot } from './outcome';

/** What an apply may report besides its status: reads denied to bucketguard, a concurrent writer it undid. */
export interface ApplySigns {
  readonly denied?: readonly string[];
  readonly contested?: { readonly flags: readonly string[]; readonly restored: boolean };
}

export type ApplyResult = (
  | { readonly status: 'changed'; readonly reason: string; readonly after: SettingSnapshot }
  | { readonly status: 'failed'; readonly reason: string; readonly after?: SettingSnapshot }
) &
  ApplySigns;

export interface ApplyOptions {
  /** Injected so tests do not wait; defaults to a real timer. */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** Read-back attempts before declaring a mismatch (S3 bucket configuration is eventually consistent). Default 3. */
  readonly readBackAttempts?: number;
}

const defaultSleep = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, milliseconds);
  });

export const READ_BACK_DELAY_MS = 500;

export function sleeper(options: ApplyOptions): (milliseconds: number) => Promise<void> {
  return options.sleep ?? defaultSleep;
}

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

export interface BucketTargetRef {
  readonly bucket: string;
  /** Sent as ExpectedBucketOwner when known: never change a same-named bucket that another account now owns. */
  readonly expectedOwner?: string;
}

/** `{ ExpectedBucketOwner }` for a bucket write, or nothing when the owner is not known. */
export function expectedBucketOwner(target: BucketTargetRef): { ExpectedBucketOwner?: string } {
  return target.expectedOwner !== undefined ? { ExpectedBucketOwner: target.expectedOwner } : {};
}

/** `BlockPublicPolicy, RestrictPublicBuckets still off`, or undefined when every desired flag reads back on. */
export function bpaMismatch(
  desired: PublicAccessBlockFlags,
  actual: PublicAccessBlockFlags | null,
): string | undefined {
  const off = BPA_FLAGS.filter((flag) => desired[flag] && actual?.[flag] !== true).map(
    (flag) => PASCAL_BPA_NAMES[flag],
  );
  return off.length === 0 ? undefined : `${off.join(', ')} still off`;
}

/** All four flags are always sent: S3 stores an omitted flag as false, and the plan already kept every flag that was on. */
export function publicAccessBlockConfiguration(desired: PublicAccessBlockFlags) {
  return {
    BlockPublicAcls: desired.blockPublicAcls,
    IgnorePublicAcls: desired.ignorePublicAcls,
    BlockPublicPolicy: desired.blockPublicPolicy,
    RestrictPublicBuckets: desired.restrictPublicBuckets,
  };
}
