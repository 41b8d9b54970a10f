/** Shared test helpers: fixtures from events/, typed states, a recording logger. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeConfigurationItem } from '../../model/normalize';
import { type AccountBpaState, type BucketState, known, unknown } from '../../model/types';
import type { ResponderLogger } from '../../remediation/response/respond';
import { type Finding, TriggerParseError } from '../../remediation/triggers/finding';
import { parseTriggers } from '../../remediation/triggers/triggers';

export const EVENTS_DIR = join(__dirname, '..', '..', 'events');

export function loadEvent(relativePath: string): unknown {
  return JSON.parse(readFileSync(join(EVENTS_DIR, relativePath), 'utf8'));
}

/** The single finding of a fixture (fails the test when there is not exactly one). */
export function findingOf(relativePath: string): Finding {
  const parsed = parseTriggers(loadEvent(relativePath));
  if (parsed.length !== 1) throw new Error(`${relativePath}: ${parsed.length} triggers`);
  const [entry] = parsed;
  if (entry.kind === 'invalid') throw entry.error;
  if (entry.kind === 'ignored') throw new TriggerParseError(relativePath, `ignored: ${entry.reason}`);
  return entry.finding;
}

export function configItem(relativePath: string): BucketState | AccountBpaState {
  const item = normalizeConfigurationItem(loadEvent(relativePath));
  if (item.kind === 'other') throw new Error(`${relativePath} is not a bucket or account item`);
  return item;
}

export { ALL_OFF, ALL_ON } from '../rules/builders';

export function bucketState(name: string, overrides: Partial<BucketState> = {}): BucketState {
  return {
    kind: 'bucket',
    name,
    accountId: '111122223333',
    region: 'us-east-1',
    source: 'live-s3',
    status: 'OK',
    policy: known(null),
    acl: known({ grants: [] }),
    publicAccessBlock: known(null),
    versioning: known({ status: 'Off', mfaDelete: null }),
    ownership: unknown('not read'),
    tags: known({}),
    ...overrides,
  };
}

export interface RecordedLog {
  readonly level: keyof ResponderLogger;
  readonly message: string;
  readonly attributes?: Record<string, unknown>;
}

export function recordingLogger(): ResponderLogger & { readonly entries: RecordedLog[] } {
  const entries: RecordedLog[] = [];
  const log =
    (level: keyof ResponderLogger) =>
    (message: string, attributes?: Record<string, unknown>): void => {
      entries.push({ level, message, ...(attributes ? { attributes } : {}) });
    };
  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** An SDK-shaped service error (what aws-sdk-client-mock rejects with). */
export function awsError(code: string, status: number): Error {
  return Object.assign(new Error(`${code} (test)`), {
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });
}
