/** block-public-access: PutPublicAccessBlock on the bucket with the planned flags, then read back and verify. */
import { PutPublicAccessBlockCommand, type S3Client } from '@aws-sdk/client-s3';
import { readBucketState } from '../../rules/shared/live-s3';
import { BPA_FLAGS, type PublicAccessBlockFlags } from '../../rules/shared/types';
import { type ApplyOptions, type ApplyResult, callFailed, verifyReadBack } from '../shared/apply-common';
import { PASCAL_BPA_NAMES } from '../shared/outcome';

export interface BucketTargetRef {
  readonly bucket: string;
  /** Sent as ExpectedBucketOwner when known: never change a same-named bucket that another account now owns. */
  readonly expectedOwner?: string;
}

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

export async function applyBlockPublicAccess(
  s3: S3Client,
  target: BucketTargetRef,
  desired: PublicAccessBlockFlags,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  try {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: target.bucket,
        PublicAccessBlockConfiguration: publicAccessBlockConfiguration(desired),
        ...(target.expectedOwner !== undefined ? { ExpectedBucketOwner: target.expectedOwner } : {}),
      }),
    );
  } catch (error) {
    return callFailed('PutPublicAccessBlock', error);
  }
  return verifyReadBack(
    async () => (await readBucketState(s3, target.bucket, { parts: ['publicAccessBlock'] })).publicAccessBlock,
    (actual) => bpaMismatch(desired, actual),
    (actual) => ({ kind: 'bpa', flags: actual }),
    'PutPublicAccessBlock succeeded',
    options,
  );
}
