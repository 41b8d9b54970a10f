/** What a CLI command writes to; injected so tests capture output without touching process streams. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /**
   * Writes a chunk of a streamed report as it is (no newline added); resolves when the stream can take more, so a
   * million-row report never piles up in memory. Absent: `out` is used (chunks always end with a newline).
   */
  readonly write?: (chunk: string) => Promise<void>;
  /** True when stderr is a terminal (progress bars only then). */
  readonly isTTY: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  write: (chunk) =>
    new Promise<void>((resolve, reject) => {
      // Resolved once the chunk is handed over; when the stream is full, only after it drained.
      const ok = process.stdout.write(chunk, (error) => (error ? reject(error) : undefined));
      if (ok) resolve();
      else process.stdout.once('drain', () => resolve());
    }),
  isTTY: Boolean(process.stderr.isTTY),
};

/** A command: parses its own arguments, returns the exit code; throws UsageError for bad arguments. */
export type Command = (args: readonly string[], io: CliIo) => Promise<number>;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * `bucketguard ... | head`: when the reader of stdout goes away, stop at once and quietly (exit 0), instead of
 * dying on an unhandled EPIPE with a stack trace. Any other stdout error still fails loudly.
 */
export function endQuietlyOnBrokenPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
