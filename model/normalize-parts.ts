/**
 * Parsers for the parts of an S3 configuration item: ACL, bucket policy, Block Public Access, versioning, ownership
 * controls and tags. Each takes the raw value (object or JSON string, possibly double-encoded) and a `path` used in
 * error messages, returns the typed value, and throws MalformedInputError for anything it cannot read faithfully.
 * They never guess in the permissive direction: an unreadable grant or statement fails the whole part.
 */

import { isIamActionSyntax } from '../exposure/s3-actions';
import {
  decodeObject,
  decodeObjectOrNull,
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
const GROUP_ENUM_NAMES: Readonly<Record<string, PredefinedGroup>> = {
  AllUsers: 'AllUsers',
  AuthenticatedUsers: 'AuthenticatedUsers',
  LogDelivery: 'LogDelivery',
};
// Also matches header grants (`uri="http://…"`) and Java's GroupGrantee.toString() (`GroupGrantee [http://…]`).
const GROUP_URI =
  /^(?:uri\s*=\s*"?|groupgrantee\s*\[)?https?:\/\/acs\.amazonaws\.com\/groups\/([a-z0-9]+\/[a-z]+)\/?(?:"|\])?$/i;

/** http://acs.amazonaws.com/groups/global/AllUsers etc. (any case, http/https) or bare names -> group. */
export function groupFromUri(uriOrName: string): PredefinedGroup | undefined {
  // Config writes the bare enum names; those need no trimming, lower-casing or regex.
  const exact = lookup(GROUP_ENUM_NAMES, uriOrName);
  if (exact) return exact;
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

const PERMISSION_SPELLINGS: Readonly<Record<string, AclPermission>> = {
  FullControl: 'FULL_CONTROL',
  Read: 'READ',
  Write: 'WRITE',
  ReadAcp: 'READ_ACP',
  WriteAcp: 'WRITE_ACP',
  FULL_CONTROL: 'FULL_CONTROL',
  READ: 'READ',
  WRITE: 'WRITE',
  READ_ACP: 'READ_ACP',
  WRITE_ACP: 'WRITE_ACP',
};

/** 'FullControl' | 'FULL_CONTROL' | 'Read' | 'READ' | 'ReadAcp' | 'READ_ACP' ... -> AclPermission. */
export function normalizeAclPermission(value: string): AclPermission | undefined {
  // Config's own spellings (FullControl, Read, ...) first: no regex, no new strings.
  const exact = lookup(PERMISSION_SPELLINGS, value);
  if (exact) return exact;
  const key = value
    .trim()
    .replace(/[_\s-]/g, '')
    .toLowerCase();
  return lookup(PERMISSIONS, key);
}

function unrecognisedGrantee(raw: unknown): Grantee {
  return { kind: 'unrecognised', raw: typeof raw === 'string' ? raw : JSON.stringify(raw) };
}

function parseGrantee(raw: unknown, grantPath: () => string): Grantee {
  if (raw === undefined || raw === null) throw new MalformedInputError(`${grantPath()}.grantee`, 'missing');
  if (typeof raw === 'string') {
    // Config serialises predefined groups as bare enum names ("AllUsers").
    const group = groupFromUri(raw);
    return group ? { kind: 'group', group } : unrecognisedGrantee(raw);
  }
  // A number, a list, or an object naming nobody is a damaged grant, not an unknown grantee type: read as "not
  // public" it turned a public-read bucket COMPLIANT in the fuzz suite, so the ACL becomes unknown instead.
  if (!isJsonObject(raw)) {
    throw new MalformedInputError(
      `${grantPath()}.grantee`,
      `expected a group name or a grantee object, received ${describeValue(raw)}`,
    );
  }
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
  // An unknown shape that names something stays an unrecognised grantee; one that names nothing at all is damage.
  if (Object.values(raw).every((value) => value === null || value === undefined || value === '')) {
    throw new MalformedInputError(`${grantPath()}.grantee`, 'names no grantee (no id, uri or emailAddress)');
  }
  return unrecognisedGrantee(raw);
}

/** `grantPath` builds the grant's path for an error message only (grants are parsed for every item). */
function parseGrant(raw: unknown, grantPath: () => string): AclGrant {
  if (!isJsonObject(raw))
    throw new MalformedInputError(grantPath(), `expected a grant object, received ${describeValue(raw)}`);
  const grantee = parseGrantee(pick(raw, 'grantee', 'Grantee'), grantPath);
  const permissionRaw = pick(raw, 'permission', 'Permission');
  const permission = typeof permissionRaw === 'string' ? normalizeAclPermission(permissionRaw) : undefined;
  if (permission === undefined) {
    throw new MalformedInputError(
      `${grantPath()}.permission`,
      `expected FullControl, Read, Write, ReadAcp or WriteAcp, received ${describeValue(permissionRaw)}`,
    );
  }
  return { grantee, permission };
}

/** Same grantee (every field, displayName included) and same permission: what comparing their JSON would say. */
function sameGrant(a: AclGrant, b: AclGrant): boolean {
  if (a.permission !== b.permission) return false;
  const x = a.grantee;
  const y = b.grantee;
  switch (x.kind) {
    case 'group':
      return y.kind === 'group' && x.group === y.group;
    case 'canonicalUser':
      return y.kind === 'canonicalUser' && x.id === y.id && x.displayName === y.displayName;
    case 'email':
      return y.kind === 'email' && x.email === y.email;
    case 'unrecognised':
      return y.kind === 'unrecognised' && x.raw === y.raw;
  }
}

/** Adds `grant` unless an equal one is there; an equal later grant replaces the earlier in its place (as a Map would). */
function addGrant(grants: AclGrant[], grant: AclGrant): void {
  for (let index = 0; index < grants.length; index++) {
    if (sameGrant(grants[index], grant)) {
      grants[index] = grant;
      return;
    }
  }
  grants.push(grant);
}

/** Config's ACL serialisation (string or object) -> BucketAcl; throws MalformedInputError. */
export function parseConfigAcl(value: unknown, path = 'AccessControlList'): BucketAcl {
  const acl = decodeObject(value, path);
  // Java's AccessControlList keeps grants in grantList or grantSet (one of them null). Read every list present so
  // that no grant can be hidden; S3's own API shape (Grants) is accepted too.
  const listKeys = ['grantList', 'grantSet', 'Grants'] as const;
  let sawList = false;
  // Duplicates dropped by comparing fields (a linear scan: ACLs hold at most 100 grants, usually 1 to 3).
  const grantList: AclGrant[] = [];
  for (const key of listKeys) {
    const list = acl[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      throw new MalformedInputError(`${path}.${key}`, `expected a list of grants, received ${describeValue(list)}`);
    }
    sawList = true;
    for (let index = 0; index < list.length; index++) {
      if (!(index in list)) continue; // a hole in a sparse array, which forEach skipped
      addGrant(
        grantList,
        parseGrant(list[index], () => `${path}.${key}[${index}]`),
      );
    }
  }
  if (!sawList) throw new MalformedInputError(path, 'no grant list (expected grantList or grantSet)');
  const owner = pick(acl, 'owner', 'Owner');
  const ownerId = isJsonObject(owner) ? nonEmptyString(pick(owner, 'id', 'ID')) : undefined;
  return ownerId === undefined ? { grants: grantList } : { ownerId, grants: grantList };
}

// ---------------------------------------------------------------------------------------------------------------
// Bucket policy

/**
 * `target[key] = value` as Object.fromEntries does it: an own data property even for `__proto__` or a name that
 * Object.prototype defines. (Building objects directly avoids the entry arrays fromEntries needs.)
 */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (Object.hasOwn(Object.prototype, key)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** A copy of `raw` when it is a dense list whose every element passes `accept`; undefined otherwise. */
function copyListOf<T>(raw: readonly unknown[], accept: (value: unknown) => value is T): T[] | undefined {
  const copy: T[] = new Array(raw.length);
  for (let index = 0; index < raw.length; index++) {
    const value = raw[index];
    // A hole reads as undefined, which no caller accepts: sparse lists are left to the callers' generic path.
    if (!accept(value)) return undefined;
    copy[index] = value;
  }
  return copy;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/**
 * Statements are parsed for every item, so the error paths (`<document>.Statement[<index>].<element>`) are passed
 * as their parts and joined only when an error is thrown.
 */
function statementPath(document: string, index: number, element?: string): string {
  return element === undefined ? `${document}.Statement[${index}]` : `${document}.Statement[${index}].${element}`;
}

/**
 * `owned`: `raw` comes from this module's own JSON.parse of the policy text, so nobody else holds it. Once checked it
 * is returned as is rather than copied: the copy would have the same keys, order and values (policies are parsed for
 * every item, and copying them was a large share of normalising one).
 */
function parsePrincipal(
  raw: unknown,
  document: string,
  index: number,
  element: string,
  owned: boolean,
): PolicyPrincipal {
  if (raw === '*') return '*';
  if (!isJsonObject(raw)) {
    throw new MalformedInputError(
      statementPath(document, index, element),
      `expected "*" or an object such as {"AWS": [...]}, received ${describeValue(raw)}`,
    );
  }
  const principal: Record<string, string | readonly string[]> = {};
  for (const kind of Object.keys(raw)) {
    const ids = raw[kind];
    const value =
      typeof ids === 'string'
        ? ids
        : Array.isArray(ids)
          ? owned
            ? ownedList(ids, isString)
            : stringList(ids)
          : undefined;
    if (value === undefined) {
      throw new MalformedInputError(
        `${statementPath(document, index, element)}.${kind}`,
        `expected a string or a list of strings, received ${describeValue(ids)}`,
      );
    }
    if (!owned) defineOwn(principal, kind, value);
  }
  // {} or {"AWS": []} names nobody: S3 rejects it, and reading it as "grants nothing" would hide a damaged grant.
  if (!namesSomeone(owned ? (raw as Readonly<Record<string, string | readonly string[]>>) : principal)) {
    throw new MalformedInputError(
      statementPath(document, index, element),
      'names no principal (S3 rejects such a bucket policy)',
    );
  }
  return owned ? (raw as PolicyPrincipal) : principal;
}

/** An owned list (see parsePrincipal) when every element passes `accept`; undefined otherwise. */
function ownedList<T>(raw: readonly unknown[], accept: (value: unknown) => value is T): readonly T[] | undefined {
  for (const value of raw) {
    // A rejected element (or a hole, which JSON.parse never makes): the copying path decides, as for any list.
    if (!accept(value)) return copyListOf(raw, accept) ?? (raw.every(accept) ? [...raw] : undefined);
  }
  return raw as readonly T[];
}

/** Some listed name is not blank: every name in Object.values order, without building the flattened list. */
function namesSomeone(principal: Readonly<Record<string, string | readonly string[]>>): boolean {
  for (const kind of Object.keys(principal)) {
    const value = principal[kind];
    if (typeof value === 'string') {
      if (value.trim() !== '') return true;
      continue;
    }
    for (const name of value) if (name.trim() !== '') return true;
  }
  return false;
}

/** A copy of a list of strings; undefined when an element is not a string. */
function stringList(raw: readonly unknown[]): readonly string[] | undefined {
  return copyListOf(raw, isString) ?? (raw.every(isString) ? [...raw] : undefined);
}

function parseStringOrList(
  raw: unknown,
  document: string,
  index: number,
  element: string,
  owned: boolean,
): string | readonly string[] {
  if (typeof raw === 'string') return raw;
  const list = Array.isArray(raw) ? (owned ? ownedList(raw, isString) : stringList(raw)) : undefined;
  if (list !== undefined) return list;
  throw new MalformedInputError(
    statementPath(document, index, element),
    `expected a string or a list of strings, received ${describeValue(raw)}`,
  );
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function parseCondition(raw: unknown, document: string, index: number, owned: boolean): ConditionBlock {
  const pathOf = (): string => statementPath(document, index, 'Condition');
  if (!isJsonObject(raw)) throw new MalformedInputError(pathOf(), `expected an object, received ${describeValue(raw)}`);
  const condition: Record<string, Readonly<Record<string, ConditionValue>>> = {};
  for (const operator of Object.keys(raw)) {
    const block = raw[operator];
    if (!isJsonObject(block)) {
      throw new MalformedInputError(`${pathOf()}.${operator}`, `expected an object, received ${describeValue(block)}`);
    }
    const keys: Record<string, ConditionValue> = {};
    for (const key of Object.keys(block)) {
      const value = block[key];
      const parsed = isScalar(value)
        ? value
        : Array.isArray(value)
          ? owned
            ? ownedList(value, isScalar)
            : (copyListOf(value, isScalar) ?? (value.every(isScalar) ? [...value] : undefined))
          : undefined;
      if (parsed === undefined) {
        throw new MalformedInputError(
          `${pathOf()}.${operator}.${key}`,
          `expected a value or a list of values, received ${describeValue(value)}`,
        );
      }
      if (!owned) defineOwn(keys, key, parsed);
    }
    if (!owned) defineOwn(condition, operator, keys);
  }
  return owned ? (raw as ConditionBlock) : condition;
}

/** The keys a parsed statement keeps, in the order it writes them. */
const STATEMENT_KEYS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];

/** An owned statement whose own keys are those a parsed copy would have, in the same order, with a string Sid. */
function isCanonicalStatement(raw: JsonObject): boolean {
  let next = 0;
  // for...in rather than Object.keys: no list per statement (a JSON.parse object has no inherited enumerable keys).
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) return false;
    while (next < STATEMENT_KEYS.length && STATEMENT_KEYS[next] !== key) next++;
    if (next === STATEMENT_KEYS.length) return false; // an extra key, or keys out of order
    next++;
  }
  return raw.Sid === undefined || typeof raw.Sid === 'string';
}

/**
 * Throws for the first action (of Action or NotAction) isIamActionSyntax rejects, as `list.find(rejected)` would find it
 * (a first rejected element that is undefined, a hole, stops the check), without the lists and closures.
 */
function checkIamActions(actions: string | readonly string[] | undefined, document: string, index: number): void {
  if (actions === undefined) return;
  if (typeof actions === 'string') {
    if (!isIamActionSyntax(actions)) throwNotIamAction(actions, document, index);
    return;
  }
  for (const action of actions) {
    if (typeof action === 'string' && isIamActionSyntax(action)) continue;
    if (action !== undefined) throwNotIamAction(action, document, index);
    return;
  }
}

function throwNotIamAction(action: string, document: string, index: number): never {
  throw new MalformedInputError(
    statementPath(document, index, 'Action'),
    `not an IAM action: ${describeValue(action)}`,
  );
}

function parseStatement(raw: unknown, document: string, index: number, owned: boolean): PolicyStatement {
  if (!isJsonObject(raw)) {
    throw new MalformedInputError(
      statementPath(document, index),
      `expected a statement object, received ${describeValue(raw)}`,
    );
  }
  const effect = raw.Effect;
  // IAM: "The Effect value is case sensitive"; anything else is not a policy S3 would have stored.
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new MalformedInputError(
      statementPath(document, index, 'Effect'),
      `expected "Allow" or "Deny", received ${describeValue(effect)}`,
    );
  }
  // An owned statement already shaped like its copy is checked and kept (see parsePrincipal); its parts too.
  const keep = owned && isCanonicalStatement(raw);
  const statement: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = keep
    ? (raw as unknown as PolicyStatement)
    : typeof raw.Sid === 'string'
      ? { Sid: raw.Sid, Effect: effect }
      : { Effect: effect };
  if (raw.Principal !== undefined) {
    const principal = parsePrincipal(raw.Principal, document, index, 'Principal', owned);
    if (!keep) statement.Principal = principal;
  }
  if (raw.NotPrincipal !== undefined) {
    const notPrincipal = parsePrincipal(raw.NotPrincipal, document, index, 'NotPrincipal', owned);
    if (!keep) statement.NotPrincipal = notPrincipal;
  }
  // S3 rejects a bucket policy statement without one ("Missing required field Principal"): only a damaged record
  // has it, and reading it as "grants nothing" turned a public bucket COMPLIANT in the fuzz suite.
  if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
    throw new MalformedInputError(
      statementPath(document, index),
      'has neither Principal nor NotPrincipal (S3 rejects such a bucket policy)',
    );
  }
  // Written out rather than looped over a list of names: constant property names are cheaper to read.
  if (raw.Action !== undefined) {
    const action = parseStringOrList(raw.Action, document, index, 'Action', owned);
    if (!keep) statement.Action = action;
  }
  if (raw.NotAction !== undefined) {
    const notAction = parseStringOrList(raw.NotAction, document, index, 'NotAction', owned);
    if (!keep) statement.NotAction = notAction;
  }
  // IAM rejects an action that is not "*" or "service:Action"; a damaged one ('"s3:GetObject"', re-encoded) read as
  // "some other service" granted nothing and hid a public statement in the fuzz suite.
  checkIamActions(statement.Action, document, index);
  checkIamActions(statement.NotAction, document, index);
  if (raw.Resource !== undefined) {
    const resource = parseStringOrList(raw.Resource, document, index, 'Resource', owned);
    if (!keep) statement.Resource = resource;
  }
  if (raw.NotResource !== undefined) {
    const notResource = parseStringOrList(raw.NotResource, document, index, 'NotResource', owned);
    if (!keep) statement.NotResource = notResource;
  }
  if (raw.Condition !== undefined) {
    const condition = parseCondition(raw.Condition, document, index, owned);
    if (!keep) statement.Condition = condition;
  }
  return statement;
}

/** Policy JSON (string, double-encoded string, or object, e.g. CloudTrail's requestParameters.bucketPolicy) -> BucketPolicy; throws MalformedInputError. */
export function parsePolicyDocument(value: unknown, path = 'policy'): BucketPolicy {
  // Decoded from a string here: the statements are this call's own (see parsePrincipal), not the caller's.
  const owned = typeof value === 'string';
  const document = decodeObject(value, path);
  const rawStatements = document.Statement;
  if (rawStatements === undefined || rawStatements === null)
    throw new MalformedInputError(`${path}.Statement`, 'missing');
  // IAM allows a single statement object in place of the array.
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  const Statement: PolicyStatement[] = new Array(list.length);
  for (let index = 0; index < list.length; index++) {
    if (index in list) Statement[index] = parseStatement(list[index], path, index, owned); // skips holes, as map() did
  }
  const policy: { -readonly [K in keyof BucketPolicy]?: BucketPolicy[K] } = {};
  if (typeof document.Version === 'string') policy.Version = document.Version;
  if (typeof document.Id === 'string') policy.Id = document.Id;
  policy.Statement = Statement;
  return policy as BucketPolicy;
}

/** Object.keys(object).length > 0, without building the list. */
function hasOwnEnumerableKey(object: JsonObject): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/**
 * Config's `BucketPolicy` supplementary value: `{policyText: string|null}` (object or JSON string). `{}` (the
 * advanced query omits null fields) and `{policyText: null}` mean "no bucket policy"; a bare null is malformed.
 */
export function parseConfigBucketPolicy(value: unknown, path = 'BucketPolicy'): BucketPolicy | null {
  const wrapper = decodeObjectOrNull(value, path);
  // No Config shape records a null wrapper ("no policy" is {policyText: null}, or {} / an absent key in the advanced
  // query): reading a damaged null as "no policy" hid a public policy in the fuzz suite, so it stays unknown.
  if (wrapper === null) {
    throw new MalformedInputError(path, 'null; Config records "no bucket policy" as {"policyText": null}');
  }
  if (Object.hasOwn(wrapper, 'Statement')) return parsePolicyDocument(wrapper, path);
  if (!hasOwnEnumerableKey(wrapper)) return null;
  const text = pick(wrapper, 'policyText', 'PolicyText');
  if (text === undefined) {
    const keys = Object.keys(wrapper); // built for the error message only
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
