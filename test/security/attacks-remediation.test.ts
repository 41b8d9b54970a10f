/**
 * Attacks on the response path by the principals bucketguard watches (issue 13, "Nothing inside a bucket or an
 * account can silently stop remediation"), each performed through the remediation Lambda's responder with
 * aws-sdk-client-mock at the client boundary, and each defence asserted on the calls made, the email and the metrics.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbFlapStore, type FlapStore, InMemoryFlapStore } from '../../remediation/flap-store/flap-store';
import { type RemediationHandlerDeps, remediationResponder } from '../../remediation/handler';
import type { Email } from '../../remediation/notify/format';
import { loadResponseConfig } from '../../remediation/runtime/config';
import { EventBridgeRecheckScheduler } from '../../remediation/runtime/recheck-scheduler';
import { outcomeMetricRecorder } from '../../remediation/runtime/runtime';
import { awsError, loadEvent, recordingLogger } from '../remediation/helpers';

const s3Mock = mockClient(S3Client);
const schedulerMock = mockClient(SchedulerClient);
const dynamoMock = mockClient(DynamoDBClient);
const ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const OFF = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:BucketGuard-Remediation-EXAMPLE';
const SCHEDULER_ROLE = 'arn:aws:iam::111122223333:role/BucketGuard-RecheckSchedulerRole-EXAMPLE';
const DENIED = awsError('AccessDenied', 403);

/** A Metrics whose single metrics are recorded as [name, dimensions]. */
function recordingMetrics(): { metrics: Metrics; emitted: [string, Record<string, string>][] } {
  const metrics = new Metrics({ namespace: 'bucketguard', serviceName: 'test' });
  const emitted: [string, Record<string, string>][] = [];
  jest.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    const dimensions: Record<string, string> = {};
    const single = {
      addDimension: (name: string, value: string) => {
        dimensions[name] = value;
        return single;
      },
      addMetric: (name: string) => {
        emitted.push([name, dimensions]);
        return single;
      },
    };
    return single as unknown as Metrics;
  });
  return { metrics, emitted };
}

let now = new Date('2024-03-20T10:12:00Z');

function responder(env: Record<string, string> = {}, extra: Partial<RemediationHandlerDeps> = {}) {
  const emails: Email[] = [];
  const { metrics, emitted } = recordingMetrics();
  const respond = remediationResponder({
    config: loadResponseConfig({ BUCKETGUARD_MODE: 'remediate', BUCKETGUARD_FLAP_TABLE: 'flaps', ...env }),
    s3: new S3Client({ region: 'us-east-1' }),
    s3control: new S3ControlClient({ region: 'us-east-1' }),
    publish: async (email) => {
      emails.push(email);
    },
    logger: recordingLogger(),
    flapStore: new InMemoryFlapStore(3, 3600),
    recordOutcome: outcomeMetricRecorder(metrics),
    now: () => now,
    applyOptions: { sleep: async () => {} },
    ...extra,
  });
  return { respond, emails, emitted };
}

/** The body with every run of whitespace as one space (the email wraps at 76 columns). */
const flat = (email: Email): string => email.body.replace(/\s+/g, ' ');

const putFlags = () =>
  s3Mock.commandCalls(PutPublicAccessBlockCommand).map((call) => call.args[0].input.PublicAccessBlockConfiguration);

beforeEach(() => {
  s3Mock.reset();
  schedulerMock.reset();
  dynamoMock.reset();
  now = new Date('2024-03-20T10:12:00Z');
  s3Mock.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet', 404));
  s3Mock.on(PutPublicAccessBlockCommand).resolves({});
});

describe('attack: a bucket policy denies bucketguard its reads', () => {
  it('GetBucketTagging and GetPublicAccessBlock denied: all four flags written anyway; TAMPERING, high severity, metric', async () => {
    s3Mock.on(GetBucketTaggingCommand).rejects(DENIED);
    s3Mock.on(GetPublicAccessBlockCommand).rejects(DENIED);
    const { respond, emails, emitted } = responder();
    const summary = await respond(loadEvent('cloudtrail/put-bucket-policy-public.json'));

    expect(putFlags()).toEqual([ON]);
    const [outcome] = summary.reports[0].outcomes;
    expect(outcome).toMatchObject({
      status: 'failed',
      reason:
        'PutPublicAccessBlock succeeded, but bucketguard could not verify it: reading it back was denied (GetPublicAccessBlock failed: AccessDenied (403))',
      before: { kind: 'unread', reason: 'GetPublicAccessBlock failed: AccessDenied (403)' },
      tampering: { denied: ['GetBucketTagging', 'GetPublicAccessBlock'] },
    });
    expect(emails).toHaveLength(1);
    expect(emails[0].subject).toBe('[bucketguard] TAMPERING: Admin/alice put a bucket policy on example-private-data');
    expect(emails[0].severity).toBe('high');
    expect(flat(emails[0])).toContain('Severity: HIGH');
    expect(flat(emails[0])).toContain(
      "Tampering: bucketguard's role was denied GetBucketTagging, GetPublicAccessBlock",
    );
    expect(flat(emails[0])).toContain('could not verify');
    expect(emitted).toContainEqual(['Tampering', { Action: 'block-public-access', Kind: 'read-denied' }]);
  });

  it('only GetBucketTagging denied: fixed and verified, still TAMPERING', async () => {
    s3Mock.on(GetBucketTaggingCommand).rejects(DENIED);
    s3Mock
      .on(GetPublicAccessBlockCommand)
      .resolvesOnce({ PublicAccessBlockConfiguration: OFF })
      .resolves({ PublicAccessBlockConfiguration: ON });
    const { respond, emails } = responder();
    const summary = await respond(loadEvent('cloudtrail/delete-bucket-public-access-block.json'));
    expect(summary.reports[0].outcomes[0]).toMatchObject({
      status: 'changed',
      tampering: { denied: ['GetBucketTagging'] },
    });
    expect(emails[0].subject).toMatch(/^\[bucketguard\] TAMPERING: /);
  });
});

describe('attack: the owner undoes the fix again and again (flapping)', () => {
  const event = () => loadEvent('cloudtrail/delete-bucket-public-access-block.json');
  const openBucket = () => {
    s3Mock.reset();
    s3Mock.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet', 404));
    s3Mock
      .on(GetPublicAccessBlockCommand)
      .rejectsOnce(awsError('NoSuchPublicAccessBlockConfiguration', 404))
      .resolves({ PublicAccessBlockConfiguration: ON });
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
  };

  it('STOPPED (high severity) after the limit, a one-time re-check scheduled at the window end, and the re-check fixes it', async () => {
    schedulerMock
      .on(CreateScheduleCommand)
      .resolves({ ScheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/g/x' });
    const recheck = new EventBridgeRecheckScheduler(() => new SchedulerClient({ region: 'us-east-1' }), {
      group: 'BucketGuard-Recheck-Group',
      roleArn: SCHEDULER_ROLE,
      functionArn: () => FUNCTION_ARN,
    });
    const { respond, emails, emitted } = responder({}, { recheck });
    for (let fix = 0; fix < 3; fix++) {
      openBucket();
      await respond(event());
    }
    expect(emails.map((email) => email.subject.split(':')[0])).toEqual(Array(3).fill('[bucketguard] FIXED'));

    openBucket();
    const stopped = await respond(event());
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
    expect(stopped.reports[0].outcomes[0].flapping).toEqual({
      count: 3,
      limit: 3,
      windowSeconds: 3600,
      windowEndsAt: '2024-03-20T11:12:00.000Z',
      recheck: {
        at: '2024-03-20T11:13:00.000Z',
        scheduled: true,
        detail: expect.stringMatching(/^schedule BucketGuard-Recheck-Group\/recheck-[0-9a-f]{40}$/),
      },
    });
    const email = emails[3];
    expect(email.subject).toBe(
      '[bucketguard] STOPPED: Admin/alice removed Block Public Access from bucket example-private-data',
    );
    expect(email.severity).toBe('high');
    expect(flat(email)).toContain('A one-time re-check is scheduled for 2024-03-20T11:13:00.000Z');
    expect(emitted).toContainEqual(['RemediationStopped', { Action: 'block-public-access' }]);

    expect(schedulerMock).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
    const input = schedulerMock.commandCalls(CreateScheduleCommand)[0].args[0].input;
    expect(input).toMatchObject({
      GroupName: 'BucketGuard-Recheck-Group',
      ScheduleExpression: 'at(2024-03-20T11:13:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: FUNCTION_ARN, RoleArn: SCHEDULER_ROLE },
    });
    // The payload is the stopped trigger as it arrived, plus the marker.
    const payload = JSON.parse(input.Target?.Input ?? '{}');
    expect(payload).toEqual({
      ...(event() as object),
      bucketguardRecheck: {
        action: 'block-public-access',
        target: 'example-private-data',
        windowEndsAt: '2024-03-20T11:12:00.000Z',
      },
    });

    // Scheduler delivers the payload after the window: still open, so it is fixed again.
    now = new Date('2024-03-20T11:13:00Z');
    openBucket();
    const rechecked = await respond(payload);
    expect(putFlags()).toEqual([ON]);
    expect(rechecked.reports[0].outcomes[0].status).toBe('changed');
    expect(emails[4].subject).toBe(
      '[bucketguard] FIXED: Admin/alice removed Block Public Access from bucket example-private-data',
    );
    expect(flat(emails[4])).toContain("This is bucketguard's scheduled re-check");
  });

  it('without a configured re-check the STOPPED email says none was scheduled', async () => {
    const { respond, emails } = responder();
    for (let fix = 0; fix < 4; fix++) {
      openBucket();
      await respond(event());
    }
    expect(emails[3].subject).toMatch(/^\[bucketguard\] STOPPED: /);
    expect(flat(emails[3])).toContain(
      'No re-check could be scheduled (BUCKETGUARD_RECHECK_GROUP and BUCKETGUARD_RECHECK_ROLE_ARN are not set)',
    );
  });
});

describe('attack: a concurrent writer turns a flag off while a partial-flags fix runs', () => {
  it('restored, reported (RESTORED, high severity, metric); the write never turned off a flag that was on', async () => {
    const partial = { ...OFF, BlockPublicAcls: true, RestrictPublicBuckets: true };
    s3Mock
      .on(GetPublicAccessBlockCommand)
      // The live read, then the read right before the write: BlockPublicPolicy turned on in between.
      .resolvesOnce({ PublicAccessBlockConfiguration: partial })
      .resolvesOnce({ PublicAccessBlockConfiguration: { ...partial, BlockPublicPolicy: true } })
      // Read-backs after the write: RestrictPublicBuckets off (the concurrent writer), until restored.
      .resolvesOnce({ PublicAccessBlockConfiguration: { ...ON, RestrictPublicBuckets: false } })
      .resolvesOnce({ PublicAccessBlockConfiguration: { ...ON, RestrictPublicBuckets: false } })
      .resolvesOnce({ PublicAccessBlockConfiguration: { ...ON, RestrictPublicBuckets: false } })
      .resolves({ PublicAccessBlockConfiguration: ON });
    const { respond, emails, emitted } = responder({ BUCKETGUARD_BPA_FLAGS: 'blockPublicAcls,ignorePublicAcls' });
    const summary = await respond(loadEvent('cloudtrail/put-bucket-public-access-block-partial.json'));

    expect(putFlags()).toEqual([ON, ON]);
    expect(summary.reports[0].outcomes[0]).toMatchObject({
      status: 'changed',
      contested: { flags: ['RestrictPublicBuckets'], restored: true },
      after: {
        kind: 'bpa',
        flags: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      },
    });
    expect(emails[0].subject).toMatch(/^\[bucketguard\] RESTORED: /);
    expect(emails[0].severity).toBe('high');
    expect(flat(emails[0])).toContain('Contested: a concurrent writer turned RestrictPublicBuckets off');
    expect(emitted).toContainEqual(['Tampering', { Action: 'block-public-access', Kind: 'contested' }]);
  });
});

describe('attack: the flap table is made unreachable', () => {
  it.each([
    ['throttled', awsError('ProvisionedThroughputExceededException', 400)],
    ['deleted', awsError('ResourceNotFoundException', 400)],
    ['denied', awsError('AccessDeniedException', 400)],
  ])('%s: the fix is applied anyway and the email alerts (a brake, not a gate)', async (_name, error) => {
    dynamoMock.on(UpdateItemCommand).rejects(error);
    s3Mock
      .on(GetPublicAccessBlockCommand)
      .rejectsOnce(awsError('NoSuchPublicAccessBlockConfiguration', 404))
      .resolves({ PublicAccessBlockConfiguration: ON });
    const flapStore: FlapStore = new DynamoDbFlapStore(new DynamoDBClient({ region: 'us-east-1' }), 'flaps', 3, 3600);
    const { respond, emails, emitted } = responder({}, { flapStore });
    const summary = await respond(loadEvent('cloudtrail/delete-bucket-public-access-block.json'));

    expect(putFlags()).toEqual([ON]);
    const code = (error as { name: string }).name;
    expect(summary.reports[0].outcomes[0]).toMatchObject({ status: 'changed', brakeUnavailable: `${code} (400)` });
    expect(emails[0].subject).toBe(
      '[bucketguard] FIXED (NO BRAKE): example-private-data - Admin/alice removed Block Public Access f...',
    );
    expect(emails[0].severity).toBe('high');
    expect(flat(emails[0])).toContain('No brake: the anti-flapping counter could not be updated');
    expect(emitted).toContainEqual(['FlapBrakeUnavailable', { Action: 'block-public-access' }]);
  });
});
