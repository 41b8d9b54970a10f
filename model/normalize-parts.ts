/**
 * Parsers for the settings of an S3 configuration item: Block Public Access, versioning, server access logging,
 * ownership controls and tags (ACL and policy: normalize-acl.ts, normalize-policy.ts). Each takes the raw value (object or JSON string, possibly double-encoded) and a `path` used in
 * error messages, returns the typed value, and throws MalformedInputError for anything it cannot read faithfully.
 * They never guess in the permissive direction: an unreadable grant or statement fails the whole part.
 */

import {
  decodeObject,
  decodeObjectOrNull,
  defineOwn,
  describeValue,
  isJsonObject,
  isScalar,
  type JsonObject,
  lookup,
  MalformedInputError,
  parseMaybeJson,
  pick,
} from './normalize-json';
import {
  BPA_FLAGS,
  type BucketLogging,
  type ObjectOwnership,
  type PublicAccessBlockFlags,
  type VersioningState,
  type VersioningStatus,
} from './types';

// ---------------------------------------------------------------------------------------------------------------
// Block Public Access

/** `path` and `key` are joined only for the error message (this runs eight times per BPA value). */
function parseBoolean(raw: unknown, path: string, key: string): boolean | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  throw new MalformedInputError(`${path}.${key}`, `expected true or false, received ${describeValue(raw)}`);
}

/** Accepts camelCase (Config) or PascalCase (S3 API / CloudTrail) keys; missing keys are false; non-boolean values ("true" strings are OK) else throws MalformedInputError. */
export function parsePublicAccessBlockFlags(
  value: unknown,
  path = 'PublicAccessBlockConfiguration',
): PublicAccessBlockFlags {
  let object = decodeObject(value, path);
  // S3 GetPublicAccessBlock and CloudTrail wrap the flags in PublicAccessBlockConfiguration.
  const wrapped = pick(object, 'PublicAccessBlockConfiguration', 'publicAccessBlockConfiguration');
  let hasFlag = false;
  for (const flag of BPA_FLAGS) {
    if (pick(object, flag, PASCAL_FLAGS[flag]) === undefined) continue;
    hasFlag = true;
    break;
  }
  if (!hasFlag && wrapped !== undefined) {
    path = `${path}.PublicAccessBlockConfiguration`;
    object = decodeObject(wrapped, path);
  }
  const flags = {} as Record<(typeof BPA_FLAGS)[number], boolean>;
  for (const flag of BPA_FLAGS) {
    const camel = parseBoolean(object[flag], path, flag);
    const upper = parseBoolean(object[PASCAL_FLAGS[flag]], path, PASCAL_FLAGS[flag]);
    if (camel !== null && upper !== null && camel !== upper) {
      throw new MalformedInputError(`${path}.${flag}`, `conflicting values for ${flag} and ${pascal(flag)}`);
    }
    // S3 treats an omitted flag as false.
    flags[flag] = camel ?? upper ?? false;
  }
  return flags;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `blockPublicAcls` -> `BlockPublicAcls`, computed once. */
const PASCAL_FLAGS = Object.fromEntries(BPA_FLAGS.map((flag) => [flag, pascal(flag)])) as Record<
  (typeof BPA_FLAGS)[number],
  string
>;

// ---------------------------------------------------------------------------------------------------------------
// Server access logging

/** Bucket names S3 has ever accepted (us-east-1's legacy names: up to 255 letters, digits, `.`, `-`, `_`). */
const LEGACY_BUCKET_NAME = /^[A-Za-z0-9._-]{1,255}$/;
function isLogTargetName(name: string): boolean {
  return LEGACY_BUCKET_NAME.test(name);
}

/**
 * Config's `{destinationBucketName, logFilePrefix}` (null or absent destination = off; the advanced query's `{}` too),
 * CloudFormation's `{DestinationBucketName, LogFilePrefix}` and S3 GetBucketLogging's `{LoggingEnabled: {TargetBucket,
 * TargetPrefix}}` (`{}` = off). null = logging off. A destination that is not a bucket name throws MalformedInputError
 * (`acceptName` decides; a template passes its `<LogicalId>` stand-ins).
 */
export function parseLoggingConfiguration(
  value: unknown,
  path = 'BucketLoggingConfiguration',
  acceptName: (name: string) => boolean = isLogTargetName,
): BucketLogging | null {
  let object = decodeObjectOrNull(value, path);
  if (object === null) return null;
  const wrapped = pick(object, 'LoggingEnabled', 'loggingEnabled');
  let bucketKeys: [string, string, string] = ['destinationBucketName', 'DestinationBucketName', 'TargetBucket'];
  let prefixKeys: [string, string, string] = ['logFilePrefix', 'LogFilePrefix', 'TargetPrefix'];
  if (wrapped !== undefined && wrapped !== null) {
    path = `${path}.LoggingEnabled`;
    object = decodeObject(wrapped, path);
    bucketKeys = ['TargetBucket', 'targetBucket', 'destinationBucketName'];
    prefixKeys = ['TargetPrefix', 'targetPrefix', 'logFilePrefix'];
  }
  const target = pick(object, ...bucketKeys);
  const prefix = pick(object, ...prefixKeys);
  if (target === undefined || target === null || target === '') return null;
  if (typeof target !== 'string' || !acceptName(target)) {
    throw new MalformedInputError(
      `${path}.${bucketKeys[0]}`,
      `expected a bucket name, received ${describeValue(target)}`,
    );
  }
  if (prefix !== undefined && prefix !== null && typeof prefix !== 'string') {
    throw new MalformedInputError(
      `${path}.${prefixKeys[0]}`,
      `expected a key prefix, received ${describeValue(prefix)}`,
    );
  }
  return { targetBucket: target, targetPrefix: prefix ?? '' };
}

// ---------------------------------------------------------------------------------------------------------------
// Versioning

const VERSIONING_STATUSES: Readonly<Record<string, VersioningStatus>> = {
  off: 'Off',
  enabled: 'Enabled',
  suspended: 'Suspended',
};

const MFA_DELETE_KEYS = ['isMfaDeleteEnabled', 'MFADelete', 'MfaDelete'];
/** Config's own spellings, looked up before trimming and lower-casing. */
const VERSIONING_SPELLINGS: Readonly<Record<string, VersioningStatus>> = {
  Off: 'Off',
  Enabled: 'Enabled',
  Suspended: 'Suspended',
};

/** Config's `{status: "Off"|"Enabled"|"Suspended", isMfaDeleteEnabled: null|bool}`; S3's `{Status, MFADelete}` too. */
export function parseVersioning(value: unknown, path = 'BucketVersioningConfiguration'): VersioningState {
  const object = decodeObject(value, path);
  const statusRaw = pick(object, 'status', 'Status');
  if (statusRaw === undefined || statusRaw === null) throw new MalformedInputError(`${path}.status`, 'missing');
  const status =
    typeof statusRaw === 'string'
      ? (lookup(VERSIONING_SPELLINGS, statusRaw) ?? lookup(VERSIONING_STATUSES, statusRaw.trim().toLowerCase()))
      : undefined;
  if (status === undefined) {
    throw new MalformedInputError(
      `${path}.status`,
      `expected "Off", "Enabled" or "Suspended", received ${describeValue(statusRaw)}`,
    );
  }
  const mfaKey =
    pick(object, 'isMfaDeleteEnabled') !== undefined
      ? 'isMfaDeleteEnabled'
      : MFA_DELETE_KEYS.find((key) => pick(object, key) !== undefined);
  if (mfaKey === undefined) return { status, mfaDelete: null };
  const mfaRaw = object[mfaKey];
  if (typeof mfaRaw === 'string' && /^(enabled|disabled)$/i.test(mfaRaw.trim())) {
    return { status, mfaDelete: mfaRaw.trim().toLowerCase() === 'enabled' };
  }
  return { status, mfaDelete: parseBoolean(mfaRaw, path, mfaKey) };
}

// ---------------------------------------------------------------------------------------------------------------
// Object Ownership

const OWNERSHIP_VALUES: readonly ObjectOwnership[] = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

/** `{rules: [{objectOwnership}]}` (camel or Pascal, optionally wrapped in ownershipControls); null = none configured. */
export function parseOwnershipControls(value: unknown, path = 'BucketOwnershipControls'): ObjectOwnership | null {
  let object = decodeObjectOrNull(value, path);
  if (object === null) return null;
  const inner = pick(object, 'ownershipControls', 'OwnershipControls');
  if (inner === null) return null;
  if (inner !== undefined) {
    path = `${path}.ownershipControls`;
    object = decodeObject(inner, path);
  }
  const rules = pick(object, 'rules', 'Rules');
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new MalformedInputError(
      `${path}.rules`,
      `expected a non-empty list of rules, received ${describeValue(rules)}`,
    );
  }
  const first = rules[0];
  const ownership = isJsonObject(first) ? pick(first, 'objectOwnership', 'ObjectOwnership') : undefined;
  if (typeof ownership !== 'string' || !OWNERSHIP_VALUES.includes(ownership as ObjectOwnership)) {
    throw new MalformedInputError(
      `${path}.rules[0].objectOwnership`,
      `expected BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, received ${describeValue(ownership)}`,
    );
  }
  return ownership as ObjectOwnership;
}

// ---------------------------------------------------------------------------------------------------------------
// Tags

/** `path` and `element` (a key, or an index and `.value`) are joined only for an error message. */
function tagValue(raw: unknown, path: string, element: string): string {
  if (typeof raw === 'string') return raw;
  if (isScalar(raw)) return String(raw);
  if (raw === null) return '';
  throw new MalformedInputError(`${path}${element}`, `expected a tag value string, received ${describeValue(raw)}`);
}

/**
 * Item tags: a map (invocation and API model), or a list of `{key, value}` / `{Key, Value}` (advanced query rows,
 * S3 TagSet). Values are kept as strings, never JSON-decoded.
 */
export function parseTags(value: unknown, path = 'tags'): Readonly<Record<string, string>> {
  const decoded = typeof value === 'string' ? parseMaybeJson(value, 1) : value;
  const entries: [string, string][] = [];
  if (Array.isArray(decoded)) {
    decoded.forEach((entry, index) => {
      const key = isJsonObject(entry) ? pick(entry, 'key', 'Key') : undefined;
      if (typeof key !== 'string') {
        throw new MalformedInputError(
          `${path}[${index}]`,
          `expected {"key": …, "value": …}, received ${describeValue(entry)}`,
        );
      }
      entries.push([key, tagValue(pick(entry as JsonObject, 'value', 'Value'), path, `[${index}].value`)]);
    });
  } else if (isJsonObject(decoded)) {
    // The usual shape (a map): copied directly rather than through entry lists.
    const tags: Record<string, string> = {};
    for (const key of Object.keys(decoded)) {
      const value = decoded[key];
      defineOwn(tags, key, typeof value === 'string' ? value : tagValue(value, path, `.${key}`));
    }
    return tags;
  } else {
    throw new MalformedInputError(path, `expected a map of tags, received ${describeValue(decoded)}`);
  }
  // fromEntries defines own properties, so a tag named "__proto__" stays a tag.
  return Object.fromEntries(entries);
}

/** `BucketTaggingConfiguration: {tagSets: [{tags: {...}}]}` -> one map (later sets win on duplicate keys). */
export function parseTaggingConfiguration(
  value: unknown,
  path = 'BucketTaggingConfiguration',
): Readonly<Record<string, string>> {
  const object = decodeObject(value, path);
  const tagSets = pick(object, 'tagSets', 'TagSets');
  if (!Array.isArray(tagSets)) {
    throw new MalformedInputError(`${path}.tagSets`, `expected a list of tag sets, received ${describeValue(tagSets)}`);
  }
  const merged: [string, string][] = [];
  tagSets.forEach((set, index) => {
    const setPath = `${path}.tagSets[${index}]`;
    if (!isJsonObject(set))
      throw new MalformedInputError(setPath, `expected an object, received ${describeValue(set)}`);
    const tags = pick(set, 'tags', 'Tags');
    if (tags === undefined || tags === null) return;
    merged.push(...Object.entries(parseTags(tags, `${setPath}.tags`)));
  });
  return Object.fromEntries(merged);
}
