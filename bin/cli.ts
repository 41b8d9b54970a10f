#!/usr/bin/env node
/** The `bucketguard` command (package.json "bin": the compiled lib/bin/cli.js; in the repo, run through tsx). */
import { checkTemplate } from './commands/check-template';
import { evaluate } from './commands/evaluate';
import { explain } from './commands/explain';
import { replay } from './commands/replay';
import { scan } from './commands/scan';
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

const COMMANDS: Readonly<Record<string, Command>> = {
  replay,
  evaluate,
  explain,
  'check-template': checkTemplate,
  scan,
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
  const command = COMMANDS[name];
  if (!command) {
    io.err(`bucketguard: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
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
