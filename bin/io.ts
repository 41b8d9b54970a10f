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
