/**
 * The organization deployment's event path on a local AWS (moto 5.2): an organization with a member account, the
 * security account's central bus with the EXACT resource policy and rule of the synthesized security stack, the
 * member's forwarding rule with the EXACT pattern of the synthesized member template; a member's responder result
 * (events/organization/remediation-result.json) reaches the central bus, and the central notifier relays it as one
 * email naming the account (its name read from moto's Organizations) and Region.
 *
 * moto differences met here (stated, and asserted so a change in moto is noticed):
 *  - moto does NOT evaluate an event bus's resource policy: a put from an account outside the organization is
 *    delivered too. The refusal is therefore asserted on the policy itself: the statement moto stores for the bus,
 *    evaluated for each account against the organization id that account gets from Organizations (DescribeOrganization
 *    as that account: the member's org id; AWSOrganizationsNotInUseException outside), admits the member and the
 *    management account and refuses the outsider. On AWS the same put from outside fails (AccessDeniedException).
 *  - moto delivers a rule's cross-account bus target by putting a new event as the TARGET account (moto/events
 *    models.py), and the copy an SQS target receives carries no `account` field at all; on AWS the forwarded event
 *    keeps the member's account id. The relay reads the account from the envelope, so the email step below puts
 *    the member's id back as AWS delivers it.
 *  - moto's direct PutEvents to another account's bus ARN looks the bus up in the caller's own account
 *    (ResourceNotFoundException); the forwarding rule path (the one bucketguard uses) works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { organizationsAccountNames } from '../../remediation/notify/account-names';
import { relayResponder } from '../../remediation/notify/relay-handler';
import { SILENT_LOGGER } from '../../remediation/response/respond';
import { snsPublisher } from '../../remediation/runtime/publish';
import { REPO_ROOT } from '../infra/helpers';
import { ofType, propsOf, synthOrganization } from '../infra/organization-helpers';
import { actAsAccount, DEFAULT_ACCOUNT, type MotoAccount, motoClient, motoSuite } from './moto';
import { createMailbox, drainQueue, queueArn } from './moto-mailbox';

const { env } = motoSuite();
const OUTSIDE_ACCOUNT = '444455556666';
const fixture = JSON.parse(
  readFileSync(join(REPO_ROOT, 'events', 'organization', 'remediation-result.json'), 'utf8'),
) as { detail: { requestContext: { functionArn: string } } & Record<string, unknown> } & Record<string, unknown>;

interface Statement {
  Sid: string;
  Effect: string;
  Principal: unknown;
  Action: string;
  Resource?: unknown;
  Condition?: { StringEquals?: Record<string, string> };
}

let orgId: string;
let memberId: string;
let member: MotoAccount;
let outsider: MotoAccount;
let busArn: string;
let centralQueueUrl: string;
let centralSqs: SQSClient;
let memberPattern: Record<string, unknown>;
let centralPattern: unknown;
let busStatement: Statement;

const functionArn = (account: string, name: string) => `arn:aws:lambda:${env.region}:${account}:function:${name}`;

/** The member template's pattern with its two function-ARN prefixes made concrete for `account`. */
function concretePattern(account: string): Record<string, unknown> {
  const pattern = structuredClone(memberPattern) as { detail: { requestContext: { functionArn: unknown[] } } };
  pattern.detail.requestContext.functionArn = [
    { prefix: `${functionArn(account, 'BucketGuard-notify-NotifyFunction')}:` },
    { prefix: `${functionArn(account, 'BucketGuard-remediate-RemediationFunction-AbCdEf123456')}:` },
  ];
  return pattern;
}

/** A responder result of `account`'s remediation Lambda, as its Lambda destination puts it on the default bus. */
function resultOf(account: string) {
  const arn = `${functionArn(account, 'BucketGuard-remediate-RemediationFunction-AbCdEf123456')}:$LATEST`;
  const detail = structuredClone(fixture.detail);
  detail.requestContext.functionArn = arn;
  return {
    Source: 'lambda',
    DetailType: String(fixture['detail-type']),
    Detail: JSON.stringify(detail),
    Resources: [arn],
  };
}

/** Forwarding rule in `account` (the member template's), then the result put on its default bus. */
async function forwardFrom(account: MotoAccount): Promise<void> {
  const events = motoClient(EventBridgeClient, account);
  await events.send(
    new PutRuleCommand({
      Name: 'bucketguard-forward',
      EventPattern: JSON.stringify(concretePattern(account.accountId)),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'bucketguard-forward',
      Targets: [{ Id: 'central', Arn: busArn, RoleArn: `arn:aws:iam::${account.accountId}:role/bucketguard-forward` }],
    }),
  );
  const put = await events.send(new PutEventsCommand({ Entries: [resultOf(account.accountId)] }));
  expect(put.FailedEntryCount ?? 0).toBe(0);
}

/** IAM's StringEquals on aws:PrincipalOrgID for one caller (what moto does not do). */
function admits(statement: Statement, callerOrgId: string | undefined): boolean {
  const wanted = statement.Condition?.StringEquals?.['aws:PrincipalOrgID'];
  return statement.Effect === 'Allow' && wanted !== undefined && callerOrgId === wanted;
}

async function orgIdAs(account: MotoAccount): Promise<string | undefined> {
  try {
    return (await motoClient(OrganizationsClient, account).send(new DescribeOrganizationCommand({}))).Organization?.Id;
  } catch (error) {
    if ((error as Error).name === 'AWSOrganizationsNotInUseException') return undefined;
    throw error;
  }
}

beforeAll(async () => {
  const organizations = motoClient(OrganizationsClient);
  orgId = (await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization?.Id ?? '';
  memberId =
    (await organizations.send(new CreateAccountCommand({ AccountName: 'Production', Email: 'prod@example.com' })))
      .CreateAccountStatus?.AccountId ?? '';
  member = await actAsAccount(memberId);
  outsider = await actAsAccount(OUTSIDE_ACCOUNT);

  // The templates, synthesized for this organization.
  const org = synthOrganization({ organizationId: orgId, homeRegion: env.region, regions: env.region });
  const [, bus] = ofType(org.security, 'AWS::Events::EventBus')[0];
  const [, policy] = ofType(org.security, 'AWS::Events::EventBusPolicy')[0];
  busStatement = propsOf(policy).Statement as Statement;
  centralPattern = propsOf(ofType(org.security, 'AWS::Events::Rule')[0][1]).EventPattern;
  const forward = ofType(org.members.notify, 'AWS::Events::Rule').find(([id]) => id.startsWith('ForwardResults'));
  memberPattern = propsOf(forward?.[1]).EventPattern as Record<string, unknown>;

  // The security account (moto's default account, the management account here): bus, policy, rule -> queue.
  const events = motoClient(EventBridgeClient);
  const name = String(propsOf(bus).Name);
  busArn = (await events.send(new CreateEventBusCommand({ Name: name }))).EventBusArn ?? '';
  await events.send(
    new PutPermissionCommand({
      EventBusName: name,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ ...busStatement, Resource: busArn }] }),
    }),
  );
  centralSqs = motoClient(SQSClient);
  centralQueueUrl = (await centralSqs.send(new CreateQueueCommand({ QueueName: 'central-notifier' }))).QueueUrl ?? '';
  await events.send(
    new PutRuleCommand({ Name: 'member-results', EventBusName: name, EventPattern: JSON.stringify(centralPattern) }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'member-results',
      EventBusName: name,
      Targets: [{ Id: 'notifier', Arn: await queueArn(centralSqs, centralQueueUrl) }],
    }),
  );
}, 120_000);

describe('central bus on moto', () => {
  it('holds the synthesized policy: PutEvents for aws:PrincipalOrgID = this organization', async () => {
    const described = await motoClient(EventBridgeClient).send(
      new DescribeEventBusCommand({ Name: busArn.split('/')[1] }),
    );
    const stored = JSON.parse(described.Policy ?? '{}') as { Statement: Statement[] };
    expect(stored.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': orgId } },
      }),
    ]);
  });

  it("a member account's responder result reaches the central bus through the forwarding rule", async () => {
    await forwardFrom(member);
    const delivered = (await drainQueue(centralSqs, centralQueueUrl)).map((body) => JSON.parse(body));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ source: 'lambda', 'detail-type': fixture['detail-type'] });
    expect(delivered[0].detail.responsePayload).toEqual(
      (fixture.detail as unknown as { responsePayload: unknown }).responsePayload,
    );
    // moto difference: the copy its SQS target receives has no `account` at all; AWS delivers the member's id.
    expect(delivered[0].account).toBeUndefined();
  });

  it('an account outside the organization is refused by the policy (moto itself delivers: it evaluates no bus policy)', async () => {
    expect(await orgIdAs(member)).toBe(orgId);
    expect(await orgIdAs(DEFAULT_ACCOUNT)).toBe(orgId);
    expect(await orgIdAs(outsider)).toBeUndefined();
    const stored = JSON.parse(
      (await motoClient(EventBridgeClient).send(new DescribeEventBusCommand({ Name: busArn.split('/')[1] }))).Policy ??
        '{}',
    ) as { Statement: Statement[] };
    const decide = async (account: MotoAccount) => {
      const callerOrg = await orgIdAs(account);
      return stored.Statement.some((statement) => admits(statement, callerOrg));
    };
    expect(await decide(member)).toBe(true);
    expect(await decide(DEFAULT_ACCOUNT)).toBe(true);
    expect(await decide(outsider)).toBe(false);

    await forwardFrom(outsider);
    // The moto difference, recorded: on AWS this put is denied and nothing arrives.
    expect(await drainQueue(centralSqs, centralQueueUrl)).toHaveLength(1);
  });

  it('the central notifier relays the delivered result as one email naming the account and Region', async () => {
    await forwardFrom(member);
    const [body] = await drainQueue(centralSqs, centralQueueUrl);
    // As AWS delivers it: the member's account id in the envelope (see the moto differences above).
    const event = { ...JSON.parse(body), account: memberId };
    const mailbox = await createMailbox('organization');
    const respond = relayResponder({
      publish: snsPublisher(mailbox.sns, mailbox.topicArn),
      accountName: organizationsAccountNames(() => motoClient(OrganizationsClient)),
      logger: SILENT_LOGGER,
    });
    expect(await respond(event)).toEqual({ relayed: 1 });
    const mails = await mailbox.take();
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(
      `[bucketguard] Production ${env.region}: example-bucket: Block Public Access removed, turned back on`,
    );
    expect(mails[0].body.split('\n').slice(0, 2)).toEqual([
      `Account:      Production (${memberId})`,
      `Region:       ${env.region}`,
    ]);
  });
});
