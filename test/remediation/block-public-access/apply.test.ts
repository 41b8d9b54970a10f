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

  it('a flag still off after the retries (a concurrent writer) is restored and reported', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
    s3Mock
      .on(GetPublicAccessBlockCommand)
      .resolvesOnce({ PublicAccessBlockConfiguration: { ...ON, RestrictPublicBuckets: false } })
      .resolvesOnce({ PublicAccessBlockConfiguration: { ...ON, RestrictPublicBuckets: false } })
      .resolvesOnce({ PublicAccessBlockConfiguration: { ...ON, RestrictPublicBuckets: false } })
      .resolves({ PublicAccessBlockConfiguration: ON });
    const result = await applyBlockPublicAccess(s3, { bucket: 'b' }, ALL_ON, options());
    expect(result).toEqual({
      status: 'changed',
      reason:
        "PutPublicAccessBlock succeeded; a concurrent writer turned RestrictPublicBuckets off right after bucketguard's write: restored, verified by reading it back",
      after: { kind: 'bpa', flags: ALL_ON },
      contested: { flags: ['RestrictPublicBuckets'], restored: true },
    });
    expect(s3Mock).toHaveReceivedCommandTimes(PutPublicAccessBlockCommand, 2);
    expect(sleeps).toEqual([500, 1000]);
  });

  it('a flag that keeps being turned off -> failed, contested, not restored', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
    s3Mock
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: { ...ON, RestrictPublicBuckets: false } });
    const result = await applyBlockPublicAccess(s3, { bucket: 'b' }, ALL_ON, options());
    expect(result).toEqual({
      status: 'failed',
      reason:
        "a concurrent writer turned RestrictPublicBuckets off right after bucketguard's write; restored them, but the read-back shows RestrictPublicBuckets still off: something keeps turning them off",
      after: { kind: 'bpa', flags: { ...ALL_ON, restrictPublicBuckets: false } },
      contested: { flags: ['RestrictPublicBuckets'], restored: false },
    });
    expect(s3Mock).toHaveReceivedCommandTimes(PutPublicAccessBlockCommand, 2);
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

  it('denied read-back -> "could not verify", the denied read named; no retries (a deny does not lift)', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
    s3Mock.on(GetPublicAccessBlockCommand).rejects(awsError('AccessDenied', 403));
    expect(await applyBlockPublicAccess(s3, { bucket: 'b' }, ALL_ON, options())).toEqual({
      status: 'failed',
      reason:
        'PutPublicAccessBlock succeeded, but bucketguard could not verify it: reading it back was denied (GetPublicAccessBlock failed: AccessDenied (403))',
      denied: ['GetPublicAccessBlock'],
    });
    expect(s3Mock).toHaveReceivedCommandTimes(GetPublicAccessBlockCommand, 1);
  });

  it('other read-back failures -> failed as not verified, after the retries', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
    s3Mock.on(GetPublicAccessBlockCommand).rejects(awsError('SlowDown', 503));
    expect(await applyBlockPublicAccess(s3, { bucket: 'b' }, ALL_ON, { ...options(), readBackAttempts: 2 })).toEqual({
      status: 'failed',
      reason:
        'PutPublicAccessBlock succeeded, but reading it back failed (GetPublicAccessBlock failed: SlowDown (503)): not verified',
    });
    expect(sleeps).toEqual([500]);
  });
});

describe('applyBlockPublicAccess with partial BUCKETGUARD_BPA_FLAGS', () => {
  const ACLS = ['blockPublicAcls', 'ignorePublicAcls'] as const;
  const planned = { ...ALL_ON, blockPublicPolicy: false, restrictPublicBuckets: false };

  it('reads right before the write and keeps every flag that is on then (and those the request set)', async () => {
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
    s3Mock
      .on(GetPublicAccessBlockCommand)
      // Someone turned RestrictPublicBuckets on between the plan and the write.
      .resolvesOnce({
        PublicAccessBlockConfiguration: {
          ...ON,
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: false,
        },
      })
      .resolves({ PublicAccessBlockConfiguration: { ...ON, BlockPublicPolicy: true } });
    const result = await applyBlockPublicAccess(
      s3,
      { bucket: 'b' },
      { desired: planned, wanted: ACLS, requestOn: ['blockPublicPolicy'] },
      options(),
    );
    expect(result.status).toBe('changed');
    expect(s3Mock.commandCalls(PutPublicAccessBlockCommand)[0].args[0].input.PublicAccessBlockConfiguration).toEqual(
      ON,
    );
  });

  it('an unreadable state right before the write -> nothing written (a denied read reported)', async () => {
    s3Mock.on(GetPublicAccessBlockCommand).rejects(awsError('AccessDenied', 403));
    const result = await applyBlockPublicAccess(s3, { bucket: 'b' }, { desired: planned, wanted: ACLS }, options());
    expect(result).toEqual({
      status: 'failed',
      reason:
        'reading Block Public Access right before the write failed (GetPublicAccessBlock failed: AccessDenied (403)); with only BlockPublicAcls, IgnorePublicAcls configured, a write without it could turn off a flag that is on: nothing was changed',
      denied: ['GetPublicAccessBlock'],
    });
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
  });
});
