import fc from 'fast-check';

export interface PropertyRunOptions {
  readonly numRuns: number;
  readonly seed: number;
}

/**
 * fc.assert with a compact failure report: the violation list (already bounded by assertNoViolations), the seed and
 * the replay path, not a multi-megabyte dump of a 1 MB counterexample.
 */
export async function assertProperty<T>(
  property: fc.IAsyncPropertyWithHooks<T>,
  options: PropertyRunOptions,
): Promise<void> {
  await fc.assert(property, {
    numRuns: options.numRuns,
    seed: options.seed,
    endOnFailure: true,
    asyncReporter: async (details) => {
      if (!details.failed) return;
      const cause =
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(
        `Property failed after ${details.numRuns} case(s) (seed ${details.seed}, path "${details.counterexamplePath}"; ` +
          `replay with FUZZ_SEED=${details.seed}):\n${cause.slice(0, 6_000)}`,
      );
    },
  });
}
