/**
 * Which files the CLI reads for a list of paths (directories recursively, sorted by name), and their bytes, chunk
 * by chunk, gunzipped when the file is gzip (by its magic bytes, whatever its name: Config delivers snapshots and
 * history files to S3 as `.json.gz`). A directory or file reached twice (a symlink loop, or two paths to one place)
 * is read once: visited real paths are tracked, so a loop neither hangs nor reads a file twice.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface InputMessage {
  readonly source: string;
  readonly message: string;
}

/** What the walk found, in walking order: a file to read, a path that could not be read, or one skipped on purpose. */
export type InputEntry =
  | { readonly file: string }
  | { readonly problem: InputMessage }
  | { readonly note: InputMessage };

export interface InputFiles {
  readonly entries: readonly InputEntry[];
  /** The files alone, in order. */
  readonly files: readonly string[];
}

/** Names read when found in a directory (a file named explicitly is read whatever its name). */
const READ_SUFFIXES = ['.json', '.json.gz', '.jsonl', '.jsonl.gz', '.ndjson', '.ndjson.gz'];
export const SKIPPED_NOTE = 'skipped (not a .json, .jsonl or .json.gz file)';

export function isReadableName(name: string): boolean {
  const lower = name.toLowerCase();
  return READ_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/** JSON Lines files name each document by its line (`file#line3`). */
export function isJsonLinesName(name: string): boolean {
  return /\.(jsonl|ndjson)(\.gz)?$/i.test(name);
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Walks `paths` (files or directories, recursively, sorted by name). Never throws. */
export async function listInputFiles(paths: readonly string[]): Promise<InputFiles> {
  const entries: InputEntry[] = [];
  const files = { push: (file: string) => entries.push({ file }) };
  const problems = { push: (problem: InputMessage) => entries.push({ problem }) };
  const notes = { push: (note: InputMessage) => entries.push({ note }) };
  const visited = new Set<string>();

  /** False when this real path was already visited (then said once as a note). */
  const firstVisit = async (path: string): Promise<boolean> => {
    const real = await realpath(path).catch(() => path);
    if (visited.has(real)) {
      notes.push({ source: path, message: 'skipped (already read through another path)' });
      return false;
    }
    visited.add(real);
    return true;
  };

  const walk = async (dir: string): Promise<void> => {
    let entries: string[];
    try {
      entries = (await readdir(dir)).sort(byName);
    } catch (error) {
      problems.push({ source: dir, message: `cannot read the directory (${(error as Error).message})` });
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const path = join(dir, entry);
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory()) {
        if (await firstVisit(path)) await walk(path);
      } else if (isReadableName(entry)) {
        if (await firstVisit(path)) files.push(path);
      } else {
        notes.push({ source: path, message: SKIPPED_NOTE });
      }
    }
  };

  for (const path of paths) {
    const found = await stat(path).then(
      (info) => ({ info }),
      (error: unknown) => ({ error }),
    );
    if ('error' in found) {
      const message = (found.error as { message?: unknown }).message;
      problems.push({ source: path, message: `no such file or directory (${String(message)})` });
    } else if (found.info.isDirectory()) {
      if (await firstVisit(path)) await walk(path);
    } else if (await firstVisit(path)) {
      // A file named explicitly is read whatever its extension.
      files.push(path);
    }
  }
  return {
    entries,
    files: entries.flatMap((entry) => ('file' in entry ? [entry.file] : [])),
  };
}

const CHUNK_BYTES = 1 << 16;

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The file's bytes, chunk by chunk (gunzipped if gzip). Errors (unreadable, corrupt gzip) reject the iteration. */
export async function openInputChunks(file: string): Promise<AsyncIterable<Buffer>> {
  const gzip = await isGzip(file);
  const source = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  if (!gzip) return source;
  const gunzipped: Readable = pipeline(source, createGunzip({ chunkSize: CHUNK_BYTES }), () => {
    // Errors reach the reader through the stream it iterates.
  });
  return gunzipped;
}
