/**
 * Who retries what, on the wire: real ConfigServiceClients with the rule Lambda's settings (clients.ts) send their
 * HTTP requests to an in-process Config (test/faults/support/config-wire.ts). Throttling, 5xx and timeouts are
 * retried by the SDK, at most maxAttempts per call; bucketguard's own loop only re-sends what a successful answer
 * says was not done (FailedEvaluations, unprocessed keys); a fault that outlasts the SDK fails the invocation with
 * the list of what was not delivered.
 */
import { ListDiscoveredResourcesCommand } from '@aws-sdk/client-config-service';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { createRuleHandler, EvaluationDeliveryError } from '../../../rules/config-protocol/adapter';
import { configClientConfig, defaultRuleClients, RULE_CLIENT_RETRY } from '../../../rules/config-protocol/clients';
import {
  ConfigWire,
  type WireAnswer,
  type WireFault,
  type WireRequest,
  wiredConfigClient,
} from '../../faults/support/config-wire';
import { apiBucketItem, echoBucketRule, invocation, NOW, SCHEDULED } from './adapter-support';

const MAX_ATTEMPTS = RULE_CLIENT_RETRY.maxAttempts;
const rule = echoBucketRule({ needs: { accountBpa: false, ownership: false } });

/**
 * Config with `ids` recorded, for a role without config:SelectResourceConfig (the sweep's first call is denied, then
 * it lists and batch-reads: the path these tests are about); `fault` decides, request by request, whether one is
 * injected instead.
 */
function configWith(ids: readonly string[], fault: (request: WireRequest) => WireFault | undefined = () => undefined) {
  const answer = (request: WireRequest): WireAnswer => {
    if (request.operation === 'SelectResourceConfig') return { fault: 'access-denied' };
    const injected = fault(request);
    if (injected) return { fault: injected };
    switch (request.operation) {
      case 'ListDiscoveredResources':
        return {
          output: { resourceIdentifiers: ids.map((id) => ({ resourceType: 'AWS::S3::Bucket', resourceId: id })) },
        };
      case 'BatchGetResourceConfig': {
        const keys = request.input.resourceKeys as { resourceId: string }[];
        return { output: { baseConfigurationItems: keys.map((k) => apiBucketItem(k.resourceId)) } };
      }
      case 'PutEvaluations':
        return { output: { FailedEvaluations: [] } };
      default:
        throw new Error(`unexpected ${request.operation}`);
    }
  };
  const wire = new ConfigWire(answer);
  const sleep = jest.fn(async (_ms: number) => {});
  const handler = createRuleHandler(rule, {
    clients: () => ({ config: wiredConfigClient(wire), s3: {} as never, s3control: {} as never }),
    now: () => NOW,
    retry: { attempts: 3, baseDelayMs: 100 },
    sleep,
    random: () => 0.5,
  });
  return { wire, sleep, run: () => handler(invocation(SCHEDULED)) };
}

const operations = (wire: ConfigWire) => wire.requests.map((r) => `${r.operation}#${r.attempt}`);

describe('the rule Lambda’s Config client', () => {
  it('is configured with adaptive retry and 5 attempts, S3 and S3 Control likewise', async () => {
    expect(configClientConfig()).toMatchObject({ maxAttempts: 5, retryMode: 'adaptive' });
    const clients = defaultRuleClients();
    for (const client of [clients.config, clients.s3, clients.s3control]) {
      await expect(client.config.maxAttempts()).resolves.toBe(5);
      await expect(client.config.retryStrategy()).resolves.toMatchObject({ mode: 'adaptive' });
    }
  });

  it('makes exactly maxAttempts requests at a persistent 5xx with the production (adaptive) strategy, then throws', async () => {
    // Jitter 0: the SDK's backoff is random() * base * 2^n, so nothing waits; adaptive's rate limiter only engages
    // on throttling.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      const wire = new ConfigWire(() => ({ fault: '5xx' }));
      const client = wiredConfigClient(wire, 'production');
      const adaptive = await client.config.retryStrategy();
      expect(adaptive).toMatchObject({ mode: 'adaptive' });
      const error = await client
        .send(new ListDiscoveredResourcesCommand({ resourceType: 'AWS::S3::Bucket' }))
        .catch((e: unknown) => e as { name: string; $metadata: { attempts: number } });
      expect(error).toMatchObject({ name: 'InternalFailure', $metadata: { attempts: MAX_ATTEMPTS } });
      expect(wire.requests.map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      random.mockRestore();
    }
  });

  it('waits for retry-after: with no backoff of its own, the SDK still waits the 0.05 s Config asked for', async () => {
    let first = true;
    const answer = (): WireAnswer => {
      if (!first) return { output: { resourceIdentifiers: [] } };
      first = false;
      return { fault: 'throttling-retry-after' };
    };
    // The SDK's standard strategy with a zero backoff: any wait is the retry-after's (really waited: kept short).
    const client = wiredConfigClient(new ConfigWire(answer, 0.05), new ConfiguredRetryStrategy(MAX_ATTEMPTS, 0));
    const output = await client.send(new ListDiscoveredResourcesCommand({ resourceType: 'AWS::S3::Bucket' }));
    expect(output.$metadata.attempts).toBe(2);
    expect(output.$metadata.totalRetryDelay).toBeGreaterThanOrEqual(25);
    expect(output.$metadata.totalRetryDelay).toBeLessThanOrEqual(50);
  });
});

describe('a sweep on the wire', () => {
  it.each([
    ['throttling', 'ListDiscoveredResources'],
    ['throttling-retry-after', 'BatchGetResourceConfig'],
    ['5xx', 'BatchGetResourceConfig'],
    ['timeout', 'PutEvaluations'],
  ] as const)('a %s on %s is retried by the SDK (bucketguard waits for nothing) and delivered', async (kind, op) => {
    const { wire, sleep, run } = configWith(['example-a', 'example-b'], (r) =>
      r.operation === op && r.attempt <= 2 ? kind : undefined,
    );
    const report = await run();
    expect(report.delivered).toBe(2);
    expect(operations(wire).filter((o) => o.startsWith(op))).toEqual([`${op}#1`, `${op}#2`, `${op}#3`]);
    // SelectResourceConfig (denied), ListDiscoveredResources, BatchGetResourceConfig, PutEvaluations.
    expect(wire.attemptsPerCall()).toHaveLength(4);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('a PutEvaluations throttled on every attempt: exactly maxAttempts requests, then both evaluations are listed', async () => {
    const { wire, sleep, run } = configWith(['example-a', 'example-b'], (r) =>
      r.operation === 'PutEvaluations' ? 'throttling' : undefined,
    );
    const error = (await run().catch((e: unknown) => e)) as EvaluationDeliveryError;
    expect(error).toBeInstanceOf(EvaluationDeliveryError);
    expect(error.message).toBe(
      '2 evaluation(s) not delivered to AWS Config (0 delivered): ' +
        'AWS::S3::Bucket/example-a (PutEvaluations failed: ThrottlingException (400): Rate exceeded after 5 SDK attempt(s)); ' +
        'AWS::S3::Bucket/example-b (PutEvaluations failed: ThrottlingException (400): Rate exceeded after 5 SDK attempt(s))',
    );
    expect(wire.attemptsPerCall('PutEvaluations')).toEqual([MAX_ATTEMPTS]);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('AccessDenied is not retried by anyone: one request, the invocation fails', async () => {
    const { wire, run } = configWith(['example-a'], () => 'access-denied');
    await expect(run()).rejects.toThrow('not authorized (injected)');
    expect(operations(wire)).toEqual(['SelectResourceConfig#1', 'ListDiscoveredResources#1']);
  });

  it('FailedEvaluations are re-sent by bucketguard’s loop, with its backoff, one HTTP request each', async () => {
    let failedOnce = false;
    const setup = configWith(['example-a', 'example-b']);
    const { run, sleep } = setup;
    setup.wire.answerWith((request) => {
      if (request.operation === 'PutEvaluations' && !failedOnce) {
        failedOnce = true;
        const evaluations = request.input.Evaluations as Record<string, unknown>[];
        return { output: { FailedEvaluations: evaluations.filter((e) => e.ComplianceResourceId === 'example-b') } };
      }
      if (request.operation === 'PutEvaluations') return { output: { FailedEvaluations: [] } };
      if (request.operation === 'ListDiscoveredResources') {
        return {
          output: {
            resourceIdentifiers: ['example-a', 'example-b'].map((id) => ({
              resourceType: 'AWS::S3::Bucket',
              resourceId: id,
            })),
          },
        };
      }
      const keys = request.input.resourceKeys as { resourceId: string }[];
      return { output: { baseConfigurationItems: keys.map((k) => apiBucketItem(k.resourceId)) } };
    });
    const report = await run();
    expect(report.delivered).toBe(2);
    const puts = setup.wire.requests.filter((r) => r.operation === 'PutEvaluations');
    expect(puts.map((r) => (r.input.Evaluations as unknown[]).length)).toEqual([2, 1]);
    expect(puts.map((r) => r.attempt)).toEqual([1, 1]);
    expect(sleep.mock.calls).toEqual([[50]]);
  });

  it('unprocessed keys are asked again by bucketguard’s loop, and still unread ones fail the invocation', async () => {
    const setup = configWith(['example-a', 'example-b']);
    setup.wire.answerWith((request) => {
      if (request.operation === 'ListDiscoveredResources') {
        return {
          output: {
            resourceIdentifiers: ['example-a', 'example-b'].map((id) => ({
              resourceType: 'AWS::S3::Bucket',
              resourceId: id,
            })),
          },
        };
      }
      if (request.operation === 'PutEvaluations') return { output: { FailedEvaluations: [] } };
      const keys = request.input.resourceKeys as { resourceType: string; resourceId: string }[];
      const stuck = keys.filter((k) => k.resourceId === 'example-b');
      return {
        output: {
          baseConfigurationItems: keys.filter((k) => !stuck.includes(k)).map((k) => apiBucketItem(k.resourceId)),
          unprocessedResourceKeys: stuck,
        },
      };
    });
    await expect(setup.run()).rejects.toThrow(
      '1 evaluation(s) not delivered to AWS Config (1 delivered): AWS::S3::Bucket/example-b (BatchGetResourceConfig left it unprocessed after 3 attempt(s))',
    );
    const reads = setup.wire.requests.filter((r) => r.operation === 'BatchGetResourceConfig');
    expect(reads.map((r) => (r.input.resourceKeys as unknown[]).length)).toEqual([2, 1, 1]);
    expect(reads.map((r) => r.attempt)).toEqual([1, 1, 1]);
    expect(setup.sleep.mock.calls).toEqual([[50], [100]]);
  });
});
