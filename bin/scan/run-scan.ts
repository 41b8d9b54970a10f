/**
 * `bucketguard scan` without the command-line layer: read, evaluate, and (on request) remediate what was flagged.
 * Clients and the remediation entry are injected, so the unit tests drive it with mocked clients.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { describeAwsError } from '../../aws/live-s3';
import type { ApprovedExemptionContext } from '../../model/approved-exemptions';
import { DEFAULT_EXEMPTION_TAG, type ExemptionSettings } from '../../model/exemptions';
import type { RuleDefinition } from '../../model/rule-definition';
import type { BucketState } from '../../model/types';
import type { ActionId, RemediationMode } from '../../remediation/actions/action-definition';
import type { Outcome } from '../../remediation/actions/outcome';
import type { ResultRow } from '../report';
import { evaluateScan } from './evaluate-scan';
import {
  type AccountRead,
  mapScheduled,
  type ReadAccountOptions,
  readAccount,
  type ScanClients,
  s3ForBucket,
} from './read-account';

/** The remediation entry point (remediation/index.ts remediateBucket), injected. */
export type RemediateBucket = (
  bucket: BucketState,
  options: {
    mode: RemediationMode;
    actions: ActionId[];
    exemption: ExemptionSettings;
    approved?: () => Promise<ApprovedExemptionContext>;
  },
  deps: { s3: S3Client; now?: () => Date },
) => Promise<Outcome[]>;

/** What to read (as for readAccount), which rules to run, and what to remediate. */
export interface RunScanOptions extends Omit<ReadAccountOptions, 'now'> {
  readonly rules: readonly RuleDefinition[];
  readonly exemptionTag?: string;
  /** The deployed rules' parameters by rule id (--rule-parameters); --exemption-tag wins over their exemptionTag. */
  readonly ruleParameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly remediation?: { readonly mode: RemediationMode; readonly actions: readonly ActionId[] };
  /** --exemptions: the approved list, for the rules and the remediation; absent = none approved. */
  readonly exemptions?: ApprovedExemptionContext;
}

export interface RunScanDeps {
  readonly clients: ScanClients;
  readonly remediateBucket?: RemediateBucket;
  readonly now?: () => Date;
}

export interface ScanReport {
  readonly rows: readonly ResultRow[];
  readonly read: AccountRead;
  readonly notes: readonly string[];
  /** Present when remediation was requested. */
  readonly outcomes?: readonly Outcome[];
}

export async function runScan(options: RunScanOptions, deps: RunScanDeps): Promise<ScanReport> {
  const now = deps.now ?? (() => new Date());
  const read = await readAccount(deps.clients, { ...options, now });
  const exemptionTag = options.exemptionTag ?? DEFAULT_EXEMPTION_TAG;
  const rows = evaluateScan({
    rules: options.rules,
    buckets: read.buckets,
    accountBpa: read.accountBpa,
    now: now(),
    parameters: scanParameters(options, exemptionTag),
    ...(options.exemptions ? { exemptions: options.exemptions } : {}),
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
  });
  const notes = [...read.notes];
  if (options.accountId === undefined && options.rules.some((rule) => rule.target === 'account')) {
    notes.push(
      `account rules not run: ${options.rules
        .filter((rule) => rule.target === 'account')
        .map((rule) => rule.id)
        .join(', ')} (pass --account-id)`,
    );
  }
  if (!options.remediation) return { rows, read, notes };

  if (!deps.remediateBucket) throw new Error('remediation requested but no remediation entry was given');
  const outcomes = await remediateFlagged(read.buckets, rows, options, deps.remediateBucket, deps, exemptionTag);
  return { rows, read, notes, outcomes };
}

/**
 * --rule-parameters, with the exemption tag set on every bucket rule that honours exemptions: --exemption-tag if
 * given, else the one in --rule-parameters, else the default.
 */
export function scanParameters(
  options: Pick<RunScanOptions, 'rules' | 'exemptionTag' | 'ruleParameters'>,
  exemptionTag: string,
): Record<string, Record<string, string>> {
  const parameters: Record<string, Record<string, string>> = {};
  for (const rule of options.rules) {
    const given = options.ruleParameters?.[rule.id] ?? {};
    parameters[rule.id] = Object.hasOwn(rule.parameters, 'exemptionTag')
      ? { ...given, exemptionTag: options.exemptionTag ?? given.exemptionTag ?? exemptionTag }
      : { ...given };
  }
  return parameters;
}

/**
 * Runs, per bucket, the requested actions that fix a rule this scan found NON_COMPLIANT (rule.remediation). Buckets
 * nothing flagged are not touched. remediateBucket applies the same safety rules as the Lambda: it re-checks the
 * exemption, only tightens, reads back, and does nothing when in doubt.
 */
async function remediateFlagged(
  buckets: readonly BucketState[],
  rows: readonly ResultRow[],
  options: RunScanOptions,
  remediateBucket: RemediateBucket,
  deps: RunScanDeps,
  exemptionTag: string,
): Promise<Outcome[]> {
  const remediation = options.remediation;
  if (!remediation) return [];
  const actionOfRule = new Map(options.rules.map((rule) => [rule.id, rule.remediation]));
  const wanted = new Map<string, Set<ActionId>>();
  for (const row of rows) {
    if (row.resourceType !== 'AWS::S3::Bucket' || row.compliance !== 'NON_COMPLIANT') continue;
    const action = actionOfRule.get(row.rule);
    if (!action || !(remediation.actions as readonly string[]).includes(action)) continue;
    const set = wanted.get(row.resourceId) ?? new Set<ActionId>();
    set.add(action as ActionId);
    wanted.set(row.resourceId, set);
  }
  const targets = buckets.filter((bucket) => wanted.has(bucket.name));
  const exemption: ExemptionSettings = { tagKey: exemptionTag, enabled: true };
  const list = options.exemptions;
  const approved = list ? async () => list : undefined;
  const perBucket = await mapScheduled(targets, options, async (bucket) => {
    const s3 = s3ForBucket(deps.clients, bucket);
    const actions = remediation.actions.filter((action) => wanted.get(bucket.name)?.has(action));
    try {
      return await remediateBucket(
        bucket,
        { mode: remediation.mode, actions, exemption, ...(approved ? { approved } : {}) },
        { s3, ...(deps.now !== undefined ? { now: deps.now } : {}) },
      );
    } catch (error) {
      // The engine reports its own failures as outcomes; this is a bug path, and it must not lose the other buckets.
      return actions.map(
        (action): Outcome => ({
          action,
          targetKind: 'bucket',
          target: bucket.name,
          mode: remediation.mode,
          status: 'failed',
          reason: `remediation stopped by an unexpected error (${describeAwsError(error)}); state unknown, check the bucket`,
          changes: [],
        }),
      );
    }
  });
  return perBucket.flat();
}
