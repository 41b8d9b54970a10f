import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { fitMessage, MAX_MESSAGE_BYTES, snsPublisher } from '../../../remediation/runtime/publish';

const snsMock = mockClient(SNSClient);

describe('snsPublisher', () => {
  it('publishes subject and body to the topic', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    await snsPublisher(
      new SNSClient({ region: 'us-east-1' }),
      'arn:aws:sns:us-east-1:111122223333:t',
    )({ subject: 's', body: 'b\n' });
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:t',
      Subject: 's',
      Message: 'b\n',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'normal' } },
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
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      Subject: 'a\uFFFDb\uD83D\uDE00',
      Message: '\uFFFDx\uD83D\uDE00\uFFFD',
    });
  });
});
