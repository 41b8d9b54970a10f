/**
 * The organization half of `bucketguard scan --organization`: list the accounts (Organizations ListAccounts, every
 * page) and enter one (STS AssumeRole into arn:aws:iam::<account>:role/<name>). Clients are injected; the SDK
 * modules are loaded only when an organization scan runs (the single-account scan never loads them).
 */
import type { ListAccountsCommandOutput, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';
import { describeAwsError } from './live-s3';

const organizationsSdk = (): typeof import('@aws-sdk/client-organizations') => require('@aws-sdk/client-organizations');
const stsSdk = (): typeof import('@aws-sdk/client-sts') => require('@aws-sdk/client-sts');

export interface OrganizationAccount {
  readonly id: string;
  readonly name?: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE (Organizations' Status/State). */
  readonly status: string;
}

export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Raised when the organization's accounts cannot be listed: nothing can be scanned then. */
export class ListAccountsError extends Error {
  override readonly name = 'ListAccountsError';
}

/** The session name every AssumeRole of a scan uses (CloudTrail shows it in each member account). */
export const SCAN_SESSION_NAME = 'bucketguard-scan';

/** Every account of the organization, following NextToken (20 per page, Organizations' maximum). */
export async function listOrganizationAccounts(organizations: OrganizationsClient): Promise<OrganizationAccount[]> {
  const { ListAccountsCommand } = organizationsSdk();
  const accounts: OrganizationAccount[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    let page: ListAccountsCommandOutput;
    try {
      page = await organizations.send(
        new ListAccountsCommand({ MaxResults: 20, ...(token !== undefined ? { NextToken: token } : {}) }),
      );
    } catch (error) {
      throw new ListAccountsError(
        `Organizations ListAccounts failed: ${describeAwsError(error)}; run from the management account or a delegated administrator, with organizations:ListAccounts`,
      );
    }
    for (const account of page.Accounts ?? []) {
      if (!account.Id) continue;
      const status = account.State ?? account.Status ?? 'UNKNOWN';
      accounts.push({ id: account.Id, ...(account.Name ? { name: account.Name } : {}), status });
    }
    token = page.NextToken || undefined;
    if (token !== undefined) {
      // A server that hands back the same token would otherwise loop forever.
      if (seen.has(token)) throw new ListAccountsError(`ListAccounts returned the NextToken "${token}" twice`);
      seen.add(token);
    }
  } while (token !== undefined);
  return accounts;
}

/** The role ARN the scan assumes in `accountId` (a name with a path, "scan/reader", is kept as given). */
export function scanRoleArn(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** AssumeRole into `roleArn`; the credentials last one hour (STS's default). */
export async function assumeRole(sts: STSClient, roleArn: string): Promise<TemporaryCredentials> {
  const { AssumeRoleCommand } = stsSdk();
  const output = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SCAN_SESSION_NAME }));
  const credentials = output.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new Error(`AssumeRole into ${roleArn} returned no credentials`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
  };
}

export interface ServiceClientOptions {
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly maxAttempts?: number;
}

function serviceConfig(options: ServiceClientOptions) {
  return {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
  };
}

/** Organizations (the caller's: management or delegated administrator account) and STS, created on first use. */
export function createOrganizationsClient(options: ServiceClientOptions): OrganizationsClient {
  const { OrganizationsClient: Client } = organizationsSdk();
  return new Client(serviceConfig(options));
}

export function createStsClient(options: ServiceClientOptions): STSClient {
  const { STSClient: Client } = stsSdk();
  return new Client(serviceConfig(options));
}
