/**
 * Every AWS client bucketguard builds states its retry settings (no environment variable changes them unseen), and
 * the SDK is the one retry layer for throttling, 5xx and timeouts: a persistent fault costs exactly maxAttempts
 * HTTP requests per call. The rule Lambda's Config client is covered on the wire in
 * test/rules/config-protocol/adapter-retry.test.ts.
 */
import { PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { HttpResponse } from '@smithy/core/protocols';
import type { HttpRequest } from '@smithy/types';
import { createS3Clients, DEFAULT_S3_MAX_ATTEMPTS } from '../../aws/s3-clients';
import { defaultNotifySns } from '../../remediation/notify/handler';
import { RESPONDER_CLIENT_RETRY } from '../../remediation/runtime/client-retry';
import { defaultRuntimeClients } from '../../remediation/runtime/runtime';

interface RetryConfigured {
  readonly config: { maxAttempts: () => Promise<number>; retryStrategy: () => Promise<unknown> };
}

async function retrySettings(client: RetryConfigured): Promise<{ maxAttempts: number; mode: unknown }> {
  const strategy = (await client.config.retryStrategy()) as { mode?: unknown };
  return { maxAttempts: await client.config.maxAttempts(), mode: strategy.mode };
}

describe('retry settings of every client', () => {
  it('remediation Lambda: S3, S3 Control, SNS and DynamoDB in standard mode with 5 attempts', async () => {
    const { s3, s3control, sns, dynamodb } = defaultRuntimeClients();
    for (const client of [s3, s3control, sns, dynamodb]) {
      await expect(retrySettings(client)).resolves.toEqual({ maxAttempts: 5, mode: 'standard' });
    }
  });

  it('notify Lambda: SNS with the same settings', async () => {
    await expect(retrySettings(defaultNotifySns())).resolves.toEqual({ maxAttempts: 5, mode: 'standard' });
  });

  it('CLI scan: adaptive, 3 attempts unless --max-attempts says otherwise', async () => {
    const defaults = createS3Clients({ region: 'us-east-1' });
    expect(DEFAULT_S3_MAX_ATTEMPTS).toBe(3);
    for (const client of [defaults.s3, defaults.s3control]) {
      await expect(retrySettings(client)).resolves.toEqual({ maxAttempts: 3, mode: 'adaptive' });
    }
    const raised = createS3Clients({ region: 'us-east-1', maxAttempts: 8 });
    await expect(retrySettings(raised.s3)).resolves.toEqual({ maxAttempts: 8, mode: 'adaptive' });
  });
});

it('a remediation write throttled on every attempt costs exactly 5 HTTP requests, then fails', async () => {
  const attempts: string[] = [];
  const slowDown = {
    handle: async (request: HttpRequest) => {
      attempts.push(String(request.headers['amz-sdk-request']));
      return {
        response: new HttpResponse({
          statusCode: 503,
          headers: { 'content-type': 'application/xml' },
          body: Buffer.from('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>'),
        }),
      };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  // Jitter 0: the SDK's backoff is random() * base * 2^n, so the standard strategy waits for nothing.
  const random = jest.spyOn(Math, 'random').mockReturnValue(0);
  try {
    const s3 = new S3Client({ ...RESPONDER_CLIENT_RETRY, region: 'us-east-1', requestHandler: slowDown });
    const error = await s3
      .send(
        new PutPublicAccessBlockCommand({
          Bucket: 'example-bucket',
          PublicAccessBlockConfiguration: { BlockPublicAcls: true },
        }),
      )
      .catch((e: unknown) => e as { name: string; $metadata: { attempts: number } });
    expect(error).toMatchObject({ name: 'SlowDown', $metadata: { attempts: 5 } });
    expect(attempts).toEqual([1, 2, 3, 4, 5].map((n) => `attempt=${n}; max=5`));
  } finally {
    random.mockRestore();
  }
});
