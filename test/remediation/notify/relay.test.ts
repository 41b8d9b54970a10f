/**
 * The security account's notifier: one email per member email, headed with the account (name, or id when the name
 * cannot be read) and Region; member text made inert; names from Organizations cached.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { FAILURE_TTL_MS, NAME_TTL_MS, organizationsAccountNames } from '../../../remediation/notify/account-names';
import { parseRelayedResult, relayEmail } from '../../../remediation/notify/relay';
import { createRelayHandler, relayResponder } from '../../../remediation/notify/relay-handler';
import { SILENT_LOGGER } from '../../../remediation/response/respond';

const result = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'events', 'organization', 'remediation-result.json'), 'utf8'),
) as Record<string, unknown>;
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:bucketguard';

describe('parseRelayedResult', () => {
  it('takes the emails of the reports that carry one, and the origin from the envelope', () => {
    const parsed = parseRelayedResult(result);
    expect(parsed).toMatchObject({
      kind: 'relay',
      origin: { accountId: '111122223333', region: 'us-east-1' },
      dropped: 0,
    });
    expect(parsed.kind === 'relay' && parsed.emails.map((e) => e.subject)).toEqual([
      '[bucketguard] example-bucket: Block Public Access removed, turned back on',
    ]);
  });

  it.each([
    ['another source', { ...result, source: 'aws.s3' }, 'not a Lambda invocation result'],
    ['a bad account', { ...result, account: 'attacker' }, 'no account id or Region in the envelope'],
    ['no email', { ...result, detail: { responsePayload: { reports: [{}] } } }, 'the result carries no email'],
  ])('ignores %s', (_name, event, reason) => {
    expect(parseRelayedResult(event)).toEqual({ kind: 'ignored', reason });
  });
});

describe('relayEmail', () => {
  const email = { subject: '[bucketguard] example-bucket: turned back on', body: 'line one\u001b[31m\nline\u202e two' };

  it('names account and Region in subject and body; member text inert', () => {
    expect(relayEmail(email, { accountId: '111122223333', region: 'us-east-1' }, 'Production')).toEqual({
      subject: '[bucketguard] Production us-east-1: example-bucket: turned back on',
      body: 'Account:      Production (111122223333)\nRegion:       us-east-1\n\nline one\nline two',
    });
  });

  it('falls back to the id and says the name could not be read', () => {
    const relayed = relayEmail(email, { accountId: '111122223333', region: 'us-east-1' }, undefined);
    expect(relayed.subject).toBe('[bucketguard] 111122223333 us-east-1: example-bucket: turned back on');
    expect(relayed.body.split('\n')[0]).toBe(
      'Account:      111122223333 (account name not readable from AWS Organizations)',
    );
  });
});

describe('organizationsAccountNames', () => {
  const org = mockClient(OrganizationsClient);
  beforeEach(() => org.reset());

  it('one DescribeAccount per account per hour; a failure retried after five minutes', async () => {
    let now = 0;
    const onError = jest.fn();
    org.on(DescribeAccountCommand, { AccountId: '111122223333' }).resolves({ Account: { Name: 'Production' } });
    org.on(DescribeAccountCommand, { AccountId: '123456789012' }).rejects(new Error('AccessDeniedException'));
    const names = organizationsAccountNames(() => new OrganizationsClient({ region: 'eu-west-1' }), {
      now: () => now,
      onError,
    });
    expect(await names('111122223333')).toBe('Production');
    expect(await names('111122223333')).toBe('Production');
    expect(await names('123456789012')).toBeUndefined();
    expect(await names('123456789012')).toBeUndefined();
    expect(org.commandCalls(DescribeAccountCommand)).toHaveLength(2);
    expect(onError).toHaveBeenCalledTimes(1);
    now = FAILURE_TTL_MS + 1;
    await names('123456789012');
    await names('111122223333');
    expect(org.commandCalls(DescribeAccountCommand)).toHaveLength(3);
    now = NAME_TTL_MS + 1;
    await names('111122223333');
    expect(org.commandCalls(DescribeAccountCommand)).toHaveLength(4);
  });
});

describe('relay handler', () => {
  const sns = mockClient(SNSClient);
  const org = mockClient(OrganizationsClient);
  beforeEach(() => {
    sns.reset();
    org.reset();
  });

  it('publishes the member email once on the organization topic, with the account name', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    org.on(DescribeAccountCommand).resolves({ Account: { Name: 'Production' } });
    const handler = createRelayHandler(
      { BUCKETGUARD_TOPIC_ARN: TOPIC, BUCKETGUARD_ACTIONS: 'none', BUCKETGUARD_RELAY: 'organization' },
      () => new SNSClient({ region: 'eu-west-1' }),
      () => new OrganizationsClient({ region: 'eu-west-1' }),
    );
    expect(await handler(result)).toEqual({ relayed: 1 });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.TopicArn).toBe(TOPIC);
    expect(input.Subject).toBe(
      '[bucketguard] Production us-east-1: example-bucket: Block Public Access removed, turned back on',
    );
    // The per-protocol message (remediation/runtime/publish.ts): the email text is its `email` member.
    const email = String((JSON.parse(input.Message ?? '{}') as { email?: unknown }).email);
    expect(email).not.toContain('\u001b');
    expect(email.startsWith('Account:      Production (111122223333)\nRegion:       us-east-1\n\n')).toBe(true);
  });

  it('a failed publish is thrown after trying every email (Lambda retries)', async () => {
    const publish = jest.fn().mockRejectedValue(Object.assign(new Error('x'), { name: 'KMSAccessDenied' }));
    const respond = relayResponder({ publish, accountName: async () => undefined, logger: SILENT_LOGGER });
    await expect(respond(result)).rejects.toThrow('SNS Publish failed for 1 email(s)');
    expect(publish).toHaveBeenCalledTimes(1);
  });

  it('an event that is no member result is ignored, nothing published', async () => {
    const publish = jest.fn();
    const respond = relayResponder({ publish, accountName: async () => 'x', logger: SILENT_LOGGER });
    expect(await respond({ source: 'aws.s3' })).toEqual({ relayed: 0, ignored: 'not a Lambda invocation result' });
    expect(publish).not.toHaveBeenCalled();
  });
});
