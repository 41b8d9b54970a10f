/**
 * A "mailbox" on moto: an SNS topic with an SQS queue subscribed to it. What a handler publishes is read back from
 * the queue: SNS wraps it in its notification envelope (Type, Subject, Message). bucketguard publishes with SNS's
 * per-protocol message structure, so the queue gets what every non-email subscriber gets, the JSON document of
 * notify/chat.ts, whose description is the email's text; the `email` member itself cannot be observed on moto (it
 * sends no mail): the unit tests assert it at the Publish call.
 */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { ChatNotification } from '../../remediation/notify/chat';
import { DEFAULT_ACCOUNT, type MotoAccount, motoClient } from './moto';

export interface Mail {
  readonly subject: string;
  /** The email text as the JSON document carries it (chat.ts: "<" shown as "‹", trailing line breaks trimmed). */
  readonly body: string;
  readonly chat: ChatNotification;
}

export interface Mailbox {
  readonly topicArn: string;
  readonly queueUrl: string;
  /** The SNS client the handlers publish with (same account as the topic). */
  readonly sns: SNSClient;
  /** Every message in the queue, oldest first, removed from it. */
  take(): Promise<Mail[]>;
}

/** Every message of a queue, received until it is empty, and deleted (bounded: at most 100 rounds). */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let round = 0; round < 100; round++) {
    const page = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    const messages = page.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((message) => message.Body ?? ''));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }
  throw new Error(`queue ${queueUrl} did not empty in 100 rounds`);
}

export async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = attributes.Attributes?.QueueArn;
  if (!arn) throw new Error(`no QueueArn for ${queueUrl}`);
  return arn;
}

export async function createMailbox(name: string, account: MotoAccount = DEFAULT_ACCOUNT): Promise<Mailbox> {
  const sns = motoClient(SNSClient, account);
  const sqs = motoClient(SQSClient, account);
  const topic = await sns.send(new CreateTopicCommand({ Name: `${name}-topic` }));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-mail` }));
  if (!topic.TopicArn || !queue.QueueUrl) throw new Error('topic or queue not created');
  const topicArn = topic.TopicArn;
  const queueUrl = queue.QueueUrl;
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: await queueArn(sqs, queueUrl) }),
  );
  return {
    topicArn,
    queueUrl,
    sns,
    take: async () =>
      (await drainQueue(sqs, queueUrl)).map((text) => {
        const envelope = JSON.parse(text) as {
          Type?: unknown;
          TopicArn?: unknown;
          Subject?: unknown;
          Message?: unknown;
        };
        if (envelope.Type !== 'Notification' || envelope.TopicArn !== topicArn) {
          throw new Error(`not an SNS notification from ${topicArn}: ${text.slice(0, 200)}`);
        }
        const chat = JSON.parse(String(envelope.Message)) as ChatNotification;
        return { subject: String(envelope.Subject), body: chat.content.description, chat };
      }),
  };
}
