/**
 * Fault injection on a periodic sweep of 10,000 buckets: throttling (with and without retry-after), 5xx, timeouts,
 * AccessDenied, FailedEvaluations for part of a batch and unprocessed BatchGetResourceConfig keys, on every AWS call
 * the rule Lambda makes, from deterministic seeded schedules (the backoff sleeper is injected: nothing waits).
 *
 * Per invocation: each bucket is accepted by PutEvaluations at most once; when the invocation succeeds every bucket
 * was accepted; when it fails, it fails with a typed error that lists every evaluated bucket Config did not accept;
 * and the delivered count it reports (or logs) is exactly what Config accepted. Across Config's retries, every
 * bucket is eventually delivered.
 */

import { EvaluationDeliveryError } from '../../rules/config-protocol/put-evaluations';
import { rule as publicAccessRule } from '../../rules/s3-bucket-public-access-prohibited';
import { rule as versioningRule } from '../../rules/s3-bucket-versioning-enabled';
import { addCounts } from './support/fault-injector';
import { inventory, SweepHarness, type SweepRun, TRANSIENT_KINDS } from './support/sweep-harness';

const BUCKETS = 10_000;
const items = inventory(BUCKETS);
const allIds = items.map((item) => String(item.resourceId));

/** Totals over the whole suite, printed at the end (the figures in the report). */
const totals = {
  invocations: 0,
  failedLoudly: 0,
  faults: {} as Record<string, number>,
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
function sweepViolations(run: SweepRun): string[] {
  const problems: string[] = [];
  totals.invocations++;
  addCounts(totals.faults, run.injector.injected);
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
    const missing = allIds.filter((id) => !run.accepted.has(id));
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
    const name = (run.error as { name?: unknown }).name;
    if (
      ![
        'ThrottlingException',
        'InternalFailure',
        'TimeoutError',
        'AccessDeniedException',
        'SlowDown',
        'InternalError',
        'AccessDenied',
      ].includes(String(name))
    ) {
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

describe.each([
  ['s3-bucket-public-access-prohibited', publicAccessRule],
  ['s3-bucket-versioning-enabled', versioningRule],
] as const)('%s: periodic sweep of 10,000 buckets under faults', (_id, rule) => {
  const harness = new SweepHarness(rule, items);

  it('delivers all 10,000 evaluations exactly once with no faults', async () => {
    const run = await harness.sweep({ rate: 0, seed: 1 });
    expect(sweepViolations(run)).toEqual([]);
    expect(run.report?.delivered).toBe(BUCKETS);
    expect(run.accepted.size).toBe(BUCKETS);
  }, 120_000);

  it.each([1, 2, 3])(
    '30%% transient faults on every call (seed %i): exactly once, or a loud and complete failure',
    async (seed) => {
      const run = await harness.sweep({ rate: 0.3, seed, kinds: TRANSIENT_KINDS });
      expect(run.injector.total).toBeGreaterThan(0);
      expect(sweepViolations(run)).toEqual([]);
    },
    120_000,
  );

  it('30% transient faults on every call: every evaluation is eventually delivered across Config retries', async () => {
    const delivered = new Set<string>();
    let attempts = 0;
    let succeeded = false;
    while (!succeeded && attempts < 10) {
      attempts++;
      const run = await harness.sweep({ rate: 0.3, seed: 100 + attempts, kinds: TRANSIENT_KINDS });
      expect(sweepViolations(run)).toEqual([]);
      for (const id of run.accepted.keys()) delivered.add(id);
      succeeded = run.error === undefined;
    }
    expect(succeeded).toBe(true);
    expect(delivered.size).toBe(BUCKETS);
    totals.retriesToComplete.push(attempts);
  }, 300_000);

  it.each([4, 5])(
    '30%% faults of every kind, AccessDenied included (seed %i): fails loudly, loses nothing',
    async (seed) => {
      const run = await harness.sweep({ rate: 0.3, seed });
      expect(run.injector.total).toBeGreaterThan(0);
      expect(sweepViolations(run)).toEqual([]);
    },
    120_000,
  );

  it('every PutEvaluations call fails: nothing is reported as delivered, everything evaluated is listed', async () => {
    const run = await harness.sweep({ rate: 1, seed: 7, operations: new Set(['PutEvaluations']), failedShare: 1 });
    expect(run.accepted.size).toBe(0);
    expect(run.error).toBeInstanceOf(EvaluationDeliveryError);
    expect((run.error as EvaluationDeliveryError).delivered).toBe(0);
    expect((run.error as EvaluationDeliveryError).undelivered).toHaveLength(BUCKETS);
    expect(sweepViolations(run)).toEqual([]);
  }, 120_000);
});

afterAll(() => {
  // The figures quoted in the report: faults injected by kind, and evaluations lost / duplicated / misreported (all 0).
  process.stdout.write(`\n[faults] rule sweeps: ${JSON.stringify(totals)}\n`);
});
