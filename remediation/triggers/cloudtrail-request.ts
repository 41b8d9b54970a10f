/**
 * CloudTrail requestParameters -> what the call asked for, in bucketguard's typed model. Pure: used by the trigger
 * parser (the email says what changed), and by the offline replay (a bucket's state when no configuration item is
 * known). CloudTrail writes the S3 XML request as JSON, with its quirks: one Grant is an object and several are an
 * array, older records wrap scalars in one-element arrays, the bucket policy is an object (not a string).
 */
import { isPublicGrantee } from '../../exposure/acl';
import { groupFromUri, normalizeAclPermission, parsePolicyDocument } from '../../model/normalize';
import {
  type AclGrant,
  type AclPermission,
  BPA_FLAGS,
  type BucketAcl,
  type BucketPolicy,
  type Fact,
  type Grantee,
  known,
  type ObjectOwnership,
  type PredefinedGroup,
  type PublicAccessBlockFlags,
  unknown,
  type VersioningState,
} from '../../model/types';
import { PASCAL_BPA_NAMES } from '../actions/outcome';
import type { ChangeEffect, RequestedChange } from './finding';
import { asList, isRecord, type JsonRecord, nonEmptyString, recordField, scalar, stringField } from './json';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readBoolean(raw: unknown): boolean | undefined {
  const value = scalar(raw);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && ['true', 'false'].includes(value.trim().toLowerCase())) {
    return value.trim().toLowerCase() === 'true';
  }
  return undefined;
}

/**
 * PutBucketPublicAccessBlock / PutAccountPublicAccessBlock: `PublicAccessBlockConfiguration{BlockPublicAcls, …}`.
 * An omitted flag is false (that is what S3 stores). Records before ~Sep 2019 carry no configuration: unknown.
 */
export function bpaFromRequest(parameters: JsonRecord | undefined): Fact<PublicAccessBlockFlags> {
  const configuration = recordField(parameters, 'PublicAccessBlockConfiguration');
  if (!configuration) {
    return unknown(
      'the request parameters do not include the PublicAccessBlockConfiguration (older CloudTrail records leave them empty)',
    );
  }
  const flags = {} as Record<(typeof BPA_FLAGS)[number], boolean>;
  for (const flag of BPA_FLAGS) {
    const raw = configuration[PASCAL_BPA_NAMES[flag]];
    if (raw === undefined || raw === null) {
      flags[flag] = false;
      continue;
    }
    const value = readBoolean(raw);
    if (value === undefined)
      return unknown(`${PASCAL_BPA_NAMES[flag]} in the request is not a boolean (${JSON.stringify(raw)})`);
    flags[flag] = value;
  }
  return known(flags);
}

/** PutBucketPolicy: `bucketPolicy` is the policy as a JSON object (a string in some hand-made events: accepted). */
export function policyFromRequest(parameters: JsonRecord | undefined): Fact<BucketPolicy> {
  const raw = parameters?.bucketPolicy;
  if (raw === undefined || raw === null) return unknown('the request parameters do not include the bucketPolicy');
  try {
    return known(parsePolicyDocument(raw, 'requestParameters.bucketPolicy'));
  } catch (error) {
    return unknown(`the policy in the request cannot be read: ${errorText(error)}`);
  }
}

/** Canned ACLs on a bucket, minus the owner's implicit FULL_CONTROL (its canonical id is not in the request). */
const CANNED_BUCKET_ACLS: Readonly<Record<string, readonly (readonly [PredefinedGroup, AclPermission])[]>> = {
  private: [],
  'public-read': [['AllUsers', 'READ']],
  'public-read-write': [
    ['AllUsers', 'READ'],
    ['AllUsers', 'WRITE'],
  ],
  'authenticated-read': [['AuthenticatedUsers', 'READ']],
  'log-delivery-write': [
    ['LogDelivery', 'WRITE'],
    ['LogDelivery', 'READ_ACP'],
  ],
  // Object ACLs; S3 ignores them when a bucket is created with them.
  'bucket-owner-read': [],
  'bucket-owner-full-control': [],
};

function cannedAcl(name: string): Fact<BucketAcl> {
  const grants = CANNED_BUCKET_ACLS[name.trim().toLowerCase()];
  if (!grants) return unknown(`canned ACL ${JSON.stringify(name)} is not one bucketguard can expand`);
  return known({ grants: grants.map(([group, permission]) => ({ grantee: { kind: 'group', group }, permission })) });
}

function granteeFromRequest(raw: unknown): Grantee | undefined {
  if (!isRecord(raw)) return undefined;
  const uri = nonEmptyString(raw, 'URI') ?? nonEmptyString(raw, 'Uri');
  if (uri !== undefined) {
    const group = groupFromUri(uri);
    return group ? { kind: 'group', group } : { kind: 'unrecognised', raw: uri };
  }
  const id = nonEmptyString(raw, 'ID') ?? nonEmptyString(raw, 'Id');
  if (id !== undefined) {
    const displayName = nonEmptyString(raw, 'DisplayName');
    return displayName ? { kind: 'canonicalUser', id, displayName } : { kind: 'canonicalUser', id };
  }
  const email = nonEmptyString(raw, 'EmailAddress');
  return email !== undefined ? { kind: 'email', email } : undefined;
}

const GRANT_HEADERS: Readonly<Record<string, AclPermission>> = {
  'x-amz-grant-read': 'READ',
  'x-amz-grant-write': 'WRITE',
  'x-amz-grant-read-acp': 'READ_ACP',
  'x-amz-grant-write-acp': 'WRITE_ACP',
  'x-amz-grant-full-control': 'FULL_CONTROL',
};

/** `uri="http://acs.amazonaws.com/groups/global/AllUsers", id="…", emailAddress="…"` -> grantees. */
function granteesFromHeader(value: string): Grantee[] | undefined {
  const grantees: Grantee[] = [];
  for (const part of value.split(',')) {
    const match = /^\s*(uri|id|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (!match) return undefined;
    const [, kind, text] = match;
    if (kind.toLowerCase() === 'uri') {
      const group = groupFromUri(text);
      grantees.push(group ? { kind: 'group', group } : { kind: 'unrecognised', raw: text });
    } else if (kind.toLowerCase() === 'id') grantees.push({ kind: 'canonicalUser', id: text });
    else grantees.push({ kind: 'email', email: text });
  }
  return grantees;
}

/**
 * PutBucketAcl (and CreateBucket): the ACL from `x-amz-acl` (canned), `x-amz-grant-*` headers, or the
 * `AccessControlPolicy` body (Grant object or array). `undefined` when the request sets no ACL at all.
 */
export function aclFromRequest(
  parameters: JsonRecord | undefined,
): { acl: Fact<BucketAcl>; canned?: string } | undefined {
  const canned = stringField(parameters, 'x-amz-acl');
  if (canned !== undefined && canned.trim() !== '') return { acl: cannedAcl(canned), canned: canned.trim() };

  const headerGrants: AclGrant[] = [];
  for (const [header, permission] of Object.entries(GRANT_HEADERS)) {
    const value = stringField(parameters, header);
    if (value === undefined) continue;
    const grantees = granteesFromHeader(value);
    if (!grantees)
      return { acl: unknown(`the ${header} header in the request cannot be read (${JSON.stringify(value)})`) };
    for (const grantee of grantees) headerGrants.push({ grantee, permission });
  }
  if (headerGrants.length > 0) return { acl: known({ grants: headerGrants }) };

  const policy = recordField(parameters, 'AccessControlPolicy');
  if (!policy) return undefined;
  const list = recordField(policy, 'AccessControlList');
  const grants: AclGrant[] = [];
  for (const [index, raw] of asList(list?.Grant).entries()) {
    const record = isRecord(raw) ? raw : undefined;
    const grantee = granteeFromRequest(record?.Grantee);
    const permissionRaw = stringField(record, 'Permission');
    const permission = permissionRaw !== undefined ? normalizeAclPermission(permissionRaw) : undefined;
    if (!grantee || !permission) {
      return { acl: unknown(`grant #${index + 1} of the AccessControlPolicy in the request cannot be read`) };
    }
    grants.push({ grantee, permission });
  }
  const ownerId = nonEmptyString(recordField(policy, 'Owner'), 'ID');
  return { acl: known(ownerId !== undefined ? { ownerId, grants } : { grants }) };
}

/** PutBucketVersioning: `VersioningConfiguration{Status, MfaDelete?}`. MFA delete stays null when not sent. */
export function versioningFromRequest(parameters: JsonRecord | undefined): Fact<VersioningState> {
  const configuration = recordField(parameters, 'VersioningConfiguration');
  const status = stringField(configuration, 'Status');
  if (status !== 'Enabled' && status !== 'Suspended') {
    return unknown(
      `the request does not carry a versioning Status bucketguard can read (${JSON.stringify(status ?? null)})`,
    );
  }
  const mfa = stringField(configuration, 'MfaDelete') ?? stringField(configuration, 'MFADelete');
  return known({ status, mfaDelete: mfa === 'Enabled' ? true : mfa === 'Disabled' ? false : null });
}

const OWNERSHIP_VALUES: readonly ObjectOwnership[] = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

function ownershipValue(value: string | undefined): ObjectOwnership | undefined {
  return OWNERSHIP_VALUES.find((candidate) => candidate === value?.trim());
}

/** PutBucketOwnershipControls: `OwnershipControls{Rule{ObjectOwnership}}` (Rule object or array). */
export function ownershipFromRequest(parameters: JsonRecord | undefined): Fact<ObjectOwnership> {
  const controls = recordField(parameters, 'OwnershipControls');
  const rules = asList(controls?.Rule);
  const first = rules.length > 0 && isRecord(rules[0]) ? rules[0] : undefined;
  const value = ownershipValue(stringField(first, 'ObjectOwnership'));
  return value ? known(value) : unknown('the request does not carry an ObjectOwnership bucketguard can read');
}

/** CreateBucket: optional ACL headers, `x-amz-object-ownership`, `CreateBucketConfiguration.LocationConstraint`. */
export function createdBucketFromRequest(
  parameters: JsonRecord | undefined,
): Extract<RequestedChange, { setting: 'bucket-created' }> {
  const acl = aclFromRequest(parameters);
  const ownership = ownershipValue(stringField(parameters, 'x-amz-object-ownership'));
  const locationConstraint = nonEmptyString(recordField(parameters, 'CreateBucketConfiguration'), 'LocationConstraint');
  return {
    setting: 'bucket-created',
    ...(acl ? { acl: acl.acl } : {}),
    ...(acl?.canned !== undefined ? { canned: acl.canned } : {}),
    ...(ownership ? { ownership } : {}),
    ...(locationConstraint !== undefined ? { locationConstraint } : {}),
  };
}

function bpaEffect(flags: Fact<PublicAccessBlockFlags | null>): ChangeEffect {
  if (!flags.known) return 'changes';
  if (flags.value === null) return 'loosens';
  return BPA_FLAGS.every((flag) => flags.value?.[flag] === true) ? 'tightens' : 'loosens';
}

/** Only the owner (and the log-delivery group) keep access: the ACL cannot open the bucket to anyone. */
function ownerOnly(acl: BucketAcl): boolean {
  return acl.grants.every(
    (grant) =>
      (grant.grantee.kind === 'canonicalUser' && acl.ownerId !== undefined && grant.grantee.id === acl.ownerId) ||
      (grant.grantee.kind === 'group' && grant.grantee.group === 'LogDelivery'),
  );
}

function aclEffect(acl: Fact<BucketAcl> | undefined): ChangeEffect {
  if (!acl?.known) return 'changes';
  if (acl.value.grants.some((grant) => isPublicGrantee(grant.grantee))) return 'loosens';
  return ownerOnly(acl.value) ? 'tightens' : 'changes';
}

/**
 * Whether the requested change can open the bucket or account. Only `tightens` is ever silent; a policy is
 * `changes` whatever it says (its exposure is decided by the rules and the live state, not guessed here).
 */
export function changeEffect(change: RequestedChange): ChangeEffect {
  switch (change.setting) {
    case 'bucket-bpa':
    case 'account-bpa':
      return bpaEffect(change.flags);
    case 'acl':
      return aclEffect(change.acl);
    case 'bucket-created':
      // A new bucket is news even with a private ACL.
      return change.acl?.known && change.acl.value.grants.some((grant) => isPublicGrantee(grant.grantee))
        ? 'loosens'
        : 'changes';
    case 'versioning':
      if (!change.versioning.known) return 'changes';
      if (change.versioning.value.status === 'Suspended') return 'loosens';
      return change.versioning.value.mfaDelete === false ? 'changes' : 'tightens';
    case 'ownership':
      // Leaving BucketOwnerEnforced switches ACLs back on: any public ACL becomes effective again.
      if (!change.ownership.known) return 'changes';
      return change.ownership.value === 'BucketOwnerEnforced' ? 'tightens' : 'loosens';
    case 'policy':
    case 'bucket-deleted':
    case 'tagging':
      return 'changes';
  }
}

/**
 * The tag set of a PutBucketTagging record: requestParameters.Tagging.TagSet.Tag, one object or an array of
 * {Key, Value} (CloudTrail renders the XML body as JSON, a single element without the array).
 */
export function tagsFromRequest(parameters: JsonRecord | undefined): Fact<Readonly<Record<string, string>>> {
  const tagging = parameters?.Tagging;
  const tagSet = isRecord(tagging) ? tagging.TagSet : undefined;
  if (!isRecord(tagSet)) return unknown('the record carries no Tagging.TagSet');
  const raw = tagSet.Tag;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const tags: Record<string, string> = {};
  for (const tag of list) {
    if (!isRecord(tag) || typeof tag.Key !== 'string') return unknown('a Tag without a Key');
    tags[tag.Key] = typeof tag.Value === 'string' ? tag.Value : '';
  }
  return known(tags);
}
