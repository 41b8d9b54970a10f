import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { applyBlockAccountPublicAccess } from '../../../remediation/block-account-public-access/apply';
import { ALL_ON, awsError } from '../helpers';

const controlMock = mockClient(S3ControlClient);
const s3control = new S3ControlClient({ region: 'us-east-1' });
const ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const noWait = { sleep: async () => {} };

beforeEach(() => controlMock.reset());

describe('applyBlockAccountPublicAccess', () => {
  it('puts the account configuration and verifies it', async () => {
    controlMock.on(PutPublicAccessBlockCommand).resolves({});
    controlMock.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ON });
    expect(await applyBlockAccountPublicAccess(s3control, '111122223333', ALL_ON, noWait)).toEqual({
      status: 'changed',
      reason: 'PutPublicAccessBlock (account) succeeded; verified by reading it back',
      after: { kind: 'bpa', flags: ALL_ON },
    });
    expect(controlMock).toHaveReceivedCommandWith(PutPublicAccessBlockCommand, {
      AccountId: '111122223333',
      PublicAccessBlockConfiguration: ON,
    });
    expect(controlMock).toHaveReceivedCommandWith(GetPublicAccessBlockCommand, { AccountId: '111122223333' });
  });

  it('AccessDenied on the write -> failed', async () => {
    controlMock.on(PutPublicAccessBlockCommand).rejects(awsError('AccessDenied', 403));
    expect(await applyBlockAccountPublicAccess(s3control, '111122223333', ALL_ON, noWait)).toEqual({
      status: 'failed',
      reason: 'PutPublicAccessBlock (account) failed: AccessDenied (403); nothing was changed',
    });
  });

  it('read-back still without a configuration -> failed', async () => {
    controlMock.on(PutPublicAccessBlockCommand).resolves({});
    controlMock.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    expect(await applyBlockAccountPublicAccess(s3control, '111122223333', ALL_ON, noWait)).toEqual({
      status: 'failed',
      reason:
        'PutPublicAccessBlock (account) succeeded, but the read-back after 3 attempts shows BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets still off',
      after: { kind: 'bpa', flags: null },
    });
  });
});
