/**
 * The approved exemption list through a real SSM parameter on moto (issue 13): the stack's parameter is written
 * (as the deployment does), a scheduled sweep of the public-access rule reads it with the SDK and decides, and the
 * remediation engine reads the same list before it would fix a bucket. The tag alone never exempts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand as PutBucketPublicAccessBlockCommand,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { exemptionsParameterName } from '../../model/approved-exemptions';
import { DEFAULT_EXEMPTION_SETTINGS } from '../../model/exemptions';
import { remediateBucketRef } from '../../remediation/response/engine';
import { approvedExemptionsLoader } from '../../remediation/runtime/approved-list';
import { RULES } from '../../rules';
import { createRuleHandler } from '../../rules/config-protocol/adapter';
import { actAsAccount, type MotoAccount, motoClient, motoS3Clients, motoSuite } from './moto';

motoSuite();
const ACCOUNT_ID = '111122223333';
const PARAMETER = exemptionsParameterName('bucketguard-');
const APPROVED_BUCKET = 'bg-exempt-approved';
const TAGGED_BUCKET = 'bg-exempt-tag-only';
const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

let account: MotoAccount;
let clients: ReturnType<typeof motoS3Clients>;
let config: ConfigServiceClient;
let ssm: SSMClient;

const rule = RULES.find((candidate) => candidate.id === 's3-bucket-public-access-prohibited');
if (!rule) throw new Error('no public-access rule');

function scheduled(): unknown {
  const text = readFileSync(join(__dirname, '..', '..', 'events', 'invocations', 'scheduled-bucket-rule.json'), 'utf8');
  const event = JSON.parse(text.split('123456789012').join(ACCOUNT_ID)) as Record<string, unknown>;
  return {
    ...event,
    configRuleName: 'bucketguard-s3-bucket-public-access-prohibited',
    resultToken: 'TESTMODE',
    ruleParameters: JSON.stringify({ exemptionsParameter: PARAMETER }),
  };
}

async function sweep(): Promise<Record<string, [string, string]>> {
  const handler = createRuleHandler(rule as NonNullable<typeof rule>, {
    clients: () => ({ config, s3: clients.s3, s3control: clients.s3control, ssm }),
    sleep: async () => {},
  });
  const report = await handler(scheduled());
  return Object.fromEntries(
    report.evaluations
      .filter((e) => e.resourceId.startsWith('bg-exempt-'))
      .map((e) => [e.resourceId, [e.compliance, e.annotation]]),
  );
}

async function writeList(list: unknown[]): Promise<void> {
  await ssm.send(
    new PutParameterCommand({ Name: PARAMETER, Type: 'String', Value: JSON.stringify(list), Overwrite: true }),
  );
}

beforeAll(async () => {
  account = await actAsAccount(ACCOUNT_ID);
  clients = motoS3Clients(account);
  config = motoClient(ConfigServiceClient, account);
  ssm = motoClient(SSMClient, account);
  for (const bucket of [APPROVED_BUCKET, TAGGED_BUCKET]) {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await clients.s3.send(
      new PutBucketPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        },
      }),
    );
    await clients.s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Public',
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::${bucket}/*`,
            },
          ],
        }),
      }),
    );
    await clients.s3.send(
      new PutBucketTaggingCommand({
        Bucket: bucket,
        Tagging: { TagSet: [{ Key: 'bucketguard:exempt', Value: 'please' }] },
      }),
    );
  }
  await writeList([{ bucket: 'bg-exempt-approved*', reason: 'public website', approver: 'secteam', until }]);
});

describe('the approved list in SSM (moto)', () => {
  it('the rule exempts the approved bucket and only reports the tag-only request', async () => {
    const results = await sweep();
    expect(results[APPROVED_BUCKET]).toEqual([
      'COMPLIANT',
      `Exempt until ${until}, approved by secteam: public website`,
    ]);
    expect(results[TAGGED_BUCKET][0]).toBe('NON_COMPLIANT');
    expect(results[TAGGED_BUCKET][1]).toMatch(/ Exemption requested, not approved\.$/);
  });

  it('the remediation reads the same list: the approved bucket is left alone, the tag-only one is planned', async () => {
    const approved = approvedExemptionsLoader(
      () => ssm,
      { exemptionsParameter: PARAMETER, maxExemptionDays: 90 },
      () => new Date(),
      ACCOUNT_ID,
    );
    const plan = async (bucket: string) =>
      remediateBucketRef(
        { name: bucket, accountId: ACCOUNT_ID },
        { mode: 'notify', actions: ['block-public-access'], exemption: DEFAULT_EXEMPTION_SETTINGS, approved },
        { s3: clients.s3 },
      );
    const [kept] = await plan(APPROVED_BUCKET);
    expect(kept).toMatchObject({
      status: 'skipped',
      reason: `exempt until ${until}, approved by secteam ("public website"): not changed`,
    });
    const [planned] = await plan(TAGGED_BUCKET);
    expect(planned).toMatchObject({ status: 'would-change', exemption: { state: 'requested' } });
  });

  it('removing the entry (a redeploy) ends the exemption at the next evaluation', async () => {
    await writeList([]);
    const results = await sweep();
    expect(results[APPROVED_BUCKET][0]).toBe('NON_COMPLIANT');
  });
});
