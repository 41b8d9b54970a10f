/**
 * Live reads through the S3 API into the same BucketState the Config path builds. Used by `bucketguard scan`, by the
 * remediation planner (current state before a change, read-back after it) and by the integration suite.
 * Per-call failures never throw: each part becomes a Fact, unknown with the operation and the error code.
 */

import type {
  GetBucketAclCommandOutput,
  GetBucketLoggingCommandOutput,
  GetBucketOwnershipControlsCommandOutput,
  GetBucketPolicyCommandOutput,
  GetBucketTaggingCommandOutput,
  GetBucketVersioningCommandOutput,
  GetPublicAccessBlockCommandOutput,
  Grant,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { bucketArn } from '../model/arn';
import { groupFromUri, normalizeAclPermission } from '../model/normalize-acl';
import { parseLoggingConfiguration } from '../model/normalize-parts';
import { parsePolicyDocument } from '../model/normalize-policy';
import {
  type AclGrant,
  type BucketAcl,
  type BucketLogging,
  type BucketPolicy,
  type BucketState,
  type Fact,
  type Grantee,
  known,
  type ObjectOwnership,
  type PublicAccessBlockFlags,
  unknown,
  type VersioningState,
} from '../model/types';

export type BucketPart = 'acl' | 'policy' | 'publicAccessBlock' | 'versioning' | 'ownership' | 'tags' | 'logging';

export const ALL_BUCKET_PARTS: readonly BucketPart[] = [
  'acl',
  'policy',
  'publicAccessBlock',
  'versioning',
  'ownership',
  'tags',
  'logging',
];

/** The S3 API operation behind each part (IAM action names differ: see BUCKET_PART_PERMISSIONS). */
export const BUCKET_PART_OPERATIONS: Readonly<Record<BucketPart, string>> = {
  acl: 'GetBucketAcl',
  policy: 'GetBucketPolicy',
  publicAccessBlock: 'GetPublicAccessBlock',
  versioning: 'GetBucketVersioning',
  ownership: 'GetBucketOwnershipControls',
  tags: 'GetBucketTagging',
  logging: 'GetBucketLogging',
};

/** IAM actions needed to read each part (for least-privilege policies and the scan's docs). */
export const BUCKET_PART_PERMISSIONS: Readonly<Record<BucketPart, string>> = {
  acl: 's3:GetBucketAcl',
  policy: 's3:GetBucketPolicy',
  publicAccessBlock: 's3:GetBucketPublicAccessBlock',
  versioning: 's3:GetBucketVersioning',
  ownership: 's3:GetBucketOwnershipControls',
  tags: 's3:GetBucketTagging',
  logging: 's3:GetBucketLogging',
};

export const NOT_READ_REASON = 'not read';

/**
 * The SDK packages, required at the first read rather than imported: a rule Lambda that never reads S3 live (most
 * change events) then never loads them, and its cold start is node plus the Config client alone.
 */
const s3Sdk = (): typeof import('@aws-sdk/client-s3') => require('@aws-sdk/client-s3');
const s3ControlSdk = (): typeof import('@aws-sdk/client-s3-control') => require('@aws-sdk/client-s3-control');

export interface ReadBucketOptions {
  /** Parts to read; the others are unknown('not read'). Default: all. */
  readonly parts?: readonly BucketPart[];
  readonly accountId?: string;
  readonly region?: string;
  /** Clock for captureTime; injectable for tests. */
  readonly now?: () => Date;
}

/** Error codes that mean "this part is not configured", per part, and the value that stands for it. */
const NOT_CONFIGURED_CODES: Readonly<Record<BucketPart, readonly string[]>> = {
  acl: [],
  policy: ['NoSuchBucketPolicy'],
  publicAccessBlock: ['NoSuchPublicAccessBlockConfiguration'],
  versioning: [],
  ownership: ['OwnershipControlsNotFoundError'],
  // AWS documents NoSuchTagSet; some S3-compatible servers and older docs say NoSuchTagSetError.
  tags: ['NoSuchTagSet', 'NoSuchTagSetError'],
  // GetBucketLogging answers `{}` (no LoggingEnabled) for a bucket without logging: no error code means "off".
  logging: [],
};

type PartRead = { readonly fact: Fact<unknown>; readonly bucketMissing: boolean };

/**
 * Reads a bucket through the S3 API (the requested parts in parallel) into a BucketState with source 'live-s3'.
 * Never throws for per-call errors. NoSuchBucket on every call made means the bucket is gone: status 'ResourceDeleted'.
 */
export async function readBucketState(
  s3: S3Client,
  bucket: string,
  options: ReadBucketOptions = {},
): Promise<BucketState> {
  const requested = new Set<BucketPart>(options.parts ?? ALL_BUCKET_PARTS);
  const now = options.now ?? (() => new Date());
  const parts = [...requested];
  const reads = await Promise.all(parts.map((part) => readPart(s3, bucket, part)));
  const byPart = new Map<BucketPart, PartRead>(parts.map((part, index) => [part, reads[index]]));
  const fact = <T>(part: BucketPart): Fact<T> =>
    (byPart.get(part)?.fact as Fact<T> | undefined) ?? unknown(NOT_READ_REASON);
  const deleted = reads.length > 0 && reads.every((read) => read.bucketMissing);
  return {
    kind: 'bucket',
    name: bucket,
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    arn: bucketArn(bucket, options.region),
    source: 'live-s3',
    status: deleted ? 'ResourceDeleted' : 'OK',
    captureTime: now().toISOString(),
    acl: fact<BucketAcl>('acl'),
    policy: fact<BucketPolicy | null>('policy'),
    publicAccessBlock: fact<PublicAccessBlockFlags | null>('publicAccessBlock'),
    versioning: fact<VersioningState>('versioning'),
    ownership: fact<ObjectOwnership | null>('ownership'),
    tags: fact<Readonly<Record<string, string>>>('tags'),
    logging: fact<BucketLogging | null>('logging'),
  };
}

async function readPart(s3: S3Client, bucket: string, part: BucketPart): Promise<PartRead> {
  const operation = BUCKET_PART_OPERATIONS[part];
  try {
    return { fact: await fetchPart(s3, bucket, part), bucketMissing: false };
  } catch (error) {
    const code = errorCode(error);
    if (code !== undefined && NOT_CONFIGURED_CODES[part].includes(code)) {
      return { fact: known(notConfiguredValue(part)), bucketMissing: false };
    }
    return { fact: unknown(`${operation} failed: ${describeAwsError(error)}`), bucketMissing: code === 'NoSuchBucket' };
  }
}

function notConfiguredValue(part: BucketPart): unknown {
  return part === 'tags' ? {} : null;
}

async function fetchPart(s3: S3Client, bucket: string, part: BucketPart): Promise<Fact<unknown>> {
  const input = { Bucket: bucket };
  const {
    GetBucketAclCommand,
    GetBucketPolicyCommand,
    GetPublicAccessBlockCommand,
    GetBucketVersioningCommand,
    GetBucketOwnershipControlsCommand,
    GetBucketTaggingCommand,
    GetBucketLoggingCommand,
  } = s3Sdk();
  switch (part) {
    case 'acl':
      return aclFromApi(await s3.send(new GetBucketAclCommand(input)));
    case 'policy':
      return policyFromApi(await s3.send(new GetBucketPolicyCommand(input)));
    case 'publicAccessBlock':
      return publicAccessBlockFromApi(await s3.send(new GetPublicAccessBlockCommand(input)));
    case 'versioning':
      return versioningFromApi(await s3.send(new GetBucketVersioningCommand(input)));
    case 'ownership':
      return ownershipFromApi(await s3.send(new GetBucketOwnershipControlsCommand(input)));
    case 'tags':
      return tagsFromApi(await s3.send(new GetBucketTaggingCommand(input)));
    case 'logging':
      return loggingFromApi(await s3.send(new GetBucketLoggingCommand(input)));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Response -> typed part. Each returns unknown(reason) for a response it cannot interpret, never a guess.

/** GetBucketLogging: `LoggingEnabled {TargetBucket, TargetPrefix}`, absent when logging is off. */
export function loggingFromApi(
  output: Pick<GetBucketLoggingCommandOutput, 'LoggingEnabled'> | undefined,
): Fact<BucketLogging | null> {
  if (output === undefined || output === null) return unknown('GetBucketLogging returned no response');
  try {
    return known(parseLoggingConfiguration({ LoggingEnabled: output.LoggingEnabled ?? null }, 'GetBucketLogging'));
  } catch (error) {
    return unknown(error instanceof Error ? error.message : String(error));
  }
}

export function aclFromApi(output: Pick<GetBucketAclCommandOutput, 'Owner' | 'Grants'>): Fact<BucketAcl> {
  const grants: AclGrant[] = [];
  for (const grant of output.Grants ?? []) {
    const permission = grant.Permission ? normalizeAclPermission(grant.Permission) : undefined;
    if (!permission) {
      return unknown(`GetBucketAcl returned an unrecognised permission ${JSON.stringify(grant.Permission ?? null)}`);
    }
    grants.push({ grantee: granteeFromApi(grant), permission });
  }
  const ownerId = output.Owner?.ID;
  return known(ownerId !== undefined ? { ownerId, grants } : { grants });
}

function granteeFromApi(grant: Grant): Grantee {
  const grantee = grant.Grantee;
  switch (grantee?.Type) {
    case 'CanonicalUser':
      if (grantee.ID) {
        return grantee.DisplayName
          ? { kind: 'canonicalUser', id: grantee.ID, displayName: grantee.DisplayName }
          : { kind: 'canonicalUser', id: grantee.ID };
      }
      break;
    case 'Group': {
      const group = grantee.URI ? groupFromUri(grantee.URI) : undefined;
      if (group) return { kind: 'group', group };
      break;
    }
    case 'AmazonCustomerByEmail':
      if (grantee.EmailAddress) return { kind: 'email', email: grantee.EmailAddress };
      break;
  }
  return { kind: 'unrecognised', raw: JSON.stringify(grantee ?? null) };
}

export function policyFromApi(output: Pick<GetBucketPolicyCommandOutput, 'Policy'>): Fact<BucketPolicy | null> {
  const text = output.Policy;
  if (text === undefined || text.trim() === '') return known(null);
  try {
    return known(parsePolicyDocument(text, 'GetBucketPolicy.Policy'));
  } catch (error) {
    // Unreadable is not "no policy": the rules must say they could not decide.
    return unknown(
      `GetBucketPolicy returned a policy bucketguard cannot read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function publicAccessBlockFromApi(
  output: Pick<GetPublicAccessBlockCommandOutput, 'PublicAccessBlockConfiguration'>,
): Fact<PublicAccessBlockFlags | null> {
  const config = output.PublicAccessBlockConfiguration;
  if (!config) return known(null);
  // The API omits a flag that was never set; S3 treats it as false.
  return known({
    blockPublicAcls: config.BlockPublicAcls === true,
    ignorePublicAcls: config.IgnorePublicAcls === true,
    blockPublicPolicy: config.BlockPublicPolicy === true,
    restrictPublicBuckets: config.RestrictPublicBuckets === true,
  });
}

export function versioningFromApi(
  output: Pick<GetBucketVersioningCommandOutput, 'Status' | 'MFADelete'>,
): Fact<VersioningState> {
  const raw: string | undefined = output.Status;
  // A bucket that never had versioning returns no Status at all; Config calls that "Off".
  const status = raw === undefined || raw === '' ? 'Off' : raw === 'Enabled' || raw === 'Suspended' ? raw : undefined;
  if (!status) return unknown(`GetBucketVersioning returned an unrecognised status ${JSON.stringify(raw)}`);
  const mfa: string | undefined = output.MFADelete;
  return known({ status, mfaDelete: mfa === 'Enabled' ? true : mfa === 'Disabled' ? false : null });
}

const OBJECT_OWNERSHIP_VALUES: readonly string[] = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

export function ownershipFromApi(
  output: Pick<GetBucketOwnershipControlsCommandOutput, 'OwnershipControls'>,
): Fact<ObjectOwnership | null> {
  const value: string | undefined = output.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
  if (value !== undefined && OBJECT_OWNERSHIP_VALUES.includes(value)) return known(value as ObjectOwnership);
  // A 200 without a rule is not something AWS sends (S3-compatible servers may); do not guess "ACLs active".
  return unknown(`GetBucketOwnershipControls returned no recognised rule (${JSON.stringify(value ?? null)})`);
}

export function tagsFromApi(
  output: Pick<GetBucketTaggingCommandOutput, 'TagSet'>,
): Fact<Readonly<Record<string, string>>> {
  const tags: Record<string, string> = {};
  for (const tag of output.TagSet ?? []) {
    if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  }
  return known(tags);
}

// ---------------------------------------------------------------------------------------------------------------
// Account level

/** s3control GetPublicAccessBlock; NoSuchPublicAccessBlockConfiguration -> known(null); other errors -> unknown(reason). */
/**
 * Where a bucket lives, for servers whose ListBuckets says nothing (S3-compatible ones, moto): GetBucketLocation,
 * whose empty answer means us-east-1 and legacy "EU" eu-west-1. undefined when it cannot be read.
 */
export async function readBucketRegion(s3: S3Client, bucket: string): Promise<string | undefined> {
  try {
    const { GetBucketLocationCommand } = s3Sdk();
    const output = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    const constraint: string | undefined = output.LocationConstraint;
    if (!constraint) return 'us-east-1';
    return constraint === 'EU' ? 'eu-west-1' : constraint;
  } catch {
    return undefined;
  }
}

export async function readAccountPublicAccessBlock(
  s3control: S3ControlClient,
  accountId: string,
): Promise<Fact<PublicAccessBlockFlags | null>> {
  try {
    const { GetPublicAccessBlockCommand } = s3ControlSdk();
    const output = await s3control.send(new GetPublicAccessBlockCommand({ AccountId: accountId }));
    return publicAccessBlockFromApi(output);
  } catch (error) {
    if (errorCode(error) === 'NoSuchPublicAccessBlockConfiguration') return known(null);
    return unknown(`GetPublicAccessBlock (account ${accountId}) failed: ${describeAwsError(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** JavaScript's own error names: they say nothing about the service, so the message is shown instead. */
const GENERIC_ERROR_NAMES = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError']);

/** The service error code (`AccessDenied`, `NoSuchBucketPolicy`) of an SDK error, if it is one. */
export function errorCode(error: unknown): string | undefined {
  const code = field(error, 'Code') ?? field(error, 'name');
  return typeof code === 'string' && code !== '' && !GENERIC_ERROR_NAMES.has(code) ? code : undefined;
}

/**
 * `AccessDenied (403)`, `SlowDown (503)`, `TimeoutError`, `ECONNREFUSED` from any error. S3-compatible servers (RGW)
 * send no <Message>, so the SDK message is useless there; the code and HTTP status are what identify the error.
 */
export function describeAwsError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const status = field(field(error, '$metadata'), 'httpStatusCode');
  const systemCode = field(error, 'code');
  const name = field(error, 'name');
  const message = field(error, 'message');
  const text = typeof message === 'string' && message !== '' ? message.slice(0, 120) : undefined;
  const generic =
    typeof name === 'string' && name !== 'Error' && text !== undefined ? `${name}: ${text}` : (text ?? 'Error');
  const label =
    errorCode(error) ?? (typeof systemCode === 'string' && systemCode !== '' ? systemCode : undefined) ?? generic;
  return typeof status === 'number' ? `${label} (${status})` : label;
}
