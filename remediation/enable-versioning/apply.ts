/** enable-versioning: PutBucketVersioning Status=Enabled (no MFADelete element, no MFA header), then read back. */
import { PutBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import { readBucketState } from '../../aws/live-s3';
import {
  type ApplyOptions,
  type ApplyResult,
  type BucketTargetRef,
  callFailed,
  expectedBucketOwner,
  verifyReadBack,
} from '../actions/apply-common';

export async function applyEnableVersioning(
  s3: S3Client,
  target: BucketTargetRef,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  try {
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: target.bucket,
        // Status only: sending MFADelete would need the root user's MFA token and could change MFA delete.
        VersioningConfiguration: { Status: 'Enabled' },
        ...expectedBucketOwner(target),
      }),
    );
  } catch (error) {
    return callFailed('PutBucketVersioning', error);
  }
  return verifyReadBack(
    async () => (await readBucketState(s3, target.bucket, { parts: ['versioning'] })).versioning,
    (actual) => (actual.status === 'Enabled' ? undefined : `versioning ${actual.status}`),
    (actual) => ({ kind: 'versioning', versioning: actual }),
    'PutBucketVersioning succeeded',
    options,
  );
}
