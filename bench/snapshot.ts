/**
 * Snapshots bigger than memory: `bucketguard evaluate` on generated Config snapshots (bench/snapshot-files.ts, the
 * account's AccountPublicAccessBlock item last), 50 MB and 500 MB of JSON.
 *  - peak memory: the CLI as a user runs it (bundled by esbuild), its own peak RSS, report to /dev/null;
 *  - throughput: in this process, on a 20 MB snapshot, the streaming path (file -> rows, both passes: the account
 *    items first, then every item) against "parse + evaluate" (the same text already in memory: JSON.parse of the
 *    whole, classify, normalise, every rule), paired in rounds, the order alternating; the ratio is the median of the
 *    per-round ratios.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { classifyDocument } from '../bin/classify';
import { evaluateLoaded, evaluateStreaming } from '../bin/commands/evaluate';
import { RULES } from '../rules';
import { snapshotTemplates, writeSnapshot } from './snapshot-files';

const MB = 1_000_000;
const MEMORY_TARGET_MB = 150;
const THROUGHPUT_TARGET = 1.2;
const ROUNDS = 3;

function bundleCli(): string {
  const outfile = join(__dirname, 'out', 'cli.js');
  buildSync({
    entryPoints: [join(__dirname, '..', 'bin', 'cli.ts')],
    bundle: true,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'cjs',
    outfile,
    external: ['@aws-sdk/client-*', '@smithy/*', '@aws-lambda-powertools/*'],
    logLevel: 'warning',
  });
  return outfile;
}

function runCli(cli: string, args: readonly string[]): Promise<{ maxRssMb: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', join(__dirname, 'max-rss.js'), cli, ...args], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let report = '';
    let stderr = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      report += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || !report) {
        reject(new Error(`evaluate exited ${code}: ${stderr.slice(-300)}`));
        return;
      }
      const { maxRssKb } = JSON.parse(report) as { maxRssKb: number };
      resolve({ maxRssMb: maxRssKb / 1024, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

async function streamed(file: string): Promise<number> {
  let rows = 0;
  await evaluateStreaming([file], RULES, { now: new Date('2026-01-06T00:00:00.000Z') }, async () => {
    rows++;
  });
  return rows;
}

function inMemory(text: string, file: string): number {
  const value: unknown = JSON.parse(text);
  const { documents, problems } = classifyDocument(value, file, file);
  const outcome = evaluateLoaded({ documents, problems, notes: [], filesRead: 1 }, RULES, {
    now: new Date('2026-01-06T00:00:00.000Z'),
  });
  return outcome.rows.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function runSnapshotBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bucketguard-bench-'));
  try {
    const templates = snapshotTemplates(join(__dirname, '..', 'events'));
    const small = await writeSnapshot(join(dir, 'snapshot-50mb.json'), 50 * MB, templates, false);
    const large = await writeSnapshot(join(dir, 'snapshot-500mb.json.gz'), 500 * MB, templates, true);
    const cli = bundleCli();
    const lines = [
      `generated Config snapshots (${templates.length} fixture bucket items renamed, the AccountPublicAccessBlock item last): ` +
        `50 MB = ${small.items.toLocaleString('en-US')} items, 500 MB = ${large.items.toLocaleString('en-US')} items`,
    ];
    const memory: { label: string; maxRssMb: number }[] = [];
    for (const [label, file] of [
      ['50 MB .json', small],
      ['500 MB .json.gz', large],
    ] as const) {
      const run = await runCli(cli, ['evaluate', file.path, '--format', 'csv']);
      memory.push({ label, maxRssMb: run.maxRssMb });
      lines.push(
        `  bucketguard evaluate ${label} --format csv > /dev/null: ${run.seconds.toFixed(1)} s (${(file.bytes / MB / run.seconds).toFixed(0)} MB/s of JSON), peak RSS ${run.maxRssMb.toFixed(0)} MB [target <= ${MEMORY_TARGET_MB}]`,
      );
    }
    const first = memory[0].maxRssMb;
    const last = memory[memory.length - 1].maxRssMb;
    lines.push(`  peak memory 500 MB / 50 MB: ${(last / first).toFixed(2)}x (flat in the input size)`);

    // Throughput on a 20 MB snapshot: the same code path, a shorter bench.
    const medium = await writeSnapshot(join(dir, 'snapshot-20mb.json'), 20 * MB, templates, false);
    const text = readFileSync(medium.path, 'utf8');
    const ratios: number[] = [];
    const times = { streamed: [] as number[], inMemory: [] as number[] };
    let rows = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['streamed', 'inMemory'] : ['inMemory', 'streamed'];
      const took: Record<string, number> = {};
      for (const side of order) {
        const started = process.hrtime.bigint();
        rows = side === 'streamed' ? await streamed(medium.path) : inMemory(text, medium.path);
        took[side] = Number(process.hrtime.bigint() - started) / 1e6;
      }
      times.streamed.push(took.streamed);
      times.inMemory.push(took.inMemory);
      ratios.push(took.streamed / took.inMemory);
    }
    lines.push(
      `  20 MB, ${rows.toLocaleString('en-US')} rows: streamed from the file ${median(times.streamed).toFixed(0)} ms, parse + evaluate in memory ${median(times.inMemory).toFixed(0)} ms (${ROUNDS} paired rounds)`,
      `snapshot throughput: streamed / (parse + evaluate) = ${median(ratios).toFixed(2)}x [target <= ${THROUGHPUT_TARGET}]; peak memory ${Math.max(...memory.map((m) => m.maxRssMb)).toFixed(0)} MB [target <= ${MEMORY_TARGET_MB}]`,
    );
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
