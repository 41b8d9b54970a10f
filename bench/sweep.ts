/**
 * Sweeps at every size: 10k, 100k and 1M buckets on the advanced-query path and 10k on the list-and-batch
 * fallback, each in its own process (bench/sweep-driver.ts, bundled like the Lambdas) so that its peak memory is its
 * own, against a stand-in Config with 50 ms per call on a simulated clock; a sweep continues in new invocations of
 * the deployed 5-minute timeout whenever the time left runs short.
 *
 * The sweeps are CPU work and memory figures, not timing ratios: they start in the background when the bench starts
 * its CPU-bound sections (startSweeps) and are collected by their section, which keeps `npm run bench` under three
 * minutes on two cores.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const RUNS = [
  { buckets: 10_000, path: 'advanced-query' },
  { buckets: 100_000, path: 'advanced-query' },
  { buckets: 1_000_000, path: 'advanced-query' },
  { buckets: 10_000, path: 'list-and-batch' },
] as const;
/** Config calls per 100 buckets. */
const CALLS_TARGET = 2.1;

interface DriverResult {
  readonly buckets: number;
  readonly path: string;
  readonly calls: Readonly<Record<string, number>>;
  readonly delivered: number;
  readonly distinctDelivered: number;
  readonly invocations: number;
  readonly simulatedSeconds: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly baseRssMb: number;
  readonly peakHeapMb: number;
}

function bundleDriver(): string {
  const outfile = join(__dirname, 'out', 'sweep-driver.js');
  buildSync({
    entryPoints: [join(__dirname, 'sweep-driver.ts')],
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

function runDriver(driver: string, buckets: number, path: string): Promise<DriverResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [driver, String(buckets), path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`sweep of ${buckets} failed: ${err.slice(-300)}`));
      else resolve(JSON.parse(line) as DriverResult);
    });
  });
}

let started: Promise<DriverResult[]> | undefined;

/** Starts the sweeps one after the other in the background (idempotent). */
export function startSweeps(): Promise<DriverResult[]> {
  started ??= (async () => {
    const driver = bundleDriver();
    const results: DriverResult[] = [];
    for (const run of RUNS) results.push(await runDriver(driver, run.buckets, run.path));
    return results;
  })();
  // Collected by the section; a failure is reported there.
  started.catch(() => undefined);
  return started;
}

export async function runSweepBench(): Promise<string[]> {
  const results = await startSweeps();
  const lines = [
    'rule s3-bucket-versioning-enabled, periodic; stand-in Config answering in-process through the SDK (serialised and parsed), 50 ms per call on a simulated clock; 5-minute invocations',
  ];
  for (const r of results) {
    const calls = Object.values(r.calls).reduce((a, b) => a + b, 0);
    const perHundred = (calls / r.buckets) * 100;
    const detail = Object.entries(r.calls)
      .map(([operation, n]) => `${operation} ${n}`)
      .join(', ');
    const exact =
      r.distinctDelivered === r.buckets && r.delivered === r.buckets
        ? 'each exactly once'
        : `${r.delivered} delivered, ${r.distinctDelivered} distinct`;
    lines.push(
      `  ${String(r.buckets).padStart(9)} buckets, ${r.path}: ${perHundred.toFixed(2)} calls per 100 buckets [target <= ${CALLS_TARGET}] (${detail}); ` +
        `${r.invocations} invocation(s), ${r.simulatedSeconds.toFixed(0)} s simulated; evaluations ${exact}; ` +
        `peak RSS ${r.maxRssMb.toFixed(0)} MB (${(r.maxRssMb - r.baseRssMb).toFixed(0)} MB over the process at start), peak heap ${r.peakHeapMb.toFixed(0)} MB; ` +
        `${((r.cpuMs / r.buckets) * 1000).toFixed(0)} ms CPU per 1000 buckets`,
    );
  }
  const query = results.filter((r) => r.path === 'advanced-query');
  const [small, middle, large] = query;
  if (small && middle && large) {
    lines.push(
      `sweep memory: peak RSS ${small.maxRssMb.toFixed(0)} / ${middle.maxRssMb.toFixed(0)} / ${large.maxRssMb.toFixed(0)} MB at 10k / 100k / 1M buckets: ` +
        `1M = ${(large.maxRssMb / middle.maxRssMb).toFixed(2)}x 100k for 10x the buckets (pages are evaluated and delivered one by one; the rest is the heap settling)`,
    );
  }
  return lines;
}
