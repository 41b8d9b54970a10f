/**
 * Setup of the `npm run fuzz` suite (jest.fuzz.config.js): 100,000 cases per handler unless FUZZ_RUNS says
 * otherwise, a fixed seed unless FUZZ_SEED says otherwise (a failure prints the seed and path to replay it), and the
 * same quiet, offline environment as the unit tests (test/setup-env.ts runs first).
 */
process.env.FUZZ_DEFAULT_RUNS ??= '100000';
