/** Captures what a CLI command writes; paths relative to the repository. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../bin/io';

export const REPO = join(__dirname, '..', '..');
export const EVENTS = join(REPO, 'events');

export interface CapturedIo extends CliIo {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function captureIo(): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (text) => out.push(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => err.push(text.endsWith('\n') ? text : `${text}\n`),
    isTTY: false,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

/** A temporary directory with the given files (name -> content; objects are JSON-encoded). */
export function tempInputs(files: Record<string, unknown>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bucketguard-test-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
