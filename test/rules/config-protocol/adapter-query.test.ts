/**
 * The sweep's advanced-query path (SelectResourceConfig), its fallback to list-and-batch, and a sweep continued
 * across invocations (checkpoint in the payload of the next one): every bucket delivered exactly once.
 */
import {
  BatchGetResourceConfigCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import type { Context } from 'aws-lambda';
import { createRuleHandler, type HandlerReport } from '../../../rules/config-protocol/adapter';
import {
  MAX_PAGE_ATTEMPTS,
  MAX_SWEEP_INVOCATIONS,
  MIN_RESERVE_MS,
  SWEEP_CHECKPOINT_KEY,
} from '../../../rules/config-protocol/continuation';
import { BUCKET_QUERY } from '../../../rules/config-protocol/sweep';
import { configMock, options, putCalls } from './adapter-mocks';
import { apiBucketItem, echoBucketRule, invocation, SCHEDULED } from './adapter-support';

const names = Array.from({ length: 250 }, (_, i) => `example-query-${String(i).padStart(3, '0')}`);

/** An advanced-query row for `name`: supplementary values as objects, the ACL a string, tags a list. */
function queryRow(name: string): string {
  const api = apiBucketItem(name, { publicRead: name.endsWith('7') });
  const supplementary = Object.fromEntries(
    Object.entries(api.supplementaryConfiguration).map(([key, value]) => [key, JSON.parse(value)]),
  );
  return JSON.stringify({
    ...api,
    configurationItemCaptureTime: '2024-09-01T00:00:00.000Z',
    resourceCreationTime: '2023-01-01T00:00:00.000Z',
    configuration: JSON.parse(api.configuration),
    supplementaryConfiguration: supplementary,
    tags: [],
  });
}

/** Serves `names` 100 rows a page, NextToken = the offset of the next page. */
function serveQuery(): void {
  configMock.on(SelectResourceConfigCommand).callsFake((input: { NextToken?: string; Limit?: number }) => {
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    const limit = input.Limit ?? 100;
    const next = offset + limit < names.length ? String(offset + limit) : undefined;
    return {
      Results: names.slice(offset, offset + limit).map(queryRow),
      ...(next ? { NextToken: next } : {}),
    };
  });
}

const deliveredIds = (): string[] =>
  putCalls().flatMap((call) =>
    (call.Evaluations as Array<{ ComplianceResourceId: string }>).map((e) => e.ComplianceResourceId),
  );

describe('the advanced-query sweep', () => {
  it('reads 100 buckets per SelectResourceConfig page and delivers each page in one PutEvaluations call', async () => {
    serveQuery();
    const report = await createRuleHandler(echoBucketRule(), options())(invocation(SCHEDULED));
    expect(report.delivered).toBe(250);
    expect(configMock.commandCalls(SelectResourceConfigCommand).map((c) => c.args[0].input)).toEqual([
      { Expression: BUCKET_QUERY, Limit: 100 },
      { Expression: BUCKET_QUERY, Limit: 100, NextToken: '100' },
      { Expression: BUCKET_QUERY, Limit: 100, NextToken: '200' },
    ]);
    expect(putCalls().map((call) => (call.Evaluations as unknown[]).length)).toEqual([100, 100, 50]);
    expect(configMock).not.toHaveReceivedCommand(ListDiscoveredResourcesCommand);
    expect(configMock).not.toHaveReceivedCommand(BatchGetResourceConfigCommand);
    expect(deliveredIds()).toEqual(names);
    const publicOne = report.evaluations.find((e) => e.resourceId === 'example-query-007');
    expect(publicOne?.compliance).toBe('NON_COMPLIANT');
    expect(report.evaluations.find((e) => e.resourceId === 'example-query-008')?.compliance).toBe('COMPLIANT');
  });

  it('falls back to list-and-batch when the query answers no row but a bucket is listed (moto 5.2 does)', async () => {
    configMock.on(SelectResourceConfigCommand).resolves({ Results: [] });
    configMock
      .on(ListDiscoveredResourcesCommand)
      .resolves({ resourceIdentifiers: [{ resourceType: 'AWS::S3::Bucket', resourceId: 'example-a' }] });
    configMock.on(BatchGetResourceConfigCommand).resolves({ baseConfigurationItems: [apiBucketItem('example-a')] });
    const report = await createRuleHandler(echoBucketRule(), options())(invocation(SCHEDULED));
    expect(report.delivered).toBe(1);
    expect(configMock.commandCalls(ListDiscoveredResourcesCommand).map((c) => c.args[0].input)).toEqual([
      { resourceType: 'AWS::S3::Bucket', limit: 1 },
      { resourceType: 'AWS::S3::Bucket', limit: 100 },
    ]);
  });

  it('sweeps nothing (and reads no item) when neither the query nor the listing knows a bucket', async () => {
    configMock.on(SelectResourceConfigCommand).resolves({ Results: [] });
    configMock.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
    const report = await createRuleHandler(echoBucketRule(), options())(invocation(SCHEDULED));
    expect(report.delivered).toBe(0);
    expect(configMock).not.toHaveReceivedCommand(BatchGetResourceConfigCommand);
    expect(configMock).not.toHaveReceivedCommand(PutEvaluationsCommand);
  });
});

/** A Lambda context whose remaining time is `remaining()` (the tests move it as pages go by). */
function lambdaContext(remaining: () => number): Context {
  return {
    functionName: 'bucketguard-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bucketguard-test',
    memoryLimitInMB: '512',
    awsRequestId: 'request-1',
    logGroupName: '/aws/lambda/bucketguard-test',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: remaining,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Runs a sweep to its end, invocation after invocation, as Lambda would run the self-invocations. */
async function runChain(
  remainingFor: (invocationNumber: number) => () => number,
): Promise<{ reports: HandlerReport[]; events: Record<string, unknown>[] }> {
  const events: Record<string, unknown>[] = [invocation(SCHEDULED)];
  const reports: HandlerReport[] = [];
  for (let i = 0; i < events.length && i < 20; i++) {
    const handler = createRuleHandler(
      echoBucketRule(),
      options({
        continueSweep: async (event) => {
          events.push(event);
        },
      }),
    );
    reports.push(await handler(events[i], lambdaContext(remainingFor(i + 1))));
  }
  return { reports, events };
}

describe('a sweep longer than one invocation', () => {
  it('hands over when the time runs short and the next invocations finish it: every bucket exactly once', async () => {
    serveQuery();
    // The first invocation has time for one page, the second for one more, the third for the rest.
    const { reports, events } = await runChain((n) => () => (n < 3 ? MIN_RESERVE_MS - 1 : 600_000));
    expect(reports.map((r) => r.delivered)).toEqual([100, 100, 50]);
    expect(reports.map((r) => r.continued)).toEqual([
      { invocation: 2, reason: 'the time left in this invocation ran short' },
      { invocation: 3, reason: 'the time left in this invocation ran short' },
      undefined,
    ]);
    expect(events.slice(1).map((e) => e[SWEEP_CHECKPOINT_KEY])).toEqual([
      { path: 'advanced-query', nextToken: '100', evaluatedBefore: 100, pageAttempt: 1, invocation: 2 },
      { path: 'advanced-query', nextToken: '200', evaluatedBefore: 200, pageAttempt: 1, invocation: 3 },
    ]);
    // The continuation is the original Config event (same result token) plus its checkpoint.
    expect(events[1].resultToken).toBe('token-abc');
    expect(deliveredIds()).toEqual(names);
  });

  it('continues on the list-and-batch path when that is where it started', async () => {
    configMock.on(ListDiscoveredResourcesCommand).callsFake((input: { nextToken?: string }) => {
      const offset = input.nextToken ? Number(input.nextToken) : 0;
      const next = offset + 100 < names.length ? String(offset + 100) : undefined;
      return {
        resourceIdentifiers: names
          .slice(offset, offset + 100)
          .map((resourceId) => ({ resourceType: 'AWS::S3::Bucket', resourceId })),
        ...(next ? { nextToken: next } : {}),
      };
    });
    configMock
      .on(BatchGetResourceConfigCommand)
      .callsFake((input: { resourceKeys: Array<{ resourceId: string }> }) => ({
        baseConfigurationItems: input.resourceKeys.map((k) => apiBucketItem(k.resourceId)),
      }));
    const { reports, events } = await runChain(() => () => MIN_RESERVE_MS - 1);
    expect(reports.map((r) => r.delivered)).toEqual([100, 100, 50]);
    expect((events[1][SWEEP_CHECKPOINT_KEY] as { path: string }).path).toBe('list-and-batch');
    // The denied SelectResourceConfig is asked by the first invocation only.
    expect(configMock.commandCalls(SelectResourceConfigCommand)).toHaveLength(1);
    expect(deliveredIds()).toEqual(names);
  });

  it('sends again only what a failed page did not deliver, in the next invocation', async () => {
    serveQuery();
    let failedOnce = false;
    configMock
      .on(PutEvaluationsCommand)
      .callsFake((input: { Evaluations: Array<{ ComplianceResourceId: string }> }) => {
        const failing = input.Evaluations.filter((e) => e.ComplianceResourceId === 'example-query-150');
        // Fails for every attempt of the first invocation, then succeeds.
        if (failing.length > 0 && !failedOnce) {
          return { FailedEvaluations: failing.map((e) => ({ ...e })) };
        }
        return { FailedEvaluations: [] };
      });
    const { reports, events } = await runChain((n) => {
      if (n === 2) failedOnce = true;
      return () => 600_000;
    });
    expect(reports.map((r) => r.delivered)).toEqual([199, 51]);
    expect(events[1][SWEEP_CHECKPOINT_KEY]).toEqual({
      path: 'advanced-query',
      nextToken: '100',
      evaluatedBefore: 199,
      pageAttempt: 2,
      onlyIds: ['example-query-150'],
      invocation: 2,
    });
    const accepted = deliveredIds().filter((id) => id !== 'example-query-150');
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(reports[1].evaluations.map((e) => e.resourceId).slice(0, 1)).toEqual(['example-query-150']);
  });

  it(`fails with the exact undelivered list once a page has failed ${MAX_PAGE_ATTEMPTS} times`, async () => {
    serveQuery();
    configMock
      .on(PutEvaluationsCommand)
      .callsFake((input: { Evaluations: Array<{ ComplianceResourceId: string }> }) => ({
        FailedEvaluations: input.Evaluations.filter((e) => e.ComplianceResourceId === 'example-query-150'),
      }));
    const events: Record<string, unknown>[] = [invocation(SCHEDULED)];
    let error: unknown;
    for (let i = 0; i < events.length && i < 10 && error === undefined; i++) {
      const handler = createRuleHandler(echoBucketRule(), options({ continueSweep: async (e) => void events.push(e) }));
      await handler(
        events[i],
        lambdaContext(() => 600_000),
      ).catch((e: unknown) => {
        error = e;
      });
    }
    expect(events).toHaveLength(MAX_PAGE_ATTEMPTS);
    expect(String(error)).toContain(
      'AWS::S3::Bucket/example-query-150 (returned in FailedEvaluations after 3 attempt(s))',
    );
  });

  it(`stops after ${MAX_SWEEP_INVOCATIONS} invocations, and rejects a damaged checkpoint`, async () => {
    serveQuery();
    const last = {
      ...invocation(SCHEDULED),
      [SWEEP_CHECKPOINT_KEY]: {
        path: 'advanced-query',
        nextToken: '100',
        evaluatedBefore: 100,
        pageAttempt: 1,
        invocation: MAX_SWEEP_INVOCATIONS,
      },
    };
    const handler = createRuleHandler(echoBucketRule(), options({ continueSweep: async () => undefined }));
    await expect(
      handler(
        last,
        lambdaContext(() => MIN_RESERVE_MS - 1),
      ),
    ).rejects.toThrow(
      `The sweep did not finish within ${MAX_SWEEP_INVOCATIONS} invocations (200 buckets evaluated); stopped.`,
    );
    const damaged = { ...invocation(SCHEDULED), [SWEEP_CHECKPOINT_KEY]: { path: 'elsewhere' } };
    await expect(
      handler(
        damaged,
        lambdaContext(() => 600_000),
      ),
    ).rejects.toThrow('bucketguardSweep is damaged ({"path":"elsewhere"})');
  });

  it('without a Lambda context (CLI, replay) a sweep runs to its end in one invocation', async () => {
    serveQuery();
    const report = await createRuleHandler(echoBucketRule(), options())(invocation(SCHEDULED));
    expect(report.delivered).toBe(250);
    expect(report.continued).toBeUndefined();
  });
});
