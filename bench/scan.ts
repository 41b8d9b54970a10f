/**
 * Scan throughput: `bucketguard scan`'s reader against an in-process S3 stand-in (node:http on 127.0.0.1) that answers
 * every call with canned XML after a fixed latency. Reports achieved buckets/s against two bounds:
 *  - sequential bound = concurrency / (calls per bucket x latency): what a reader issuing one call at a time could do;
 *  - round-trip bound = concurrency / latency: the best possible when a bucket's calls go out together (ours do).
 * and the API calls made per bucket scanned (ListBuckets pages included).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ALL_BUCKET_PARTS } from '../aws/live-s3';
import { createS3Clients } from '../aws/s3-clients';
import { readAccount } from '../bin/scan/read-account';

const LATENCY_MS = 20;
/** Buckets per run: enough for several rounds at each bound, few enough to keep the sequential run short. */
const RUNS = [
  { concurrency: 16, buckets: 960 }, // the default: the headline figure
  { concurrency: 1, buckets: 96 },
  { concurrency: 64, buckets: 960 },
] as const;
const BUCKETS = Math.max(...RUNS.map((run) => run.buckets));
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const OWNER = '<Owner><ID>8f1e0cbbd0f2a5e1b7c3a1f2d4e6b8a0c2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2</ID></Owner>';

interface StandIn {
  readonly endpoint: string;
  /** Where it runs: its own thread (so its CPU is not charged to the reader) or, as a fallback, this one. */
  readonly where: 'worker thread' | 'same thread';
  /** The buckets ListBuckets returns from now on. */
  readonly setBuckets: (names: readonly string[]) => Promise<void>;
  readonly requests: () => Promise<number>;
  readonly close: () => Promise<void>;
}

type ToStandIn = { readonly type: 'setBuckets'; readonly names: readonly string[] } | { readonly type: 'requests' };
type FromStandIn =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'ack'; readonly requests: number };

const STAND_IN_ROLE = 'bucketguard-scan-bench-stand-in';

function bucketNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `bench-bucket-${String(index).padStart(4, '0')}`);
}

function xml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

function listBuckets(url: URL, names: readonly string[]): string {
  const max = Number(url.searchParams.get('max-buckets') ?? names.length);
  const start = Number(url.searchParams.get('continuation-token') ?? 0);
  const page = names.slice(start, start + max);
  const next = start + max < names.length ? `<ContinuationToken>${start + max}</ContinuationToken>` : '';
  const buckets = page
    .map(
      (name) =>
        `<Bucket><Name>${name}</Name><CreationDate>2026-01-05T10:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>`,
    )
    .join('');
  return xml(`<ListAllMyBucketsResult ${NS}>${OWNER}<Buckets>${buckets}</Buckets>${next}</ListAllMyBucketsResult>`);
}

/** Canned answers, varied by bucket so both the "configured" and the "not configured" (404) paths are exercised. */
function answer(url: URL, names: readonly string[]): { status: number; body: string; type: string } {
  const bucket = decodeURIComponent(url.pathname.slice(1));
  if (bucket === '') return { status: 200, body: listBuckets(url, names), type: 'application/xml' };
  const odd = Number(bucket.slice(-1)) % 2 === 1;
  const notFound = (code: string) => ({
    status: 404,
    body: xml(`<Error><Code>${code}</Code><Message>not configured</Message><BucketName>${bucket}</BucketName></Error>`),
    type: 'application/xml',
  });
  const ok = (body: string) => ({ status: 200, body: xml(body), type: 'application/xml' });
  if (url.searchParams.has('acl')) {
    return ok(
      `<AccessControlPolicy ${NS}>${OWNER}<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>8f1e0cbbd0f2a5e1b7c3a1f2d4e6b8a0c2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`,
    );
  }
  if (url.searchParams.has('policy')) {
    if (!odd) return notFound('NoSuchBucketPolicy');
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TLSOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    };
    return { status: 200, body: JSON.stringify(policy), type: 'application/json' };
  }
  if (url.searchParams.has('publicAccessBlock')) {
    if (!odd) return notFound('NoSuchPublicAccessBlockConfiguration');
    return ok(
      `<PublicAccessBlockConfiguration ${NS}><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
    );
  }
  if (url.searchParams.has('versioning')) {
    return ok(
      odd
        ? `<VersioningConfiguration ${NS}><Status>Enabled</Status></VersioningConfiguration>`
        : `<VersioningConfiguration ${NS}/>`,
    );
  }
  if (url.searchParams.has('ownershipControls')) {
    return ok(
      `<OwnershipControls ${NS}><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`,
    );
  }
  if (url.searchParams.has('tagging')) {
    if (!odd) return notFound('NoSuchTagSet');
    return ok(`<Tagging ${NS}><TagSet><Tag><Key>team</Key><Value>security</Value></Tag></TagSet></Tagging>`);
  }
  return { status: 501, body: xml('<Error><Code>NotImplemented</Code></Error>'), type: 'application/xml' };
}

/** The HTTP server itself; `names` is read on every ListBuckets. */
async function listen(state: {
  names: readonly string[];
  requests: number;
}): Promise<{ server: Server; port: number }> {
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    state.requests++;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    request.resume();
    setTimeout(() => {
      const { status, body, type } = answer(url, state.names);
      response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      response.end(body);
    }, LATENCY_MS);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** Worker side: serve, and answer the main thread's messages. */
async function serveInWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const state = { names: [] as readonly string[], requests: 0 };
  const { port: httpPort } = await listen(state);
  port.on('message', (message: ToStandIn) => {
    if (message.type === 'setBuckets') state.names = message.names;
    port.postMessage({ type: 'ack', requests: state.requests } satisfies FromStandIn);
  });
  port.postMessage({ type: 'listening', port: httpPort } satisfies FromStandIn);
}

async function startWorkerStandIn(): Promise<StandIn> {
  // Workers do not inherit tsx's loader: register it there first, then load this file (which then serves).
  const source = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(__filename)});`;
  const worker = new Worker(source, { eval: true, workerData: { role: STAND_IN_ROLE } });
  const first = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([error]) => Promise.reject(error)),
  ])) as [FromStandIn];
  if (first[0].type !== 'listening') throw new Error('stand-in worker did not start');
  const ask = async (message: ToStandIn): Promise<number> => {
    worker.postMessage(message);
    const [reply] = (await once(worker, 'message')) as [FromStandIn];
    return reply.type === 'ack' ? reply.requests : 0;
  };
  return {
    endpoint: `http://127.0.0.1:${first[0].port}`,
    where: 'worker thread',
    setBuckets: async (names) => {
      await ask({ type: 'setBuckets', names });
    },
    requests: () => ask({ type: 'requests' }),
    close: async () => {
      await worker.terminate();
    },
  };
}

async function startLocalStandIn(): Promise<StandIn> {
  const state = { names: [] as readonly string[], requests: 0 };
  const { server, port } = await listen(state);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    where: 'same thread',
    setBuckets: async (names) => {
      state.names = names;
    },
    requests: async () => state.requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Its own thread when the runtime can load this file there (tsx), else this thread. */
async function startStandIn(): Promise<StandIn> {
  try {
    return await startWorkerStandIn();
  } catch {
    return startLocalStandIn();
  }
}

interface Measurement {
  readonly concurrency: number;
  readonly seconds: number;
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
    const before = await standIn.requests();
    const started = process.hrtime.bigint();
    const read = await readAccount(clients, { parts: ALL_BUCKET_PARTS, concurrency });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const calls = (await standIn.requests()) - before;
    if (read.buckets.length !== names.length)
      throw new Error(`scanned ${read.buckets.length} of ${names.length} buckets`);
    const unknownParts = read.buckets.reduce(
      (sum, bucket) => sum + ALL_BUCKET_PARTS.filter((part) => !bucket[part].known).length,
      0,
    );
    return {
      concurrency,
      seconds,
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
  const standIn = await startStandIn();
  const lines = [
    `scan throughput: stand-in S3 on 127.0.0.1 (${standIn.where}) answering every call after ${LATENCY_MS} ms; all ${ALL_BUCKET_PARTS.length} parts read per bucket`,
  ];
  try {
    await measure(standIn, names, 16); // warm-up: JIT, keep-alive sockets, SDK lazy loading
    for (const run of RUNS) {
      const m = await measure(standIn, names.slice(0, run.buckets), run.concurrency);
      const bound = run.concurrency / (m.callsPerBucket * (LATENCY_MS / 1000));
      const roundTrip = run.concurrency / (LATENCY_MS / 1000);
      lines.push(
        `  --concurrency ${String(run.concurrency).padStart(2)}: ${m.bucketsPerSecond.toFixed(0)} buckets/s ` +
          `(${run.buckets} buckets in ${m.seconds.toFixed(2)} s) = ${(m.bucketsPerSecond / bound).toFixed(2)} x the bound ` +
          `concurrency/(calls per bucket x latency) = ${bound.toFixed(0)}/s [target >= 0.8]; ` +
          `${(m.bucketsPerSecond / roundTrip).toFixed(2)} of concurrency/latency = ${roundTrip.toFixed(0)}/s; ` +
          `${m.callsPerBucket.toFixed(3)} API calls per bucket; ${m.unknownParts} parts unknown`,
      );
    }
    lines.push(
      `  API calls per bucket: ${ALL_BUCKET_PARTS.length} reads (one per setting, sent together) + ListBuckets pages / buckets; --skip drops reads`,
    );
  } finally {
    await standIn.close();
  }
  return lines;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === STAND_IN_ROLE) {
  void serveInWorker();
} else if (require.main === module) {
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
