/**
 * The inputs the fuzz and fault suites found that broke something, kept as fixed cases so each fix stays fixed.
 * Each test names the property that failed and the file that was changed.
 */
import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
  type PutEvaluationsCommandInput,
  type ServiceOutputTypes,
} from '@aws-sdk/client-config-service';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { normalizeConfigurationItem } from '../../model/normalize';
import { type BucketState, known } from '../../model/types';
import { bucketConsoleUrl, subjectLine } from '../../remediation/notify/text';
import { fitMessage, snsPublisher } from '../../remediation/runtime/publish';
import { createRuleHandler } from '../../rules/config-protocol/adapter';
import { RULE_CLIENT_RETRY } from '../../rules/config-protocol/clients';
import { EvaluationSink, toPutEvaluation } from '../../rules/config-protocol/put-evaluations';
import { evaluateBucket } from '../../rules/run-rule';
import { rule as crossAccountRule } from '../../rules/s3-bucket-cross-account-access-prohibited';
import { rule as versioningRule } from '../../rules/s3-bucket-versioning-enabled';
import { ConfigWire, wiredConfigClient } from '../faults/support/config-wire';
import { hasLoneSurrogate } from '../fuzz/harness/checks';
import { ACCOUNT_ID, type Json } from '../support/basics';
import { configInvocation, scheduledInvokingEvent } from '../support/config-invocation-arbitraries';
import { type BucketItemParts, bucketItem, toApiModel } from '../support/config-item-arbitraries';

/** A plain, private, versioned bucket's configuration item parts; each test changes what it is about. */
const plainBucket = (name: string): BucketItemParts => ({
  name,
  account: ACCOUNT_ID,
  status: 'OK',
  captureTime: '2025-06-01T00:00:00.000Z',
  grants: [],
  policy: null,
  bpa: null,
  versioning: { status: 'Enabled', isMfaDeleteEnabled: null },
  tags: {},
});

/** Accepts every PutEvaluations call and returns the list of requests it received. */
function recordPutEvaluations(mock: AwsStub<object, ServiceOutputTypes, object>): PutEvaluationsCommandInput[] {
  const sent: PutEvaluationsCommandInput[] = [];
  mock.on(PutEvaluationsCommand).callsFake((input: PutEvaluationsCommandInput) => {
    sent.push(input);
    return { FailedEvaluations: [] };
  });
  return sent;
}

it('an annotation cut inside a surrogate pair goes out as well-formed Unicode (rules/config-protocol/put-evaluations.ts)', () => {
  // A cut at an odd UTF-16 length (as describeValue and truncateAnnotation could make) splits a surrogate pair.
  const annotation = `Malformed configuration item: expected an object, received a string ("${'🪣'.repeat(30).slice(0, 41)}…")`;
  expect(hasLoneSurrogate(annotation)).toBe(true);
  const wire = toPutEvaluation({
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'example-bucket',
    compliance: 'NOT_APPLICABLE',
    annotation,
    orderingTimestamp: '2025-06-01T00:00:00.000Z',
  });
  expect(hasLoneSurrogate(wire.Annotation ?? '')).toBe(false);
  expect(wire.Annotation).toContain('\uFFFD');
});

it('an identity Config would reject is reported undelivered without failing the rest of its batch (put-evaluations.ts)', async () => {
  const config = new ConfigServiceClient({ region: 'us-east-1' });
  const mock = mockClient(config);
  const sent = recordPutEvaluations(mock);
  const sink = new EvaluationSink(config, {
    resultToken: 'token',
    testMode: false,
    retry: { attempts: 1, baseDelayMs: 0 },
    sleep: async () => undefined,
    random: () => 0,
  });
  const base = { compliance: 'NOT_APPLICABLE' as const, annotation: '', orderingTimestamp: '2025-06-01T00:00:00.000Z' };
  await sink.add({ ...base, resourceType: 'x'.repeat(1_025), resourceId: 'a' });
  await sink.add({ ...base, resourceType: 'AWS::S3::Bucket', resourceId: 'b'.repeat(769) });
  await sink.add({ ...base, resourceType: 'AWS::S3::Bucket', resourceId: 'fine-bucket' });
  await sink.flush();
  expect(sent.flatMap((s) => s.Evaluations ?? []).map((e) => e.ComplianceResourceId)).toEqual(['fine-bucket']);
  expect(sink.delivered).toBe(1);
  expect(sink.undelivered.map((u) => u.reason)).toEqual([
    'cannot be reported: AWS Config accepts a resource type of 1-256 characters, this one has 1025',
    'cannot be reported: AWS Config accepts a resource id of 1-768 characters, this one has 769',
  ]);
});

it('a 1 MB ACL grantee is evaluated, not stuck in a quadratic regular expression (cross-account evaluate.ts)', () => {
  const item = bucketItem({
    ...plainBucket('example-huge-grantee'),
    grants: [{ grantee: 'm'.repeat(1_048_576), permission: 'Read' }],
  });
  const state = normalizeConfigurationItem(item) as BucketState;
  const params = crossAccountRule.parseParameters({
    trustedAccounts: '',
    trustedOrganizations: '',
    exemptionTag: 'bucketguard:exempt',
    exemptions: 'on',
  });
  // Completing within the test timeout is the point: the old /(\S+)$/ took minutes on this input.
  const result = evaluateBucket(crossAccountRule, state, params, {
    accountBpa: known(null),
    now: new Date('2025-06-01T00:00:00Z'),
  });
  expect(result.compliance).toBe('NON_COMPLIANT');
  expect(result.annotation.length).toBeLessThanOrEqual(256);
});

it('a bucket name with a lone surrogate still gets a console link, not a URIError (remediation/notify/text.ts)', () => {
  expect(() => bucketConsoleUrl('\ud800lone-surrogate', 'us-east-1')).not.toThrow();
  expect(bucketConsoleUrl('\ud800x', undefined)).toBe(
    'https://s3.console.aws.amazon.com/s3/buckets/%EF%BF%BDx?tab=permissions',
  );
});

it('an email subject with astral characters stays within 99 UTF-16 units and whole characters (text.ts)', () => {
  const subject = subjectLine('NOT FIXED', `Admin/alice set the ACL of ${'🪣'.repeat(60)}`);
  expect(subject.length).toBeLessThanOrEqual(99);
  expect(hasLoneSurrogate(subject)).toBe(false);
  expect(subject.endsWith('...')).toBe(true);
});

it('a 1 MB email body and a lone surrogate reach SNS as a valid message (remediation/runtime/publish.ts)', async () => {
  expect(Buffer.byteLength(fitMessage(`${'é'.repeat(600_000)}`), 'utf8')).toBeLessThanOrEqual(262_144);
  const sns = new SNSClient({ region: 'us-east-1' });
  const published: PublishCommandInput[] = [];
  mockClient(sns)
    .on(PublishCommand)
    .callsFake((input: PublishCommandInput) => {
      published.push(input);
      return { MessageId: '1' };
    });
  await snsPublisher(
    sns,
    'arn:aws:sns:us-east-1:111122223333:t',
  )({ subject: 'x \ud800', body: `${'m'.repeat(1_048_576)}` });
  expect(hasLoneSurrogate(published[0].Subject ?? '')).toBe(false);
  expect(Buffer.byteLength(published[0].Message ?? '', 'utf8')).toBeLessThanOrEqual(262_144);
  const members = JSON.parse(published[0].Message ?? '') as { email: string };
  expect(members.email).toMatch(/message truncated to fit the SNS 256 KB limit\]$/);
});

it('a throttled ListDiscoveredResources page is retried by the SDK, not the end of the sweep, and never twice over (rules/config-protocol/sweep.ts)', async () => {
  // Once on the SDK's retries and our own loop on top (up to 15 requests per call); now the SDK's alone, on the wire.
  let throttles = 2;
  const wire = new ConfigWire((request) => {
    // A role without config:SelectResourceConfig: the sweep lists and batch-reads.
    if (request.operation === 'SelectResourceConfig') return { fault: 'access-denied' };
    if (request.operation !== 'ListDiscoveredResources') throw new Error(`unexpected ${request.operation}`);
    if (throttles-- > 0) return { fault: 'throttling' };
    return { output: { resourceIdentifiers: [] } };
  });
  const sleeps: number[] = [];
  const handler = createRuleHandler(versioningRule, {
    clients: () => ({ config: wiredConfigClient(wire), s3: {} as never, s3control: {} as never }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
  });
  const report = await handler(
    configInvocation(scheduledInvokingEvent(ACCOUNT_ID), { ruleName: 'bucketguard-s3-bucket-versioning-enabled' }),
  );
  const listed = () => wire.requests.filter((r) => r.operation === 'ListDiscoveredResources');
  expect(listed().map((r) => r.attempt)).toEqual([1, 2, 3]);
  expect(sleeps).toEqual([]);
  expect(report.delivered).toBe(0);
  // Throttled on every attempt: exactly maxAttempts requests per call (the query, then the listing it falls back
  // to), then the invocation fails loudly.
  wire.answerWith(() => ({ fault: 'throttling' }));
  await expect(handler(configInvocation(scheduledInvokingEvent(ACCOUNT_ID)))).rejects.toThrow('Rate exceeded');
  expect(wire.attemptsPerCall()).toEqual([RULE_CLIENT_RETRY.maxAttempts, RULE_CLIENT_RETRY.maxAttempts]);
  // AccessDenied is not transient: one request per call, no retry.
  wire.answerWith(() => ({ fault: 'access-denied' }));
  await expect(handler(configInvocation(scheduledInvokingEvent(ACCOUNT_ID)))).rejects.toThrow('not authorized');
  expect(wire.requests.map((r) => r.operation)).toEqual(['SelectResourceConfig', 'ListDiscoveredResources']);
  expect(sleeps).toEqual([]);
});

it('a policy statement whose NotPrincipal was deleted is unreadable, not "grants nothing" (normalize-parts.ts)', async () => {
  const bucket = 'example-damaged-policy';
  const item = bucketItem({
    ...plainBucket(bucket),
    policy: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
    },
  });
  const state = normalizeConfigurationItem(item) as BucketState;
  expect(state.policy.known).toBe(false);
  expect(state.policy.known ? '' : state.policy.reason).toContain('has neither Principal nor NotPrincipal');
  // The same with the service principal deleted out of {"Service": "..."}: {} names nobody.
  const emptied = JSON.parse(JSON.stringify(item));
  emptied.supplementaryConfiguration.BucketPolicy.policyText = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: {}, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` }],
  });
  const emptiedState = normalizeConfigurationItem(emptied) as BucketState;
  expect(emptiedState.policy.known ? '' : emptiedState.policy.reason).toContain('names no principal');
});

it('a swept item whose resourceType is damaged is NOT_APPLICABLE for the listed bucket, not dropped (adapter.ts)', async () => {
  const config = new ConfigServiceClient({ region: 'us-east-1' });
  const mock = mockClient(config);
  const item = toApiModel(bucketItem(plainBucket('example-swept')));
  mock
    .on(ListDiscoveredResourcesCommand)
    .resolves({ resourceIdentifiers: [{ resourceType: 'AWS::S3::Bucket', resourceId: 'example-swept' }] });
  mock
    .on(BatchGetResourceConfigCommand)
    .resolves({ baseConfigurationItems: [{ ...item, resourceType: 1e21 } as never] });
  const sent = recordPutEvaluations(mock);
  const handler = createRuleHandler(versioningRule, {
    clients: () => ({ config, s3: {} as never, s3control: {} as never }),
  });
  await handler(configInvocation(scheduledInvokingEvent(ACCOUNT_ID)));
  const evaluations = sent.flatMap((s) => s.Evaluations ?? []);
  expect(evaluations).toHaveLength(1);
  expect(evaluations[0]).toMatchObject({ ComplianceResourceId: 'example-swept', ComplianceType: 'NOT_APPLICABLE' });
  expect(evaluations[0].Annotation).toMatch(/^Malformed configuration item: configurationItem\.resourceType/);
});

it('a grantee retyped to a number or emptied, and a re-encoded action, make the part unknown (normalize-parts.ts)', () => {
  const base = plainBucket('example-damaged');
  for (const grantee of [0, [null], { value: null }] as Json[]) {
    const state = normalizeConfigurationItem(
      bucketItem({ ...base, grants: [{ grantee, permission: 'Read' }] }),
    ) as BucketState;
    expect(state.acl.known).toBe(false);
  }
  const reEncoded = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '"s3:GetObject"', Resource: '*' }],
  };
  const state = normalizeConfigurationItem(bucketItem({ ...base, policy: reEncoded })) as BucketState;
  expect(state.policy.known ? '' : state.policy.reason).toContain('not an IAM action');
});

it('a listed bucket whose item claims another resource type is NOT_APPLICABLE, not dropped (adapter.ts)', async () => {
  const config = new ConfigServiceClient({ region: 'us-east-1' });
  const mock = mockClient(config);
  mock
    .on(ListDiscoveredResourcesCommand)
    .resolves({ resourceIdentifiers: [{ resourceType: 'AWS::S3::Bucket', resourceId: 'example-listed' }] });
  mock.on(BatchGetResourceConfigCommand).resolves({
    baseConfigurationItems: [
      {
        resourceType: '𝕓𝕦𝕔𝕜𝕖𝕥' as never,
        resourceId: 'example-listed',
        configurationItemStatus: 'OK',
        configuration: '{}',
      },
    ],
  });
  const sent = recordPutEvaluations(mock);
  const handler = createRuleHandler(versioningRule, {
    clients: () => ({ config, s3: {} as never, s3control: {} as never }),
  });
  await handler(configInvocation(scheduledInvokingEvent(ACCOUNT_ID)));
  expect(sent.flatMap((s) => s.Evaluations ?? [])).toEqual([
    expect.objectContaining({
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceResourceId: 'example-listed',
      ComplianceType: 'NOT_APPLICABLE',
      Annotation: 'AWS Config returned a "𝕓𝕦𝕔𝕜𝕖𝕥" item for this listed bucket; nothing was evaluated.',
    }),
  ]);
});
