/**
 * Turns every recorded shape of an AWS Config configuration item into bucketguard's typed state, once:
 * - invocation model (invokingEvent, Config SNS): objects, except AccessControlList (a JSON string);
 * - API model (GetResourceConfigHistory, BatchGetResourceConfig, boto3 dumps): `configuration` and every
 *   supplementary value are JSON strings, AccessControlList double-encoded; other field names;
 * - advanced-query rows (SelectResourceConfig): possibly a JSON string per row, null fields omitted.
 * A whole item that cannot be an item throws MalformedInputError; a part that cannot be read becomes an unknown Fact
 * with the reason, so the rules that do not need it still evaluate. Nothing here talks to AWS.
 */

import { BoundedMemo } from './bounded-memo';
import { parseConfigAcl } from './normalize-acl';
import {
  decodeObject,
  decodeObjectOrNull,
  describeValue,
  isJsonObject,
  type JsonObject,
  MalformedInputError,
  nonEmptyString,
  pick,
  toIsoTimestamp,
} from './normalize-json';
import {
  parseLoggingConfiguration,
  parseOwnershipControls,
  parsePublicAccessBlockFlags,
  parseTaggingConfiguration,
  parseTags,
  parseVersioning,
} from './normalize-parts';
import { parseConfigBucketPolicy } from './normalize-policy';
import {
  type AccountBpaState,
  type BucketState,
  type ConfigItemStatus,
  type Fact,
  isDeletedStatus,
  known,
  type PublicAccessBlockFlags,
  type StateSource,
  unknown,
} from './types';

export { groupFromUri, normalizeAclPermission, parseConfigAcl } from './normalize-acl';
export { MalformedInputError, parseMaybeJson, toIsoTimestamp } from './normalize-json';
export {
  parseLoggingConfiguration,
  parseOwnershipControls,
  parsePublicAccessBlockFlags,
  parseTaggingConfiguration,
  parseTags,
  parseVersioning,
} from './normalize-parts';
export { parseConfigBucketPolicy, parsePolicyDocument } from './normalize-policy';

/** A configuration item of a type bucketguard does not evaluate; kept so callers can say NOT_APPLICABLE. */
export interface OtherResource {
  readonly kind: 'other';
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly status: ConfigItemStatus;
  readonly captureTime?: string;
  readonly source: StateSource;
}

export type NormalizedItem = BucketState | AccountBpaState | OtherResource;

export const BUCKET_RESOURCE_TYPE = 'AWS::S3::Bucket';
export const ACCOUNT_BPA_RESOURCE_TYPE = 'AWS::S3::AccountPublicAccessBlock';

/** Reasons shared with the rules and the CLI (they appear in annotations and reports verbatim). */
export const REASON_DELETED = 'resource deleted';
export const REASON_NOT_RECORDED = 'resource not recorded';
export const REASON_OWNERSHIP_NOT_RECORDED = 'Object Ownership is not recorded in AWS Config configuration items';
export const notInItemReason = (key: string): string => `${key} not in the configuration item`;

const ROOT = 'configurationItem';
const SUPPLEMENTARY_PATH = `${ROOT}.supplementaryConfiguration`;

const STATUSES: readonly ConfigItemStatus[] = [
  'OK',
  'ResourceDiscovered',
  'ResourceNotRecorded',
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
];

/** Ownership controls are not in Config's S3 schema; accept the key names a future schema would plausibly use. */
const OWNERSHIP_KEYS = ['BucketOwnershipControls', 'OwnershipControls', 'bucketOwnershipControls', 'ownershipControls'];

interface ItemHeader {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly arn?: string;
  readonly status: ConfigItemStatus;
  readonly captureTime?: string;
  readonly source: StateSource;
}

/** Detects the shape (invocation / API / advanced query) itself; `source` overrides the StateSource label. */
export function normalizeConfigurationItem(item: unknown, source?: StateSource): NormalizedItem {
  try {
    return normalizeUnchecked(item, source);
  } catch (error) {
    if (error instanceof MalformedInputError) throw error;
    // A bug or an exotic input (a throwing getter, a cyclic structure) must still surface as the one typed error.
    throw new MalformedInputError(
      ROOT,
      `could not be normalised (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

function normalizeUnchecked(item: unknown, sourceOverride: StateSource | undefined): NormalizedItem {
  const arrivedAsString = typeof item === 'string';
  if (item === undefined || item === null || !(arrivedAsString || isJsonObject(item))) {
    throw new MalformedInputError(ROOT, `expected a configuration item object, received ${describeValue(item)}`);
  }
  const object = decodeObject(item, ROOT);
  const header = readHeader(object, sourceOverride ?? detectSource(object, arrivedAsString));
  if (header.resourceType === BUCKET_RESOURCE_TYPE) return normalizeBucket(object, header);
  if (header.resourceType === ACCOUNT_BPA_RESOURCE_TYPE) return normalizeAccountBpa(object, header);
  // Built by assignment, like the bucket and account states: same key order as the former `...optional()` spreads,
  // optional keys absent, without a throwaway object per key (one item per evaluation).
  const other: { -readonly [K in keyof OtherResource]: OtherResource[K] } = {
    kind: 'other',
    resourceType: header.resourceType,
    resourceId: header.resourceId,
  } as OtherResource;
  if (header.accountId !== undefined) other.accountId = header.accountId;
  if (header.region !== undefined) other.region = header.region;
  other.status = header.status;
  if (header.captureTime !== undefined) other.captureTime = header.captureTime;
  other.source = header.source;
  return other;
}

const INVOCATION_NAMES = ['awsAccountId', 'ARN', 'configurationItemVersion', 'configurationStateMd5Hash'];

/** Field names tell the models apart; string-encoded values tell the API model from an advanced-query row. */
function detectSource(object: JsonObject, arrivedAsString: boolean): StateSource {
  if (arrivedAsString) return 'config-advanced-query';
  for (const key of INVOCATION_NAMES) if (Object.hasOwn(object, key)) return 'config-invocation';
  const supplementary = object.supplementaryConfiguration;
  const stringEncoded =
    typeof object.configuration === 'string' ||
    typeof supplementary === 'string' ||
    (isJsonObject(supplementary) &&
      Object.entries(supplementary).some(([key, value]) => key !== 'AccessControlList' && typeof value === 'string'));
  const captureTime = object.configurationItemCaptureTime;
  if (
    stringEncoded ||
    Object.hasOwn(object, 'configurationItemMD5Hash') ||
    captureTime instanceof Date ||
    typeof captureTime === 'number'
  ) {
    return 'config-api';
  }
  return Object.hasOwn(object, 'accountId') || Object.hasOwn(object, 'arn')
    ? 'config-advanced-query'
    : 'config-invocation';
}

function readStatus(raw: unknown): ConfigItemStatus {
  // The advanced query omits fields it was not asked for; an item without a status is a current one.
  if (raw === undefined || raw === null) return 'OK';
  if (raw === 'OK') return raw; // the usual case, without lower-casing every candidate
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  const status = STATUSES.find((candidate) => candidate.toLowerCase() === text);
  if (status === undefined) {
    throw new MalformedInputError(
      `${ROOT}.configurationItemStatus`,
      `expected one of ${STATUSES.join(', ')}, received ${describeValue(raw)}`,
    );
  }
  return status;
}

function requiredString(object: JsonObject, key: string): string {
  const value = object[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  const problem =
    value === undefined || value === null ? 'missing' : `expected a non-empty string, received ${describeValue(value)}`;
  throw new MalformedInputError(`${ROOT}.${key}`, problem);
}

function readHeader(object: JsonObject, source: StateSource): ItemHeader {
  const resourceType = requiredString(object, 'resourceType');
  const resourceId = requiredString(object, 'resourceId');
  return {
    resourceType,
    resourceId,
    accountId: nonEmptyString(pick(object, 'awsAccountId', 'accountId')),
    region: nonEmptyString(pick(object, 'awsRegion')),
    arn: nonEmptyString(pick(object, 'ARN', 'arn')),
    status: readStatus(object.configurationItemStatus),
    captureTime: toIsoTimestamp(object.configurationItemCaptureTime),
    source,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// AWS::S3::Bucket

function bucketWithFacts(
  header: ItemHeader,
  facts: Required<
    Pick<BucketState, 'policy' | 'acl' | 'publicAccessBlock' | 'versioning' | 'ownership' | 'tags' | 'logging'>
  >,
): BucketState {
  const bucket: { -readonly [K in keyof BucketState]: BucketState[K] } = {
    kind: 'bucket',
    name: header.resourceId,
  } as BucketState;
  if (header.accountId !== undefined) bucket.accountId = header.accountId;
  if (header.region !== undefined) bucket.region = header.region;
  if (header.arn !== undefined) bucket.arn = header.arn;
  bucket.source = header.source;
  bucket.status = header.status;
  if (header.captureTime !== undefined) bucket.captureTime = header.captureTime;
  bucket.policy = facts.policy;
  bucket.acl = facts.acl;
  bucket.publicAccessBlock = facts.publicAccessBlock;
  bucket.versioning = facts.versioning;
  bucket.ownership = facts.ownership;
  bucket.tags = facts.tags;
  bucket.logging = facts.logging;
  return bucket;
}

function bucketWithoutFacts(header: ItemHeader, reason: string): BucketState {
  return bucketWithFacts(header, {
    policy: unknown(reason),
    acl: unknown(reason),
    publicAccessBlock: unknown(reason),
    versioning: unknown(reason),
    ownership: unknown(reason),
    tags: unknown(reason),
    logging: unknown(reason),
  });
}

/** A part parser's failure as an unknown Fact carrying the error's message. */
function unknownFrom(error: unknown): Fact<never> {
  if (error instanceof MalformedInputError) return unknown(error.message);
  return unknown(`could not be read (${error instanceof Error ? error.message : String(error)})`);
}

/** Runs a part parser; any failure becomes an unknown Fact carrying the error's message. */
function readPart<T>(parse: () => T): Fact<T> {
  try {
    return known(parse());
  } catch (error) {
    return unknownFrom(error);
  }
}

type Supplementary =
  | { readonly ok: true; readonly values: JsonObject }
  | { readonly ok: false; readonly problem: string };

function readSupplementary(raw: unknown): Supplementary {
  if (raw === undefined || raw === null) return { ok: true, values: {} };
  try {
    return { ok: true, values: decodeObject(raw, SUPPLEMENTARY_PATH) };
  } catch (error) {
    if (error instanceof MalformedInputError) return { ok: false, problem: error.message };
    throw error;
  }
}

function has(values: JsonObject, key: string): boolean {
  return Object.hasOwn(values, key) && values[key] !== undefined;
}

/** Object.keys(values).length > 0, without building the list. */
function hasOwnKeys(values: JsonObject): boolean {
  for (const key in values) if (Object.hasOwn(values, key)) return true;
  return false;
}

/** A supplementary key, its one parser, and what is built from the key once rather than for every item. */
interface Part<T> {
  readonly key: string;
  /** The only parser of this part: remembered results are keyed by part and text, so they must not depend on more. */
  readonly parse: (value: unknown, path: string) => T;
  /** `configurationItem.supplementaryConfiguration.<key>`, for error messages. */
  readonly path: string;
  /** The reason given when the item lacks the key. */
  readonly absent: string;
  /**
   * JSON strings up to this length are read once per distinct text: the ACL of every bucket of an account that only
   * grants its owner is the same text, and so are most versioning, Block Public Access and ownership values, and the
   * API model's `{"policyText":null}` of every bucket without a policy. A policy itself names its bucket, so it never
   * repeats; longer values are read every time.
   */
  readonly rememberUpTo: number;
  /** What `parse` made of each remembered text, by text length (see readRepeatingPart). */
  readonly remembered: BoundedMemo<number, RememberedPart<T>[]>;
}

/** Distinct text lengths remembered per part (the memo is emptied when full), and texts per length: at most 256. */
const MAX_LENGTHS = 32;
/** Distinct texts of one length kept per part (ACLs of different owners have the same length); the oldest goes. */
const MAX_SAME_LENGTH = 8;

interface RememberedPart<T> {
  readonly text: string;
  readonly fact: Fact<T>;
}

function part<T>(key: string, parse: (value: unknown, path: string) => T, rememberUpTo: number): Part<T> {
  const path = `${SUPPLEMENTARY_PATH}.${key}`;
  return { key, parse, path, absent: notInItemReason(key), rememberUpTo, remembered: new BoundedMemo(MAX_LENGTHS) };
}

/** Longer strings are read every time: a large ACL is rare and would only take room. */
const MAX_REMEMBERED_LENGTH = 4096;
/** Room for `{"policyText":null}` and `{}`, never for a policy. */
const NO_POLICY_LENGTH = 64;

const POLICY_PART = part('BucketPolicy', parseConfigBucketPolicy, NO_POLICY_LENGTH);
const ACL_PART = part('AccessControlList', parseConfigAcl, MAX_REMEMBERED_LENGTH);
const BPA_PART = part('PublicAccessBlockConfiguration', parseBucketBpa, MAX_REMEMBERED_LENGTH);
const VERSIONING_PART = part('BucketVersioningConfiguration', parseVersioning, MAX_REMEMBERED_LENGTH);
const LOGGING_PART = part('BucketLoggingConfiguration', parseLoggingConfiguration, MAX_REMEMBERED_LENGTH);
const TAGGING_PART = part('BucketTaggingConfiguration', parseTaggingConfiguration, 0);
const OWNERSHIP_PARTS = OWNERSHIP_KEYS.map((key) => part(key, parseOwnershipControls, MAX_REMEMBERED_LENGTH));

/**
 * What `parse` made of this exact string for this part (a pure function of the two: the path in its messages is fixed
 * per part). Buckets with the same text share the value, which the types make readonly. It is not frozen: V8 walks
 * frozen arrays (the grants) several times slower, and every rule walks them.
 * Texts are remembered by length: looking a fresh string up by its text would hash all of it (a few hundred characters
 * for an ACL, on every item), while comparing it with the few remembered texts of its length stops at the first
 * difference.
 */
function readRepeatingPart<T>(part: Part<T>, text: string): Fact<T> {
  let sameLength = part.remembered.get(text.length);
  if (sameLength === undefined) sameLength = part.remembered.remember(text.length, []);
  for (let index = 0; index < sameLength.length; index++) {
    if (sameLength[index].text === text) return sameLength[index].fact;
  }
  const fact = readFact(part.parse, text, part.path);
  if (sameLength.length >= MAX_SAME_LENGTH) sameLength.shift();
  sameLength.push({ text, fact });
  return fact;
}

/** `parse(value, path)` as a Fact: any failure becomes an unknown Fact carrying the error's message. */
function readFact<T>(parse: (value: unknown, path: string) => T, value: unknown, path: string): Fact<T> {
  try {
    return known(parse(value, path));
  } catch (error) {
    return unknownFrom(error);
  }
}

/** The supplementary value of `part` read by `parse`; unknown (with the reason) when it is absent or unreadable. */
function readSupplementaryPart<T>(supplementary: Supplementary, part: Part<T>): Fact<T> {
  if (!supplementary.ok) return unknown(supplementary.problem);
  if (!has(supplementary.values, part.key)) return unknown(part.absent);
  const value = supplementary.values[part.key];
  if (typeof value === 'string' && value.length <= part.rememberUpTo) {
    return readRepeatingPart(part, value);
  }
  return readFact(part.parse, value, part.path);
}

function normalizeBucket(object: JsonObject, header: ItemHeader): BucketState {
  if (isDeletedStatus(header.status)) return bucketWithoutFacts(header, REASON_DELETED);
  if (header.status === 'ResourceNotRecorded') return bucketWithoutFacts(header, REASON_NOT_RECORDED);

  const configuration = object.configuration;
  if (configuration === undefined || configuration === null) {
    throw new MalformedInputError(
      `${ROOT}.configuration`,
      `missing (a bucket item with status ${header.status} must carry its configuration)`,
    );
  }
  decodeObject(configuration, `${ROOT}.configuration`);

  const supplementary = readSupplementary(object.supplementaryConfiguration);
  return bucketWithFacts(header, {
    policy: readSupplementaryPart(supplementary, POLICY_PART),
    acl: readSupplementaryPart(supplementary, ACL_PART),
    publicAccessBlock: readBucketBpa(supplementary),
    versioning: readSupplementaryPart(supplementary, VERSIONING_PART),
    ownership: readOwnership(supplementary),
    tags: readTags(object, supplementary),
    logging: readSupplementaryPart(supplementary, LOGGING_PART),
  });
}

/** A bucket's BPA value: null means none. Decoded once; parsePublicAccessBlockFlags gets the object. */
function parseBucketBpa(value: unknown, path: string): PublicAccessBlockFlags | null {
  const object = decodeObjectOrNull(value, path);
  return object === null ? null : parsePublicAccessBlockFlags(object, path);
}

function readBucketBpa(supplementary: Supplementary): BucketState['publicAccessBlock'] {
  // Config records the key only when a bucket-level BPA exists. Its absence means "none" only when the item does
  // carry the recorded supplementary data; an empty or missing supplementaryConfiguration proves nothing.
  if (supplementary.ok && !has(supplementary.values, BPA_PART.key)) {
    return hasOwnKeys(supplementary.values) ? known(null) : unknown(BPA_PART.absent);
  }
  return readSupplementaryPart(supplementary, BPA_PART);
}

function readOwnership(supplementary: Supplementary): BucketState['ownership'] {
  if (supplementary.ok) {
    for (const part of OWNERSHIP_PARTS) {
      if (has(supplementary.values, part.key)) return readSupplementaryPart(supplementary, part);
    }
  }
  return unknown(REASON_OWNERSHIP_NOT_RECORDED);
}

const TAGS_PATH = `${ROOT}.tags`;
const TAGS_ABSENT = notInItemReason('tags');

function readTags(object: JsonObject, supplementary: Supplementary): BucketState['tags'] {
  const tags = object.tags;
  if (tags !== undefined && tags !== null) {
    try {
      return known(parseTags(tags, TAGS_PATH));
    } catch (error) {
      return unknownFrom(error);
    }
  }
  if (supplementary.ok && has(supplementary.values, TAGGING_PART.key)) {
    return readSupplementaryPart(supplementary, TAGGING_PART);
  }
  return unknown(TAGS_ABSENT);
}

// ---------------------------------------------------------------------------------------------------------------
// AWS::S3::AccountPublicAccessBlock

function normalizeAccountBpa(object: JsonObject, header: ItemHeader): AccountBpaState {
  const withBpa = (publicAccessBlock: AccountBpaState['publicAccessBlock']): AccountBpaState => {
    const state: { -readonly [K in keyof AccountBpaState]?: AccountBpaState[K] } = {
      kind: 'account',
      accountId: header.accountId ?? header.resourceId,
    };
    if (header.region !== undefined) state.region = header.region;
    state.source = header.source;
    state.status = header.status;
    if (header.captureTime !== undefined) state.captureTime = header.captureTime;
    state.publicAccessBlock = publicAccessBlock;
    return state as AccountBpaState;
  };
  // A deleted account BPA item means the account-level configuration was removed (DeletePublicAccessBlock): the
  // account now has none, which S3 treats as all four flags false. That is known(null), not unknown.
  if (isDeletedStatus(header.status)) return withBpa(known(null));
  if (header.status === 'ResourceNotRecorded') return withBpa(unknown(REASON_NOT_RECORDED));
  const configuration = object.configuration;
  if (configuration === undefined || configuration === null) {
    return withBpa(
      unknown(
        `${ROOT}.configuration: missing (an account BPA item with status ${header.status} must carry the four flags)`,
      ),
    );
  }
  return withBpa(readPart(() => parsePublicAccessBlockFlags(configuration, `${ROOT}.configuration`)));
}
