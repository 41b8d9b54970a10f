/**
 * block-public-access: PutPublicAccessBlock on the bucket, then read back and verify.
 *
 * Nothing inside the bucket can silently stop it or make it loosen anything:
 * - all four flags configured: written without reading first (a read denied to bucketguard does not matter); a
 *   denied read-back says "could not verify";
 * - partial flags: read right before the write and merged with the planned flags and those the triggering request
 *   set, so the write never turns off a flag that is on;
 * - a flag that was on and reads back off (a concurrent writer) is written on again, verified, and reported.
 */
import { PutPublicAccessBlockCommand, type S3Client } from '@aws-sdk/client-s3';
import { readBucketState } from '../../aws/live-s3';
import type { BpaFlag, Fact, PublicAccessBlockFlags } from '../../model/types';
import {
  type ApplyOptions,
  type ApplyResult,
  type BucketTargetRef,
  callFailed,
  expectedBucketOwner,
  publicAccessBlockConfiguration,
  READ_BACK_DELAY_MS,
  sleeper,
} from '../actions/apply-common';
import { PASCAL_BPA_NAMES } from '../actions/outcome';
import { coversAllFlags, deniedRead, flagsTurnedOff, unionFlags } from '../actions/tampering';

export interface BlockPublicAccessRequest {
  /** The plan's flags (what was on, OR the configured flags). */
  readonly desired: PublicAccessBlockFlags;
  /** BUCKETGUARD_BPA_FLAGS. All four: no read before the write. Default: all four. */
  readonly wanted?: readonly BpaFlag[];
  /** Flags the triggering request turned on (a PutBucketPublicAccessBlock record): kept on by the merge. */
  readonly requestOn?: readonly BpaFlag[];
}

type Read = () => Promise<Fact<PublicAccessBlockFlags | null>>;

const names = (flags: readonly BpaFlag[]): string => flags.map((flag) => PASCAL_BPA_NAMES[flag]).join(', ');
const snapshot = (flags: PublicAccessBlockFlags | null) => ({ kind: 'bpa', flags }) as const;

export async function applyBlockPublicAccess(
  s3: S3Client,
  target: BucketTargetRef,
  request: BlockPublicAccessRequest | PublicAccessBlockFlags,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const { desired: planned, wanted, requestOn } = 'desired' in request ? request : { desired: request };
  const read: Read = async () =>
    (await readBucketState(s3, target.bucket, { parts: ['publicAccessBlock'] })).publicAccessBlock;
  let desired = planned;
  if (wanted !== undefined && !coversAllFlags(wanted)) {
    const current = await read();
    if (!current.known) {
      const denied = deniedRead(current);
      return {
        status: 'failed',
        reason:
          `reading Block Public Access right before the write failed (${current.reason}); with only ` +
          `${names(wanted)} configured, a write without it could turn off a flag that is on: nothing was changed`,
        ...(denied !== undefined ? { denied: [denied] } : {}),
      };
    }
    desired = unionFlags(planned, current.value, requestOn);
  }
  const written = await write(s3, target, desired);
  if (written) return written;
  const first = await readBack(read, desired, options);
  if (!first.known) return unverified(first.reason, deniedRead(first));
  const off = flagsTurnedOff(desired, first.value);
  if (off.length === 0) {
    return {
      status: 'changed',
      reason: 'PutPublicAccessBlock succeeded; verified by reading it back',
      after: snapshot(first.value),
    };
  }
  // Still off after the eventual-consistency retries: someone turned it off after bucketguard's write.
  const restore = unionFlags(desired, first.value);
  const contestedBy = `a concurrent writer turned ${names(off)} off right after bucketguard's write`;
  const contested = (restored: boolean) => ({ flags: off.map((flag) => PASCAL_BPA_NAMES[flag]), restored });
  const rewritten = await write(s3, target, restore);
  if (rewritten) {
    return {
      status: 'failed',
      reason: `${contestedBy}; restoring them failed: ${rewritten.reason}`,
      after: snapshot(first.value),
      contested: contested(false),
    };
  }
  const second = await readBack(read, restore, options);
  if (!second.known) {
    const denied = deniedRead(second);
    return { ...unverified(second.reason, denied, `${contestedBy}; restored them, `), contested: contested(false) };
  }
  const stillOff = flagsTurnedOff(restore, second.value);
  if (stillOff.length > 0) {
    return {
      status: 'failed',
      reason: `${contestedBy}; restored them, but the read-back shows ${names(stillOff)} still off: something keeps turning them off`,
      after: snapshot(second.value),
      contested: contested(false),
    };
  }
  return {
    status: 'changed',
    reason: `PutPublicAccessBlock succeeded; ${contestedBy}: restored, verified by reading it back`,
    after: snapshot(second.value),
    contested: contested(true),
  };
}

async function write(
  s3: S3Client,
  target: BucketTargetRef,
  flags: PublicAccessBlockFlags,
): Promise<ApplyResult | undefined> {
  try {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: target.bucket,
        PublicAccessBlockConfiguration: publicAccessBlockConfiguration(flags),
        ...expectedBucketOwner(target),
      }),
    );
    return undefined;
  } catch (error) {
    return callFailed('PutPublicAccessBlock', error);
  }
}

/**
 * Reads until every expected flag is on or the attempts run out (S3 bucket configuration is eventually consistent).
 * A denied read is returned at once: waiting does not lift a deny.
 */
async function readBack(
  read: Read,
  expected: PublicAccessBlockFlags,
  options: ApplyOptions,
): Promise<Fact<PublicAccessBlockFlags | null>> {
  const attempts = Math.max(1, options.readBackAttempts ?? 3);
  const sleep = sleeper(options);
  let last: Fact<PublicAccessBlockFlags | null> | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    last = await read();
    if (last.known ? flagsTurnedOff(expected, last.value).length === 0 : deniedRead(last) !== undefined) return last;
    if (attempt < attempts) await sleep(READ_BACK_DELAY_MS * 2 ** (attempt - 1));
  }
  return last as Fact<PublicAccessBlockFlags | null>;
}

function unverified(reason: string, denied: string | undefined, prefix = ''): ApplyResult {
  return {
    status: 'failed',
    reason:
      denied !== undefined
        ? `${prefix}PutPublicAccessBlock succeeded, but bucketguard could not verify it: reading it back was denied (${reason})`
        : `${prefix}PutPublicAccessBlock succeeded, but reading it back failed (${reason}): not verified`,
    ...(denied !== undefined ? { denied: [denied] } : {}),
  };
}
