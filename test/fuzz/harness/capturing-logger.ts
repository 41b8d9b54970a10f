import { Logger } from '@aws-lambda-powertools/logger';

export type LogLevelName = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface CapturedLog {
  readonly level: LogLevelName;
  readonly message: string;
  /** The structured attributes passed with the message (merged, as Powertools would print them). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

type LogArgs = Parameters<Logger['error']>;

/**
 * A Powertools Logger that keeps what the code under test logs instead of printing it: cheap enough for 100,000
 * invocations, and it lets a property assert that bad input was logged with a reason.
 */
export class CapturingLogger extends Logger {
  readonly entries: CapturedLog[] = [];

  constructor() {
    super({ serviceName: 'bucketguard-fuzz', logLevel: 'SILENT' });
  }

  private capture(level: LogLevelName, [input, ...extra]: LogArgs): void {
    const attributes: Record<string, unknown> = {};
    let message: string;
    if (typeof input === 'string') message = input;
    else {
      const { message: text, ...rest } = input as { message: unknown } & Record<string, unknown>;
      message = String(text);
      Object.assign(attributes, rest);
    }
    for (const item of extra) {
      if (item instanceof Error) attributes.error = { name: item.name, message: item.message };
      else if (typeof item === 'string') attributes.extra = item;
      else if (typeof item === 'object' && item !== null) Object.assign(attributes, item);
    }
    this.entries.push({ level, message, attributes });
  }

  override debug(...args: LogArgs): void {
    this.capture('DEBUG', args);
  }
  override info(...args: LogArgs): void {
    this.capture('INFO', args);
  }
  override warn(...args: LogArgs): void {
    this.capture('WARN', args);
  }
  override error(...args: LogArgs): void {
    this.capture('ERROR', args);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Entries at WARN or ERROR whose attributes carry a non-empty reason (problem / reason / error / undelivered). */
  reasoned(): CapturedLog[] {
    return this.entries.filter(
      (entry) =>
        (entry.level === 'WARN' || entry.level === 'ERROR') &&
        ['problem', 'reason', 'error', 'undelivered', 'why', 'buckets'].some((key) => {
          const value = entry.attributes[key];
          return (
            (typeof value === 'string' && value.trim() !== '') ||
            (Array.isArray(value) && value.length > 0) ||
            (typeof value === 'object' && value !== null)
          );
        }),
    );
  }
}
