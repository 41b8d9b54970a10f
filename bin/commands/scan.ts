/**
 * `bucketguard scan`: read live buckets through the S3 API, evaluate them with the same rules as the Config Lambdas,
 * print the same report as `evaluate`, and optionally remediate what was flagged (dry run by default).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ALL_BUCKET_PARTS } from '../../aws/live-s3';
import type { TemporaryCredentials } from '../../aws/organization';
import { configuredS3ControlEndpoint, createS3Client, createS3Clients } from '../../aws/s3-clients';
import { remediateAccount, remediateBucket } from '../../remediation';
import type { Outcome } from '../../remediation/actions/outcome';
import { RULES } from '../../rules';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../exit-codes';
import type { Command } from '../io';
import { hasFindings } from '../report';
import { parseScanArgs, type ScanOptions, scanUsage } from '../scan/args';
import { scanAggregator, scanOrganization } from '../scan/organization-command';
import { createProgress, type Progress } from '../scan/progress';
import type { ScanClients } from '../scan/read-account';
import { renderScan } from '../scan/render';
import { runScan, type ScanReport } from '../scan/run-scan';

export const ENDPOINT_WITHOUT_S3_CONTROL = 'not read: S3 Control is not available through --endpoint';

/** Whose clients (an organization scan): the account and the credentials of the role assumed there. */
export interface ScanAccount {
  readonly accountId: string;
  readonly credentials: TemporaryCredentials;
}

/**
 * Clients for the scan: one per Region for AWS (buckets answer only in their own Region), one for an endpoint. With
 * `account`, they act with its credentials; in an organization scan --endpoint is S3 Control's too.
 */
export function scanClients(options: ScanOptions, account?: ScanAccount): ScanClients {
  const accountId = account?.accountId ?? options.accountId;
  const s3controlEndpoint =
    options.s3controlEndpoint ?? (options.organization !== undefined ? options.endpoint : undefined);
  const clientOptions = {
    maxAttempts: options.maxAttempts,
    // Every bucket's reads go out together: enough sockets that none queue behind another bucket's.
    maxSockets: options.concurrency * ALL_BUCKET_PARTS.length,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(s3controlEndpoint !== undefined ? { s3controlEndpoint } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined && account === undefined ? { profile: options.profile } : {}),
    ...(account !== undefined ? { credentials: account.credentials } : {}),
  };
  const { s3, s3control } = createS3Clients(clientOptions);
  if (options.endpoint !== undefined) {
    // S3 Control is not S3: through --endpoint it is read only where --s3control-endpoint (or
    // AWS_ENDPOINT_URL_S3_CONTROL) says where it is.
    const withControl = accountId !== undefined && configuredS3ControlEndpoint(clientOptions) !== undefined;
    return {
      s3,
      ...(withControl ? { s3control } : {}),
      ...(accountId !== undefined && !withControl ? { s3controlUnavailable: ENDPOINT_WITHOUT_S3_CONTROL } : {}),
      close: () => {
        s3.destroy();
        s3control.destroy();
      },
    };
  }
  const byRegion = new Map<string, S3Client>();
  return {
    s3,
    close: () => {
      s3.destroy();
      s3control.destroy();
      for (const client of byRegion.values()) client.destroy();
    },
    s3ForRegion: (region) => {
      let client = byRegion.get(region);
      if (!client) {
        client = createS3Client(clientOptions, region);
        byRegion.set(region, client);
      }
      return client;
    },
    ...(accountId !== undefined ? { s3control } : {}),
  };
}

export interface ScanCommandDeps {
  readonly clients?: (options: ScanOptions, account?: ScanAccount) => ScanClients;
  readonly now?: () => Date;
}

export function createScanCommand(deps: ScanCommandDeps = {}): Command {
  return async (args, io) => {
    const ruleIds = RULES.map((rule) => rule.id);
    const options = parseScanArgs(args, ruleIds);
    if (options.help) {
      io.out(scanUsage(ruleIds));
      return EXIT_OK;
    }
    const rules = options.rules ? RULES.filter((rule) => options.rules?.includes(rule.id)) : RULES;
    if (options.aggregator !== undefined) {
      return scanAggregator(options, io, { rules, ...(deps.now !== undefined ? { now: deps.now } : {}) });
    }
    if (options.organization !== undefined) {
      return scanOrganization(options, io, {
        rules,
        clients: deps.clients ?? scanClients,
        ...(deps.now !== undefined ? { now: deps.now } : {}),
      });
    }
    const clients = (deps.clients ?? scanClients)(options);
    const started = Date.now();
    let progress: Progress | undefined;

    const report: ScanReport = await runScan(
      {
        rules,
        parts: options.parts,
        concurrency: options.concurrency,
        ...(options.buckets !== undefined ? { buckets: options.buckets } : {}),
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
        ...(options.assumedAccountBpa !== undefined ? { assumedAccountBpa: options.assumedAccountBpa } : {}),
        ...(options.region !== undefined ? { region: options.region } : {}),
        ...(options.regions !== undefined ? { regions: options.regions } : {}),
        ...(options.exemptionTag !== undefined ? { exemptionTag: options.exemptionTag } : {}),
        ...(options.exemptions !== undefined ? { exemptions: options.exemptions } : {}),
        ...(options.ruleParameters !== undefined ? { ruleParameters: options.ruleParameters } : {}),
        ...(options.remediation !== undefined ? { remediation: options.remediation } : {}),
        onListed: (count) => {
          progress = createProgress(io, count, { enabled: options.progress, label: 'buckets read' });
        },
        onBucketRead: () => progress?.tick(),
      },
      {
        clients,
        remediateBucket,
        ...(deps.now !== undefined ? { now: deps.now } : {}),
      },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    progress?.done(`Read ${report.read.buckets.length} buckets in ${seconds} s.`);

    let outcomes: readonly Outcome[] | undefined = report.outcomes;
    if (options.remediation?.actions.includes('block-account-public-access')) {
      outcomes = [...(outcomes ?? []), ...(await remediateAccountIfFlagged(report, options, clients))];
    }
    const notes = noteLines(report, options);
    if (options.format !== 'json') for (const note of notes) io.err(`bucketguard scan: note: ${note}`);
    const rendered = renderScan(
      {
        rows: report.rows,
        notes,
        ...(options.remediation && outcomes ? { remediation: { mode: options.remediation.mode, outcomes } } : {}),
      },
      options.format,
    );
    io.out(rendered.stdout);
    if (rendered.stderr !== undefined) io.err(rendered.stderr);
    return exitCode(report, outcomes, options.failOnFindings);
  };
}

async function remediateAccountIfFlagged(
  report: ScanReport,
  options: ScanOptions,
  clients: ScanClients,
): Promise<Outcome[]> {
  const remediation = options.remediation;
  if (!remediation || options.accountId === undefined || !clients.s3control) return [];
  const flagged = report.rows.some(
    (row) => row.resourceType !== 'AWS::S3::Bucket' && row.compliance === 'NON_COMPLIANT',
  );
  if (!flagged) return [];
  return remediateAccount(
    options.accountId,
    { mode: remediation.mode, actions: ['block-account-public-access'] },
    {
      s3control: clients.s3control,
    },
  );
}

function noteLines(report: ScanReport, options: ScanOptions): string[] {
  const lines = [...report.notes];
  if (options.skipped.length > 0)
    lines.push(`not read (--skip): ${options.skipped.join(', ')}; rules needing them say so`);
  return lines;
}

/** As evaluate: 0 done, 3 findings with --fail-on-findings; and 1 when a remediation failed. */
function exitCode(report: ScanReport, outcomes: readonly Outcome[] | undefined, failOnFindings: boolean): number {
  if (outcomes?.some((outcome) => outcome.status === 'failed')) return EXIT_ERROR;
  // A bucket the scan could not read is not a pass: INSUFFICIENT_DATA counts as a finding (report.ts hasFindings).
  return failOnFindings && hasFindings(report.rows) ? EXIT_FINDINGS : EXIT_OK;
}

export const scan: Command = createScanCommand();
