import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { GetBucketOwnershipControlsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { truncateAnnotation } from '../../../model/annotation';
import { createRuleHandler } from '../../../rules/config-protocol/adapter';
import { identifyRawItem, parseInvocation, TEST_MODE_RESULT_TOKEN } from '../../../rules/config-protocol/config-event';
import { type EvaluationRecord, EvaluationSink, toPutEvaluation } from '../../../rules/config-protocol/put-evaluations';
import { ACCOUNT, apiBucketItem, echoBucketRule, invocation, loadEvent, NOW, SCHEDULED } from './adapter-support';

const configMock = mockClient(ConfigServiceClient);

beforeEach(() => {
  configMock.reset();
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
});

const record = (id: string, annotation = ''): EvaluationRecord => ({
  resourceType: 'AWS::S3::Bucket',
  resourceId: id,
  compliance: 'COMPLIANT',
  annotation,
  orderingTimestamp: '2024-09-09T00:00:00.000Z',
});

const delivery = {
  resultToken: 'token-abc',
  testMode: false,
  retry: { attempts: 2, baseDelayMs: 0 },
  sleep: async () => {},
  random: () => 0,
};

describe('annotations on the wire', () => {
  it('omits an empty or blank annotation', () => {
    expect(toPutEvaluation(record('b', ''))).toEqual({
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceResourceId: 'b',
      ComplianceType: 'COMPLIANT',
      OrderingTimestamp: new Date('2024-09-09T00:00:00.000Z'),
    });
    expect(toPutEvaluation(record('b', '   ')).Annotation).toBeUndefined();
  });

  it('keeps a 256-character annotation and truncates a longer one to 244 + " [truncated]"', () => {
    const exact = 'a'.repeat(256);
    expect(toPutEvaluation(record('b', exact)).Annotation).toBe(exact);
    const long = `${'x'.repeat(300)}TAIL`;
    const sent = toPutEvaluation(record('b', long)).Annotation;
    expect(sent).toBe(`${'x'.repeat(244)} [truncated]`);
    expect(sent).toHaveLength(256);
  });

  it('counts UTF-16 units (the stricter reading of "256 characters") and never cuts a surrogate pair in half', () => {
    const text = '🪣'.repeat(128); // 256 UTF-16 units: fits as it is
    expect(truncateAnnotation(text)).toBe(text);
    const longer = '🪣'.repeat(200); // 400 units, 200 code points: cut by either count
    const cut = truncateAnnotation(longer);
    expect(cut).toBe(`${'🪣'.repeat(122)} [truncated]`);
    expect(cut).toHaveLength(256);
    const odd = `x${'🪣'.repeat(200)}`; // unit 244 would be the first half of a pair: one unit fewer
    expect(truncateAnnotation(odd)).toBe(`x${'🪣'.repeat(121)} [truncated]`);
    expect(truncateAnnotation(odd).isWellFormed()).toBe(true);
  });
});

describe('EvaluationSink', () => {
  it('sends 250 evaluations as 100/100/50 and keeps the order', async () => {
    const sink = new EvaluationSink(new ConfigServiceClient({}), delivery);
    for (let i = 0; i < 250; i++) await sink.add(record(`b-${i}`));
    await sink.flush();
    const sizes = configMock.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations?.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(sink.delivered).toBe(250);
    expect(sink.records.map((r) => r.resourceId)).toEqual(Array.from({ length: 250 }, (_, i) => `b-${i}`));
  });

  it('replaces a repeated resource still in the buffer (Config rejects duplicates in one call)', async () => {
    const sink = new EvaluationSink(new ConfigServiceClient({}), delivery);
    await sink.add(record('b-1', 'first'));
    await sink.add(record('b-2'));
    await sink.add(record('b-1', 'second'));
    await sink.flush();
    expect(configMock).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
    expect(configMock.commandCalls(PutEvaluationsCommand)[0].args[0].input.Evaluations).toEqual([
      toPutEvaluation(record('b-1', 'second')),
      toPutEvaluation(record('b-2')),
    ]);
  });

  it('counts a batch as undelivered when FailedEvaluations names something that was not sent', async () => {
    configMock.on(PutEvaluationsCommand).resolves({
      FailedEvaluations: [{ ComplianceResourceType: 'AWS::S3::Bucket', ComplianceResourceId: 'B-1' } as never],
    });
    const sink = new EvaluationSink(new ConfigServiceClient({}), delivery);
    await sink.add(record('b-1'));
    await sink.flush();
    expect(sink.delivered).toBe(0);
    expect(sink.undelivered).toEqual([
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'b-1',
        reason:
          'FailedEvaluations named resources that were not sent, so the whole batch counts as failed, after 2 attempt(s)',
      },
    ]);
  });
});

describe('parseInvocation', () => {
  it('reads a recorded invocation', () => {
    const parsed = parseInvocation(loadEvent('invocations/change-absent-rule-parameters.json'));
    expect(parsed).toMatchObject({
      ruleParameters: undefined,
      testMode: false,
      eventLeftScope: false,
      configRuleName: 'bucketguard-s3-bucket-versioning-enabled',
      accountId: ACCOUNT,
      invokingEvent: {
        kind: 'change',
        messageType: 'ConfigurationItemChangeNotification',
        notificationCreationTime: '2024-09-02T11:00:01.250Z',
      },
    });
  });

  it('knows the RDK TESTMODE convention', () => {
    expect(TEST_MODE_RESULT_TOKEN).toBe('TESTMODE');
    expect(parseInvocation(loadEvent('invocations/change-testmode.json')).testMode).toBe(true);
  });

  it('reads the oversized summary identity', () => {
    const parsed = parseInvocation(loadEvent('invocations/oversized-bucket.json'));
    expect(parsed.invokingEvent).toEqual({
      kind: 'oversized',
      messageType: 'OversizedConfigurationItemChangeNotification',
      notificationCreationTime: '2024-09-08T14:00:03.000Z',
      summary: {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'example-inv-oversized-policy',
        accountId: ACCOUNT,
        status: 'OK',
        captureTime: '2024-09-08T14:00:00.000Z',
      },
    });
  });

  it('identifies API-model items (accountId instead of awsAccountId)', () => {
    expect(identifyRawItem(apiBucketItem('b'))).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'b',
      accountId: ACCOUNT,
      status: 'OK',
      captureTime: new Date('2024-09-01T00:00:00.000Z'),
    });
    expect(identifyRawItem({ resourceType: 'AWS::S3::Bucket' })).toBeUndefined();
  });
});

describe('exemptions in a periodic sweep: the approved list (SSM) grants, the tag only requests', () => {
  const s3Mock = mockClient(S3Client);
  const s3controlMock = mockClient(S3ControlClient);
  const ssmMock = mockClient(SSMClient);
  const PARAMETER = '/bucketguard/bucketguard/exemptions';
  const PARAMETERS = JSON.stringify({ exemptionsParameter: PARAMETER });

  function sweepOf(tags: Record<string, string>) {
    s3Mock.reset();
    s3controlMock.reset();
    ssmMock.reset();
    s3controlMock.on(GetPublicAccessBlockCommand).resolves({});
    s3Mock.on(GetBucketOwnershipControlsCommand).resolves({});
    const withTags = (name: string) => {
      const item = apiBucketItem(name, { publicRead: true });
      return {
        ...item,
        supplementaryConfiguration: {
          ...item.supplementaryConfiguration,
          BucketTaggingConfiguration: JSON.stringify({ tagSets: [{ tags }] }),
        },
      };
    };
    configMock.on(ListDiscoveredResourcesCommand).resolves({
      resourceIdentifiers: [
        { resourceType: 'AWS::S3::Bucket', resourceId: 'example-exempt' },
        { resourceType: 'AWS::S3::Bucket', resourceId: 'example-public' },
      ],
    });
    configMock.on(BatchGetResourceConfigCommand).resolves({
      baseConfigurationItems: [withTags('example-exempt'), withTags('example-public')],
    });
    return createRuleHandler(echoBucketRule({ echo: ['strict'] }), {
      clients: () => ({
        config: new ConfigServiceClient({}),
        s3: new S3Client({}),
        s3control: new S3ControlClient({}),
        ssm: new SSMClient({}),
      }),
      now: () => NOW,
    });
  }

  const ENTRY = { bucket: 'example-exempt', reason: 'public dataset', approver: 'secteam', until: '2024-10-31' };
  const REQUEST = { 'bucketguard:exempt': 'public dataset', 'bucketguard:exempt-until': '2099-12-31' };

  it('an approved entry exempts its bucket; a tag without one is evaluated normally; one GetParameter per sweep', async () => {
    const handler = sweepOf(REQUEST);
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Value: JSON.stringify([ENTRY]) } });
    const report = await handler(invocation(SCHEDULED, { ruleParameters: PARAMETERS }));
    expect(report.evaluations.map((e) => [e.resourceId, e.compliance, e.annotation])).toEqual([
      ['example-exempt', 'COMPLIANT', 'Exempt until 2024-10-31, approved by secteam: public dataset'],
      ['example-public', 'NON_COMPLIANT', 'strict=false Exemption requested, not approved.'],
    ]);
    expect(ssmMock).toHaveReceivedCommandTimes(GetParameterCommand, 1);
    expect(ssmMock).toHaveReceivedCommandWith(GetParameterCommand, { Name: PARAMETER });
  });

  it('the periodic evaluation ends an expired entry: same bucket, same tags, a later day', async () => {
    const handler = sweepOf(REQUEST);
    const expired = { ...ENTRY, until: '2024-09-09' };
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Value: JSON.stringify([expired]) } });
    const report = await handler(invocation(SCHEDULED, { ruleParameters: PARAMETERS }));
    expect(report.evaluations.map((e) => e.compliance)).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT']);
  });

  it.each([
    [
      'denied',
      () =>
        ssmMock
          .on(GetParameterCommand)
          .rejects(
            Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
          ),
      'GetParameter failed: AccessDeniedException (400)',
    ],
    [
      'not JSON',
      () => ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '[{' } }),
      'the list is not valid JSON',
    ],
    [
      'invalid',
      () => ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '[{"bucket":"*"}]' } }),
      'the list is invalid: exemptions[0]: "bucket" must be a bucket name or pattern (a-z 0-9 . - * ?), not only wildcards',
    ],
  ])('an unreadable list (%s) exempts nothing and says so', async (_name, arrange, why) => {
    const handler = sweepOf(REQUEST);
    arrange();
    const report = await handler(invocation(SCHEDULED, { ruleParameters: PARAMETERS }));
    expect(report.evaluations.map((e) => [e.compliance, e.annotation])).toEqual([
      [
        'NON_COMPLIANT',
        truncateAnnotation(
          `strict=false Exemption requested, not approved: the exemption list could not be read (${why}).`,
        ),
      ],
      [
        'NON_COMPLIANT',
        truncateAnnotation(
          `strict=false Exemption requested, not approved: the exemption list could not be read (${why}).`,
        ),
      ],
    ]);
  });

  it('without a configured list nothing is read and nothing is exempt', async () => {
    const handler = sweepOf(REQUEST);
    const report = await handler(invocation(SCHEDULED));
    expect(report.evaluations.map((e) => e.annotation)).toEqual([
      'strict=false Exemption requested, not approved.',
      'strict=false Exemption requested, not approved.',
    ]);
    expect(ssmMock).toHaveReceivedCommandTimes(GetParameterCommand, 0);
  });
});
