/**
 * fuzz-lite: the rule-handler properties of `npm run fuzz` with 2,000 cases per handler, inside `npm test`
 * (60% any input, 30% damaged items, 10% sweeps). FUZZ_RUNS overrides the count.
 */
import { RULES } from '../../rules';
import { RuleHarness } from '../fuzz/harness/rule-harness';
import { runRuleHandlerFuzz } from '../fuzz/properties/rule-properties';
import { fuzzRuns, fuzzSeed } from '../support/fuzz-settings';

const total = fuzzRuns(2_000);

describe.each(RULES.map((rule) => [rule.id, rule] as const))('%s handler (fuzz-lite)', (_id, rule) => {
  it(`keeps every invariant for ${total} generated, damaged and garbage events`, async () => {
    const counts = await runRuleHandlerFuzz(new RuleHarness(rule), total, fuzzSeed());
    expect(counts.total).toBe(total);
    // The damage property judged real damage, not only mutations it had to skip.
    expect(counts.damaged).toBeGreaterThan(counts.damage / 4);
  }, 300_000);
});
