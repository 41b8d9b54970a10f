/**
 * fuzz-lite: the remediation and notify Lambda properties of `npm run fuzz` with a few thousand cases each.
 * FUZZ_RUNS overrides the count.
 */

import { ResponseHarness } from '../fuzz/harness/response-harness';
import {
  DRY_RUN,
  REMEDIATE_ALL,
  REMEDIATE_PARTIAL_FLAGS,
  runResponseProperty,
} from '../fuzz/properties/response-properties';
import { fuzzRuns, fuzzSeed } from '../support/fuzz-settings';

const runs = fuzzRuns(2_000);
const options = { numRuns: runs, seed: fuzzSeed() };

describe('remediation handler (fuzz-lite)', () => {
  const harnesses = [
    new ResponseHarness(REMEDIATE_ALL),
    new ResponseHarness(REMEDIATE_PARTIAL_FLAGS),
    new ResponseHarness(DRY_RUN),
  ];

  it(`never loosens, never duplicates, mails every failure, for ${runs} generated and mutated events`, async () => {
    const stats = await runResponseProperty('remediation', harnesses, options);
    expect(stats.cases).toBe(runs);
    // The run must have exercised the paths it proves things about, not just rejected garbage.
    expect(stats.writes).toBeGreaterThan(runs / 50);
    expect(stats.outcomes.changed).toBeGreaterThan(0);
    expect(stats.outcomes.failed).toBeGreaterThan(0);
    expect(stats.outcomes.skipped).toBeGreaterThan(0);
    expect(stats.emails).toBeGreaterThan(runs / 10);
  }, 300_000);
});

describe('notify handler (fuzz-lite)', () => {
  const harnesses = [new ResponseHarness(REMEDIATE_ALL), new ResponseHarness(DRY_RUN)];

  it(`mails what it routes and never touches S3, for ${runs} generated and mutated events`, async () => {
    const stats = await runResponseProperty('notify', harnesses, options);
    expect(stats.cases).toBe(runs);
    expect(stats.emails).toBeGreaterThan(runs / 20);
    expect(stats.invalid).toBeGreaterThan(0);
  }, 300_000);
});
