/**
 * `bucketguard scan --aggregator NAME` without the command-line layer: the buckets and account-level BPA items of
 * every account an AWS Config aggregator holds, evaluated by the same rules as the live scan (evaluateScan), one
 * account at a time. No role in any member account; what the aggregator could not give is an INSUFFICIENT_DATA row.
 */
import type { AggregatedType, AggregateIdentifier } from '../../aws/config-aggregator';
import { mapWithConcurrency } from '../../aws/pool';
import { COULD_NOT_EVALUATE_PREFIX } from '../../model/annotation';
import { DEFAULT_EXEMPTION_TAG } from '../../model/exemptions';
import { inertText } from '../../model/inert-text';
import { normalizeConfigurationItem } from '../../model/normalize';
import type { RuleDefinition } from '../../model/rule-definition';
import { type BucketState, type Fact, type PublicAccessBlockFlags, unknown } from '../../model/types';
import type { ResultRow } from '../report';
import { evaluateScan } from './evaluate-scan';
import { scanParameters } from './run-scan';

export interface AggregatorReader {
  readonly list: (resourceType: AggregatedType) => Promise<readonly AggregateIdentifier[]>;
  /** At most 100 identifiers per call. */
  readonly batchGet: (
    identifiers: readonly AggregateIdentifier[],
  ) => Promise<{ readonly items: readonly unknown[]; readonly unprocessed: readonly AggregateIdentifier[] }>;
}

export interface AggregatorScanOptions {
  readonly aggregator: string;
  readonly rules: readonly RuleDefinition[];
  readonly accounts?: readonly string[];
  readonly excludeAccounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly prefix?: string;
  readonly exemptionTag?: string;
  readonly ruleParameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Batch calls in flight at once. */
  readonly concurrency: number;
  readonly now: Date;
  readonly onListed?: (batches: number) => void;
  readonly onBatch?: () => void;
}

export interface AggregatorScanReport {
  readonly rows: readonly ResultRow[];
  readonly notes: readonly string[];
  readonly accounts: number;
  readonly buckets: number;
}

const BATCH = 100;

export async function runAggregatorScan(
  options: AggregatorScanOptions,
  reader: AggregatorReader,
): Promise<AggregatorScanReport> {
  const source = `aggregator:${options.aggregator}`;
  const wanted = (id: AggregateIdentifier): boolean =>
    (options.accounts === undefined || options.accounts.includes(id.accountId)) &&
    !(options.excludeAccounts ?? []).includes(id.accountId) &&
    (options.regions === undefined || options.regions.includes(id.region));
  const [bucketIds, bpaIds] = await Promise.all([
    reader.list('AWS::S3::Bucket'),
    reader.list('AWS::S3::AccountPublicAccessBlock'),
  ]);
  const name = (id: AggregateIdentifier) => id.resourceName ?? id.resourceId;
  const buckets = bucketIds.filter(
    (id) => wanted(id) && (options.prefix === undefined || name(id).startsWith(options.prefix)),
  );
  // Account-level BPA is one setting per account, recorded in each Region: one item per account is enough.
  const bpaByAccount = new Map<string, AggregateIdentifier>();
  for (const id of bpaIds) if (wanted(id) && !bpaByAccount.has(id.accountId)) bpaByAccount.set(id.accountId, id);
  const wantedIds = [...buckets, ...bpaByAccount.values()];
  const batches: AggregateIdentifier[][] = [];
  for (let start = 0; start < wantedIds.length; start += BATCH) batches.push(wantedIds.slice(start, start + BATCH));
  options.onListed?.(batches.length);
  const answers = await mapWithConcurrency(batches, options.concurrency, async (batch) => {
    const answer = await reader.batchGet(batch);
    options.onBatch?.();
    return answer;
  });

  const problems = new Map<string, string>();
  const states = new Map<string, BucketState[]>();
  const accountBpa = new Map<string, Fact<PublicAccessBlockFlags | null>>();
  const returned = new Set<string>();
  for (const raw of answers.flatMap((answer) => answer.items)) {
    const resourceId = (raw as { resourceId?: unknown }).resourceId;
    const accountId = (raw as { accountId?: unknown }).accountId;
    const key = typeof accountId === 'string' && typeof resourceId === 'string' ? `${accountId}/${resourceId}` : '';
    try {
      const item = normalizeConfigurationItem(raw, 'config-api');
      if (item.kind === 'bucket') {
        const owner = item.accountId ?? (typeof accountId === 'string' ? accountId : 'unknown');
        returned.add(`${owner}/${item.name}`);
        states.set(owner, [...(states.get(owner) ?? []), item]);
      } else if (item.kind === 'account') {
        accountBpa.set(item.accountId, item.publicAccessBlock);
      }
    } catch (error) {
      returned.add(key);
      problems.set(
        key,
        `the aggregator's item could not be read (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  for (const id of answers.flatMap((answer) => answer.unprocessed)) {
    if (id.resourceType === 'AWS::S3::Bucket') {
      returned.add(`${id.accountId}/${id.resourceId}`);
      problems.set(`${id.accountId}/${id.resourceId}`, 'BatchGetAggregateResourceConfig left it unprocessed');
    }
  }
  for (const id of buckets) {
    const key = `${id.accountId}/${name(id)}`;
    if (!returned.has(key) && !returned.has(`${id.accountId}/${id.resourceId}`)) {
      problems.set(key, 'listed by the aggregator but no configuration item was returned');
    }
  }

  const exemptionTag = options.exemptionTag ?? DEFAULT_EXEMPTION_TAG;
  const parameters = scanParameters(options, exemptionTag);
  const accountIds = [...new Set([...buckets.map((id) => id.accountId), ...bpaByAccount.keys()])].sort();
  const rows: ResultRow[] = [];
  for (const accountId of accountIds) {
    const bpa =
      accountBpa.get(accountId) ??
      unknown(`no AWS::S3::AccountPublicAccessBlock item for account ${accountId} in aggregator ${options.aggregator}`);
    const accountRows = evaluateScan({
      rules: options.rules,
      buckets: (states.get(accountId) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
      accountBpa: bpa,
      accountId,
      now: options.now,
      parameters,
    });
    rows.push(...accountRows.map((row) => ({ ...row, source })));
    for (const [key, why] of [...problems].filter(([key]) => key.startsWith(`${accountId}/`)).sort()) {
      const resourceId = key.slice(accountId.length + 1);
      rows.push({
        resourceType: 'AWS::S3::Bucket',
        resourceId,
        accountId,
        rule: 'aggregator-scan',
        compliance: 'INSUFFICIENT_DATA',
        annotation: `${COULD_NOT_EVALUATE_PREFIX} ${inertText(why, 300)}`,
        source,
      });
    }
  }
  const notes: string[] = [];
  const withoutBpa = accountIds.filter((id) => !accountBpa.has(id));
  if (withoutBpa.length > 0) {
    notes.push(`account-level Block Public Access not recorded by the aggregator for: ${withoutBpa.join(', ')}`);
  }
  return { rows, notes, accounts: accountIds.length, buckets: buckets.length };
}
