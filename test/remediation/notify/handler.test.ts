import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Email } from '../../../remediation/notify/format';
import { createNotifyHandler, notifyResponder } from '../../../remediation/notify/handler';
import { loadResponseConfig } from '../../../remediation/runtime/config';
import { loadEvent, recordingLogger } from '../helpers';

function setup(env: Record<string, string> = {}) {
  const emails: Email[] = [];
  const respond = notifyResponder({
    config: loadResponseConfig(env),
    publish: async (email) => {
      emails.push(email);
    },
    logger: recordingLogger(),
  });
  return { respond, emails };
}

describe('notify Lambda', () => {
  it.each([
    [
      'eventbridge/compliance-resolved.json',
      '[bucketguard] RESOLVED: example-public-assets COMPLIANT again (s3-bucket-public-access-prohibited)',
    ],
    [
      'eventbridge/compliance-acl-prohibited-noncompliant.json',
      '[bucketguard] ALERT: example-access-logs NON_COMPLIANT (s3-bucket-acl-prohibited)',
    ],
    [
      'eventbridge/compliance-versioning-suspended-noncompliant.json',
      '[bucketguard] ALERT: example-build-cache NON_COMPLIANT (s3-bucket-versioning-enabled)',
    ],
    [
      'alarms/eventbridge-policy-changed-alarm.json',
      '[bucketguard] ALARM: Alarm bucketguard-s3-bucket-policy-changed is in ALARM',
    ],
    [
      'alarms/sns-account-public-access-block-changed.json',
      '[bucketguard] ALARM: Alarm bucketguard-s3-account-public-access-block-changed is in ALARM',
    ],
    [
      'cloudtrail/put-bucket-policy-access-denied.json',
      '[bucketguard] DENIED: Developer/mallory tried PutBucketPolicy on example-private-data: AccessDenied',
    ],
    [
      'cloudtrail/delete-bucket-policy.json',
      '[bucketguard] CHANGE: Admin/alice deleted the bucket policy of example-website',
    ],
  ])('mails %s', async (file, subject) => {
    const { respond, emails } = setup();
    await respond(loadEvent(file));
    expect(emails.map((email) => email.subject)).toEqual([subject]);
  });

  it.each([
    'eventbridge/compliance-public-read-noncompliant.json',
    'cloudtrail/put-bucket-public-access-block-all-off.json',
    'eventbridge/compliance-still-noncompliant.json',
    'alarms/eventbridge-insufficient-to-ok.json',
    'alarms/eventbridge-other-alarm.json',
  ])('leaves %s to the remediation Lambda (or to nobody)', async (file) => {
    const { respond, emails } = setup();
    await respond(loadEvent(file));
    expect(emails).toEqual([]);
  });

  it('takes over what a disabled action would have mailed', async () => {
    const { respond, emails } = setup({ BUCKETGUARD_ACTIONS: 'none' });
    await respond(loadEvent('cloudtrail/put-bucket-public-access-block-all-off.json'));
    expect(emails.map((email) => email.subject)).toEqual([
      '[bucketguard] ALERT: Admin/alice changed Block Public Access on bucket example-private-data',
    ]);
  });
});

describe('notify Lambda entry point', () => {
  const snsMock = mockClient(SNSClient);
  const sns = () => new SNSClient({ region: 'us-east-1' });
  afterEach(() => snsMock.reset());

  it('publishes to BUCKETGUARD_TOPIC_ARN with the subject, the plain-text body for email and JSON for the rest', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const handler = createNotifyHandler(
      { BUCKETGUARD_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bucketguard-alerts' },
      sns,
    );
    await handler(loadEvent('eventbridge/compliance-resolved.json'));
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    const input = snsMock.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.TopicArn).toBe('arn:aws:sns:us-east-1:111122223333:bucketguard-alerts');
    expect(input.Subject).toBe(
      '[bucketguard] RESOLVED: example-public-assets COMPLIANT again (s3-bucket-public-access-prohibited)',
    );
    expect(input.MessageStructure).toBe('json');
    const message = JSON.parse(String(input.Message)) as { email: string; default: string };
    expect(message.email.split('\n')[0]).toBe('Bucket example-public-assets is COMPLIANT again with rule');
    expect(JSON.parse(message.default).metadata.threadId).toBe('bucketguard-111122223333-example-public-assets');
  });

  it('fails with a clear configuration error without a topic', async () => {
    const handler = createNotifyHandler({}, sns);
    await expect(handler(loadEvent('eventbridge/compliance-resolved.json'))).rejects.toThrow(
      'Invalid BUCKETGUARD_TOPIC_ARN: received ""; expected the SNS topic ARN the emails are published to.',
    );
    expect(snsMock.calls()).toHaveLength(0);
  });
});
