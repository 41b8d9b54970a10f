/**
 * Runs `task` over `items` with at most `limit` in flight; results keep the input order. Workers pull the next
 * index as soon as one finishes, so one slow bucket never holds a whole batch back.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Runs `task` once a slot of the pool is free; resolves or rejects with the task's own result. */
export type Scheduled = <R>(task: () => Promise<R>) => Promise<R>;

/**
 * One bound shared by many producers (an organization scan: every account's setup and every bucket of every
 * account): at most `limit` tasks run at once. Two queues: `first` (bucket reads) is always served before `later`
 * (entering the next account), so accounts are finished before new ones are opened and the pool never idles while
 * work waits. FIFO within each queue.
 */
export interface SharedPool {
  readonly first: Scheduled;
  readonly later: Scheduled;
  /** The most tasks ever running at once (the bench and the tests check the bound). */
  readonly peak: () => number;
}

export function createSharedPool(limit: number): SharedPool {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  const queues: [Array<() => void>, Array<() => void>] = [[], []];
  let running = 0;
  let peak = 0;
  const pump = (): void => {
    while (running < limit) {
      const start = queues[0].shift() ?? queues[1].shift();
      if (!start) return;
      running++;
      peak = Math.max(peak, running);
      start();
    }
  };
  const schedule =
    (queue: 0 | 1): Scheduled =>
    <R>(task: () => Promise<R>) =>
      new Promise<R>((resolve, reject) => {
        queues[queue].push(() => {
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              running--;
              pump();
            });
        });
        pump();
      });
  return { first: schedule(0), later: schedule(1), peak: () => peak };
}
