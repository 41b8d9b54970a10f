/** SNS Publish of one email. The message is plain text; email subscribers get Subject as the mail subject. */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Email } from '../notify/format';

/** SNS rejects a message over 256 KB (262,144 bytes of UTF-8): the whole email would be lost, so cut the body. */
export const MAX_MESSAGE_BYTES = 262_144;
/** The limit counts message attributes too: room for the `severity` attribute (name, type and value). */
const ATTRIBUTE_ROOM = 64;
const TRUNCATION_NOTE = '\n\n[bucketguard: message truncated to fit the SNS 256 KB limit]';

export function fitMessage(text: string): string {
  // A lone surrogate (possible in a damaged event) makes the SDK's URL encoding throw: the email would never be sent.
  // toWellFormed replaces each one with U+FFFD (so does the subject below).
  const body = text.toWellFormed();
  if (Buffer.byteLength(body, 'utf8') <= MAX_MESSAGE_BYTES - ATTRIBUTE_ROOM) return body;
  const room = MAX_MESSAGE_BYTES - ATTRIBUTE_ROOM - Buffer.byteLength(TRUNCATION_NOTE, 'utf8');
  // Cutting the bytes may split a character; the decoder turns the remainder into U+FFFD, which is then dropped.
  const head = Buffer.from(body, 'utf8')
    .subarray(0, room)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return `${head}${TRUNCATION_NOTE}`;
}

export function snsPublisher(sns: SNSClient, topicArn: string): (email: Email) => Promise<void> {
  // Required on first use, not imported: the notify Lambda then loads the SNS package only when it mails.
  const { PublishCommand } = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
  return async (email) => {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: email.subject.toWellFormed(),
        Message: fitMessage(email.body),
        // Subscribers can filter on it (an SNS subscription filter policy on `severity`: ["high"]).
        MessageAttributes: { severity: { DataType: 'String', StringValue: email.severity ?? 'normal' } },
      }),
    );
  };
}
