/**
 * npm run fuzz: the remediation and notify Lambdas, 100,000 generated cases each (FUZZ_RUNS overrides), against a
 * fake S3 whose answers (values, "not configured", errors, failing or ignored writes) are generated too.
 */
import { fuzzRuns, fuzzSeed } from '../support/fuzz-settings';
import { ResponseHarness } from './harness/response-harness';
import { DRY_RUN, REMEDIATE_ALL, REMEDIATE_PARTIAL_FLAGS, runResponseProperty } from './properties/response-properties';

const total = fuzzRuns(100_000);

it(`remediation: never loosens, never duplicates, mails every failure, for ${total} cases`, async () => {
  const started = Date.now();
  const harnesses = [
    new ResponseHarness(REMEDIATE_ALL),
    new ResponseHarness(REMEDIATE_PARTIAL_FLAGS),
    new ResponseHarness(DRY_RUN),
  ];
  const stats = await runResponseProperty('remediation', harnesses, { numRuns: total, seed: fuzzSeed() });
  expect(stats.cases).toBe(total);
  expect(stats.writes).toBeGreaterThan(0);
  process.stdout.write(
    `[fuzz] remediation: ${JSON.stringify(stats)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}, 3_600_000);

it(`notify: mails what it routes, never touches S3, for ${total} cases`, async () => {
  const started = Date.now();
  const harnesses = [new ResponseHarness(REMEDIATE_ALL), new ResponseHarness(DRY_RUN)];
  const stats = await runResponseProperty('notify', harnesses, { numRuns: total, seed: fuzzSeed() + 1 });
  expect(stats.cases).toBe(total);
  expect(stats.emails).toBeGreaterThan(0);
  process.stdout.write(`[fuzz] notify: ${JSON.stringify(stats)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}, 3_600_000);
