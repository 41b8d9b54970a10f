/** fuzz-lite: the CLI input loader's properties with a few thousand cases (FUZZ_RUNS overrides). */

import { runLoaderFileProperty, runLoaderProperty } from '../fuzz/properties/loader-properties';
import { fuzzRuns, fuzzSeed } from '../support/fuzz-settings';

const runs = fuzzRuns(2_000);

it(`classifies or reports every unit and item of ${runs} generated and mutated inputs, never throwing`, async () => {
  expect(await runLoaderProperty({ numRuns: runs, seed: fuzzSeed() })).toBe(runs);
}, 300_000);

it(`reads or reports every one of ${Math.ceil(runs / 20)} sets of files with any content`, async () => {
  const n = Math.ceil(runs / 20);
  expect(await runLoaderFileProperty({ numRuns: n, seed: fuzzSeed() })).toBe(n);
}, 300_000);
