/**
 * Which kinds of access an IAM `Action` / `NotAction` element grants on a bucket (public-semantics.md §3.3).
 *
 * Actions never decide WHETHER a statement is public (§1.2: BPA "reviews policies for current actions and any
 * potential actions that might be added in the future"); they only decide which access types a public (or
 * cross-account) statement opens. The table is a compact, hand-checked extract of the Service Authorization
 * Reference for the S3 actions that act on a bucket or its objects. Mapping:
 * - read: object data and object metadata reads (s3:GetObject*, except the ACL reads).
 * - list: s3:ListBucket, ListBucketVersions, ListBucketMultipartUploads, ListMultipartUploadParts.
 * - write: object writes/deletes (PutObject, DeleteObject*, AbortMultipartUpload, RestoreObject, retention, legal
 *   hold, object tagging, replication) AND bucket-configuration writes that can destroy or divert data
 *   (DeleteBucket, PutBucketVersioning, PutLifecycleConfiguration, PutReplicationConfiguration, ...): a stranger who
 *   can suspend versioning or expire every object can do as much harm as one who can delete objects.
 * - readAcp: reading who has access (GetBucketAcl, GetObjectAcl, GetObjectVersionAcl, GetBucketPolicy, ...).
 * - writeAcp: changing who has access (PutBucketAcl, PutObjectAcl, PutBucketPolicy, DeleteBucketPolicy,
 *   PutBucketPublicAccessBlock, Put/DeleteBucketOwnershipControls, ObjectOwnerOverrideToBucketOwner). The SAR calls
 *   BypassGovernanceRetention "Permissions management" too, but it only lifts object retention, so it counts as write.
 * Bucket-configuration reads (GetBucketTagging, GetLifecycleConfiguration, ...) and non-S3 actions grant none of
 * the five access types.
 */
import { BoundedMemo } from '../model/bounded-memo';
import { ACCESS_TYPES, type AccessType } from '../model/types';

const READ = 1;
const WRITE = 2;
const LIST = 4;
const READ_ACP = 8;
const WRITE_ACP = 16;
const ALL_TYPES_MASK = READ | WRITE | LIST | READ_ACP | WRITE_ACP;

const MASK_OF_TYPE: Readonly<Record<AccessType, number>> = {
  read: READ,
  write: WRITE,
  list: LIST,
  readAcp: READ_ACP,
  writeAcp: WRITE_ACP,
};

/** S3 action name (as the Service Authorization Reference spells it) -> access-type bit mask. */
const S3_ACTION_TABLE: Readonly<Record<string, number>> = {
  // read: object data and metadata
  GetObject: READ,
  GetObjectAttributes: READ,
  GetObjectLegalHold: READ,
  GetObjectRetention: READ,
  GetObjectTagging: READ,
  GetObjectTorrent: READ,
  GetObjectVersion: READ,
  GetObjectVersionAttributes: READ,
  GetObjectVersionForReplication: READ,
  GetObjectVersionTagging: READ,
  GetObjectVersionTorrent: READ,
  // list
  ListBucket: LIST,
  ListBucketVersions: LIST,
  ListBucketMultipartUploads: LIST,
  ListMultipartUploadParts: LIST,
  // write: objects
  AbortMultipartUpload: WRITE,
  BypassGovernanceRetention: WRITE,
  DeleteObject: WRITE,
  DeleteObjectTagging: WRITE,
  DeleteObjectVersion: WRITE,
  DeleteObjectVersionTagging: WRITE,
  InitiateReplication: WRITE,
  PutObject: WRITE,
  PutObjectLegalHold: WRITE,
  PutObjectRetention: WRITE,
  PutObjectTagging: WRITE,
  PutObjectVersionTagging: WRITE,
  ReplicateDelete: WRITE,
  ReplicateObject: WRITE,
  ReplicateTags: WRITE,
  RestoreObject: WRITE,
  // write: bucket configuration that can destroy, expose through other paths, or divert data
  DeleteBucket: WRITE,
  DeleteBucketWebsite: WRITE,
  PutAccelerateConfiguration: WRITE,
  PutAnalyticsConfiguration: WRITE,
  PutBucketCORS: WRITE,
  PutBucketLogging: WRITE,
  PutBucketNotification: WRITE,
  PutBucketObjectLockConfiguration: WRITE,
  PutBucketRequestPayment: WRITE,
  PutBucketTagging: WRITE,
  PutBucketVersioning: WRITE,
  PutBucketWebsite: WRITE,
  PutEncryptionConfiguration: WRITE,
  PutIntelligentTieringConfiguration: WRITE,
  PutInventoryConfiguration: WRITE,
  PutLifecycleConfiguration: WRITE,
  PutMetricsConfiguration: WRITE,
  PutReplicationConfiguration: WRITE,
  // readAcp: who has access
  GetBucketAcl: READ_ACP,
  GetBucketOwnershipControls: READ_ACP,
  GetBucketPolicy: READ_ACP,
  GetBucketPolicyStatus: READ_ACP,
  GetBucketPublicAccessBlock: READ_ACP,
  GetObjectAcl: READ_ACP,
  GetObjectVersionAcl: READ_ACP,
  // writeAcp: changing who has access (permissions management)
  DeleteBucketOwnershipControls: WRITE_ACP,
  DeleteBucketPolicy: WRITE_ACP,
  ObjectOwnerOverrideToBucketOwner: WRITE_ACP,
  PutBucketAcl: WRITE_ACP,
  PutBucketOwnershipControls: WRITE_ACP,
  PutBucketPolicy: WRITE_ACP,
  PutBucketPublicAccessBlock: WRITE_ACP,
  PutObjectAcl: WRITE_ACP,
  PutObjectVersionAcl: WRITE_ACP,
};

/** `s3:<action>` lower-cased, parallel to the masks; IAM action names are case-insensitive. */
const ACTION_NAMES_LOWER: readonly string[] = Object.keys(S3_ACTION_TABLE).map((name) => `s3:${name.toLowerCase()}`);
const ACTION_MASKS: readonly number[] = Object.values(S3_ACTION_TABLE);
const ACTION_INDEX: ReadonlyMap<string, number> = new Map(ACTION_NAMES_LOWER.map((name, index) => [name, index]));

/** Every S3 action the table knows, as `s3:Name` (for tests and documentation). */
export const KNOWN_S3_ACTIONS: readonly string[] = Object.keys(S3_ACTION_TABLE).map((name) => `s3:${name}`);

/**
 * IAM wildcard match: `*` = any run of characters (including none), `?` = exactly one. Both arguments lower-case.
 * Iterative with single backtrack point: linear for the short strings IAM allows, no regex compiled per pattern.
 */
export function matchesIamWildcard(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const pc = pattern.charCodeAt(p);
    if (p < pattern.length && (pc === 63 /* ? */ || pc === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && pc === 42 /* * */) {
      starP = p++;
      starT = t;
    } else if (starP !== -1) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

const NO_MATCHES: readonly number[] = [];
const ALL_INDICES: readonly number[] = ACTION_NAMES_LOWER.map((_, index) => index);

/** `[index]` for every table index, so an exact action name allocates nothing. */
const SINGLE_INDICES: readonly (readonly number[])[] = ACTION_NAMES_LOWER.map((_, index) => [index]);

/** The table indices an IAM action pattern matches (case-insensitive, surrounding blanks ignored). */
function matchedIndices(rawPattern: string): readonly number[] {
  const pattern = rawPattern.trim().toLowerCase();
  if (pattern === '*' || pattern === 's3:*') return ALL_INDICES;
  const exact = ACTION_INDEX.get(pattern);
  if (exact !== undefined) return SINGLE_INDICES[exact];
  // Non-S3 patterns (`ec2:*`) and unknown S3 names without wildcards match nothing in the table.
  if (!pattern.includes('*') && !pattern.includes('?')) return NO_MATCHES;
  const found: number[] = [];
  for (let index = 0; index < ACTION_NAMES_LOWER.length; index++) {
    if (matchesIamWildcard(pattern, ACTION_NAMES_LOWER[index])) found.push(index);
  }
  return found.length === 0 ? NO_MATCHES : found;
}

/** What one action pattern, as written, matches: the table indices (for NotAction) and their access-type mask. */
interface PatternMatch {
  readonly indices: readonly number[];
  readonly mask: number;
}

/** Patterns as written repeat in every policy (`s3:GetObject`, `s3:*`): each is matched against the table once. */
const MATCHES = new BoundedMemo<string, PatternMatch>(2048);

function matchOf(rawPattern: string): PatternMatch {
  let match = MATCHES.get(rawPattern);
  if (match === undefined) {
    const indices = matchedIndices(rawPattern);
    let mask = 0;
    for (const index of indices) mask |= ACTION_MASKS[index];
    match = MATCHES.remember(rawPattern, { indices, mask });
  }
  return match;
}

function asPatternList(value: string | readonly string[] | undefined): readonly unknown[] {
  if (value === undefined) return NO_MATCHES;
  return typeof value === 'string' ? [value] : Array.isArray(value) ? value : [value];
}

/** Bit mask of access types granted; exported for callers that combine many statements cheaply. */
export function accessMaskOfActions(
  action: string | readonly string[] | undefined,
  notAction?: string | readonly string[],
): number {
  let mask = 0;
  if (action !== undefined) {
    if (typeof action === 'string') return matchOf(action).mask;
    for (const pattern of asPatternList(action)) {
      if (typeof pattern !== 'string') continue;
      mask |= matchOf(pattern).mask;
      if (mask === ALL_TYPES_MASK) return mask;
    }
    return mask;
  }
  if (notAction === undefined) return 0;
  // NotAction grants every action it does not name: every S3 action in the table not matched by any pattern.
  const excluded = new Uint8Array(ACTION_MASKS.length);
  for (const pattern of asPatternList(notAction)) {
    if (typeof pattern !== 'string') continue;
    for (const index of matchOf(pattern).indices) excluded[index] = 1;
  }
  for (let index = 0; index < ACTION_MASKS.length; index++) {
    if (excluded[index] === 0) mask |= ACTION_MASKS[index];
  }
  return mask;
}

/**
 * sharedAccessTypesOfMask hands these very lists out (readonly by type). Not frozen: V8 iterates frozen arrays several
 * times slower, and these are iterated for every statement of every policy.
 */
const TYPES_BY_MASK: readonly (readonly AccessType[])[] = Array.from({ length: ALL_TYPES_MASK + 1 }, (_, mask) =>
  ACCESS_TYPES.filter((type) => (mask & MASK_OF_TYPE[type]) !== 0),
);

/** The access types (in ACCESS_TYPES order) of a bit mask from accessMaskOfActions. */
export function accessTypesOfMask(mask: number): AccessType[] {
  return [...sharedAccessTypesOfMask(mask)];
}

/** accessTypesOfMask without the copy, for callers that keep the list readonly (one list per mask, shared). */
export function sharedAccessTypesOfMask(mask: number): readonly AccessType[] {
  return TYPES_BY_MASK[mask & ALL_TYPES_MASK] ?? NO_ACCESS_TYPES;
}

const NO_ACCESS_TYPES: readonly AccessType[] = [];

/**
 * Access types granted by a statement's `Action` (or, when Action is absent, `NotAction`), in ACCESS_TYPES order.
 * Patterns follow IAM: case-insensitive, `*` and `?` wildcards, `*` alone = every action. Non-S3 actions grant
 * nothing here. With neither element the result is empty (such a statement is invalid; policy.ts handles it).
 */
export function accessTypesOfActions(
  action: string | readonly string[] | undefined,
  notAction?: string | readonly string[],
): AccessType[] {
  return accessTypesOfMask(accessMaskOfActions(action, notAction));
}
