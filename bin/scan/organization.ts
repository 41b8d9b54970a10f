/**
 * `bucketguard scan --organization` without the command-line layer: choose the accounts, enter each (the injected
 * enterAccount: AssumeRole in production), and run the single-account scan (runScan: the same rules, the same
 * remediation safety) in every account through ONE pool, so the bound holds across accounts and buckets. An account
 * that cannot be entered or listed becomes one INSUFFICIENT_DATA row and the scan goes on.
 */

import type { OrganizationAccount } from '../../aws/organization';
import { createSharedPool, type SharedPool } from '../../aws/pool';
import { COULD_NOT_EVALUATE_PREFIX } from '../../model/annotation';
import { inertText } from '../../model/inert-text';
import type { Outcome } from '../../remediation/actions/outcome';
import type { ResultRow } from '../report';
import { LIVE_SOURCE } from './evaluate-scan';
import { ListBucketsError } from './list-buckets';
import type { ScanClients } from './read-account';
import { type RemediateBucket, type RunScanOptions, runScan } from './run-scan';

/** The `rule` of the row that says an account could not be scanned (it is not a rule of the registry). */
export const ACCOUNT_NOT_SCANNED_RULE = 'organization-scan';
export const ACCOUNT_RESOURCE_TYPE = 'AWS::::Account';

export interface EnteredAccount {
  readonly clients: ScanClients;
  /** Frees the account's clients (sockets) once its scan is done. */
  readonly close?: () => void;
}

export interface OrganizationScanDeps {
  readonly listAccounts: () => Promise<readonly OrganizationAccount[]>;
  /** Credentials for the account (AssumeRole) and clients that use them; rejects when it cannot be entered. */
  readonly enterAccount: (accountId: string) => Promise<EnteredAccount>;
  /** How an error of enterAccount or of the listing is described (the AWS adapters' describeAwsError). */
  readonly describeError: (error: unknown) => string;
  readonly remediateBucket?: RemediateBucket;
  /** Account-level BPA remediation (block-account-public-access) through the account's own clients. */
  readonly remediateAccount?: (accountId: string, clients: ScanClients) => Promise<Outcome[]>;
  readonly now?: () => Date;
}

export interface OrganizationScanOptions
  extends Omit<RunScanOptions, 'accountId' | 'schedule' | 'buckets' | 'assumedAccountBpa'> {
  /** The role assumed in each account (for the messages; enterAccount does the assuming). */
  readonly roleArn: (accountId: string) => string;
  /** --accounts: only these (each must be an ACTIVE account of the organization, else it is a row). */
  readonly accounts?: readonly string[];
  readonly excludeAccounts?: readonly string[];
  /** Called once the accounts are chosen, then after each account is done (progress). */
  readonly onAccountsChosen?: (count: number) => void;
  readonly onAccountDone?: (accountId: string) => void;
}

export interface OrganizationScanReport {
  readonly rows: readonly ResultRow[];
  readonly notes: readonly string[];
  readonly outcomes?: readonly Outcome[];
  readonly accounts: { readonly scanned: number; readonly notScanned: number };
  readonly buckets: number;
  /** The most calls-or-buckets in flight at once (the pool's peak; never above the concurrency bound). */
  readonly peak: number;
}

export interface AccountChoice {
  readonly targets: readonly string[];
  /** Accounts asked for (--accounts) that cannot be scanned, with why: each becomes a row. */
  readonly refused: readonly { readonly id: string; readonly reason: string }[];
  readonly notes: readonly string[];
}

/** Which accounts to scan: the ACTIVE ones (or those of --accounts), less --exclude-accounts. Pure. */
export function chooseAccounts(
  listed: readonly OrganizationAccount[],
  options: Pick<OrganizationScanOptions, 'accounts' | 'excludeAccounts'>,
): AccountChoice {
  const byId = new Map(listed.map((account) => [account.id, account]));
  const excluded = new Set(options.excludeAccounts ?? []);
  const notes: string[] = [];
  const refused: { id: string; reason: string }[] = [];
  const targets: string[] = [];
  const unknownExcluded = [...excluded].filter((id) => !byId.has(id));
  if (unknownExcluded.length > 0) {
    notes.push(`--exclude-accounts: not accounts of this organization: ${unknownExcluded.join(', ')}`);
  }
  if (options.accounts !== undefined) {
    for (const id of options.accounts) {
      if (excluded.has(id)) continue;
      const account = byId.get(id);
      if (!account) refused.push({ id, reason: 'it is not an account of this organization (ListAccounts)' });
      else if (account.status !== 'ACTIVE') refused.push({ id, reason: `it is ${account.status} in Organizations` });
      else targets.push(id);
    }
  } else {
    const inactive = listed.filter((account) => account.status !== 'ACTIVE');
    if (inactive.length > 0) {
      notes.push(
        `not scanned, not ACTIVE in Organizations: ${inactive.map((account) => `${account.id} (${account.status})`).join(', ')}`,
      );
    }
    for (const account of listed)
      if (account.status === 'ACTIVE' && !excluded.has(account.id)) targets.push(account.id);
  }
  const skipped = [...excluded].filter((id) => byId.has(id));
  if (skipped.length > 0) notes.push(`not scanned (--exclude-accounts): ${skipped.join(', ')}`);
  return { targets: [...new Set(targets)], refused, notes };
}

/** The one row of an account the scan could not enter or list; `why` is untrusted text (an error message). */
export function accountNotScannedRow(accountId: string, what: string, why: string): ResultRow {
  return {
    resourceType: ACCOUNT_RESOURCE_TYPE,
    resourceId: accountId,
    accountId,
    rule: ACCOUNT_NOT_SCANNED_RULE,
    compliance: 'INSUFFICIENT_DATA',
    annotation: `${COULD_NOT_EVALUATE_PREFIX} account ${accountId} was not scanned: ${inertText(what, 200)} (${inertText(why, 300)}); none of its buckets were read`,
    source: LIVE_SOURCE,
  };
}

interface AccountResult {
  readonly rows: readonly ResultRow[];
  readonly notes: readonly string[];
  readonly outcomes: readonly Outcome[];
  readonly buckets: number;
  readonly scanned: boolean;
}

export async function runOrganizationScan(
  options: OrganizationScanOptions,
  deps: OrganizationScanDeps,
): Promise<OrganizationScanReport> {
  const choice = chooseAccounts(await deps.listAccounts(), options);
  options.onAccountsChosen?.(choice.targets.length);
  const pool = createSharedPool(options.concurrency);
  const results = await Promise.all(choice.targets.map((id) => scanAccount(id, options, deps, pool)));
  const refusedRows = choice.refused.map(({ id, reason }) =>
    accountNotScannedRow(id, 'not entered', `${reason}; not scanned`),
  );
  const notes = [...choice.notes, ...results.flatMap((result) => result.notes)];
  const outcomes = results.flatMap((result) => result.outcomes);
  const scanned = results.filter((result) => result.scanned).length;
  return {
    rows: [...refusedRows, ...results.flatMap((result) => result.rows)],
    notes,
    ...(options.remediation ? { outcomes } : {}),
    accounts: { scanned, notScanned: results.length - scanned + refusedRows.length },
    buckets: results.reduce((sum, result) => sum + result.buckets, 0),
    peak: pool.peak(),
  };
}

async function scanAccount(
  accountId: string,
  options: OrganizationScanOptions,
  deps: OrganizationScanDeps,
  pool: SharedPool,
): Promise<AccountResult> {
  const notScanned = (what: string, error: unknown): AccountResult => ({
    // A ListBucketsError already says what failed and what to check; an SDK error is described by the adapter.
    rows: [
      accountNotScannedRow(
        accountId,
        what,
        error instanceof ListBucketsError ? error.message : deps.describeError(error),
      ),
    ],
    notes: [],
    outcomes: [],
    buckets: 0,
    scanned: false,
  });
  let entered: EnteredAccount;
  try {
    entered = await pool.later(() => deps.enterAccount(accountId));
  } catch (error) {
    options.onAccountDone?.(accountId);
    return notScanned(`AssumeRole ${options.roleArn(accountId)} failed`, error);
  }
  try {
    const {
      onAccountsChosen: _chosen,
      onAccountDone: _done,
      roleArn: _roleArn,
      accounts: _accounts,
      excludeAccounts: _excluded,
      ...scanOptions
    } = options;
    const report = await runScan(
      { ...scanOptions, accountId, schedule: pool },
      {
        clients: entered.clients,
        ...(deps.remediateBucket !== undefined ? { remediateBucket: deps.remediateBucket } : {}),
        ...(deps.now !== undefined ? { now: deps.now } : {}),
      },
    );
    const outcomes = [...(report.outcomes ?? [])];
    const accountFlagged = report.rows.some(
      (row) => row.resourceType !== 'AWS::S3::Bucket' && row.compliance === 'NON_COMPLIANT',
    );
    const remediateAccount = deps.remediateAccount;
    if (options.remediation?.actions.includes('block-account-public-access') && accountFlagged && remediateAccount) {
      outcomes.push(...(await pool.first(() => remediateAccount(accountId, entered.clients))));
    }
    return {
      rows: report.rows,
      notes: report.notes.map((note) => `account ${accountId}: ${note}`),
      outcomes,
      buckets: report.read.buckets.length,
      scanned: true,
    };
  } catch (error) {
    // Only the listing: any other error (a rule's invalid parameters, a bug) stops the whole scan as it does today.
    if (!(error instanceof ListBucketsError)) throw error;
    return notScanned('its buckets could not be listed', error);
  } finally {
    entered.close?.();
    options.onAccountDone?.(accountId);
  }
}
