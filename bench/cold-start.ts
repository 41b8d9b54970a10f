/**
 * Cold start of every deployed function, on the bundles the app ships (infra/bundling.ts: esbuild, minified CJS,
 * the SDK clients external), each measured process started fresh:
 *  - init   = node + require(the bundle)                       (Lambda's Init phase loads the handler module)
 *  - invoke = init + the handler on a recorded event, its AWS calls answered by a stand-in endpoint (own process)
 *  - bare   = node alone
 *  - floor  = node + exactly the SDK clients that invocation used (load), and those clients making the same calls
 *             (invoke floor). Which clients: the operations the stand-in saw during a first, unmeasured invocation.
 * Time is the measured process's own clock when it is done (performance.now(): since the process started), so
 * spawning and exiting are not in it. Rounds run every variant back to back (order rotating), and each figure is the
 * median of its per-round ratios, so a slow spell of a shared machine slows both sides of a ratio alike.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { lambdaEsbuildOptions } from '../infra/bundling';
import { startStandIn } from './stand-in/client';

const ROOT = join(__dirname, '..');
const OUT = join(__dirname, 'out', 'cold-start');
const RUNNER = join(__dirname, 'cold-start-runner.js');
const DNS = join(__dirname, 'stand-in', 'localhost-dns.js');
const ROUNDS = 5;
/** Init within this ratio of its floor. */
const INIT_TARGET = 1.1;

interface DeployedFunction {
  readonly name: string;
  readonly entry: string;
  readonly event: string;
}

const RULE_EVENT = join(ROOT, 'events', 'invocations', 'change-public-read-acl.json');

/** Every Lambda the app deploys: one per rule folder with a handler, the remediation and the notify Lambda. */
export function deployedFunctions(): DeployedFunction[] {
  const rules = readdirSync(join(ROOT, 'rules'))
    .filter((dir) => statSync(join(ROOT, 'rules', dir)).isDirectory())
    .filter((dir) => readdirSync(join(ROOT, 'rules', dir)).includes('handler.ts'))
    .sort()
    .map((dir) => ({ name: `rule ${dir}`, entry: join(ROOT, 'rules', dir, 'handler.ts'), event: RULE_EVENT }));
  return [
    ...rules,
    {
      name: 'remediation',
      entry: join(ROOT, 'remediation', 'handler.ts'),
      event: join(ROOT, 'events', 'eventbridge', 'compliance-public-read-noncompliant.json'),
    },
    {
      name: 'notify',
      entry: join(ROOT, 'remediation', 'notify', 'handler.ts'),
      event: join(ROOT, 'events', 'eventbridge', 'compliance-resolved.json'),
    },
  ];
}

const CLIENT_OF_OPERATION: Readonly<Record<string, string>> = {
  PutEvaluations: '@aws-sdk/client-config-service',
  BatchGetResourceConfig: '@aws-sdk/client-config-service',
  SelectResourceConfig: '@aws-sdk/client-config-service',
  ListDiscoveredResources: '@aws-sdk/client-config-service',
  GetResourceConfigHistory: '@aws-sdk/client-config-service',
  'GetPublicAccessBlock (account)': '@aws-sdk/client-s3-control',
  Publish: '@aws-sdk/client-sns',
  UpdateItem: '@aws-sdk/client-dynamodb',
};
const clientOf = (operation: string): string => CLIENT_OF_OPERATION[operation] ?? '@aws-sdk/client-s3';

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly initMs?: number;
}

function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', DNS, RUNNER, ...args], {
      cwd: ROOT,
      env,
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
    child.on('close', () => {
      try {
        const parsed = JSON.parse(report) as Sample & { error?: string };
        if (parsed.error) reject(new Error(`${args[0]} ${args[1] ?? ''}: ${parsed.error.slice(0, 400)}`));
        else resolve(parsed);
      } catch {
        reject(new Error(`${args.join(' ')} reported nothing (${stderr.slice(-400)})`));
      }
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function runColdStartBench(): Promise<string[]> {
  mkdirSync(OUT, { recursive: true });
  const functions = deployedFunctions().map((fn) => {
    const outfile = join(OUT, `${fn.name.replace(/[^a-z0-9-]+/g, '_')}.js`);
    // Built for the node running the bench (the syntax the Lambda target allows may be newer than this node's).
    buildSync(lambdaEsbuildOptions(fn.entry, outfile, `node${process.versions.node.split('.')[0]}`));
    return { ...fn, outfile, bytes: statSync(outfile).size };
  });
  const standIn = await startStandIn(0);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_ENDPOINT_URL: standIn.endpoint,
    AWS_LAMBDA_FUNCTION_NAME: 'bucketguard-bench',
    BUCKETGUARD_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bucketguard',
    BUCKETGUARD_FLAP_TABLE: 'bucketguard-flap',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
  try {
    // A first, unmeasured invocation of each: which operations (so which clients) it needs; disk caches warm.
    const operations = new Map<string, readonly string[]>();
    for (const fn of functions) {
      await standIn.stats(true);
      await run(['invoke', fn.outfile, fn.event], env);
      const seen = (await standIn.stats(true)).operations;
      operations.set(fn.name, [...new Set(seen)].sort());
    }
    const samples = new Map<string, Sample[]>();
    const add = (key: string, sample: Sample): void => {
      samples.set(key, [...(samples.get(key) ?? []), sample]);
    };
    const floorKeys = new Set<string>();
    for (const fn of functions) floorKeys.add(JSON.stringify(operations.get(fn.name)));
    for (let round = 0; round < ROUNDS; round++) {
      const jobs: (() => Promise<void>)[] = [async () => add('bare', await run(['bare'], env))];
      for (const key of floorKeys) {
        const ops = JSON.parse(key) as string[];
        const clients = [...new Set(ops.map(clientOf))].sort();
        jobs.push(async () => add(`load ${key}`, await run(['load', JSON.stringify(clients)], env)));
        jobs.push(async () => add(`floor ${key}`, await run(['floor', key], env)));
      }
      for (const fn of functions) {
        jobs.push(async () => add(`init ${fn.name}`, await run(['init', fn.outfile], env)));
        jobs.push(async () => add(`invoke ${fn.name}`, await run(['invoke', fn.outfile, fn.event], env)));
      }
      // Rotate the order from round to round.
      const shift = (round * 3) % jobs.length;
      for (const job of [...jobs.slice(shift), ...jobs.slice(0, shift)]) await job();
    }
    const ratio = (a: string, b: string) =>
      median((samples.get(a) ?? []).map((s, i) => s.ms / (samples.get(b)?.[i]?.ms ?? Number.NaN)));
    const cpuRatio = (a: string, b: string) =>
      median((samples.get(a) ?? []).map((s, i) => s.cpuMs / (samples.get(b)?.[i]?.cpuMs ?? Number.NaN)));
    const ms = (key: string) => median((samples.get(key) ?? []).map((s) => s.ms));
    const cpu = (key: string) => median((samples.get(key) ?? []).map((s) => s.cpuMs));
    const lines = [
      `${ROUNDS} rounds; each process's own clock at the end (since it started); medians of per-round ratios. bare node: ${ms('bare').toFixed(0)} ms (${cpu('bare').toFixed(0)} ms CPU)`,
    ];
    let worstInit = 0;
    let worstInitCpu = 0;
    for (const fn of functions) {
      const ops = operations.get(fn.name) ?? [];
      const key = JSON.stringify(ops);
      const clients = [...new Set(ops.map(clientOf))].map((c) => c.replace('@aws-sdk/client-', '')).sort();
      const initFloor = ratio(`init ${fn.name}`, `load ${key}`);
      const initFloorCpu = cpuRatio(`init ${fn.name}`, `load ${key}`);
      worstInit = Math.max(worstInit, initFloor);
      worstInitCpu = Math.max(worstInitCpu, initFloorCpu);
      lines.push(
        `  ${fn.name}: bundle ${kib(fn.bytes)}; calls ${ops.join(', ') || 'none'} -> floor = node + ${clients.join(' + ') || 'no client'}`,
        `    init   ${ms(`init ${fn.name}`).toFixed(0).padStart(4)} ms (${cpu(`init ${fn.name}`).toFixed(0)} ms CPU) = ${ratio(`init ${fn.name}`, 'bare').toFixed(2)}x bare node, ${initFloor.toFixed(2)}x floor (node + clients: ${ms(`load ${key}`).toFixed(0)} ms); CPU ${initFloorCpu.toFixed(2)}x the floor's [target <= ${INIT_TARGET}]`,
        `    invoke ${ms(`invoke ${fn.name}`).toFixed(0).padStart(4)} ms (${cpu(`invoke ${fn.name}`).toFixed(0)} ms CPU) = ${ratio(`invoke ${fn.name}`, 'bare').toFixed(2)}x bare node, ${ratio(`invoke ${fn.name}`, `floor ${key}`).toFixed(2)}x floor (bare clients making the same calls: ${ms(`floor ${key}`).toFixed(0)} ms)`,
      );
    }
    lines.push(
      `cold start: worst init/floor ${worstInitCpu.toFixed(2)}x in CPU time [target <= ${INIT_TARGET}], ${worstInit.toFixed(2)}x in elapsed time (a loaded shared machine stretches elapsed time most)`,
    );
    return lines;
  } finally {
    await standIn.close();
  }
}

if (require.main === module) {
  runColdStartBench().then(
    (lines) => {
      for (const line of lines) process.stdout.write(`${line}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`cold-start bench failed: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
