/**
 * Scan throughput: `bucketguard scan`'s reader against a stand-in S3 in a process of its own (bench/stand-in/,
 * child_process: its work never shares the reader's event loop or thread) that answers every call with canned XML
 * after a fixed latency. A bucket's calls go out together, so the bound is concurrency / latency (buckets per
 * second if every round trip took exactly the latency); the figure is the achieved rate as a share of it, plus the
 * reader's CPU milliseconds per bucket (which travels between machines) and the API calls per bucket scanned
 * (ListBuckets pages included).
 */
import { ALL_BUCKET_PARTS } from '../aws/live-s3';
import { createS3Clients } from '../aws/s3-clients';
import { readAccount } from '../bin/scan/read-account';
import { type StandIn, startStandIn } from './stand-in/client';

const LATENCY_MS = 20;
/** Buckets per run: enough for several rounds at each bound, few enough to keep the sequential run short. */
const RUNS = [
  { concurrency: 16, buckets: 960 }, // the default: the headline figure
  { concurrency: 1, buckets: 48 },
  { concurrency: 64, buckets: 960 },
] as const;
const BUCKETS = Math.max(...RUNS.map((run) => run.buckets));
const TARGET = 0.8;

function bucketNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `bench-bucket-${String(index).padStart(4, '0')}`);
}

interface Measurement {
  readonly concurrency: number;
  readonly seconds: number;
  readonly cpuMsPerBucket: number;
  readonly bucketsPerSecond: number;
  readonly callsPerBucket: number;
  readonly unknownParts: number;
}

async function measure(standIn: StandIn, names: readonly string[], concurrency: number): Promise<Measurement> {
  const clients = createS3Clients({
    endpoint: standIn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxSockets: concurrency * ALL_BUCKET_PARTS.length,
  });
  try {
    await standIn.setBuckets(names);
    const before = (await standIn.stats(true)).requests;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const read = await readAccount(clients, { parts: ALL_BUCKET_PARTS, concurrency });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const calls = (await standIn.stats(true)).requests - before;
    if (read.buckets.length !== names.length)
      throw new Error(`scanned ${read.buckets.length} of ${names.length} buckets`);
    const unknownParts = read.buckets.reduce(
      (sum, bucket) => sum + ALL_BUCKET_PARTS.filter((part) => bucket[part]?.known !== true).length,
      0,
    );
    return {
      concurrency,
      seconds,
      cpuMsPerBucket: (used.user + used.system) / 1000 / names.length,
      bucketsPerSecond: names.length / seconds,
      callsPerBucket: calls / names.length,
      unknownParts,
    };
  } finally {
    clients.s3.destroy();
    clients.s3control.destroy();
  }
}

export async function runScanBench(): Promise<string[]> {
  const names = bucketNames(BUCKETS);
  const standIn: StandIn = await startStandIn(LATENCY_MS);
  const lines = [
    `scan throughput: stand-in S3 on 127.0.0.1 in its own process answering every call after ${LATENCY_MS} ms; all ${ALL_BUCKET_PARTS.length} parts read per bucket, sent together`,
  ];
  let headline = 0;
  try {
    await measure(standIn, names.slice(0, 960), 16); // warm-up: JIT, keep-alive sockets, SDK lazy loading
    for (const run of RUNS) {
      const m = await measure(standIn, names.slice(0, run.buckets), run.concurrency);
      const bound = run.concurrency / (LATENCY_MS / 1000);
      const share = m.bucketsPerSecond / bound;
      if (run.concurrency === 16) headline = share;
      lines.push(
        `  --concurrency ${String(run.concurrency).padStart(2)}: ${m.bucketsPerSecond.toFixed(0)} buckets/s (${run.buckets} buckets in ${m.seconds.toFixed(2)} s) = ` +
          `${share.toFixed(2)} of concurrency/latency = ${bound.toFixed(0)}/s${run.concurrency === 16 ? ` [target >= ${TARGET}]` : ''}; ` +
          `${m.cpuMsPerBucket.toFixed(2)} ms CPU per bucket; ${m.callsPerBucket.toFixed(3)} API calls per bucket; ${m.unknownParts} parts unknown`,
      );
    }
    lines.push(
      `  API calls per bucket: ${ALL_BUCKET_PARTS.length} reads (one per setting, sent together) + ListBuckets pages / buckets; --skip drops reads`,
      `scan throughput at --concurrency 16: ${headline.toFixed(2)} of concurrency/latency [target >= ${TARGET}]`,
    );
  } finally {
    await standIn.close();
  }
  return lines;
}

if (require.main === module) {
  runScanBench().then(
    (lines) => {
      for (const line of lines) process.stdout.write(`${line}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`scan bench failed: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
