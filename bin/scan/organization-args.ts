/**
 * The organization options of `bucketguard scan` (--organization, --aggregator and what goes with them), parsed
 * apart from args.ts so the single-account options stay where they were.
 */
import { isAccountId } from '../../model/arn';
import { UsageError } from '../io';

export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';

export interface OrganizationSelection {
  /** The role assumed in every account (--role-name). */
  readonly roleName: string;
  readonly accounts?: readonly string[];
  readonly excludeAccounts?: readonly string[];
}

export interface OrganizationScanArgs {
  readonly organization?: OrganizationSelection;
  /** --aggregator NAME: read every account's buckets from this Config aggregator. */
  readonly aggregator?: string;
  readonly accounts?: readonly string[];
  readonly excludeAccounts?: readonly string[];
  /** --regions: only buckets in these Regions. */
  readonly regions?: readonly string[];
}

export const ORGANIZATION_OPTIONS = {
  organization: { type: 'boolean' },
  'role-name': { type: 'string' },
  accounts: { type: 'string' },
  'exclude-accounts': { type: 'string' },
  regions: { type: 'string' },
  aggregator: { type: 'string' },
} as const;

interface Values {
  readonly organization?: boolean;
  readonly 'role-name'?: string;
  readonly accounts?: string;
  readonly 'exclude-accounts'?: string;
  readonly regions?: string;
  readonly aggregator?: string;
  readonly 'account-id'?: string;
  readonly bucket?: readonly string[];
  readonly 'account-public-access-block'?: string;
  readonly remediate?: boolean;
}

// IAM role names (with an optional path): letters, digits and +=,.@_- ; at most 64 characters for the name.
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
// Config aggregator names: 1-256 of letters, digits, . _ -
const AGGREGATOR_NAME = /^[\w.-]{1,256}$/;

function list(name: string, raw: string | undefined, check: (item: string) => boolean, what: string) {
  if (raw === undefined) return undefined;
  const items = [...new Set(raw.split(',').map((item) => item.trim()))].filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`--${name} needs at least one ${what}.`);
  const bad = items.find((item) => !check(item));
  if (bad !== undefined) throw new UsageError(`--${name}: "${bad}" is not a ${what}.`);
  return items;
}

export function parseOrganizationArgs(values: Values): OrganizationScanArgs {
  const org = values.organization === true;
  const aggregator = values.aggregator;
  if (org && aggregator !== undefined) {
    throw new UsageError('--organization and --aggregator are two ways to scan an organization: choose one.');
  }
  if (aggregator !== undefined && !AGGREGATOR_NAME.test(aggregator)) {
    throw new UsageError(`--aggregator must be a Config aggregator name; received "${aggregator}".`);
  }
  const many = org || aggregator !== undefined;
  const accounts = list('accounts', values.accounts, isAccountId, '12-digit account id');
  const excludeAccounts = list('exclude-accounts', values['exclude-accounts'], isAccountId, '12-digit account id');
  const regions = list('regions', values.regions, (item) => REGION.test(item), 'Region (e.g. eu-west-1)');
  if (!many && (accounts || excludeAccounts)) {
    throw new UsageError('--accounts and --exclude-accounts apply with --organization or --aggregator.');
  }
  const roleName = values['role-name'];
  if (roleName !== undefined && !org) throw new UsageError('--role-name applies with --organization.');
  if (roleName !== undefined && !ROLE_NAME.test(roleName)) {
    throw new UsageError(`--role-name must be an IAM role name (optionally with a path); received "${roleName}".`);
  }
  if (many) {
    const flag = org ? '--organization' : '--aggregator';
    if (values['account-id'] !== undefined) {
      throw new UsageError(`${flag} scans every account: --account-id does not apply (use --accounts).`);
    }
    if (values.bucket !== undefined) throw new UsageError(`${flag} scans every bucket: --bucket does not apply.`);
    if (values['account-public-access-block'] !== undefined) {
      throw new UsageError(
        `${flag} reads each account's own Block Public Access: --account-public-access-block does not apply.`,
      );
    }
  }
  if (aggregator !== undefined && values.remediate) {
    throw new UsageError(
      '--aggregator reads without entering any account, so it cannot --remediate (use --organization).',
    );
  }
  return {
    ...(org
      ? {
          organization: {
            roleName: roleName ?? DEFAULT_ROLE_NAME,
            ...(accounts ? { accounts } : {}),
            ...(excludeAccounts ? { excludeAccounts } : {}),
          },
        }
      : {}),
    ...(aggregator !== undefined ? { aggregator } : {}),
    ...(accounts ? { accounts } : {}),
    ...(excludeAccounts ? { excludeAccounts } : {}),
    ...(regions ? { regions } : {}),
  };
}

export const ORGANIZATION_USAGE = `Organization (from the management or a delegated administrator account):
  --organization         scan every ACTIVE account of the organization (Organizations ListAccounts): assume
                         arn:aws:iam::<account>:role/<role name> in each (session bucketguard-scan) and read its
                         buckets and account-level BPA there; one report with an ACCOUNT column. An account that
                         cannot be entered is one INSUFFICIENT_DATA row; the scan goes on. --concurrency bounds
                         the whole organization (accounts and buckets share one pool)
  --role-name NAME       the role to assume (default ${DEFAULT_ROLE_NAME})
  --accounts ID,ID       only these accounts; --exclude-accounts ID,ID  all but these
  --regions R,R          only buckets in these Regions
  --aggregator NAME      read every account's buckets from this Config aggregator instead (no role in any
                         member account; account-level BPA from its AWS::S3::AccountPublicAccessBlock items)
  With --endpoint, Organizations, STS, S3, S3 Control and Config are all called there (a local AWS).`;
