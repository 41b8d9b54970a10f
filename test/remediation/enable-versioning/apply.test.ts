import { GetBucketVersioningCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { applyEnableVersioning } from '../../../remediation/enable-versioning/apply';
import { awsError } from '../helpers';

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'us-east-1' });
const noWait = { sleep: async () => {} };

beforeEach(() => s3Mock.reset());

describe('applyEnableVersioning', () => {
  it('sends Status=Enabled and nothing about MFA delete, then verifies', async () => {
    s3Mock.on(PutBucketVersioningCommand).resolves({});
    s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled', MFADelete: 'Disabled' });
    expect(
      await applyEnableVersioning(s3, { bucket: 'example-build-cache', expectedOwner: '111122223333' }, noWait),
    ).toEqual({
      status: 'changed',
      reason: 'PutBucketVersioning succeeded; verified by reading it back',
      after: { kind: 'versioning', versioning: { status: 'Enabled', mfaDelete: false } },
    });
    // Exact input: no MFADelete element, no MFA (serial + token) parameter.
    expect(s3Mock.commandCalls(PutBucketVersioningCommand)[0].args[0].input).toEqual({
      Bucket: 'example-build-cache',
      VersioningConfiguration: { Status: 'Enabled' },
      ExpectedBucketOwner: '111122223333',
    });
  });

  it('read-back still Suspended -> failed', async () => {
    s3Mock.on(PutBucketVersioningCommand).resolves({});
    s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    expect(await applyEnableVersioning(s3, { bucket: 'b' }, { ...noWait, readBackAttempts: 1 })).toEqual({
      status: 'failed',
      reason: 'PutBucketVersioning succeeded, but the read-back after 1 attempt shows versioning Suspended',
      after: { kind: 'versioning', versioning: { status: 'Suspended', mfaDelete: null } },
    });
  });

  it('throttled write -> failed', async () => {
    s3Mock.on(PutBucketVersioningCommand).rejects(awsError('ThrottlingException', 400));
    expect(await applyEnableVersioning(s3, { bucket: 'b' }, noWait)).toEqual({
      status: 'failed',
      reason: 'PutBucketVersioning failed: ThrottlingException (400); nothing was changed',
    });
  });
});
