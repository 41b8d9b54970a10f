/** block-public-access: PutPublicAccessBlock on the bucket with the planned flags, then read back and verify. */
import { PutPublicAccessBlockCommand, type S3Client } from '@aws-sdk/client-s3';
import { readBucketState } from '../../aws/live-s3';
import type { PublicAccessBlockFlags } from '../../model/types';
import {
  type ApplyOptions,
  type ApplyResult,
  type BucketTargetRef,
  bpaMismatch,
  callFailed,
  expectedBucketOwner,
  publicAccessBlockConfiguration,
  verifyReadBack,
} from '../actions/apply-common';

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
        ...expectedBucketOwner(target),
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
