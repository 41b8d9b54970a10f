/**
 * Fault injection on a periodic sweep of 10,000 buckets: throttling (with and without retry-after), 5xx, timeouts and
 * AccessDenied on the wire of every AWS Config request (so the SDK's own retries meet them, as in production),
 * FailedEvaluations for part of a batch and unprocessed BatchGetResourceConfig keys (answers the SDK cannot retry,
 * bucketguard's own loop does), and faults on the S3 reads, from deterministic seeded schedules (no wait is real).
 *
 * Per invocation: no Config call is attempted more often than the client's maxAttempts (one retry layer, not two);
 * each bucket is accepted by PutEvaluations at most once; when the invocation succeeds every bucket was accepted;
 * when it fails, it fails with a typed error that lists every evaluated bucket Config did not accept; and the
 * delivered count it reports (or logs) is exactly what Config accepted. Across Config's retries of the invocation,
 * every bucket is eventually delivered.
 */

import { RULE_CLIENT_RETRY } from '../../rules/config-protocol/clients';
import { EvaluationDeliveryError } from '../../rules/config-protocol/put-evaluations';
import { rule as publicAccessRule } from '../../rules/s3-bucket-public-access-prohibited';
import { rule as versioningRule } from '../../rules/s3-bucket-versioning-enabled';
import { RETRY_AFTER_SECONDS } from './support/config-wire';
import { addCounts } from './support/fault-injector';
import { inventory, SweepHarness, type SweepRun, TRANSIENT_KINDS } from './support/sweep-harness';

const BUCKETS = 10_000;
const MAX_ATTEMPTS = RULE_CLIENT_RETRY.maxAttempts;
const items = inventory(BUCKETS);
const allIds = items.map((item) => String(item.resourceId));

/** Totals over the whole suite, printed at the end (the figures in the report). */
const totals = {
  invocations: 0,
  failedLoudly: 0,
  faults: {} as Record<string, number>,
  httpRequests: 0,
  sdkRetries: 0,
  mostAttemptsOfOneCall: 0,
  accepted: 0,
  lost: 0,
  duplicates: 0,
  misreported: 0,
  retriesToComplete: [] as number[],
};

function acceptedTotal(run: SweepRun): number {
  let sum = 0;
  for (const n of run.accepted.values()) sum += n;
  return sum;
}

/** Every invariant of one sweep invocation; returns the violations (empty = held). */
function sweepViolations(run: SweepRun, ids: readonly string[] = allIds): string[] {
  const problems: string[] = [];
  totals.invocations++;
  addCounts(totals.faults, run.injector.injected);
  totals.httpRequests += run.requests.length;
  totals.sdkRetries += run.sdkRetries.length;
  const most = Math.max(0, ...run.attemptsPerCall);
  totals.mostAttemptsOfOneCall = Math.max(totals.mostAttemptsOfOneCall, most);
  if (most > MAX_ATTEMPTS) problems.push(`a Config call was attempted ${most} times (maxAttempts ${MAX_ATTEMPTS})`);
  const accepted = acceptedTotal(run);
  totals.accepted += accepted;
  for (const [id, n] of run.accepted) {
    if (n > 1) {
      totals.duplicates++;
      problems.push(`${id} accepted ${n} times in one invocation`);
    }
  }
  if (run.error === undefined) {
    const report = run.report!;
    const missing = ids.filter((id) => !run.accepted.has(id));
    if (missing.length > 0)
      problems.push(`succeeded but ${missing.length} bucket(s) were never accepted (first: ${missing[0]})`);
    if (report.delivered !== accepted) {
      totals.misreported++;
      problems.push(`report.delivered ${report.delivered} but Config accepted ${accepted}`);
    }
    return problems;
  }
  totals.failedLoudly++;
  const undelivered = new Set<string>();
  if (run.error instanceof EvaluationDeliveryError) {
    for (const u of run.error.undelivered) undelivered.add(u.resourceId);
    if (run.error.delivered !== accepted) {
      totals.misreported++;
      problems.push(`EvaluationDeliveryError.delivered ${run.error.delivered} but Config accepted ${accepted}`);
    }
    for (const id of undelivered)
      if (run.accepted.has(id)) problems.push(`${id} listed as undelivered but Config accepted it`);
  } else {
    // What the SDK throws once its attempts are spent (or at once for AccessDenied), deserialised from the wire.
    const name = String((run.error as { name?: unknown }).name);
    if (!['ThrottlingException', 'InternalFailure', 'TimeoutError', 'AccessDeniedException'].includes(name)) {
      problems.push(`failed with an unexpected error: ${String(run.error)}`);
    }
    const logged = run.logs.entries.find((e) => e.level === 'ERROR' && e.message === 'Invocation failed');
    if (!logged) problems.push('the failed invocation was not logged');
    else if (logged.attributes.delivered !== accepted) {
      totals.misreported++;
      problems.push(`logged delivered ${String(logged.attributes.delivered)} but Config accepted ${accepted}`);
    }
  }
  // Lost: evaluated but neither accepted nor named as undelivered. When the sweep ran to its end (no other failure),
  // a listed bucket BatchGetResourceConfig never returned must be named too.
  const lost = [...run.evaluated].filter((id) => !run.accepted.has(id) && !undelivered.has(id));
  const ranToEnd = run.error instanceof EvaluationDeliveryError && run.error.alsoFailed === undefined;
  if (ranToEnd) lost.push(...[...run.listed].filter((id) => !run.evaluated.has(id) && !undelivered.has(id)));
  totals.lost += lost.length;
  if (lost.length > 0)
    problems.push(`${lost.length} bucket(s) lost: not accepted and not reported as undelivered (first: ${lost[0]})`);
  if (!run.logs.entries.some((e) => e.level === 'ERROR')) problems.push('failed without an ERROR log line');
  return problems;
}

/**
 * The headline cases run on 10,000 buckets; the further seeds and the Config-retry loop on 2,000 (20 pages of each
 * call: still dozens of faults per sweep), because every Config call now goes through the SDK's real serialisation.
 */
const MEDIUM = 2_000;
const mediumIds = allIds.slice(0, MEDIUM);

describe.each([
  ['s3-bucket-public-access-prohibited', publicAccessRule],
  ['s3-bucket-versioning-enabled', versioningRule],
] as const)('%s: periodic sweep under faults', (_id, rule) => {
  const large = new SweepHarness(rule, items);
  const medium = new SweepHarness(rule, items.slice(0, MEDIUM));

  it('delivers all 10,000 evaluations exactly once with no faults, one HTTP request per call', async () => {
    const run = await large.sweep({ rate: 0, seed: 1 });
    expect(sweepViolations(run)).toEqual([]);
    expect(run.report?.delivered).toBe(BUCKETS);
    expect(run.accepted.size).toBe(BUCKETS);
    expect(new Set(run.attemptsPerCall)).toEqual(new Set([1]));
    expect(run.requests.filter((r) => r.operation === 'PutEvaluations')).toHaveLength(BUCKETS / 100);
  }, 120_000);

  it.each([
    [1, BUCKETS],
    [2, MEDIUM],
    [3, MEDIUM],
  ])(
    '30%% transient faults on every HTTP request (seed %i, %i buckets): the SDK retries them, exactly once or a loud and complete failure',
    async (seed, size) => {
      const run = await (size === BUCKETS ? large : medium).sweep({ rate: 0.3, seed, kinds: TRANSIENT_KINDS });
      expect(run.injector.total).toBeGreaterThan(0);
      expect(sweepViolations(run, size === BUCKETS ? allIds : mediumIds)).toEqual([]);
      // The SDK, not bucketguard, retried the thrown faults; the retry-after Config sent reached its strategy.
      expect(run.sdkRetries.length).toBeGreaterThan(0);
      const hinted = run.sdkRetries.filter((r) => r.retryAfterMs !== undefined).map((r) => r.retryAfterMs ?? 0);
      expect(hinted.length).toBeGreaterThan(0);
      for (const ms of hinted) expect(Math.abs(ms - RETRY_AFTER_SECONDS * 1000)).toBeLessThan(100);
    },
    120_000,
  );

  it('30% transient faults on every HTTP request: every evaluation is eventually delivered across Config retries', async () => {
    const delivered = new Set<string>();
    let attempts = 0;
    let succeeded = false;
    while (!succeeded && attempts < 10) {
      attempts++;
      const run = await medium.sweep({ rate: 0.3, seed: 100 + attempts, kinds: TRANSIENT_KINDS });
      expect(sweepViolations(run, mediumIds)).toEqual([]);
      for (const id of run.accepted.keys()) delivered.add(id);
      succeeded = run.error === undefined;
    }
    expect(succeeded).toBe(true);
    expect(delivered.size).toBe(MEDIUM);
    totals.retriesToComplete.push(attempts);
  }, 300_000);

  it.each([4, 5])(
    '30%% faults of every kind, AccessDenied included (seed %i): fails loudly, loses nothing',
    async (seed) => {
      const run = await large.sweep({ rate: 0.3, seed });
      expect(run.injector.total).toBeGreaterThan(0);
      expect(sweepViolations(run)).toEqual([]);
    },
    120_000,
  );

  it('every PutEvaluations call fails: nothing is reported as delivered, everything evaluated is listed', async () => {
    const run = await medium.sweep({ rate: 1, seed: 7, operations: new Set(['PutEvaluations']), failedShare: 1 });
    expect(run.accepted.size).toBe(0);
    expect(run.error).toBeInstanceOf(EvaluationDeliveryError);
    expect((run.error as EvaluationDeliveryError).delivered).toBe(0);
    expect((run.error as EvaluationDeliveryError).undelivered).toHaveLength(MEDIUM);
    expect(sweepViolations(run, mediumIds)).toEqual([]);
  }, 120_000);
});

/**
 * One Config call under a fault pinned to it, on a 1,000-bucket sweep (the 7th call of its operation): the SDK's
 * retries are the only layer, and a fault that outlasts them fails the invocation naming what it did not deliver.
 * The retry path does not depend on the rule: one rule is enough.
 */
describe('s3-bucket-public-access-prohibited: periodic sweep on the advanced query (SelectResourceConfig) under faults', () => {
  const harness = new SweepHarness(publicAccessRule, items, 'advanced-query');
  const medium = new SweepHarness(publicAccessRule, items.slice(0, MEDIUM), 'advanced-query');

  it('delivers all 10,000 evaluations exactly once with no faults: 2 Config calls per 100 buckets', async () => {
    const run = await harness.sweep({ rate: 0, seed: 1 });
    expect(sweepViolations(run)).toEqual([]);
    expect(run.report?.delivered).toBe(BUCKETS);
    const calls = new Map<string, number>();
    for (const request of run.requests) calls.set(request.operation, (calls.get(request.operation) ?? 0) + 1);
    expect(Object.fromEntries(calls)).toEqual({ SelectResourceConfig: BUCKETS / 100, PutEvaluations: BUCKETS / 100 });
  }, 120_000);

  it.each([
    [11, 'transient'],
    [12, 'every kind, AccessDenied included'],
  ] as const)(
    '30%% faults (seed %i, %s): exactly once or a loud and complete failure',
    async (seed, kinds) => {
      const run = await medium.sweep({ rate: 0.3, seed, ...(kinds === 'transient' ? { kinds: TRANSIENT_KINDS } : {}) });
      expect(run.injector.total).toBeGreaterThan(0);
      expect(sweepViolations(run, mediumIds)).toEqual([]);
    },
    120_000,
  );
});

describe('s3-bucket-versioning-enabled: one Config call under a pinned fault', () => {
  const SMALL = 1_000;
  const smallItems = items.slice(0, SMALL);
  const smallIds = allIds.slice(0, SMALL);
  const harness = new SweepHarness(versioningRule, smallItems);
  const violations = (run: SweepRun) => sweepViolations(run, smallIds);

  it('a throttled ListDiscoveredResources page (4 attempts in a row) is retried by the SDK and the sweep completes', async () => {
    const pinned = { operation: 'ListDiscoveredResources', call: 7, fault: 'throttling', attempts: 4 } as const;
    const run = await harness.sweep({ rate: 0, seed: 1, pinned });
    expect(violations(run)).toEqual([]);
    expect(run.report?.delivered).toBe(SMALL);
    expect(run.attemptsPerCall.filter((n) => n > 1)).toEqual([MAX_ATTEMPTS]);
    expect(run.sleeps).toEqual([]);
  }, 120_000);

  it.each([
    ['throttling', 'ThrottlingException (400): Rate exceeded'],
    ['5xx', 'InternalFailure (500): Internal service error (injected)'],
    ['timeout', 'TimeoutError: the request socket timed out (injected)'],
  ] as const)(
    'a PutEvaluations %s that outlasts the SDK: maxAttempts requests, then the batch is listed undelivered',
    async (fault, described) => {
      const run = await harness.sweep({ rate: 0, seed: 1, pinned: { operation: 'PutEvaluations', call: 7, fault } });
      expect(violations(run)).toEqual([]);
      expect(run.attemptsPerCall.filter((n) => n > 1)).toEqual([MAX_ATTEMPTS]);
      const error = run.error as EvaluationDeliveryError;
      expect(error).toBeInstanceOf(EvaluationDeliveryError);
      expect(error.delivered).toBe(SMALL - 100);
      expect(error.undelivered.map((u) => u.resourceId)).toEqual(smallIds.slice(600, 700));
      expect(new Set(error.undelivered.map((u) => u.reason))).toEqual(
        new Set([`PutEvaluations failed: ${described} after ${MAX_ATTEMPTS} SDK attempt(s)`]),
      );
      expect(run.accepted.size).toBe(SMALL - 100);
    },
    120_000,
  );

  it('a ListDiscoveredResources 5xx that outlasts the SDK ends the sweep loudly after what was delivered', async () => {
    const pinned = { operation: 'ListDiscoveredResources', call: 7, fault: '5xx' } as const;
    const run = await harness.sweep({ rate: 0, seed: 1, pinned });
    expect(violations(run)).toEqual([]);
    expect((run.error as Error).name).toBe('InternalFailure');
    expect(run.accepted.size).toBe(600);
    expect(run.attemptsPerCall.filter((n) => n > 1)).toEqual([MAX_ATTEMPTS]);
  }, 120_000);
});

afterAll(() => {
  // The figures quoted in the report: faults injected by kind, and evaluations lost / duplicated / misreported (all 0).
  process.stdout.write(`\n[faults] rule sweeps: ${JSON.stringify(totals)}\n`);
});
