import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { applyBlockPublicAccess } from '../../../remediation/block-public-access/apply';
import { ALL_ON, awsError } from '../helpers';

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'us-east-1' });
const ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
let sleeps: number[];
const options = () => ({ sleep: async (ms: number) => void sleeps.push(ms) });

beforeEach(() => {
  s3Mock.reset();
  sleeps = [];
});

describe('applyBlockPublicAccess', () => {
  it('puts all four flags with ExpectedBucketOwner, reads back, reports changed', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
    s3Mock.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ON });
    const result = await applyBlockPublicAccess(
      s3,
      { bucket: 'example-private-data', expectedOwner: '111122223333' },
      ALL_ON,
      options(),
    );
    expect(result).toEqual({
      status: 'changed',
      reason: 'PutPublicAccessBlock succeeded; verified by reading it back',
      after: { kind: 'bpa', flags: ALL_ON },
    });
    expect(s3Mock).toHaveReceivedCommandTimes(PutPublicAccessBlockCommand, 1);
    expect(s3Mock.commandCalls(PutPublicAccessBlockCommand)[0].args[0].input).toEqual({
      Bucket: 'example-private-data',
      PublicAccessBlockConfiguration: ON,
      ExpectedBucketOwner: '111122223333',
    });
    expect(sleeps).toEqual([]);
  });

  it('waits and reads again while S3 has not caught up (bucket configuration is eventually consistent)', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
    s3Mock
      .on(GetPublicAccessBlockCommand)
      .rejectsOnce(awsError('NoSuchPublicAccessBlockConfiguration', 404))
      .resolves({ PublicAccessBlockConfiguration: ON });
    const result = await applyBlockPublicAccess(s3, { bucket: 'b' }, ALL_ON, options());
    expect(result.status).toBe('changed');
    expect(sleeps).toEqual([500]);
    expect(s3Mock).toHaveReceivedCommandTimes(GetPublicAccessBlockCommand, 2);
  });

  it('read-back mismatch -> failed, naming the flag that is still off', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
    s3Mock
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: { ...ON, RestrictPublicBuckets: false } });
    const result = await applyBlockPublicAccess(s3, { bucket: 'b' }, ALL_ON, options());
    expect(result).toEqual({
      status: 'failed',
      reason:
        'PutPublicAccessBlock succeeded, but the read-back after 3 attempts shows RestrictPublicBuckets still off',
      after: { kind: 'bpa', flags: { ...ALL_ON, restrictPublicBuckets: false } },
    });
    expect(sleeps).toEqual([500, 1000]);
  });

  it('throttled write -> failed, nothing read back', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).rejects(awsError('SlowDown', 503));
    const result = await applyBlockPublicAccess(s3, { bucket: 'b' }, ALL_ON, options());
    expect(result).toEqual({
      status: 'failed',
      reason: 'PutPublicAccessBlock failed: SlowDown (503); nothing was changed',
    });
    expect(s3Mock).not.toHaveReceivedCommand(GetPublicAccessBlockCommand);
  });

  it('unreadable read-back -> failed as not verified', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
    s3Mock.on(GetPublicAccessBlockCommand).rejects(awsError('AccessDenied', 403));
    expect(await applyBlockPublicAccess(s3, { bucket: 'b' }, ALL_ON, { ...options(), readBackAttempts: 2 })).toEqual({
      status: 'failed',
      reason:
        'PutPublicAccessBlock succeeded, but reading it back failed (GetPublicAccessBlock failed: AccessDenied (403)): not verified',
    });
  });
});
