/**
 * `npm run bench`: performance figures measured in ONE run, as ratios so they mean the same on any machine.
 *
 * Sections run in order and print their own lines; add a section to SECTIONS to add a bench. The timing-sensitive
 * ones (cold start, scan) run first and alone; the sweeps (CPU work and memory, no timing ratio) then run in the
 * background beside the snapshot and report sections, which keeps the whole under three minutes on two cores.
 * The Config-evaluation section stays last: its final line, `evaluate/parse: <ratio>x`, is the headline figure
 * (target <= 1.0: evaluating a configuration item with every rule costs no more than a plain reader's JSON.parse of
 * the same event).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { runColdStartBench } from './cold-start';
import { runIncidentBench } from './incidents';
import { runOrganizationBench } from './organization';
import { runRenderBench } from './render';
import { runScanBench } from './scan';
import { runSnapshotBench } from './snapshot';
import { runSweepBench, startSweeps } from './sweep';

export interface BenchSection {
  readonly name: string;
  /** Output lines; throwing skips the section with a note (the others still run). */
  readonly run: () => Promise<string[]>;
}

/**
 * The measured code is bundled by esbuild the way the Lambda functions are (platform node, target node20, no
 * keepNames) into bench/out/ and run in a fresh node process. Running it through tsx instead would add tsx's
 * per-closure `__name` wrappers to the evaluate side only and measure a dev-time artefact, not what ships; running it
 * in this process would measure it on a heap and JIT state shaped by the sections before it (measured: 1.05x in the
 * full run against 0.97x alone, the same code).
 */
function bundleConfigEvaluation(): string {
  const outfile = join(__dirname, 'out', 'config-evaluation.js');
  buildSync({
    entryPoints: [join(__dirname, 'config-evaluation.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    external: ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*'],
    logLevel: 'warning',
  });
  return outfile;
}

async function configEvaluationSection(): Promise<string[]> {
  const bundle = bundleConfigEvaluation();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, join(__dirname, '..', 'events')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`the evaluation bench process exited with ${code}`)),
    );
  });
  const lines = output.split('\n').filter((line) => line !== '');
  return ['(measured code bundled by esbuild, as the Lambda functions are, in a fresh process)', ...lines];
}

export const SECTIONS: readonly BenchSection[] = [
  { name: 'Cold start of every deployed function', run: runColdStartBench },
  { name: 'Scan throughput', run: runScanBench },
  { name: 'Organization scan (shared pool) and aggregator calls', run: runOrganizationBench },
  {
    name: 'Snapshots bigger than memory (the sweeps run meanwhile, in their own processes)',
    run: async () => {
      void startSweeps();
      return runSnapshotBench();
    },
  },
  { name: 'Reports of a million rows', run: runRenderBench },
  { name: 'Sweeps at every size', run: runSweepBench },
  { name: 'Emails per incident (recorded incident sequences, replayed offline)', run: runIncidentBench },
  // Keep last: its last line is the headline ratio.
  { name: 'Config rule evaluation vs JSON.parse', run: configEvaluationSection },
];

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  process.stdout.write(`bucketguard bench: node ${process.version}, ${process.platform}/${process.arch}\n`);
  for (const section of SECTIONS) {
    process.stdout.write(`\n== ${section.name}\n`);
    try {
      for (const line of await section.run()) process.stdout.write(`${line}\n`);
    } catch (error) {
      process.stdout.write(`(section failed: ${error instanceof Error ? error.message : String(error)})\n`);
      process.exitCode = 1;
    }
  }
  process.stderr.write(`bench: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(0)} s in all\n`);
}

if (require.main === module) void main();
