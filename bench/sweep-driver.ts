/**
 * One periodic sweep of N buckets, run in a process of its own (bench/sweep.ts spawns it, bundled by esbuild) so its
 * peak memory is its own: a real rule handler (s3-bucket-versioning-enabled) and a real ConfigServiceClient whose
 * HTTP requests are answered in-process (a smithy request handler, so the SDK serialises and parses every page as
 * it would on the wire), 50 ms of simulated latency per call on a simulated clock, the Lambda context's remaining
 * time taken from that clock, and every hand-over run as the next invocation. Prints one JSON line.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { Context } from 'aws-lambda';
import { createRuleHandler } from '../rules/config-protocol/adapter';
import { configClientConfig } from '../rules/config-protocol/clients';
import { rule } from '../rules/s3-bucket-versioning-enabled';

const LATENCY_MS = 50;
/** The deployed periodic rule's timeout (infra/bucketguard.ts). */
const TIMEOUT_MS = 5 * 60_000;
const OWNER = '7d2e4c6a8b0f1e3d5c7a9b1f3e5d7c9a1b3f5e7d9c1a3b5f7e9d1c3a5b7f9e1d';
const NAME = '__NAME__';

/** An advanced-query row and an API-model item for bucket NAME, as JSON text split around the name. */
function templates(): { row: string[]; api: string[] } {
  const acl = JSON.stringify({
    grantSet: null,
    grantList: [{ grantee: { id: OWNER, displayName: null }, permission: 'FullControl' }],
    owner: { displayName: null, id: OWNER },
  });
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${NAME}`, `arn:aws:s3:::${NAME}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
  const common = {
    accountId: '111122223333',
    arn: `arn:aws:s3:::${NAME}`,
    awsRegion: 'us-east-1',
    availabilityZone: 'Regional',
    configurationItemCaptureTime: '2026-01-05T10:00:00.000Z',
    configurationItemStatus: 'OK',
    resourceId: NAME,
    resourceName: NAME,
    resourceType: 'AWS::S3::Bucket',
  };
  const configuration = {
    name: NAME,
    owner: { displayName: null, id: OWNER },
    creationDate: '2025-01-01T00:00:00.000Z',
  };
  const row = {
    ...common,
    configuration,
    supplementaryConfiguration: {
      AccessControlList: acl,
      BucketPolicy: { policyText: policy },
      BucketVersioningConfiguration: { status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
    },
    tags: [{ key: 'team', value: 'storage' }],
  };
  const api = {
    ...common,
    version: '1.3',
    configurationItemCaptureTime: 1767607200,
    configuration: JSON.stringify(configuration),
    supplementaryConfiguration: {
      AccessControlList: JSON.stringify(acl),
      BucketPolicy: JSON.stringify({ policyText: policy }),
      BucketVersioningConfiguration: JSON.stringify({ status: 'Enabled', isMfaDeleteEnabled: null }),
    },
  };
  return { row: JSON.stringify(row).split(NAME), api: JSON.stringify(api).split(NAME) };
}

interface Result {
  readonly buckets: number;
  readonly path: string;
  readonly calls: Record<string, number>;
  readonly delivered: number;
  readonly distinctDelivered: number;
  readonly invocations: number;
  readonly simulatedSeconds: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly baseRssMb: number;
  readonly peakHeapMb: number;
}

async function main(): Promise<void> {
  const buckets = Number(process.argv[2] ?? 10_000);
  const path = process.argv[3] === 'list-and-batch' ? 'list-and-batch' : 'advanced-query';
  const { row, api } = templates();
  // Each row travels as a JSON string inside the response: the template escaped once, the name (nothing to escape)
  // put in per row, so the stand-in costs little next to what is measured.
  const rowPieces = JSON.stringify(row.join(NAME)).split(NAME);
  const name = (i: number) => `sweep-bench-${String(i).padStart(7, '0')}`;
  const calls: Record<string, number> = {};
  let simulated = 0;
  let delivered = 0;
  // Every bucket's evaluation counted once: a bitmap, not a set of a million strings.
  const seen = new Uint8Array(buckets);
  let distinct = 0;
  let peakHeap = 0;
  const page = (token: unknown, limit = 100) => {
    const offset = typeof token === 'string' ? Number(token) : 0;
    const end = Math.min(buckets, offset + limit);
    return { offset, end, next: end < buckets ? String(end) : undefined };
  };
  const answer = (operation: string, input: Record<string, unknown>): string => {
    switch (operation) {
      case 'SelectResourceConfig': {
        if (path === 'list-and-batch') throw Object.assign(new Error('denied'), { denied: true });
        const { offset, end, next } = page(input.NextToken, Number(input.Limit ?? 100));
        const rows: string[] = [];
        for (let i = offset; i < end; i++) rows.push(rowPieces.join(name(i)));
        return `{"Results":[${rows.join(',')}]${next ? `,"NextToken":"${next}"` : ''}}`;
      }
      case 'ListDiscoveredResources': {
        const { offset, end, next } = page(input.nextToken, Number(input.limit ?? 100));
        const ids: string[] = [];
        for (let i = offset; i < end; i++) ids.push(`{"resourceType":"AWS::S3::Bucket","resourceId":"${name(i)}"}`);
        return `{"resourceIdentifiers":[${ids.join(',')}]${next ? `,"nextToken":"${next}"` : ''}}`;
      }
      case 'BatchGetResourceConfig': {
        const keys = input.resourceKeys as { resourceId: string }[];
        return `{"baseConfigurationItems":[${keys.map((k) => api.join(k.resourceId)).join(',')}],"unprocessedResourceKeys":[]}`;
      }
      case 'PutEvaluations': {
        const evaluations = input.Evaluations as { ComplianceResourceId: string }[];
        for (const evaluation of evaluations) {
          const index = Number(evaluation.ComplianceResourceId.slice('sweep-bench-'.length));
          delivered++;
          if (seen[index] === 0) {
            seen[index] = 1;
            distinct++;
          }
        }
        if (calls.PutEvaluations % 10 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        return '{"FailedEvaluations":[]}';
      }
      default:
        throw new Error(`the bench does not answer ${operation}`);
    }
  };
  const { HttpResponse } = require('@smithy/core/protocols') as typeof import('@smithy/core/protocols');
  const requestHandler = {
    handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      calls[operation] = (calls[operation] ?? 0) + 1;
      simulated += LATENCY_MS;
      await new Promise((resolve) => setImmediate(resolve));
      const raw = request.body;
      const body =
        typeof raw === 'string'
          ? raw
          : raw instanceof Uint8Array
            ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8')
            : '';
      let status = 200;
      let text: string;
      try {
        text = answer(operation, body ? (JSON.parse(body) as Record<string, unknown>) : {});
      } catch (error) {
        if (!(error as { denied?: boolean }).denied) throw error;
        status = 400;
        text = '{"__type":"AccessDeniedException","message":"not authorized (bench)"}';
      }
      return {
        response: new HttpResponse({
          statusCode: status,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'bench' },
          body: Buffer.from(text, 'utf8'),
        }),
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  const config = new ConfigServiceClient({
    ...configClientConfig(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    requestHandler,
  });
  const queue: Record<string, unknown>[] = [
    {
      version: '1.0',
      invokingEvent: JSON.stringify({
        awsAccountId: '111122223333',
        notificationCreationTime: '2026-01-05T10:00:00.000Z',
        messageType: 'ScheduledNotification',
        recordVersion: '1.0',
      }),
      ruleParameters: '{}',
      resultToken: 'bench-token',
      eventLeftScope: false,
      configRuleName: 'bucketguard-s3-bucket-versioning-enabled',
      accountId: '111122223333',
    },
  ];
  let invocationStart = { simulated: 0, real: 0 };
  const now = () => simulated + performance.now();
  const handler = createRuleHandler(rule, {
    clients: () => ({ config, s3: {} as S3Client, s3control: {} as S3ControlClient }),
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
    clock: now,
    continueSweep: async (event) => {
      queue.push(event);
    },
  });
  const baseRss = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const wallStart = performance.now();
  let invocations = 0;
  while (queue.length > 0) {
    const event = queue.shift() as Record<string, unknown>;
    invocations++;
    invocationStart = { simulated, real: performance.now() };
    const context = {
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bench',
      functionName: 'bench',
      awsRequestId: `bench-${invocations}`,
      getRemainingTimeInMillis: () =>
        TIMEOUT_MS - (simulated - invocationStart.simulated) - (performance.now() - invocationStart.real),
    } as unknown as Context;
    await handler(event, context);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const result: Result = {
    buckets,
    path,
    calls,
    delivered,
    distinctDelivered: distinct,
    invocations,
    // Latency on the simulated clock plus the time the work itself took.
    simulatedSeconds: (simulated + performance.now() - wallStart) / 1000,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    baseRssMb: baseRss / 1024 / 1024,
    peakHeapMb: peakHeap / 1024 / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`sweep driver failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
