/**
 * The `npm run fuzz` suite for rule Lambda handlers, 100,000 generated cases each (FUZZ_RUNS overrides):
 * 60% any input (generated, recorded, mutated, garbage, 10,000-statement policies, 1 MB items), 30% damaged
 * configuration items judged against the undamaged ones, 10% periodic sweeps. rules-a.fuzz.ts and rules-b.fuzz.ts
 * each run half of the registry, so `--maxWorkers=2` runs them on both cores.
 */
import type { RuleDefinition } from '../../../model/rule-definition';
import { fuzzRuns, fuzzSeed } from '../../support/fuzz-settings';
import { runRuleHandlerFuzz } from '../properties/rule-properties';
import { RuleHarness } from './rule-harness';

export function describeRuleHandlerFuzz(rules: readonly RuleDefinition[]): void {
  const total = fuzzRuns(100_000);

  describe.each(rules.map((rule) => [rule.id, rule] as const))('%s handler', (id, rule) => {
    it(`keeps every invariant for ${total} generated cases`, async () => {
      const started = Date.now();
      const counts = await runRuleHandlerFuzz(new RuleHarness(rule), total, fuzzSeed());
      expect(counts.total).toBe(total);
      process.stdout.write(
        `[fuzz] ${id}: ${JSON.stringify(counts)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }, 3_600_000);
  });
}
