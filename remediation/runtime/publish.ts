/**
 * SNS Publish of one email, with SNS's per-protocol message structure: email subscribers get the readable text (and
 * Subject as the mail subject); every other protocol (https for chat, SQS, Lambda, HTTP, Firehose, email-json) gets
 * the same notification as one JSON document (notify/chat.ts); SMS gets the subject alone.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { chatNotification } from '../notify/chat';
import type { Email } from '../notify/format';

/** SNS rejects a message over 256 KB (262,144 bytes of UTF-8): the whole email would be lost, so cut the body. */
export const MAX_MESSAGE_BYTES = 262_144;
/** The limit counts message attributes too: room for the `severity` attribute (name, type and value). */
const ATTRIBUTE_ROOM = 64;
const TRUNCATION_NOTE = '\n\n[bucketguard: message truncated to fit the SNS 256 KB limit]';

export function fitMessage(text: string, maxBytes: number = MAX_MESSAGE_BYTES): string {
  // A lone surrogate (possible in a damaged event) makes the SDK's URL encoding throw: the email would never be sent.
  // toWellFormed replaces each one with U+FFFD (so does the subject below).
  const body = text.toWellFormed();
  if (Buffer.byteLength(body, 'utf8') <= maxBytes) return body;
  const room = maxBytes - Buffer.byteLength(TRUNCATION_NOTE, 'utf8');
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
        MessageStructure: 'json',
        Message: structuredMessage(email),
        // Subscribers can filter on it (an SNS subscription filter policy on `severity`: ["high"]).
        MessageAttributes: { severity: { DataType: 'String', StringValue: email.severity ?? 'normal' } },
      }),
    );
  };
}

/**
 * The per-protocol message, within SNS's 256 KB for the whole document: the email text and the JSON document each
 * carry the body, so when the whole is too big the body is cut (and says so) until it fits.
 */
export function structuredMessage(email: Email): string {
  const subject = email.subject.toWellFormed();
  const limit = MAX_MESSAGE_BYTES - ATTRIBUTE_ROOM;
  let budget = limit;
  for (let attempt = 0; attempt < 8; attempt++) {
    const body = fitMessage(email.body, budget);
    const message = JSON.stringify({
      default: JSON.stringify(chatNotification({ ...email, subject, body })),
      email: body,
      sms: subject,
    });
    const size = Buffer.byteLength(message, 'utf8');
    if (size <= limit) return message;
    // Escaping (quotes, line breaks, the nested JSON) makes the body count several times over: shrink by the excess.
    budget = Math.max(1024, Math.floor(budget - (size - limit) / 2 - 1024));
  }
  // Only a hostile event gets here (the facts are capped, the body is cut): the email still goes out, text only.
  const body = fitMessage(email.body, MAX_MESSAGE_BYTES / 4);
  return JSON.stringify({ default: body, email: body, sms: subject.slice(0, 99) });
}
