/**
 * Account-level Block Public Access through S3 Control on moto: the account rule reads it live, the bucket rule
 * combines it with the bucket's own settings, and the block-account-public-access action turns it on (the
 * remediation Lambda, driven by the recorded PutAccountPublicAccessBlock event in events/cloudtrail/) and reads it
 * back. The S3 Control client is the one `bucketguard scan --s3control-endpoint` builds (aws/s3-clients.ts): the
 * SDK would otherwise put the account id into the local server's host name.
 *
 * Everything acts as account 111122223333, the account of the recorded event (moto: STS AssumeRole into it). The
 * recorded rule invocations name account 123456789012; they are pointed at 111122223333.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { FLAP_TABLE_PARTITION_KEY, remediateAccount } from '../../remediation';
import { createRemediationHandler } from '../../remediation/handler';
import { createRemediationRuntime } from '../../remediation/runtime/runtime';
import { RULES } from '../../rules';
import { createRuleHandler } from '../../rules/config-protocol/adapter';
import { actAsAccount, type MotoAccount, motoClient, motoS3Clients, motoSuite } from './moto';
import { createMailbox, type Mailbox } from './moto-mailbox';

motoSuite();
const ACCOUNT_ID = '111122223333';
const EVENTS = join(__dirname, '..', '..', 'events');
const BUCKET = 'bg-account-public-policy';

let account: MotoAccount;
let clients: ReturnType<typeof motoS3Clients>;
let config: ConfigServiceClient;
let mailbox: Mailbox;
let dynamodb: DynamoDBClient;
const FLAP_TABLE = 'bucketguard-flap-account';

const recorded = (file: string): string => readFileSync(join(EVENTS, file), 'utf8');

function ruleHandler(id: string) {
  const rule = RULES.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return createRuleHandler(rule, {
    clients: () => ({ config, s3: clients.s3, s3control: clients.s3control }),
    sleep: async () => {},
  });
}

/** A recorded scheduled invocation for rule `id`, in this account, with resultToken "TESTMODE" (moto: TestMode only). */
function scheduled(id: string): unknown {
  const file =
    id === 's3-account-level-public-access-blocked'
      ? 'invocations/scheduled-account-rule.json'
      : 'invocations/scheduled-bucket-rule.json';
  const event = JSON.parse(recorded(file).split('123456789012').join(ACCOUNT_ID)) as Record<string, unknown>;
  return { ...event, configRuleName: `bucketguard-${id}`, resultToken: 'TESTMODE' };
}

async function accountRule() {
  const report = await ruleHandler('s3-account-level-public-access-blocked')(
    scheduled('s3-account-level-public-access-blocked'),
  );
  return report.evaluations.map((e) => [e.resourceType, e.resourceId, e.compliance, e.annotation]);
}

async function publicRule() {
  const report = await ruleHandler('s3-bucket-public-access-prohibited')(
    scheduled('s3-bucket-public-access-prohibited'),
  );
  return report.evaluations.map((e) => [e.resourceId, e.compliance, e.annotation]);
}

async function liveAccountBpa() {
  return (await clients.s3control.send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT_ID })))
    .PublicAccessBlockConfiguration;
}

/** The recorded PutAccountPublicAccessBlock, as requested: ACL flags on, policy flags off. */
const RECORDED_EVENT = 'cloudtrail/put-account-public-access-block-off.json';
const RECORDED_FLAGS = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};

beforeAll(async () => {
  account = await actAsAccount(ACCOUNT_ID);
  clients = motoS3Clients(account);
  config = motoClient(ConfigServiceClient, account);
  mailbox = await createMailbox('bucketguard-account', account);
  dynamodb = motoClient(DynamoDBClient, account);
  // The counter table (its exact template shape is checked in remediation-flap.moto.test.ts).
  await dynamodb.send(
    new CreateTableCommand({
      TableName: FLAP_TABLE,
      KeySchema: [{ AttributeName: FLAP_TABLE_PARTITION_KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: FLAP_TABLE_PARTITION_KEY, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await clients.s3.send(
    new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublicRead',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${BUCKET}/*`,
          },
        ],
      }),
    }),
  );
});

const PUBLIC_POLICY =
  'Public read via bucket policy: statement "PublicRead" allows * (no limiting condition); RestrictPublicBuckets is off at bucket and account level.';

describe('account-level Block Public Access on moto, through S3 Control', () => {
  test('never configured: the account rule reads it live (NoSuchPublicAccessBlockConfiguration) and says so', async () => {
    expect(await accountRule()).toEqual([
      [
        'AWS::::Account',
        ACCOUNT_ID,
        'NON_COMPLIANT',
        'Account-level Block Public Access has never been configured: all four settings are off for every bucket in the account.',
      ],
    ]);
    expect(await publicRule()).toEqual([[BUCKET, 'NON_COMPLIANT', PUBLIC_POLICY]]);
  });

  test('set as the recorded event says: the account rule names the flags that are off; the policy is still public', async () => {
    await clients.s3control.send(
      new PutPublicAccessBlockCommand({ AccountId: ACCOUNT_ID, PublicAccessBlockConfiguration: RECORDED_FLAGS }),
    );
    expect(await liveAccountBpa()).toEqual(RECORDED_FLAGS);
    expect(await accountRule()).toEqual([
      [
        'AWS::::Account',
        ACCOUNT_ID,
        'NON_COMPLIANT',
        'Account-level Block Public Access is off for: BlockPublicPolicy, RestrictPublicBuckets.',
      ],
    ]);
    expect(await publicRule()).toEqual([[BUCKET, 'NON_COMPLIANT', PUBLIC_POLICY]]);
  });

  test('the account action in notify mode plans the change and makes none', async () => {
    const outcomes = await remediateAccount(
      ACCOUNT_ID,
      { mode: 'notify', actions: ['block-account-public-access'] },
      { s3control: clients.s3control },
    );
    expect(outcomes.map((o) => [o.action, o.target, o.status, o.reason])).toEqual([
      [
        'block-account-public-access',
        ACCOUNT_ID,
        'would-change',
        `dry run: would turn on BlockPublicPolicy, RestrictPublicBuckets for account ${ACCOUNT_ID}`,
      ],
    ]);
    expect(await liveAccountBpa()).toEqual(RECORDED_FLAGS);
  });

  test('the remediation Lambda, given the recorded event, turns all four on, reads them back and mails it', async () => {
    const respond = createRemediationHandler(() =>
      createRemediationRuntime(
        'bucketguard-remediation',
        {
          BUCKETGUARD_MODE: 'remediate',
          BUCKETGUARD_ACTIONS: 'block-account-public-access',
          BUCKETGUARD_TOPIC_ARN: mailbox.topicArn,
          BUCKETGUARD_FLAP_TABLE: FLAP_TABLE,
          BUCKETGUARD_REMEDIATION_ROLE_ARN: `arn:aws:iam::${ACCOUNT_ID}:role/BucketGuard-RemediationRole-0123456789AB`,
        },
        () => ({ s3: clients.s3, s3control: clients.s3control, sns: mailbox.sns, dynamodb }),
      ),
    );
    const summary = await respond(JSON.parse(recorded(RECORDED_EVENT)));
    expect(summary.reports.flatMap((r) => r.outcomes.map((o) => [o.action, o.target, o.status, o.reason]))).toEqual([
      [
        'block-account-public-access',
        ACCOUNT_ID,
        'changed',
        'PutPublicAccessBlock (account) succeeded; verified by reading it back',
      ],
    ]);
    expect(await liveAccountBpa()).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const mails = await mailbox.take();
    expect(mails.map((mail) => mail.subject)).toEqual([
      `[bucketguard] FIXED: Admin/alice changed account-level Block Public Access in account ${ACCOUNT_ID}`,
    ]);
    expect(mails[0].body).toContain(
      [
        '  block-account-public-access: CHANGED',
        '    PutPublicAccessBlock (account) succeeded; verified by reading it back',
        '    BlockPublicPolicy      false -> true',
        '    RestrictPublicBuckets  false -> true',
        '    Before:       BlockPublicAcls=true, IgnorePublicAcls=true,',
        '                  BlockPublicPolicy=false, RestrictPublicBuckets=false',
        '    After:        BlockPublicAcls=true, IgnorePublicAcls=true,',
        '                  BlockPublicPolicy=true, RestrictPublicBuckets=true',
      ].join('\n'),
    );
  });

  test('afterwards both rules see the account setting: account COMPLIANT, the public policy neutralised', async () => {
    expect(await accountRule()).toEqual([
      [
        'AWS::::Account',
        ACCOUNT_ID,
        'COMPLIANT',
        'Account-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
      ],
    ]);
    expect(await publicRule()).toEqual([
      [BUCKET, 'COMPLIANT', 'Not public: public policy statement neutralised by RestrictPublicBuckets (account).'],
    ]);
  });
});
