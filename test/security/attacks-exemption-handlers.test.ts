/**
 * The self-exemption attack at the handler level (issue 13): a member who can tag its own bucket sets
 * `bucketguard:exempt` (forever, empty, no end date) on a public bucket. The deployed rule Lambda still reports it
 * NON_COMPLIANT ("Exemption requested, not approved."), and the remediation Lambda still fixes it; only an entry of
 * the deployment's approved list (the SSM parameter) exempts. Denying bucketguard the tag read changes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import {
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { remediationResponder } from '../../remediation/handler';
import { loadResponseConfig } from '../../remediation/runtime/config';
import { createRuleHandler } from '../../rules/config-protocol/adapter';
import { rule } from '../../rules/s3-bucket-public-access-prohibited';

const EVENTS = join(__dirname, '..', '..', 'events');
const configMock = mockClient(ConfigServiceClient);
const s3Mock = mockClient(S3Client);
const s3controlMock = mockClient(S3ControlClient);
const ssmMock = mockClient(SSMClient);
const PARAMETER = '/bucketguard/bucketguard/exemptions';
const NOW = new Date('2026-06-15T12:00:00.000Z');
const BUCKET = 'example-product-images';
const APPROVED = [{ bucket: BUCKET, reason: 'CDN origin', approver: 'secteam', until: '2026-07-31' }];

const TAG_SETS: ReadonlyArray<[string, Record<string, string>]> = [
  ['forever', { 'bucketguard:exempt': 'mine', 'bucketguard:exempt-until': '9999-12-31' }],
  ['empty value', { 'bucketguard:exempt': '' }],
  ['no end date', { 'bucketguard:exempt': 'trust me' }],
];

beforeEach(() => {
  configMock.reset();
  s3Mock.reset();
  s3controlMock.reset();
  ssmMock.reset();
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  s3controlMock.rejects(Object.assign(new Error('none'), { name: 'NoSuchPublicAccessBlockConfiguration' }));
});

/** The recorded public, tagged bucket item with the attacker's tags, as a change invocation. */
function changeInvocation(tags: Record<string, string>): Record<string, unknown> {
  const item = JSON.parse(readFileSync(join(EVENTS, 'config-items', 'bucket-invocation-exempt-tagged.json'), 'utf8'));
  item.tags = tags;
  item.supplementaryConfiguration.BucketTaggingConfiguration = { tagSets: [{ tags }] };
  return {
    invokingEvent: JSON.stringify({
      configurationItem: item,
      notificationCreationTime: NOW.toISOString(),
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.0',
    }),
    ruleParameters: JSON.stringify({ exemptionsParameter: PARAMETER }),
    resultToken: 'TESTMODE',
    eventLeftScope: false,
    configRuleName: 'bucketguard-s3-bucket-public-access-prohibited',
    accountId: '111122223333',
  };
}

const ruleHandler = () =>
  createRuleHandler(rule, {
    clients: () => ({
      config: new ConfigServiceClient({ region: 'us-east-1' }),
      s3: new S3Client({ region: 'us-east-1' }),
      s3control: new S3ControlClient({ region: 'us-east-1' }),
      ssm: new SSMClient({ region: 'us-east-1' }),
    }),
    now: () => NOW,
  });

describe('self-exemption via tag is refused: the rule Lambda', () => {
  it.each(TAG_SETS)('%s: NON_COMPLIANT, "Exemption requested, not approved."', async (_name, tags) => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '[]' } });
    const report = await ruleHandler()(changeInvocation(tags));
    expect(report.evaluations).toHaveLength(1);
    expect(report.evaluations[0].compliance).toBe('NON_COMPLIANT');
    expect(report.evaluations[0].annotation).toMatch(/ Exemption requested, not approved\.$/);
  });

  it('the same bucket with an approved entry is COMPLIANT, naming the approver', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(APPROVED) } });
    const report = await ruleHandler()(changeInvocation({ 'bucketguard:exempt': 'CDN origin' }));
    expect(report.evaluations.map((e) => [e.compliance, e.annotation])).toEqual([
      ['COMPLIANT', 'Exempt until 2026-07-31, approved by secteam: CDN origin'],
    ]);
  });

  it('denying the list read exempts nothing (never exempt on doubt)', async () => {
    ssmMock
      .on(GetParameterCommand)
      .rejects(
        Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
      );
    const report = await ruleHandler()(changeInvocation({ 'bucketguard:exempt': 'CDN origin' }));
    expect(report.evaluations[0].compliance).toBe('NON_COMPLIANT');
    expect(report.evaluations[0].annotation).toContain(
      'Exemption requested, not approved: the exemption list could not be read (GetParameter failed: AccessDeniedException (400)).',
    );
  });
});

describe('self-exemption via tag is refused: the remediation Lambda', () => {
  const ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
  const compliance = JSON.parse(
    readFileSync(join(EVENTS, 'eventbridge', 'compliance-exempt-bucket-noncompliant.json'), 'utf8'),
  );

  function responder(published: string[]) {
    const config = loadResponseConfig({
      BUCKETGUARD_MODE: 'remediate',
      BUCKETGUARD_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bucketguard',
      BUCKETGUARD_FLAP_TABLE: 'bucketguard-flap',
      BUCKETGUARD_EXEMPTIONS_PARAMETER: PARAMETER,
    });
    return remediationResponder({
      config,
      s3: new S3Client({ region: 'us-east-1' }),
      s3control: new S3ControlClient({ region: 'us-east-1' }),
      ssm: new SSMClient({ region: 'us-east-1' }),
      publish: async (email) => {
        published.push(email.subject);
      },
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      now: () => NOW,
      applyOptions: { sleep: async () => {} },
    });
  }

  function publicTaggedBucket(tagRead: 'mine' | 'denied'): void {
    if (tagRead === 'denied') {
      s3Mock
        .on(GetBucketTaggingCommand)
        .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    } else {
      s3Mock.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'bucketguard:exempt', Value: 'mine' }] });
    }
    s3Mock
      .on(GetPublicAccessBlockCommand)
      .rejectsOnce(
        Object.assign(new Error('none'), {
          name: 'NoSuchPublicAccessBlockConfiguration',
          $metadata: { httpStatusCode: 404 },
        }),
      )
      .resolves({ PublicAccessBlockConfiguration: ON });
    s3Mock.on(PutPublicAccessBlockCommand).resolves({});
  }

  it.each(['mine', 'denied'] as const)('tag %s, no approved entry: the bucket is fixed', async (tagRead) => {
    publicTaggedBucket(tagRead);
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '[]' } });
    const published: string[] = [];
    await responder(published)(compliance);
    expect(s3Mock).toHaveReceivedCommandWith(PutPublicAccessBlockCommand, { Bucket: BUCKET });
    expect(published.some((subject) => subject.includes('EXEMPT'))).toBe(false);
  });

  it('an approved entry keeps the fix off, and the email says EXEMPT', async () => {
    publicTaggedBucket('mine');
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(APPROVED) } });
    const published: string[] = [];
    await responder(published)(compliance);
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
    expect(published).toEqual([expect.stringContaining('EXEMPT')]);
  });
});
