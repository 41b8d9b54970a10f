/**
 * npm run fuzz: the CLI's input loader, 100,000 generated and mutated inputs (FUZZ_RUNS overrides), plus one set of
 * files on disk per 50 cases (any content: valid, truncated, BOM, empty, binary).
 */
import { fuzzRuns, fuzzSeed } from '../support/fuzz-settings';
import { runLoaderFileProperty, runLoaderProperty } from './properties/loader-properties';

const total = fuzzRuns(100_000);

it(`classifies or reports every unit of ${total} inputs and never throws`, async () => {
  const started = Date.now();
  expect(await runLoaderProperty({ numRuns: total, seed: fuzzSeed() })).toBe(total);
  const files = Math.ceil(total / 50);
  expect(await runLoaderFileProperty({ numRuns: files, seed: fuzzSeed() + 1 })).toBe(files);
  process.stdout.write(
    `[fuzz] loader: ${total} inputs + ${files} file sets in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}, 3_600_000);
