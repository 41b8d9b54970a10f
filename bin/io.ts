/** What a CLI command writes to; injected so tests capture output without touching process streams. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stderr is a terminal (progress bars only then). */
  readonly isTTY: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
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
