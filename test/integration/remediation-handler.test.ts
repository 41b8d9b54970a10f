/**
 * The remediation Lambda's fast path end to end against a real S3 server: a recorded "AWS API Call via CloudTrail"
 * event (from events/), its bucket name rewritten to a test bucket, through remediationResponder with the RGW client
 * injected. The bucket is really public before and really closed after; an exempt bucket is left alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutBucketAclCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { readBucketState } from '../../aws/live-s3';
import { InMemoryFlapStore } from '../../remediation';
import { remediationResponder } from '../../remediation/handler';
import { SILENT_LOGGER } from '../../remediation/response/respond';
import { loadResponseConfig } from '../../remediation/runtime/config';
import { anonymous, createBucket, putText, rgwSuite } from './rgw';

const { env, s3, prefix } = rgwSuite();
const TARGET = `${prefix}-handler`;
const EXEMPT = `${prefix}-handler-exempt`;
const EVENTS_ROOT = join(__dirname, '..', '..', 'events');

/** A recorded PutBucketAcl x-amz-acl: public-read, as EventBridge delivers it. */
const RECORDED_FILE = join('cloudtrail', 'put-bucket-acl-canned-public-read.json');

interface Recorded {
  readonly file: string;
  readonly event: Record<string, unknown>;
  readonly bucket: string;
}

function loadRecorded(file: string): Recorded {
  const event = JSON.parse(readFileSync(join(EVENTS_ROOT, file), 'utf8')) as Record<string, unknown>;
  const detail = event.detail as { eventName?: unknown; requestParameters?: { bucketName?: unknown } } | undefined;
  const bucket = detail?.requestParameters?.bucketName;
  if (
    event['detail-type'] !== 'AWS API Call via CloudTrail' ||
    detail?.eventName !== 'PutBucketAcl' ||
    typeof bucket !== 'string'
  ) {
    throw new Error(`events/${file} is not an EventBridge PutBucketAcl CloudTrail event with a bucketName`);
  }
  return { file, event, bucket };
}

/** The recorded event with every mention of its bucket (name, ARNs, resources) pointing at `bucket`. */
function rewritten(recorded: Recorded, bucket: string): unknown {
  return JSON.parse(JSON.stringify(recorded.event).split(recorded.bucket).join(bucket));
}

const recorded = loadRecorded(RECORDED_FILE);
const published: { subject: string; body: string }[] = [];
const flapStore = new InMemoryFlapStore(3, 3600);
/**
 * The approved list (issue 13): RGW has no SSM, so GetParameter is answered by aws-sdk-client-mock at the client
 * boundary (the real SSM path runs against moto in exemptions.moto.test.ts); S3 stays the real server.
 */
const EXEMPTIONS_PARAMETER = '/bucketguard/bucketguard-/exemptions';
const EXEMPT_UNTIL = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
const ssm = new SSMClient({ region: env.region });
mockClient(ssm)
  .on(GetParameterCommand, { Name: EXEMPTIONS_PARAMETER })
  .resolves({
    Parameter: {
      Name: EXEMPTIONS_PARAMETER,
      Type: 'String',
      Value: JSON.stringify([
        { bucket: EXEMPT, reason: 'public downloads (integration test)', approver: 'secteam', until: EXEMPT_UNTIL },
      ]),
    },
  });
const respond = remediationResponder({
  config: loadResponseConfig({
    BUCKETGUARD_MODE: 'remediate',
    BUCKETGUARD_ACTIONS: 'block-public-access',
    BUCKETGUARD_EXEMPTIONS_PARAMETER: EXEMPTIONS_PARAMETER,
  }),
  s3,
  ssm,
  // Not used by block-public-access; RGW has no S3 Control.
  s3control: new S3ControlClient({ region: env.region }),
  publish: async (email) => {
    published.push({ subject: email.subject, body: email.body });
  },
  logger: SILENT_LOGGER,
  flapStore,
});

beforeAll(async () => {
  for (const bucket of [TARGET, EXEMPT]) {
    await createBucket(s3, bucket);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    await putText(s3, bucket, 'hello.txt', `hello from ${bucket}`, 'public-read');
  }
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: EXEMPT,
      Tagging: { TagSet: [{ Key: 'bucketguard:exempt', Value: 'public downloads (integration test)' }] },
    }),
  );
});

describe(`remediation handler against Ceph RGW, driven by events/${recorded.file}`, () => {
  test('the bucket is really public before', async () => {
    expect((await anonymous(env, 'GET', `${TARGET}/hello.txt`)).status).toBe(200);
  });

  test('the recorded CloudTrail event makes the handler turn on Block Public Access, verified by read-back', async () => {
    const summary = await respond(rewritten(recorded, TARGET));
    expect(summary.invalid).toEqual([]);
    expect(summary.reports).toHaveLength(1);
    const [report] = summary.reports;
    expect(report.outcomes.map((outcome) => [outcome.action, outcome.target, outcome.status])).toEqual([
      ['block-public-access', TARGET, 'changed'],
    ]);
    const state = await readBucketState(s3, TARGET, { parts: ['publicAccessBlock'] });
    expect(state.publicAccessBlock).toEqual({
      known: true,
      value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    });
    // One email for the finding, naming the bucket.
    expect(published).toHaveLength(1);
    expect(published[0].subject).toContain(TARGET);
  });

  test('the bucket really is closed after', async () => {
    expect((await anonymous(env, 'GET', `${TARGET}/hello.txt`)).status).toBe(403);
    expect((await anonymous(env, 'GET', TARGET)).status).toBe(403);
  });

  test('the same event again changes nothing', async () => {
    const summary = await respond(rewritten(recorded, TARGET));
    expect(summary.reports.flatMap((report) => report.outcomes.map((outcome) => outcome.status))).toEqual([
      'no-change',
    ]);
  });

  test('an exempt bucket is left as it is, and the outcome says why', async () => {
    const before = await readBucketState(s3, EXEMPT, { parts: ['acl', 'publicAccessBlock', 'tags'] });
    const summary = await respond(rewritten(recorded, EXEMPT));
    const outcomes = summary.reports.flatMap((report) => report.outcomes);
    expect(outcomes.map((outcome) => [outcome.target, outcome.status, outcome.reason])).toEqual([
      [
        EXEMPT,
        'skipped',
        `exempt until ${EXEMPT_UNTIL}, approved by secteam ("public downloads (integration test)"): not changed`,
      ],
    ]);
    const after = await readBucketState(s3, EXEMPT, { parts: ['acl', 'publicAccessBlock', 'tags'] });
    expect({ ...after, captureTime: '' }).toEqual({ ...before, captureTime: '' });
    expect((await anonymous(env, 'GET', `${EXEMPT}/hello.txt`)).status).toBe(200);
  });
});
