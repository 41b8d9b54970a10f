/**
 * npm run fuzz: rule Lambda handlers 4-6 of the registry, 100,000 generated cases each (FUZZ_RUNS overrides):
 * 60% any input (generated, recorded, mutated, garbage, 10,000-statement policies, 1 MB items), 30% damaged
 * configuration items judged against the undamaged ones, 10% periodic sweeps. Split in two files so
 * `--maxWorkers=2` runs them on both cores.
 */
import { RULES } from '../../rules/index';
import { fuzzRuns, fuzzSeed } from '../support/arbitraries';
import { RuleHarness } from './harness/rule-harness';
import { runRuleHandlerFuzz } from './properties/rule-properties';

const total = fuzzRuns(100_000);

describe.each(RULES.slice(3).map((rule) => [rule.id, rule] as const))('%s handler', (id, rule) => {
  it(`keeps every invariant for ${total} generated cases`, async () => {
    const started = Date.now();
    const counts = await runRuleHandlerFuzz(new RuleHarness(rule), total, fuzzSeed());
    expect(counts.total).toBe(total);
    process.stdout.write(
      `[fuzz] ${id}: ${JSON.stringify(counts)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }, 3_600_000);
});
