/**
 * `bucketguard scan --organization`: the command-line layer over runOrganizationScan. Organizations and STS clients
 * are made here, on first use, from the same options as S3's (--endpoint, --region, --profile, --max-attempts); each
 * account's S3 and S3 Control clients act with the credentials of the role assumed there.
 */
import { batchGetAggregateItems, createConfigClient, listAggregateResources } from '../../aws/config-aggregator';
import { describeAwsError } from '../../aws/live-s3';
import {
  assumeRole,
  createOrganizationsClient,
  createStsClient,
  listOrganizationAccounts,
  type ServiceClientOptions,
  scanRoleArn,
  type TemporaryCredentials,
} from '../../aws/organization';
import { partitionOf } from '../../model/arn';
import type { RuleDefinition } from '../../model/rule-definition';
import { remediateAccount, remediateBucket } from '../../remediation';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../exit-codes';
import type { CliIo } from '../io';
import { hasFindings } from '../report';
import { runAggregatorScan } from './aggregator';
import type { ScanOptions } from './args';
import { runOrganizationScan } from './organization';
import { createProgress, type Progress } from './progress';
import type { ScanClients } from './read-account';
import { renderScan } from './render';

export interface OrganizationCommandDeps {
  readonly rules: readonly RuleDefinition[];
  /** S3 / S3 Control clients acting as an account (bin/commands/scan.ts scanClients). */
  readonly clients: (
    options: ScanOptions,
    account: { accountId: string; credentials: TemporaryCredentials },
  ) => ScanClients;
  readonly now?: () => Date;
}

/** Destroys a client's sockets, whatever kind of client it is. */
function destroy(client: unknown): void {
  (client as { destroy?: () => void } | undefined)?.destroy?.();
}

export async function scanOrganization(
  options: ScanOptions,
  io: CliIo,
  deps: OrganizationCommandDeps,
): Promise<number> {
  const selection = options.organization;
  if (!selection) throw new Error('scanOrganization needs --organization');
  const serviceOptions: ServiceClientOptions = {
    maxAttempts: options.maxAttempts,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  };
  const organizations = createOrganizationsClient(serviceOptions);
  const sts = createStsClient(serviceOptions);
  const partition = partitionOf(options.region ?? process.env.AWS_REGION);
  const roleArn = (accountId: string) => scanRoleArn(accountId, selection.roleName, partition);
  const started = Date.now();
  let progress: Progress | undefined;
  try {
    const report = await runOrganizationScan(
      {
        rules: deps.rules,
        parts: options.parts,
        concurrency: options.concurrency,
        roleArn,
        ...(selection.accounts !== undefined ? { accounts: selection.accounts } : {}),
        ...(selection.excludeAccounts !== undefined ? { excludeAccounts: selection.excludeAccounts } : {}),
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        ...(options.region !== undefined ? { region: options.region } : {}),
        ...(options.regions !== undefined ? { regions: options.regions } : {}),
        ...(options.exemptionTag !== undefined ? { exemptionTag: options.exemptionTag } : {}),
        ...(options.ruleParameters !== undefined ? { ruleParameters: options.ruleParameters } : {}),
        ...(options.remediation !== undefined ? { remediation: options.remediation } : {}),
        onAccountsChosen: (count) => {
          progress = createProgress(io, count, { enabled: options.progress, label: 'accounts scanned' });
        },
        onAccountDone: () => progress?.tick(),
      },
      {
        listAccounts: () => listOrganizationAccounts(organizations),
        enterAccount: async (accountId) => {
          const credentials = await assumeRole(sts, roleArn(accountId));
          const clients = deps.clients(options, { accountId, credentials });
          return {
            clients,
            close: () => {
              if (clients.close) clients.close();
              else {
                destroy(clients.s3);
                destroy(clients.s3control);
              }
            },
          };
        },
        describeError: describeEntryError,
        remediateBucket,
        remediateAccount: (accountId, clients) =>
          clients.s3control
            ? remediateAccount(
                accountId,
                { mode: options.remediation?.mode ?? 'notify', actions: ['block-account-public-access'] },
                { s3control: clients.s3control },
              )
            : Promise.resolve([]),
        ...(deps.now !== undefined ? { now: deps.now } : {}),
      },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    progress?.done(
      `Scanned ${report.accounts.scanned} accounts (${report.buckets} buckets) in ${seconds} s` +
        (report.accounts.notScanned > 0 ? `; ${report.accounts.notScanned} not scanned.` : '.'),
    );
    const notes = [...report.notes];
    if (options.skipped.length > 0) {
      notes.push(`not read (--skip): ${options.skipped.join(', ')}; rules needing them say so`);
    }
    if (options.format !== 'json') for (const note of notes) io.err(`bucketguard scan: note: ${note}`);
    const rendered = renderScan(
      {
        rows: report.rows,
        notes,
        ...(options.remediation && report.outcomes
          ? { remediation: { mode: options.remediation.mode, outcomes: report.outcomes } }
          : {}),
      },
      options.format,
      { accountColumn: true },
    );
    io.out(rendered.stdout);
    if (rendered.stderr !== undefined) io.err(rendered.stderr);
    if (report.outcomes?.some((outcome) => outcome.status === 'failed')) return EXIT_ERROR;
    return options.failOnFindings && hasFindings(report.rows) ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    organizations.destroy();
    sts.destroy();
  }
}

/** `AccessDenied (403): User: ... is not authorized to perform: sts:AssumeRole ...` (an SCP or trust policy says no). */
export function describeEntryError(error: unknown): string {
  const described = describeAwsError(error);
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' && !described.includes(message.slice(0, 120))
    ? `${described}: ${message}`
    : described;
}

/** `bucketguard scan --aggregator NAME`: Config's aggregated view, read from the caller's account only. */
export async function scanAggregator(
  options: ScanOptions,
  io: CliIo,
  deps: { readonly rules: readonly RuleDefinition[]; readonly now?: () => Date },
): Promise<number> {
  const aggregator = options.aggregator;
  if (aggregator === undefined) throw new Error('scanAggregator needs --aggregator');
  const config = createConfigClient({
    maxAttempts: options.maxAttempts,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  });
  let progress: Progress | undefined;
  const started = Date.now();
  try {
    const report = await runAggregatorScan(
      {
        aggregator,
        rules: deps.rules,
        concurrency: Math.min(options.concurrency, 8),
        now: (deps.now ?? (() => new Date()))(),
        ...(options.accounts !== undefined ? { accounts: options.accounts } : {}),
        ...(options.excludeAccounts !== undefined ? { excludeAccounts: options.excludeAccounts } : {}),
        ...(options.regions !== undefined ? { regions: options.regions } : {}),
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        ...(options.exemptionTag !== undefined ? { exemptionTag: options.exemptionTag } : {}),
        ...(options.ruleParameters !== undefined ? { ruleParameters: options.ruleParameters } : {}),
        onListed: (batches) => {
          progress = createProgress(io, batches, { enabled: options.progress, label: 'batches of 100 read' });
        },
        onBatch: () => progress?.tick(),
      },
      {
        list: (type) => listAggregateResources(config, aggregator, type),
        batchGet: (identifiers) => batchGetAggregateItems(config, aggregator, identifiers),
      },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    progress?.done(`Read ${report.buckets} buckets of ${report.accounts} accounts in ${seconds} s.`);
    const notes = [...report.notes];
    if (options.format !== 'json') for (const note of notes) io.err(`bucketguard scan: note: ${note}`);
    const rendered = renderScan({ rows: report.rows, notes }, options.format, { accountColumn: true });
    io.out(rendered.stdout);
    if (rendered.stderr !== undefined) io.err(rendered.stderr);
    return options.failOnFindings && hasFindings(report.rows) ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    config.destroy();
  }
}
