/**
 * Parsers for the parts of an S3 configuration item: ACL, bucket policy, Block Public Access, versioning, ownership
 * controls and tags. Each takes the raw value (object or JSON string, possibly double-encoded) and a `path` used in
 * error messages, returns the typed value, and throws MalformedInputError for anything it cannot read faithfully.
 * They never guess in the permissive direction: an unreadable grant or statement fails the whole part.
 */
import {
  decodeObject,
  describeValue,
  isJsonObject,
  type JsonObject,
  MalformedInputError,
  nonEmptyString,
  parseMaybeJson,
  pick,
} from './normalize-json';
import {
  type AclGrant,
  type AclPermission,
  BPA_FLAGS,
  type BucketAcl,
  type BucketPolicy,
  type ConditionBlock,
  type ConditionValue,
  type Grantee,
  type ObjectOwnership,
  type PolicyPrincipal,
  type PolicyStatement,
  type PredefinedGroup,
  type PublicAccessBlockFlags,
  type VersioningState,
  type VersioningStatus,
} from './types';

/** Own-key table lookup: input such as "constructor" must not reach Object.prototype. */
function lookup<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// ACL

const GROUP_PATHS: Readonly<Record<string, PredefinedGroup>> = {
  'global/allusers': 'AllUsers',
  'global/authenticatedusers': 'AuthenticatedUsers',
  's3/logdelivery': 'LogDelivery',
};
const GROUP_NAMES: Readonly<Record<string, PredefinedGroup>> = {
  allusers: 'AllUsers',
  authenticatedusers: 'AuthenticatedUsers',
  logdelivery: 'LogDelivery',
};
// Also matches header grants (`uri="http://…"`) and Java's GroupGrantee.toString() (`GroupGrantee [http://…]`).
const GROUP_URI =
  /^(?:uri\s*=\s*"?|groupgrantee\s*\[)?https?:\/\/acs\.amazonaws\.com\/groups\/([a-z0-9]+\/[a-z]+)\/?(?:"|\])?$/i;

/** http://acs.amazonaws.com/groups/global/AllUsers etc. (any case, http/https) or bare names -> group. */
export function groupFromUri(uriOrName: string): PredefinedGroup | undefined {
  const text = uriOrName.trim();
  const byName = lookup(GROUP_NAMES, text.toLowerCase());
  if (byName) return byName;
  const match = GROUP_URI.exec(text);
  return match ? lookup(GROUP_PATHS, match[1].toLowerCase()) : undefined;
}

const PERMISSIONS: Readonly<Record<string, AclPermission>> = {
  fullcontrol: 'FULL_CONTROL',
  read: 'READ',
  write: 'WRITE',
  readacp: 'READ_ACP',
  writeacp: 'WRITE_ACP',
};

/** 'FullControl' | 'FULL_CONTROL' | 'Read' | 'READ' | 'ReadAcp' | 'READ_ACP' ... -> AclPermission. */
export function normalizeAclPermission(value: string): AclPermission | undefined {
  const key = value
    .trim()
    .replace(/[_\s-]/g, '')
    .toLowerCase();
  return lookup(PERMISSIONS, key);
}

function unrecognisedGrantee(raw: unknown): Grantee {
  return { kind: 'unrecognised', raw: typeof raw === 'string' ? raw : JSON.stringify(raw) };
}

function parseGrantee(raw: unknown, path: string): Grantee {
  if (raw === undefined || raw === null) throw new MalformedInputError(path, 'missing');
  if (typeof raw === 'string') {
    // Config serialises predefined groups as bare enum names ("AllUsers").
    const group = groupFromUri(raw);
    return group ? { kind: 'group', group } : unrecognisedGrantee(raw);
  }
  if (!isJsonObject(raw)) return unrecognisedGrantee(raw);
  // Java SDK v1 Grantee#getTypeIdentifier/getIdentifier, in case a serialiser used the getters.
  const typeIdentifier = pick(raw, 'typeIdentifier');
  const identifier = nonEmptyString(pick(raw, 'identifier'));
  const uri = nonEmptyString(pick(raw, 'uri', 'URI', 'Uri')) ?? (typeIdentifier === 'uri' ? identifier : undefined);
  if (uri !== undefined) {
    const group = groupFromUri(uri);
    return group ? { kind: 'group', group } : unrecognisedGrantee(raw);
  }
  const id = nonEmptyString(pick(raw, 'id', 'ID', 'Id')) ?? (typeIdentifier === 'id' ? identifier : undefined);
  if (id !== undefined) {
    const displayName = nonEmptyString(pick(raw, 'displayName', 'DisplayName'));
    return displayName === undefined ? { kind: 'canonicalUser', id } : { kind: 'canonicalUser', id, displayName };
  }
  const email =
    nonEmptyString(pick(raw, 'emailAddress', 'EmailAddress')) ??
    (typeIdentifier === 'emailAddress' ? identifier : undefined);
  if (email !== undefined) return { kind: 'email', email };
  return unrecognisedGrantee(raw);
}

function parseGrant(raw: unknown, path: string): AclGrant {
  if (!isJsonObject(raw))
    throw new MalformedInputError(path, `expected a grant object, received ${describeValue(raw)}`);
  const grantee = parseGrantee(pick(raw, 'grantee', 'Grantee'), `${path}.grantee`);
  const permissionRaw = pick(raw, 'permission', 'Permission');
  const permission = typeof permissionRaw === 'string' ? normalizeAclPermission(permissionRaw) : undefined;
  if (permission === undefined) {
    throw new MalformedInputError(
      `${path}.permission`,
      `expected FullControl, Read, Write, ReadAcp or WriteAcp, received ${describeValue(permissionRaw)}`,
    );
  }
  return { grantee, permission };
}

function grantKey(grant: AclGrant): string {
  return `${JSON.stringify(grant.grantee)}|${grant.permission}`;
}

/** Config's ACL serialisation (string or object) -> BucketAcl; throws MalformedInputError. */
export function parseConfigAcl(value: unknown, path = 'AccessControlList'): BucketAcl {
  const acl = decodeObject(value, path);
  // Java's AccessControlList keeps grants in grantList or grantSet (one of them null). Read every list present so
  // that no grant can be hidden; S3's own API shape (Grants) is accepted too.
  const listKeys = ['grantList', 'grantSet', 'Grants'] as const;
  let sawList = false;
  const grants = new Map<string, AclGrant>();
  for (const key of listKeys) {
    const list = acl[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      throw new MalformedInputError(`${path}.${key}`, `expected a list of grants, received ${describeValue(list)}`);
    }
    sawList = true;
    list.forEach((entry, index) => {
      const grant = parseGrant(entry, `${path}.${key}[${index}]`);
      grants.set(grantKey(grant), grant);
    });
  }
  if (!sawList) throw new MalformedInputError(path, 'no grant list (expected grantList or grantSet)');
  const owner = pick(acl, 'owner', 'Owner');
  const ownerId = isJsonObject(owner) ? nonEmptyString(pick(owner, 'id', 'ID')) : undefined;
  const grantList = [...grants.values()];
  return ownerId === undefined ? { grants: grantList } : { ownerId, grants: grantList };
}

// ---------------------------------------------------------------------------------------------------------------
// Bucket policy

function parsePrincipal(raw: unknown, path: string): PolicyPrincipal {
  if (raw === '*') return '*';
  if (!isJsonObject(raw)) {
    throw new MalformedInputError(
      path,
      `expected "*" or an object such as {"AWS": [...]}, received ${describeValue(raw)}`,
    );
  }
  const entries: [string, string | readonly string[]][] = [];
  for (const [kind, ids] of Object.entries(raw)) {
    if (typeof ids === 'string') entries.push([kind, ids]);
    else if (Array.isArray(ids) && ids.every((id): id is string => typeof id === 'string'))
      entries.push([kind, [...ids]]);
    else
      throw new MalformedInputError(
        `${path}.${kind}`,
        `expected a string or a list of strings, received ${describeValue(ids)}`,
      );
  }
  return Object.fromEntries(entries);
}

function parseStringOrList(raw: unknown, path: string): string | readonly string[] {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw) && raw.every((item): item is string => typeof item === 'string')) return [...raw];
  throw new MalformedInputError(path, `expected a string or a list of strings, received ${describeValue(raw)}`);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function parseCondition(raw: unknown, path: string): ConditionBlock {
  if (!isJsonObject(raw)) throw new MalformedInputError(path, `expected an object, received ${describeValue(raw)}`);
  const operators: [string, Readonly<Record<string, ConditionValue>>][] = [];
  for (const [operator, block] of Object.entries(raw)) {
    if (!isJsonObject(block)) {
      throw new MalformedInputError(`${path}.${operator}`, `expected an object, received ${describeValue(block)}`);
    }
    const keys: [string, ConditionValue][] = [];
    for (const [key, value] of Object.entries(block)) {
      if (isScalar(value)) keys.push([key, value]);
      else if (Array.isArray(value) && value.every(isScalar)) keys.push([key, [...value]]);
      else {
        throw new MalformedInputError(
          `${path}.${operator}.${key}`,
          `expected a value or a list of values, received ${describeValue(value)}`,
        );
      }
    }
    operators.push([operator, Object.fromEntries(keys)]);
  }
  return Object.fromEntries(operators);
}

function parseStatement(raw: unknown, path: string): PolicyStatement {
  if (!isJsonObject(raw))
    throw new MalformedInputError(path, `expected a statement object, received ${describeValue(raw)}`);
  const effect = raw.Effect;
  // IAM: "The Effect value is case sensitive"; anything else is not a policy S3 would have stored.
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new MalformedInputError(`${path}.Effect`, `expected "Allow" or "Deny", received ${describeValue(effect)}`);
  }
  const statement: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } =
    typeof raw.Sid === 'string' ? { Sid: raw.Sid, Effect: effect } : { Effect: effect };
  if (raw.Principal !== undefined) statement.Principal = parsePrincipal(raw.Principal, `${path}.Principal`);
  if (raw.NotPrincipal !== undefined) statement.NotPrincipal = parsePrincipal(raw.NotPrincipal, `${path}.NotPrincipal`);
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (raw[key] !== undefined) statement[key] = parseStringOrList(raw[key], `${path}.${key}`);
  }
  if (raw.Condition !== undefined) statement.Condition = parseCondition(raw.Condition, `${path}.Condition`);
  return statement;
}

/** Policy JSON (string, double-encoded string, or object, e.g. CloudTrail's requestParameters.bucketPolicy) -> BucketPolicy; throws MalformedInputError. */
export function parsePolicyDocument(value: unknown, path = 'policy'): BucketPolicy {
  const document = decodeObject(value, path);
  const rawStatements = document.Statement;
  if (rawStatements === undefined || rawStatements === null)
    throw new MalformedInputError(`${path}.Statement`, 'missing');
  // IAM allows a single statement object in place of the array.
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  const Statement = list.map((entry, index) => parseStatement(entry, `${path}.Statement[${index}]`));
  return {
    ...(typeof document.Version === 'string' ? { Version: document.Version } : {}),
    ...(typeof document.Id === 'string' ? { Id: document.Id } : {}),
    Statement,
  };
}

/**
 * Config's `BucketPolicy` supplementary value: `{policyText: string|null}` (object or JSON string). null, `{}` (the
 * advanced query omits null fields) and `{policyText: null}` all mean "no bucket policy".
 */
export function parseConfigBucketPolicy(value: unknown, path = 'BucketPolicy'): BucketPolicy | null {
  if (parseMaybeJson(value) === null) return null;
  const wrapper = decodeObject(value, path);
  if (Object.hasOwn(wrapper, 'Statement')) return parsePolicyDocument(wrapper, path);
  const keys = Object.keys(wrapper);
  if (keys.length === 0) return null;
  const text = pick(wrapper, 'policyText', 'PolicyText');
  if (text === undefined) {
    throw new MalformedInputError(
      path,
      `expected {"policyText": …}, received keys ${keys.map((key) => JSON.stringify(key)).join(', ')}`,
    );
  }
  if (text === null) return null;
  return parsePolicyDocument(text, `${path}.policyText`);
}

// ---------------------------------------------------------------------------------------------------------------
// Block Public Access

function parseBoolean(raw: unknown, path: string): boolean | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  throw new MalformedInputError(path, `expected true or false, received ${describeValue(raw)}`);
}

/** Accepts camelCase (Config) or PascalCase (S3 API / CloudTrail) keys; missing keys are false; non-boolean values ("true" strings are OK) else throws MalformedInputError. */
export function parsePublicAccessBlockFlags(
  value: unknown,
  path = 'PublicAccessBlockConfiguration',
): PublicAccessBlockFlags {
  let object = decodeObject(value, path);
  // S3 GetPublicAccessBlock and CloudTrail wrap the flags in PublicAccessBlockConfiguration.
  const wrapped = pick(object, 'PublicAccessBlockConfiguration', 'publicAccessBlockConfiguration');
  const hasFlag = BPA_FLAGS.some((flag) => pick(object, flag, pascal(flag)) !== undefined);
  if (!hasFlag && wrapped !== undefined) {
    path = `${path}.PublicAccessBlockConfiguration`;
    object = decodeObject(wrapped, path);
  }
  const flags = {} as Record<(typeof BPA_FLAGS)[number], boolean>;
  for (const flag of BPA_FLAGS) {
    const camel = parseBoolean(object[flag], `${path}.${flag}`);
    const upper = parseBoolean(object[pascal(flag)], `${path}.${pascal(flag)}`);
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

// ---------------------------------------------------------------------------------------------------------------
// Versioning

const VERSIONING_STATUSES: Readonly<Record<string, VersioningStatus>> = {
  off: 'Off',
  enabled: 'Enabled',
  suspended: 'Suspended',
};

/** Config's `{status: "Off"|"Enabled"|"Suspended", isMfaDeleteEnabled: null|bool}`; S3's `{Status, MFADelete}` too. */
export function parseVersioning(value: unknown, path = 'BucketVersioningConfiguration'): VersioningState {
  const object = decodeObject(value, path);
  const statusRaw = pick(object, 'status', 'Status');
  if (statusRaw === undefined || statusRaw === null) throw new MalformedInputError(`${path}.status`, 'missing');
  const status =
    typeof statusRaw === 'string' ? lookup(VERSIONING_STATUSES, statusRaw.trim().toLowerCase()) : undefined;
  if (status === undefined) {
    throw new MalformedInputError(
      `${path}.status`,
      `expected "Off", "Enabled" or "Suspended", received ${describeValue(statusRaw)}`,
    );
  }
  const mfaKey = ['isMfaDeleteEnabled', 'MFADelete', 'MfaDelete'].find((key) => pick(object, key) !== undefined);
  if (mfaKey === undefined) return { status, mfaDelete: null };
  const mfaRaw = object[mfaKey];
  if (typeof mfaRaw === 'string' && /^(enabled|disabled)$/i.test(mfaRaw.trim())) {
    return { status, mfaDelete: mfaRaw.trim().toLowerCase() === 'enabled' };
  }
  return { status, mfaDelete: parseBoolean(mfaRaw, `${path}.${mfaKey}`) };
}

// ---------------------------------------------------------------------------------------------------------------
// Object Ownership

const OWNERSHIP_VALUES: readonly ObjectOwnership[] = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

/** `{rules: [{objectOwnership}]}` (camel or Pascal, optionally wrapped in ownershipControls); null = none configured. */
export function parseOwnershipControls(value: unknown, path = 'BucketOwnershipControls'): ObjectOwnership | null {
  if (parseMaybeJson(value) === null) return null;
  let object = decodeObject(value, path);
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

function tagValue(raw: unknown, path: string): string {
  if (isScalar(raw)) return String(raw);
  if (raw === null) return '';
  throw new MalformedInputError(path, `expected a tag value string, received ${describeValue(raw)}`);
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
      entries.push([key, tagValue(pick(entry as JsonObject, 'value', 'Value'), `${path}[${index}].value`)]);
    });
  } else if (isJsonObject(decoded)) {
    for (const [key, raw] of Object.entries(decoded)) entries.push([key, tagValue(raw, `${path}.${key}`)]);
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
