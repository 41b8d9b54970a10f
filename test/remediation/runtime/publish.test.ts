import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { fitMessage, MAX_MESSAGE_BYTES, snsPublisher, structuredMessage } from '../../../remediation/runtime/publish';

const snsMock = mockClient(SNSClient);

describe('snsPublisher', () => {
  it('publishes the subject, the text for email, JSON for every other protocol and the subject for SMS', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    await snsPublisher(
      new SNSClient({ region: 'us-east-1' }),
      'arn:aws:sns:us-east-1:111122223333:t',
    )({ subject: '[bucketguard] FIXED: b', body: 'b\n' });
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:t',
      Subject: '[bucketguard] FIXED: b',
      MessageStructure: 'json',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'normal' } },
    });
    const message = JSON.parse(String(snsMock.commandCalls(PublishCommand)[0].args[0].input.Message)) as Record<
      string,
      string
    >;
    expect(Object.keys(message).sort()).toEqual(['default', 'email', 'sms']);
    expect(message.email).toBe('b\n');
    expect(message.sms).toBe('[bucketguard] FIXED: b');
    expect(JSON.parse(message.default)).toEqual({
      version: '1.0',
      source: 'custom',
      content: { title: '[bucketguard] FIXED: b', description: 'b', keywords: ['FIXED'] },
      metadata: {
        threadId: 'bucketguard-unknown-account-account',
        summary: '[bucketguard] FIXED: b',
        eventType: 'bucketguard-bucketguard',
        relatedResources: [],
        additionalContext: { verdict: 'FIXED', source: 'bucketguard' },
      },
    });
  });

  it('a high-severity email carries severity=high (for subscription filter policies)', async () => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    await snsPublisher(
      new SNSClient({ region: 'us-east-1' }),
      'arn:aws:sns:us-east-1:111122223333:t',
    )({ subject: '[bucketguard] TAMPERING: b', body: 'b\n', severity: 'high' });
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } },
    });
  });

  it('keeps the whole per-protocol message within 256 KB, cutting the body and saying so', () => {
    // 200,000 plain characters fit whole (the JSON document carries only the first 20,000); the others do not.
    const whole = JSON.parse(structuredMessage({ subject: 's', body: 'x'.repeat(200_000) })) as Record<string, string>;
    expect(whole.email).toBe('x'.repeat(200_000));
    for (const body of ['"\n'.repeat(MAX_MESSAGE_BYTES), 'é'.repeat(MAX_MESSAGE_BYTES), 'x'.repeat(250_000)]) {
      const message = structuredMessage({ subject: 's', body });
      expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
      const parsed = JSON.parse(message) as Record<string, string>;
      expect(parsed.email.endsWith('[bucketguard: message truncated to fit the SNS 256 KB limit]')).toBe(true);
      expect(JSON.parse(parsed.default).content.description).toContain(
        '[bucketguard: cut here; the email has the full text]',
      );
    }
  });

  it('fits a hostile megabyte "Region" too: the facts are capped, the email still goes out', () => {
    const region = 'm'.repeat(1_048_576);
    const message = structuredMessage({
      subject: 's',
      body: `Region: ${region.slice(0, 512)}`,
      facts: { verdict: 'DENIED', source: 'cloudtrail', region, bucket: 'b'.repeat(300_000) },
    });
    expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const chat = JSON.parse((JSON.parse(message) as { default: string }).default) as {
      metadata: { additionalContext: Record<string, string> };
    };
    expect(chat.metadata.additionalContext.region.length).toBeLessThan(300);
  });

  it('cuts a body over the SNS 256 KB limit and says so, without splitting a character', () => {
    const body = 'é'.repeat(MAX_MESSAGE_BYTES);
    const fitted = fitMessage(body);
    expect(Buffer.byteLength(fitted, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(fitted.endsWith('[bucketguard: message truncated to fit the SNS 256 KB limit]')).toBe(true);
    expect(fitted).not.toContain('\uFFFD');
    expect(fitMessage('short')).toBe('short');
  });

  it('replaces lone surrogates (a damaged event) with U+FFFD in subject and body, keeping pairs whole', async () => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    await snsPublisher(
      new SNSClient({ region: 'us-east-1' }),
      'arn:aws:sns:us-east-1:111122223333:t',
    )({ subject: 'a\uD800b\uD83D\uDE00', body: '\uDC00x\uD83D\uDE00\uD83D' });
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, { Subject: 'a\uFFFDb\uD83D\uDE00' });
    const message = JSON.parse(String(snsMock.commandCalls(PublishCommand)[0].args[0].input.Message)) as Record<
      string,
      string
    >;
    expect(message.email).toBe('\uFFFDx\uD83D\uDE00\uFFFD');
    expect(message.sms).toBe('a\uFFFDb\uD83D\uDE00');
  });
});
