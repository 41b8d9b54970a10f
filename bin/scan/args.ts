/** `bucketguard scan` options: parsed and validated up front, so a typo fails before any AWS call. */

import { ALL_BUCKET_PARTS, type BucketPart } from '../../aws/live-s3';
import type { ApprovedExemptionContext } from '../../model/approved-exemptions';
import { isAccountId } from '../../model/arn';
import type { PublicAccessBlockFlags } from '../../model/types';
import type { ActionId, RemediationMode } from '../../remediation/actions/action-definition';
import { RULES } from '../../rules';
import { parseExemptionSettings } from '../../rules/parameters';
import { readExemptionsFile } from '../exemptions-file';
import { UsageError } from '../io';
import {
  parseAccountBpaOption,
  parseFormat,
  parseOptions,
  parseRuleIds,
  REPORT_FORMATS,
  type ReportFormat,
} from '../report';
import { parseRuleParametersOption, type RuleParameters } from '../rule-parameters';
import {
  ORGANIZATION_OPTIONS,
  ORGANIZATION_USAGE,
  type OrganizationScanArgs,
  parseOrganizationArgs,
} from './organization-args';

export interface ScanOptions extends OrganizationScanArgs {
  readonly endpoint?: string;
  /** --s3control-endpoint: where account-level BPA is read (else AWS_ENDPOINT_URL_S3_CONTROL, else AWS). */
  readonly s3controlEndpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly accountId?: string;
  readonly buckets?: readonly string[];
  readonly prefix?: string;
  /** Rule ids; undefined = every rule. */
  readonly rules?: readonly string[];
  /** --account-public-access-block: account-level BPA to assume instead of reading it (as in evaluate). */
  readonly assumedAccountBpa?: PublicAccessBlockFlags;
  readonly failOnFindings: boolean;
  readonly parts: readonly BucketPart[];
  readonly skipped: readonly BucketPart[];
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly format: ReportFormat;
  readonly progress: boolean;
  readonly exemptionTag?: string;
  /** --exemptions FILE: the approved exemption list (bin/exemptions-file.ts). */
  readonly exemptions?: ApprovedExemptionContext;
  /** --rule-parameters: the deployed rules' parameters by rule id (bin/rule-parameters.ts). */
  readonly ruleParameters?: RuleParameters;
  readonly remediation?: { readonly mode: RemediationMode; readonly actions: readonly ActionId[] };
  readonly help: boolean;
}

export const DEFAULT_CONCURRENCY = 16;
export const MAX_CONCURRENCY = 256;
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The help text; rule ids come from the registry. */
export const scanUsage = (ruleIds: readonly string[]): string => `Usage: bucketguard scan [options]

Reads the buckets of an account (or of any S3-compatible endpoint) through the S3 API, evaluates them with the same
rules as the Config Lambdas and prints the same report as "evaluate". Credentials: the standard AWS chain.

Where:
  --endpoint URL         S3-compatible endpoint (path-style), e.g. http://127.0.0.1:7480
  --s3control-endpoint URL  S3 Control endpoint for account-level BPA (with --account-id), e.g. a local
                         server's; also read from AWS_ENDPOINT_URL_S3_CONTROL. Without it, --endpoint
                         leaves account-level BPA not read
  --region REGION        default: AWS_REGION, else us-east-1 (each AWS bucket is read in its own Region)
  --profile NAME         a named profile from ~/.aws/config
  --account-id ID        12-digit account: also reads account-level Block Public Access (S3 Control)
                         and runs the account rule; without it account-level BPA is reported as not read
  --account-public-access-block JSON  account-level BPA to assume instead of reading it, e.g.
                         '{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}'
What:
  --bucket NAME          scan only this bucket (repeatable; no ListBuckets)
  --prefix PREFIX        only buckets whose name starts with PREFIX
  --rules ID,ID          rules to run (default: all):
                         ${ruleIds.join('\n                         ')}
  --skip PART,PART       bucket settings not to read: ${ALL_BUCKET_PARTS.join(', ')}
                         (e.g. --skip ownership for S3-compatible servers without Object Ownership;
                         the rules then say the setting is unknown)
  --exemption-tag KEY    exemption request tag key (default bucketguard:exempt)
  --exemptions FILE      the approved exemption list (JSON, as in the SSM parameter); without it
                         nothing is exempt and a tag is reported as "Exemption requested, not approved"
  --rule-parameters JSON|@file  the deployed rules' parameters, {"<rule id>": {"<parameter>": "<value>"}}
How:
  --concurrency N        buckets read at once (default ${DEFAULT_CONCURRENCY}, max ${MAX_CONCURRENCY}); each bucket's reads run together
  --max-attempts N       attempts per API call with adaptive retry on throttling (default ${DEFAULT_MAX_ATTEMPTS})
  --format table|json|csv, --json   report format (default table)
  --no-progress          no progress bar (it is shown only on a terminal, and never with json)
  --fail-on-findings     exit 3 when any result is NON_COMPLIANT or INSUFFICIENT_DATA (could not be decided)
${ORGANIZATION_USAGE}
Fix:
  --remediate            run the remediation actions on what the scan flagged (exemptions honoured,
                         settings only tightened, read back, fail closed)
  --mode notify|remediate  notify (default) prints the plan and changes nothing; remediate applies it
  --enable-versioning    also enable versioning on buckets flagged by s3-bucket-versioning-enabled
  --block-account-public-access  also turn on account-level BPA when the account rule flags it
                         (needs --account-id or --organization; it overrides every bucket, exempt ones included)
  With --organization, remediation runs in each account through its assumed role, with the same safety rules.

Exit codes: 0 done, 1 error (nothing listed, or a remediation failed), 2 usage error, 3 findings with
--fail-on-findings (as found, before any remediation).`;

// S3 bucket names, loosely (legacy us-east-1 names allow capitals and underscores): no separators, no spaces.
const BUCKET_NAME = /^[A-Za-z0-9._-]{1,255}$/;

function positiveInteger(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}; received "${raw}".`);
  }
  return value;
}

function checkEndpoint(name: string, raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${name} must be a URL such as http://127.0.0.1:7480; received "${raw}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--${name} must be an http or https URL; received "${raw}".`);
  }
}

function csv(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function parseScanArgs(args: readonly string[], knownRuleIds: readonly string[]): ScanOptions {
  const { values, positionals } = parseOptions(args, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`scan takes no file arguments; received "${positionals[0]}".`);

  const endpoint = values.endpoint;
  if (endpoint !== undefined) checkEndpoint('endpoint', endpoint);
  const s3controlEndpoint = values['s3control-endpoint'];
  if (s3controlEndpoint !== undefined) checkEndpoint('s3control-endpoint', s3controlEndpoint);
  const organization = parseOrganizationArgs(values);
  if (values['account-id'] !== undefined && !isAccountId(values['account-id'])) {
    throw new UsageError(`--account-id must be 12 digits; received "${values['account-id']}".`);
  }
  if (s3controlEndpoint !== undefined && values['account-id'] === undefined && !organization.organization) {
    throw new UsageError('--s3control-endpoint needs --account-id (account-level BPA is read for that account).');
  }
  for (const bucket of values.bucket ?? []) {
    if (!BUCKET_NAME.test(bucket)) throw new UsageError(`--bucket must be a bucket name; received "${bucket}".`);
  }

  const rules = values.rules === undefined ? undefined : parseRuleIds(values.rules, knownRuleIds);
  const ruleParameters = parseRuleParametersOption(values['rule-parameters'], RULES);
  const assumedAccountBpa = parseAccountBpaOption(values['account-public-access-block']);
  if (values['exemption-tag'] !== undefined) {
    try {
      // The rules' own check of their exemptionTag parameter, so a bad key fails here and not mid-scan.
      parseExemptionSettings({ exemptionTag: values['exemption-tag'] });
    } catch (error) {
      throw new UsageError(`--exemption-tag: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const exemptions =
    values.exemptions === undefined
      ? undefined
      : readExemptionsFile(values.exemptions, new Date(), values['account-id']).context;

  const skipped = csv(values.skip) ?? [];
  for (const part of skipped) {
    if (!(ALL_BUCKET_PARTS as readonly string[]).includes(part)) {
      throw new UsageError(`--skip must list bucket parts (${ALL_BUCKET_PARTS.join(', ')}); received "${part}".`);
    }
  }
  const parts = ALL_BUCKET_PARTS.filter((part) => !skipped.includes(part));

  if (values.json && values.format !== undefined && values.format.toLowerCase() !== 'json') {
    throw new UsageError(`--json contradicts --format ${values.format}.`);
  }
  const format: ReportFormat = values.json ? 'json' : parseFormat(values.format, REPORT_FORMATS, 'table');

  const mode = values.mode;
  if (mode !== undefined && mode !== 'notify' && mode !== 'remediate') {
    throw new UsageError(`--mode must be notify or remediate; received "${mode}".`);
  }
  if (
    !values.remediate &&
    (mode !== undefined || values['enable-versioning'] || values['block-account-public-access'])
  ) {
    throw new UsageError('--mode, --enable-versioning and --block-account-public-access only apply with --remediate.');
  }
  const actions: ActionId[] = ['block-public-access'];
  if (values['enable-versioning']) actions.push('enable-versioning');
  if (values['block-account-public-access']) {
    if (values['account-id'] === undefined && !organization.organization) {
      throw new UsageError('--block-account-public-access needs --account-id or --organization.');
    }
    actions.push('block-account-public-access');
  }

  return {
    ...organization,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(s3controlEndpoint !== undefined ? { s3controlEndpoint } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(values['account-id'] !== undefined ? { accountId: values['account-id'] } : {}),
    ...(values.bucket !== undefined ? { buckets: [...new Set(values.bucket)] } : {}),
    ...(values.prefix !== undefined ? { prefix: values.prefix } : {}),
    ...(rules !== undefined ? { rules } : {}),
    ...(assumedAccountBpa !== undefined ? { assumedAccountBpa } : {}),
    failOnFindings: values['fail-on-findings'] === true,
    parts,
    skipped: ALL_BUCKET_PARTS.filter((part) => skipped.includes(part)),
    concurrency: positiveInteger('concurrency', values.concurrency, DEFAULT_CONCURRENCY, MAX_CONCURRENCY),
    maxAttempts: positiveInteger('max-attempts', values['max-attempts'], DEFAULT_MAX_ATTEMPTS, 20),
    format,
    progress: !values['no-progress'] && format !== 'json',
    ...(values['exemption-tag'] !== undefined ? { exemptionTag: values['exemption-tag'] } : {}),
    ...(ruleParameters !== undefined ? { ruleParameters } : {}),
    ...(exemptions !== undefined ? { exemptions } : {}),
    ...(values.remediate ? { remediation: { mode: mode ?? 'notify', actions } } : {}),
    help: values.help === true,
  };
}

const OPTIONS = {
  endpoint: { type: 'string' },
  's3control-endpoint': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'account-id': { type: 'string' },
  bucket: { type: 'string', multiple: true },
  prefix: { type: 'string' },
  rules: { type: 'string' },
  'account-public-access-block': { type: 'string' },
  'fail-on-findings': { type: 'boolean' },
  skip: { type: 'string' },
  'exemption-tag': { type: 'string' },
  exemptions: { type: 'string' },
  'rule-parameters': { type: 'string' },
  concurrency: { type: 'string' },
  'max-attempts': { type: 'string' },
  format: { type: 'string' },
  json: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  remediate: { type: 'boolean' },
  mode: { type: 'string' },
  'enable-versioning': { type: 'boolean' },
  'block-account-public-access': { type: 'boolean' },
  ...ORGANIZATION_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;
