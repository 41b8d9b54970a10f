/**
 * Fuzz run counts and seed, from the environment (FUZZ_RUNS, FUZZ_DEFAULT_RUNS, FUZZ_SEED).
 */

/**
 * Cases per handler: FUZZ_RUNS when set; else FUZZ_DEFAULT_RUNS (test/fuzz/setup-fuzz.ts sets 100,000 for
 * `npm run fuzz`); else `defaultRuns` (fuzz-lite in `npm test`: a few thousand).
 */
export function fuzzRuns(defaultRuns: number): number {
  for (const raw of [process.env.FUZZ_RUNS, process.env.FUZZ_DEFAULT_RUNS]) {
    const parsed = raw === undefined ? Number.NaN : Number(raw);
    if (Number.isInteger(parsed) && parsed > 0) return parsed;
  }
  return defaultRuns;
}

/** A fixed seed unless FUZZ_SEED is set, so CI failures reproduce; fast-check prints the seed and path on failure. */
export function fuzzSeed(): number {
  const raw = process.env.FUZZ_SEED;
  const parsed = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(parsed) ? parsed : 0x5eed;
}
