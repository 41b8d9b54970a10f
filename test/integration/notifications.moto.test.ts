/**
 * Notification delivery on moto: the notify Lambda, wired as in production (createNotifyHandler from BUCKETGUARD_*
 * variables, a real SNS client), publishes to an SNS topic with the per-protocol message structure; an SQS queue
 * subscribed to the topic receives the JSON document every non-email subscriber gets (its description is the
 * email's text; moto sends no mail, so the `email` member is asserted by the unit tests at the Publish call). One recorded event of each kind from
 * events/: a Config compliance change, a CloudTrail S3 call, a CloudWatch alarm.
 *
 * The exact text is asserted twice: literally for the lines that matter (subject, what happened, why), and in full
 * against the email the same handler hands to an in-memory publisher, so nothing is lost or altered on the way
 * through SNS and SQS (line breaks, quotes, indentation).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatNotification } from '../../remediation/notify/chat';
import { createNotifyHandler, notifyResponder } from '../../remediation/notify/handler';
import { SILENT_LOGGER } from '../../remediation/response/respond';
import { loadResponseConfig } from '../../remediation/runtime/config';
import { actAsAccount, motoSuite } from './moto';
import { createMailbox, type Mail, type Mailbox } from './moto-mailbox';

motoSuite();
const ACCOUNT_ID = '111122223333';
const EVENTS = join(__dirname, '..', '..', 'events');
const recorded = (file: string): unknown => JSON.parse(readFileSync(join(EVENTS, file), 'utf8'));

let mailbox: Mailbox;
let environment: Record<string, string>;

beforeAll(async () => {
  const account = await actAsAccount(ACCOUNT_ID);
  mailbox = await createMailbox('bucketguard-notify', account);
  environment = {
    // No remediation action enabled: the notify Lambda mails every finding itself.
    BUCKETGUARD_ACTIONS: 'none',
    BUCKETGUARD_TOPIC_ARN: mailbox.topicArn,
  };
});

/** What the same handler would publish, captured in memory (the reference for the full text). */
async function expectedMail(event: unknown): Promise<Mail[]> {
  const published: Mail[] = [];
  await notifyResponder({
    config: loadResponseConfig(environment),
    publish: async (email) => {
      const chat = chatNotification(email);
      published.push({ subject: email.subject, body: chat.content.description, chat });
    },
    logger: SILENT_LOGGER,
  })(event);
  return published;
}

async function deliver(file: string): Promise<{ mails: Mail[]; expected: Mail[] }> {
  const handler = createNotifyHandler(environment, () => mailbox.sns);
  const event = recorded(file);
  await handler(event);
  return { mails: await mailbox.take(), expected: await expectedMail(event) };
}

const CASES: readonly (readonly [string, string, readonly string[]])[] = [
  [
    'eventbridge/compliance-public-read-noncompliant.json',
    '[bucketguard] ALERT: example-public-assets NON_COMPLIANT (s3-bucket-public-access-prohibited)',
    [
      'Bucket example-public-assets is NON_COMPLIANT with rule\nbucketguard-s3-bucket-public-access-prohibited.\n',
      '  Compliance:   COMPLIANT -> NON_COMPLIANT\n' +
        '  Why:          Public read, list via ACL: AllUsers has READ;\n' +
        '                IgnorePublicAcls is off at bucket and account level.\n',
      'Remediation\n  none: no enabled action fixes this rule; fix it by hand.\n',
    ],
  ],
  [
    'cloudtrail/put-bucket-policy-public.json',
    '[bucketguard] CHANGE: Admin/alice put a bucket policy on example-private-data',
    [
      '  API call:     PutBucketPolicy\n' +
        '  Policy:       "PublicReadGetObject": Allow s3:GetObject to everyone (*)\n',
      '  Identity:     arn:aws:sts::111122223333:assumed-role/Admin/alice\n',
      'Remediation\n  none: no enabled action applies; review the change by hand.\n',
    ],
  ],
  [
    'alarms/eventbridge-policy-changed-alarm.json',
    '[bucketguard] ALARM: Alarm bucketguard-s3-bucket-policy-changed is in ALARM',
    [
      'Alarm bucketguard-s3-bucket-policy-changed is in ALARM.\n',
      '  State:        OK -> ALARM\n',
      '  Metric:       bucketguard / S3BucketPolicyChanges\n',
    ],
  ],
];

describe('emails read back from an SQS subscription of the SNS topic', () => {
  test.each(CASES)('%s: one email, subject %s', async (file, subject, lines) => {
    const { mails, expected } = await deliver(file);
    expect(mails.map((mail) => mail.subject)).toEqual([subject]);
    for (const line of lines) expect(mails[0].body).toContain(line);
    expect(mails).toEqual(expected);
  });

  test('nothing else arrived', async () => {
    expect(await mailbox.take()).toEqual([]);
  });
});
