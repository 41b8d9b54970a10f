import {
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Email } from '../../../remediation/notify/format';
import { loadResponseConfig } from '../../../remediation/shared/config';
import { directActionResponder, InvalidRequestError } from '../../../remediation/shared/direct';
import { awsError, recordingLogger } from '../helpers';

const s3Mock = mockClient(S3Client);
const controlMock = mockClient(S3ControlClient);
const ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

function responder(
  action: 'block-public-access' | 'block-account-public-access' | 'enable-versioning',
  env: Record<string, string> = {},
) {
  const emails: Email[] = [];
  const target = action === 'block-account-public-access' ? 'account' : 'bucket';
  const respond = directActionResponder(action, target, {
    config: loadResponseConfig(env),
    s3: new S3Client({ region: 'us-east-1' }),
    s3control: new S3ControlClient({ region: 'us-east-1' }),
    logger: recordingLogger(),
    publish: async (email) => {
      emails.push(email);
    },
  });
  return { respond, emails };
}

beforeEach(() => {
  s3Mock.reset();
  controlMock.reset();
});

describe('direct invocation of an action', () => {
  it('{bucket}: plans from live state in the configured mode and mails the outcome', async () => {
    s3Mock.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'team', Value: 'web' }] });
    s3Mock
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: { ...ON, BlockPublicPolicy: false } });
    const { respond, emails } = responder('block-public-access');
    const result = await respond({ bucket: 'example-website', region: 'us-east-1' });
    expect(result.outcomes.map((outcome) => [outcome.status, outcome.reason])).toEqual([
      ['would-change', 'dry run: would turn on BlockPublicPolicy'],
    ]);
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
    expect(emails.map((email) => email.subject)).toEqual(['[bucketguard] DRY RUN: bucket example-website']);
  });

  it('{accountId}: account action', async () => {
    controlMock.on(GetAccountPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    const { respond } = responder('block-account-public-access');
    const result = await respond({ accountId: '111122223333' });
    expect(result.outcomes[0]).toMatchObject({ target: '111122223333', status: 'would-change' });
  });

  it('a disabled action is reported as skipped, and nothing is read', async () => {
    const { respond } = responder('enable-versioning');
    const result = await respond({ bucket: 'example-scratch' });
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        status: 'skipped',
        reason: 'enable-versioning is not enabled in this deployment (BUCKETGUARD_ACTIONS)',
      }),
    ]);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it.each([
    [{}, 'Invalid block-public-access request: bucket (an S3 bucket name) is required.'],
    [
      { bucket: 'Not_A_Bucket' },
      'Invalid block-public-access request: bucket must match /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/ (received "Not_A_Bucket").',
    ],
    [
      { bucket: 'b-1', accountId: '42' },
      'Invalid block-public-access request: accountId must match /^\\d{12}$/ (received "42").',
    ],
    ['example-website', 'Invalid block-public-access request: the event must be a JSON object.'],
  ])('rejects %j with a clear error', async (event, message) => {
    const { respond } = responder('block-public-access');
    await expect(respond(event)).rejects.toThrow(InvalidRequestError);
    await expect(respond(event)).rejects.toThrow(message);
  });
});
