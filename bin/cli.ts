#!/usr/bin/env node
/** The `bucketguard` command (package.json "bin": the compiled lib/bin/cli.js; in the repo, run through tsx). */
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './exit-codes';
import { type CliIo, type Command, endQuietlyOnBrokenPipe, processIo, UsageError } from './io';
import { packageVersion } from './package-info';

const USAGE = `bucketguard: keep S3 buckets from silently becoming public

Usage:
  bucketguard replay [file|dir]...        run recorded events through the real Lambda handlers, offline
                                          (default: the events shipped with bucketguard)
  bucketguard evaluate <file|dir>...      evaluate configuration items with every rule
  bucketguard explain <file|dir>...       show the exposure analysis of each bucket, layer by layer
  bucketguard check-template <file|dir>...  evaluate the S3 buckets of CloudFormation templates before deploy
  bucketguard scan [--endpoint URL]       read a live account (or any S3-compatible endpoint) and evaluate it
  bucketguard --version                   print the version

Run "bucketguard <command> --help" for a command's options.

Exit codes (every command): ${EXIT_OK} done (findings or not); ${EXIT_ERROR} error (nothing could be processed, a failed
invocation or remediation); ${EXIT_USAGE} usage error; ${EXIT_FINDINGS} findings, with --fail-on-findings (evaluate,
check-template, scan).`;

/**
 * Each command is loaded when it runs: `evaluate` and `explain` then never load the AWS SDK clients that `scan` and
 * `replay` need (a shorter start, and tens of MB less memory under a large snapshot).
 */
const COMMANDS: Readonly<Record<string, () => Command>> = {
  replay: () => (require('./commands/replay') as typeof import('./commands/replay')).replay,
  evaluate: () => (require('./commands/evaluate') as typeof import('./commands/evaluate')).evaluate,
  explain: () => (require('./commands/explain') as typeof import('./commands/explain')).explain,
  'check-template': () =>
    (require('./commands/check-template') as typeof import('./commands/check-template')).checkTemplate,
  scan: () => (require('./commands/scan') as typeof import('./commands/scan')).scan,
};

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === '--version') {
    io.out(packageVersion());
    return EXIT_OK;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`bucketguard: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const command = load();
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`bucketguard ${name}: ${error.message}`);
      return EXIT_USAGE;
    }
    io.err(`bucketguard ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_ERROR;
  }
}

if (require.main === module) {
  endQuietlyOnBrokenPipe();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bucketguard: ${String(error)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
