/**
 * Bucket policy documents as Config records them (a JSON string, possibly inside `{"policyText": ...}`, possibly
 * double-encoded) turned into the typed BucketPolicy. Throws MalformedInputError for a statement it cannot read
 * faithfully: an unreadable statement fails the whole policy, it never reads as "no statement".
 */
import { isIamActionSyntax } from './iam-action-syntax';
import {
  decodeObject,
  decodeObjectOrNull,
  defineOwn,
  describeValue,
  isJsonObject,
  isScalar,
  type JsonObject,
  MalformedInputError,
  pick,
} from './normalize-json';
import type { BucketPolicy, ConditionBlock, ConditionValue, PolicyPrincipal, PolicyStatement } from './types';

// Bucket policy

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
