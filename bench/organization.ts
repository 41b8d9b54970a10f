/**
 * Organization scan: `scan --organization` (runOrganizationScan, the CLI's own code) over a stand-in organization of
 * 100 accounts x 20 buckets whose every AWS call (ListAccounts, AssumeRole, ListBuckets, account BPA, the six bucket
 * reads) answers after a fixed latency. The stand-in is in-process fake clients (one per account, as AssumeRole's
 * credentials would give), so the figures are the scheduler's: one pool shared by every account and bucket. The bound
 * is concurrency / latency buckets per second (each bucket's reads go out together, so a bucket costs one latency);
 * account setup (AssumeRole, ListBuckets, account BPA) takes pool slots too, so it is counted against the ratio.
 * Then the aggregator path (`scan --aggregator`): API calls per 1,000 buckets.
 */

import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { batchGetAggregateItems, listAggregateResources } from '../aws/config-aggregator';
import { ALL_BUCKET_PARTS } from '../aws/live-s3';
import { runAggregatorScan } from '../bin/scan/aggregator';
import { runOrganizationScan } from '../bin/scan/organization';
import accountBpaItem from '../events/config-items/account-bpa-api-partial.json';
import bucketItems from '../events/invocations/api/batch-get-resource-config-buckets.json';
import { RULES } from '../rules';

const LATENCY_MS = 20;
const ACCOUNTS = 100;
const BUCKETS_PER_ACCOUNT = 20;
const CONCURRENCY = 16;
const TARGET = 0.8;
const AGGREGATOR_BUCKETS = 1000;
const AGGREGATOR_ACCOUNTS = 50;
const AGGREGATOR_TARGET = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const accountId = (index: number) => `1000000${String(index).padStart(5, '0')}`;
const notFound = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404 } });

/** Counts calls by operation; every call waits LATENCY_MS. */
class Calls {
  readonly byOperation = new Map<string, number>();
  async call<T>(operation: string, answer: () => T): Promise<T> {
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
    await sleep(LATENCY_MS);
    return answer();
  }
  count(...operations: string[]): number {
    return operations.reduce((sum, operation) => sum + (this.byOperation.get(operation) ?? 0), 0);
  }
  total(): number {
    return [...this.byOperation.values()].reduce((a, b) => a + b, 0);
  }
}

const OWNER = { ID: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' };

/** A fake S3 client of one account: answers each command by its class name. */
function fakeS3(calls: Calls, account: string): S3Client {
  const names = Array.from({ length: BUCKETS_PER_ACCOUNT }, (_, i) => `bench-${account}-${i}`);
  const send = (command: { constructor: { name: string } }) => {
    const operation = command.constructor.name.replace(/Command$/, '');
    return calls.call(operation, () => {
      switch (operation) {
        case 'ListBuckets':
          return { Buckets: names.map((Name) => ({ Name, BucketRegion: 'us-east-1' })) };
        case 'GetBucketAcl':
          return {
            Owner: OWNER,
            Grants: [{ Grantee: { Type: 'CanonicalUser', ...OWNER }, Permission: 'FULL_CONTROL' }],
          };
        case 'GetBucketPolicy':
          throw notFound('NoSuchBucketPolicy');
        case 'GetPublicAccessBlock':
          return {
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              IgnorePublicAcls: true,
              BlockPublicPolicy: true,
              RestrictPublicBuckets: true,
            },
          };
        case 'GetBucketVersioning':
          return { Status: 'Enabled' };
        case 'GetBucketOwnershipControls':
          return { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } };
        case 'GetBucketTagging':
          throw notFound('NoSuchTagSet');
        case 'GetBucketLogging':
          // Server access logging on (issue 17's rule), to the account's log bucket.
          return { LoggingEnabled: { TargetBucket: `bench-${account}-logs`, TargetPrefix: 'access/' } };
        default:
          throw new Error(`the stand-in does not answer ${operation}`);
      }
    });
  };
  return { send } as unknown as S3Client;
}

function fakeS3Control(calls: Calls): S3ControlClient {
  return {
    send: () =>
      calls.call('GetAccountPublicAccessBlock', () => Promise.reject(notFound('NoSuchPublicAccessBlockConfiguration'))),
  } as unknown as S3ControlClient;
}

async function organizationRun(rules: typeof RULES): Promise<{
  seconds: number;
  calls: Calls;
  rows: number;
  buckets: number;
  peak: number;
}> {
  const calls = new Calls();
  const ids = Array.from({ length: ACCOUNTS }, (_, i) => accountId(i));
  const started = process.hrtime.bigint();
  const report = await runOrganizationScan(
    {
      rules,
      parts: ALL_BUCKET_PARTS,
      concurrency: CONCURRENCY,
      region: 'us-east-1',
      roleArn: (id) => `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`,
    },
    {
      listAccounts: async () => {
        const accounts = [];
        // ListAccounts: 20 per page.
        for (let start = 0; start < ids.length; start += 20) {
          accounts.push(
            ...(await calls.call('ListAccounts', () =>
              ids.slice(start, start + 20).map((id) => ({ id, status: 'ACTIVE' })),
            )),
          );
        }
        return accounts;
      },
      enterAccount: async (id) => {
        await calls.call('AssumeRole', () => undefined);
        return { clients: { s3: fakeS3(calls, id), s3control: fakeS3Control(calls) } };
      },
      describeError: String,
      now: () => new Date('2026-12-04T00:00:00Z'),
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const insufficient = report.rows.filter((row) => row.compliance === 'INSUFFICIENT_DATA').length;
  if (rules.length > 0 && report.rows.length !== ACCOUNTS * (1 + BUCKETS_PER_ACCOUNT * (rules.length - 1))) {
    throw new Error(`${report.rows.length} results`);
  }
  if (report.buckets !== ACCOUNTS * BUCKETS_PER_ACCOUNT || report.accounts.notScanned > 0 || insufficient > 0) {
    throw new Error(
      `scanned ${report.buckets} buckets, ${report.accounts.notScanned} accounts not scanned, ${insufficient} rows undecided`,
    );
  }
  return { seconds, calls, rows: report.rows.length, buckets: report.buckets, peak: report.peak };
}

/** A fake Config client holding AGGREGATOR_BUCKETS buckets of AGGREGATOR_ACCOUNTS accounts. */
function fakeConfig(calls: Calls): ConfigServiceClient {
  const template = bucketItems.baseConfigurationItems[1];
  const buckets = Array.from({ length: AGGREGATOR_BUCKETS }, (_, i) => ({
    account: accountId(i % AGGREGATOR_ACCOUNTS),
    name: `bench-agg-${String(i).padStart(4, '0')}`,
  }));
  const identifiers = (type: string) =>
    type === 'AWS::S3::Bucket'
      ? buckets.map((b) => ({
          SourceAccountId: b.account,
          SourceRegion: 'us-east-1',
          ResourceType: type,
          ResourceId: b.name,
          ResourceName: b.name,
        }))
      : Array.from({ length: AGGREGATOR_ACCOUNTS }, (_, i) => ({
          SourceAccountId: accountId(i),
          SourceRegion: 'us-east-1',
          ResourceType: type,
          ResourceId: accountId(i),
        }));
  const send = (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const operation = command.constructor.name.replace(/Command$/, '');
    return calls.call(operation, () => {
      if (operation === 'ListAggregateDiscoveredResources') {
        const all = identifiers(String(command.input.ResourceType));
        const start = Number(command.input.NextToken ?? 0);
        const limit = Number(command.input.Limit ?? 100);
        const next = start + limit;
        return {
          ResourceIdentifiers: all.slice(start, next),
          ...(next < all.length ? { NextToken: String(next) } : {}),
        };
      }
      const asked = command.input.ResourceIdentifiers as {
        SourceAccountId: string;
        ResourceId: string;
        ResourceType: string;
      }[];
      if (asked.length > 100) throw new Error('more than 100 identifiers');
      return {
        BaseConfigurationItems: asked.map((id) =>
          id.ResourceType === 'AWS::S3::Bucket'
            ? {
                ...template,
                accountId: id.SourceAccountId,
                resourceId: id.ResourceId,
                resourceName: id.ResourceId,
                arn: `arn:aws:s3:::${id.ResourceId}`,
                configuration: template.configuration.replaceAll(template.resourceId, id.ResourceId),
              }
            : { ...accountBpaItem, accountId: id.SourceAccountId, resourceId: id.SourceAccountId },
        ),
        UnprocessedResourceIdentifiers: [],
      };
    });
  };
  return { send } as unknown as ConfigServiceClient;
}

async function aggregatorRun(): Promise<{ calls: Calls; buckets: number; undecided: number }> {
  const calls = new Calls();
  const config = fakeConfig(calls);
  const report = await runAggregatorScan(
    { aggregator: 'bench', rules: RULES, concurrency: 8, now: new Date('2026-12-04T00:00:00Z') },
    {
      list: (type) => listAggregateResources(config, 'bench', type),
      batchGet: (identifiers) => batchGetAggregateItems(config, 'bench', identifiers),
    },
  );
  const undecided = report.rows.filter((row) => row.rule === 'aggregator-scan').length;
  return { calls, buckets: report.buckets, undecided };
}

export async function runOrganizationBench(): Promise<string[]> {
  await organizationRun(RULES); // warm-up: JIT, lazy SDK modules
  // As the single-account scan bench: the reads alone (no rule), then the same scan with every rule evaluated (CPU
  // on the same event loop, so a loaded machine shows it there).
  const run = await organizationRun([]);
  const evaluated = await organizationRun(RULES);
  const evaluatedShare = evaluated.buckets / evaluated.seconds / (CONCURRENCY / (LATENCY_MS / 1000));
  const bound = CONCURRENCY / (LATENCY_MS / 1000);
  const rate = run.buckets / run.seconds;
  const share = rate / bound;
  const perAccount =
    run.calls.count('ListAccounts', 'AssumeRole', 'ListBuckets', 'GetAccountPublicAccessBlock') / ACCOUNTS;
  const perBucket = run.calls.total() / run.buckets;
  const agg = await aggregatorRun();
  const aggCalls = agg.calls.total();
  const per1000 = (aggCalls / agg.buckets) * 1000;
  return [
    `organization scan: ${ACCOUNTS} accounts x ${BUCKETS_PER_ACCOUNT} buckets, in-process stand-in clients answering every call after ${LATENCY_MS} ms, --concurrency ${CONCURRENCY} (one pool for every account and bucket; peak ${run.peak} in flight)`,
    `  ${rate.toFixed(0)} buckets/s (${run.buckets} buckets, ${run.rows} results in ${run.seconds.toFixed(2)} s) = ${share.toFixed(2)} of concurrency/latency = ${bound.toFixed(0)}/s [target >= ${TARGET}]`,
    `  with every rule evaluated (${evaluated.rows} results): ${(evaluated.buckets / evaluated.seconds).toFixed(0)} buckets/s in ${evaluated.seconds.toFixed(2)} s = ${evaluatedShare.toFixed(2)} of concurrency/latency`,
    `  the ideal with account setup in the pool: ${BUCKETS_PER_ACCOUNT}/(${BUCKETS_PER_ACCOUNT}+2) = ${(BUCKETS_PER_ACCOUNT / (BUCKETS_PER_ACCOUNT + 2)).toFixed(2)} (AssumeRole, then ListBuckets with account BPA, take one slot-latency each per account)`,
    `  API calls per account: ${perAccount.toFixed(2)} (AssumeRole 1, ListBuckets 1, account BPA 1, ListAccounts pages ${(run.calls.count('ListAccounts') / ACCOUNTS).toFixed(2)}); per bucket: ${perBucket.toFixed(3)} all included (${ALL_BUCKET_PARTS.length} reads + the account's share)`,
    `aggregator scan: ${agg.buckets} buckets of ${AGGREGATOR_ACCOUNTS} accounts: ${aggCalls} API calls (${agg.calls.count('ListAggregateDiscoveredResources')} ListAggregateDiscoveredResources, ${agg.calls.count('BatchGetAggregateResourceConfig')} BatchGetAggregateResourceConfig), ${agg.undecided} undecided = ${per1000.toFixed(1)} calls per 1,000 buckets [target <= ${AGGREGATOR_TARGET}]`,
    `organization scan throughput: ${share.toFixed(2)} of concurrency/latency [target >= ${TARGET}]; aggregator: ${per1000.toFixed(1)} calls per 1,000 buckets [target <= ${AGGREGATOR_TARGET}]`,
  ];
}

if (require.main === module) {
  runOrganizationBench().then(
    (lines) => {
      for (const line of lines) process.stdout.write(`${line}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`organization bench failed: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
