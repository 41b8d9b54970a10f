import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Outcome } from '../../remediation/actions/outcome';
import { InMemoryFlapStore } from '../../remediation/flap-store/flap-store';
import { createRemediationHandler, type RemediationHandlerDeps, remediationResponder } from '../../remediation/handler';
import type { Email } from '../../remediation/notify/format';
import { InvalidConfigurationError, loadResponseConfig } from '../../remediation/runtime/config';
import { createRemediationRuntime, outcomeMetricRecorder } from '../../remediation/runtime/runtime';
import { awsError, loadEvent, recordingLogger } from './helpers';

const s3Mock = mockClient(S3Client);
const ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

function setup(env: Record<string, string> = {}, extra: Partial<RemediationHandlerDeps> = {}) {
  const emails: Email[] = [];
  const recorded: Outcome[] = [];
  const logger = recordingLogger();
  const respond = remediationResponder({
    config: loadResponseConfig({ BUCKETGUARD_MODE: 'remediate', BUCKETGUARD_FLAP_TABLE: 'flaps', ...env }),
    s3: new S3Client({ region: 'us-east-1' }),
    s3control: new S3ControlClient({ region: 'us-east-1' }),
    publish: async (email) => {
      emails.push(email);
    },
    logger,
    flapStore: new InMemoryFlapStore(3, 3600),
    recordOutcome: (outcome) => recorded.push(outcome),
    now: () => new Date('2024-03-20T10:12:00Z'),
    applyOptions: { sleep: async () => {} },
    ...extra,
  });
  return { respond, emails, recorded, logger };
}

beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet', 404));
  s3Mock
    .on(GetPublicAccessBlockCommand)
    .rejectsOnce(awsError('NoSuchPublicAccessBlockConfiguration', 404))
    .resolves({ PublicAccessBlockConfiguration: ON });
  s3Mock.on(PutPublicAccessBlockCommand).resolves({});
});

describe('remediation Lambda', () => {
  it('fixes the bucket behind a public PutBucketPolicy and sends ONE email with the outcome', async () => {
    const { respond, emails, recorded } = setup();
    const summary = await respond(loadEvent('cloudtrail/put-bucket-policy-public.json'));
    expect(s3Mock).toHaveReceivedCommandWith(PutPublicAccessBlockCommand, {
      Bucket: 'example-private-data',
      ExpectedBucketOwner: '111122223333',
      PublicAccessBlockConfiguration: ON,
    });
    expect(emails.map((email) => email.subject)).toEqual([
      '[bucketguard] FIXED: Admin/alice put a bucket policy on example-private-data',
    ]);
    expect(recorded.map((outcome) => [outcome.action, outcome.status])).toEqual([['block-public-access', 'changed']]);
    expect(summary.reports).toHaveLength(1);
    expect(summary.reports[0].route.emailBy).toBe('remediation');
  });

  it('in notify mode changes nothing and mails the dry run', async () => {
    const { respond, emails } = setup({ BUCKETGUARD_MODE: 'notify' });
    await respond(loadEvent('eventbridge/compliance-public-read-noncompliant.json'));
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
    expect(emails[0].subject).toBe(
      '[bucketguard] DRY RUN: example-public-assets NON_COMPLIANT (s3-bucket-public-access-prohibited)',
    );
  });

  it.each([
    'eventbridge/compliance-resolved.json',
    'eventbridge/compliance-other-rule.json',
    'alarms/eventbridge-policy-changed-alarm.json',
    'cloudtrail/put-bucket-policy-access-denied.json',
    'cloudtrail/put-bucket-public-access-block-all-on.json',
  ])('leaves %s to the notify Lambda (or to nobody) and touches nothing', async (file) => {
    const { respond, emails } = setup();
    await respond(loadEvent(file));
    expect(emails).toEqual([]);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it("ignores bucketguard's own change when it knows its role", async () => {
    const { respond, emails } = setup({
      BUCKETGUARD_REMEDIATION_ROLE_ARN: 'arn:aws:iam::111122223333:role/bucketguard-RemediationRole-EXAMPLE',
    });
    await respond(loadEvent('cloudtrail/put-bucket-public-access-block-by-bucketguard.json'));
    expect(emails).toEqual([]);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('logs an unreadable trigger, acts on nothing, and does not throw (a retry cannot fix it)', async () => {
    const { respond, emails, logger } = setup();
    const summary = await respond(loadEvent('cloudtrail/put-bucket-policy-missing-bucket-name.json'));
    expect(summary.invalid).toEqual([
      'Cannot read AWS API Call via CloudTrail event: PutBucketPolicy has no requestParameters.bucketName.',
    ]);
    expect(emails).toEqual([]);
    expect(logger.entries.filter((entry) => entry.level === 'error').map((entry) => entry.message)).toEqual([
      'Unreadable trigger',
    ]);
  });

  it('logs at most 4 KB of an oversized unreadable event, with its full size', async () => {
    const { respond, logger } = setup();
    const event = loadEvent('cloudtrail/put-bucket-policy-missing-bucket-name.json') as Record<string, unknown>;
    const huge = { ...event, padding: 'x'.repeat(1_000_000) };
    await respond(huge);
    const entry = logger.entries.find((logged) => logged.message === 'Unreadable trigger');
    const attributes = entry?.attributes as { event: string; eventChars: number };
    expect(attributes.eventChars).toBe(JSON.stringify(huge).length);
    expect(attributes.event).toHaveLength(4096 + '… [truncated]'.length);
    expect(attributes.event.endsWith('… [truncated]')).toBe(true);
  });

  it('reads an event with many unreadable records once for its log excerpt, not once per record', async () => {
    // Found by npm run fuzz: 10,000 unreadable SNS records stringified the whole 19 MB event once each (out of memory).
    const { respond, logger } = setup();
    const delivery = loadEvent('eventbridge/compliance-sns-delivery.json') as {
      Records: { Sns: { Message: string } }[];
    };
    const record = delivery.Records[0];
    const message = JSON.parse(record.Sns.Message) as Record<string, unknown>;
    const damaged = { ...record, Sns: { ...record.Sns, Message: JSON.stringify({ ...message, configRuleName: 7 }) } };
    const event = { Records: Array.from({ length: 300 }, () => damaged) };
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      const summary = await respond(event);
      expect(summary.invalid).toHaveLength(300);
      expect(stringify.mock.calls.filter(([value]) => value === event)).toHaveLength(1);
    } finally {
      stringify.mockRestore();
    }
    const errors = logger.entries.filter((entry) => entry.message === 'Unreadable trigger');
    expect(errors).toHaveLength(300);
    const attributes = errors.map((entry) => entry.attributes as { eventChars: number });
    expect(new Set(attributes.map((logged) => logged.eventChars))).toEqual(new Set([JSON.stringify(event).length]));
  });

  it('still mails when remediation itself crashes, with a failed outcome', async () => {
    const { respond, emails, recorded } = setup(
      {},
      {
        now: () => {
          throw new Error('clock unavailable');
        },
      },
    );
    await respond(loadEvent('cloudtrail/delete-bucket-public-access-block.json'));
    expect(recorded).toEqual([
      {
        action: 'block-public-access',
        targetKind: 'bucket',
        target: 'example-private-data',
        mode: 'remediate',
        status: 'failed',
        reason: 'remediation stopped by an unexpected error (clock unavailable); state unknown, check the bucket',
        changes: [],
      },
    ]);
    expect(emails[0].subject).toBe(
      '[bucketguard] FIX FAILED: Admin/alice removed Block Public Access from bucket example-private-data',
    );
  });

  it('throws after handling everything when the email cannot be published, so Lambda retries', async () => {
    const { respond } = setup(
      {},
      {
        publish: async () => {
          throw awsError('KMSAccessDeniedException', 400);
        },
      },
    );
    await expect(respond(loadEvent('cloudtrail/put-bucket-policy-public.json'))).rejects.toThrow(
      'SNS Publish failed for 1 email(s): [bucketguard] FIXED: Admin/alice put a bucket policy on example-private-data: KMSAccessDeniedException (400)',
    );
    expect(s3Mock).toHaveReceivedCommand(PutPublicAccessBlockCommand);
  });

  it('handles every record of a trail file', async () => {
    const { respond, emails } = setup({ BUCKETGUARD_MODE: 'notify' });
    const summary = await respond(loadEvent('cloudtrail/trail-file-two-records.json'));
    expect(summary.reports.map((report) => report.route.emailBy)).toEqual(['remediation', 'none']);
    expect(emails).toHaveLength(1);
  });
});

describe('remediation Lambda entry point', () => {
  const snsMock = mockClient(SNSClient);
  const dynamoMock = mockClient(DynamoDBClient);
  const clients = () => ({
    s3: new S3Client({ region: 'us-east-1' }),
    s3control: new S3ControlClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
  });
  const env = {
    BUCKETGUARD_MODE: 'remediate',
    BUCKETGUARD_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bucketguard-alerts',
    BUCKETGUARD_FLAP_TABLE: 'bucketguard-flaps',
  };
  afterEach(() => {
    snsMock.reset();
    dynamoMock.reset();
  });

  it('wires config, clients, the DynamoDB counter and SNS from the environment', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    dynamoMock
      .on(UpdateItemCommand)
      .resolves({ Attributes: { attempts: { N: '1' }, windowStart: { N: '1710929520' } } });
    const handler = createRemediationHandler(() => createRemediationRuntime('test', env, clients));
    await handler(loadEvent('cloudtrail/delete-bucket-public-access-block.json'));
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateItemCommand, {
      TableName: 'bucketguard-flaps',
      Key: { target: { S: 'block-public-access#example-private-data' } },
    });
    expect(s3Mock).toHaveReceivedCommand(PutPublicAccessBlockCommand);
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:bucketguard-alerts',
      Subject: '[bucketguard] FIXED: Admin/alice removed Block Public Access from bucket example-private-data',
    });
  });

  it('refuses to start in remediate mode without the anti-flapping table', async () => {
    const { BUCKETGUARD_FLAP_TABLE: _, ...withoutTable } = env;
    const handler = createRemediationHandler(() => createRemediationRuntime('test', withoutTable, clients));
    await expect(handler(loadEvent('cloudtrail/delete-bucket-public-access-block.json'))).rejects.toThrow(
      InvalidConfigurationError,
    );
    expect(s3Mock.calls()).toHaveLength(0);
  });
});

describe('outcome metrics', () => {
  it('emits RemediationOutcome with Action and Status dimensions, one per outcome', () => {
    const metrics = new Metrics({ namespace: 'bucketguard', serviceName: 'test' });
    const emitted: { dimensions: Record<string, string>; metric: [string, string, number] }[] = [];
    jest.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const record = { dimensions: {} as Record<string, string>, metric: ['', '', 0] as [string, string, number] };
      emitted.push(record);
      const single = {
        addDimension: (name: string, value: string) => {
          record.dimensions[name] = value;
          return single;
        },
        addMetric: (name: string, unit: string, value: number) => {
          record.metric = [name, unit, value];
          return single;
        },
      };
      return single as unknown as Metrics;
    });
    const record = outcomeMetricRecorder(metrics);
    record({
      action: 'block-public-access',
      targetKind: 'bucket',
      target: 'b',
      mode: 'remediate',
      status: 'changed',
      reason: '',
      changes: [],
    });
    expect(emitted).toEqual([
      { dimensions: { Action: 'block-public-access', Status: 'changed' }, metric: ['RemediationOutcome', 'Count', 1] },
    ]);
    emitted.length = 0;
    record({
      action: 'block-public-access',
      targetKind: 'bucket',
      target: 'b',
      mode: 'remediate',
      status: 'skipped',
      reason: '',
      changes: [],
      tampering: { denied: ['GetBucketTagging'] },
      contested: { flags: ['BlockPublicAcls'], restored: true },
      flapping: { count: 3, limit: 3, windowSeconds: 3600 },
      brakeUnavailable: 'x',
    });
    expect(emitted.map((entry) => [entry.metric[0], entry.dimensions])).toEqual([
      ['RemediationOutcome', { Action: 'block-public-access', Status: 'skipped' }],
      ['Tampering', { Action: 'block-public-access', Kind: 'read-denied' }],
      ['Tampering', { Action: 'block-public-access', Kind: 'contested' }],
      ['RemediationStopped', { Action: 'block-public-access' }],
      ['FlapBrakeUnavailable', { Action: 'block-public-access' }],
    ]);
  });
});
