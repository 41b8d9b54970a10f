/**
 * Is a bucket policy public? S3's own definition (public-semantics.md §1): a policy is public unless every Allow
 * statement grants only to fixed principals or is limited by a condition key holding fixed values.
 *
 * Decisions on points the AWS docs leave open (each one is reported as a caveat when it decides a verdict):
 * - Condition KEY names are case-insensitive ([COND]); OPERATOR names are case-sensitive: IAM rejects
 *   `stringEquals` with "MalformedPolicyDocument: Invalid Condition type". An operator we do not recognise exactly
 *   is never counted as limiting (fail safe: public) and is reported.
 * - Any `*` or `?` in a value counts as a wildcard whatever the operator (ArnEquals matches wildcards just like
 *   ArnLike; Security Hub S3.2 "doesn't evaluate policy conditions that use wildcard characters").
 * - `aws:userid` "AROAID:*" (one role, any session) is fixed ([open] §1.4); aws:PrincipalAccount, aws:PrincipalArn
 *   (account part fixed), aws:PrincipalOrgPaths (org id fixed) and the KMS key-id key limit ([open]); the other [open]
 *   keys (aws:SourceVpcArn, aws:VpceOrgID, ...) do not.
 * - aws:SourceIp: public when the per-CIDR rule OR the address-count rule says so; a disagreement is a caveat.
 * - NotPrincipal with Allow is public even with a limiting condition (§1.2 as written); that case is a caveat.
 * - A statement without Principal grants nothing in a bucket policy; an Effect other than Allow/Deny is evaluated as
 *   Allow; a statement with neither Action nor NotAction is assumed to grant every access type.
 */

import type { AccessType, BucketPolicy, PolicyStatement } from '../model/types';
import { analyseSourceIp, type IpFamily } from './cidr';
import { accessMaskOfActions, sharedAccessTypesOfMask } from './s3-actions';

// ---------------------------------------------------------------------------------------------------------------
// Principals

export type PrincipalKind =
  /** `"*"` or `{"AWS":"*"}`: anonymous, anyone. */
  | 'anyone'
  /** A bare 12-digit account id. */
  | 'account'
  /** An IAM/STS ARN in a named account: root, user, role, assumed-role, federated-user. */
  | 'iamPrincipal'
  | 'service'
  | 'canonicalUser'
  | 'cloudFrontOai'
  /** Web identity providers anyone can sign in to (graph.facebook.com, accounts.google.com, ...). */
  | 'publicIdp'
  /** A SAML or OIDC provider ARN owned by one account. */
  | 'accountIdp'
  /** IAM unique id (AIDA..., AROA...): what IAM shows after the named principal was deleted. */
  | 'uniqueId'
  /** A principal value with a wildcard that is not plain `*`: IAM does not allow it; treated as public. */
  | 'wildcard'
  | 'unrecognised';

export interface ParsedPrincipal {
  readonly kind: PrincipalKind;
  /** The principal element key: `AWS`, `Service`, `Federated`, `CanonicalUser` (or what the policy says). */
  readonly type: string;
  readonly value: string;
  /** The 12-digit account the principal belongs to, when its form names one. */
  readonly account?: string;
  /** True when S3 counts it as a fixed (trusted, non-public) principal. */
  readonly fixed: boolean;
  /** `*`, `AWS 111122223333`, `Federated graph.facebook.com`, `Service cloudtrail.amazonaws.com`. */
  readonly label: string;
}

/** `^\d{12}$`, without a regex: every principal of every statement is tested. */
function isAccountId(value: string): boolean {
  return value.length === 12 && digitsAt(value, 0, 12);
}

function digitsAt(value: string, from: number, count: number): boolean {
  if (value.length < from + count) return false;
  for (let index = from; index < from + count; index++) {
    const code = value.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * The account of an IAM/STS principal ARN, as `/^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):./` would capture it; written
 * out by hand because it runs for every role and user principal (most principals in real policies).
 */
function iamPrincipalAccount(value: string): string | undefined {
  if (!value.startsWith('arn:aws')) return undefined;
  let at = 7;
  for (let code = value.charCodeAt(at); (code >= 97 && code <= 122) || code === 45; code = value.charCodeAt(at)) at++;
  if (value.charCodeAt(at) !== 58) return undefined; // :
  if (!value.startsWith('iam::', at + 1) && !value.startsWith('sts::', at + 1)) return undefined;
  const accountAt = at + 6;
  if (!digitsAt(value, accountAt, 12) || value.charCodeAt(accountAt + 12) !== 58) return undefined;
  // `.`: at least one more character that is not a line terminator.
  const next = value.charCodeAt(accountAt + 13);
  if (Number.isNaN(next) || next === 10 || next === 13 || next === 0x2028 || next === 0x2029) return undefined;
  return value.slice(accountAt, accountAt + 12);
}
const CLOUDFRONT_OAI_ARN = /^arn:aws[a-z-]*:iam::cloudfront:user\/CloudFront Origin Access Identity ./;
const ACCOUNT_IDP_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(?:saml-provider|oidc-provider)\/./;
const IAM_UNIQUE_ID = /^A[A-Z0-9]{15,127}$/;

function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

function principal(
  kind: PrincipalKind,
  type: string,
  value: string,
  fixed: boolean,
  account?: string,
): ParsedPrincipal {
  return { kind, type, value, fixed, label: kind === 'anyone' ? '*' : `${type} ${value}`, account };
}

function classifyPrincipal(type: string, value: string): ParsedPrincipal {
  switch (type) {
    case 'AWS': {
      if (value === '*') return principal('anyone', type, value, false);
      if (isAccountId(value)) return principal('account', type, value, true, value);
      const arnAccount = iamPrincipalAccount(value);
      if (arnAccount !== undefined) {
        return hasWildcard(value)
          ? principal('wildcard', type, value, false, arnAccount)
          : principal('iamPrincipal', type, value, true, arnAccount);
      }
      if (CLOUDFRONT_OAI_ARN.test(value)) return principal('cloudFrontOai', type, value, true);
      if (hasWildcard(value)) return principal('wildcard', type, value, false);
      if (IAM_UNIQUE_ID.test(value)) return principal('uniqueId', type, value, true);
      return principal('unrecognised', type, value, true);
    }
    case 'Service':
      return hasWildcard(value) ? principal('wildcard', type, value, false) : principal('service', type, value, true);
    case 'CanonicalUser':
      return hasWildcard(value)
        ? principal('wildcard', type, value, false)
        : principal('canonicalUser', type, value, true);
    case 'Federated': {
      const idp = ACCOUNT_IDP_ARN.exec(value);
      if (idp && !hasWildcard(value)) return principal('accountIdp', type, value, true, idp[1]);
      return principal('publicIdp', type, value, false);
    }
    default:
      return principal('unrecognised', type, value, false);
  }
}

const ANYONE: ParsedPrincipal = Object.freeze(principal('anyone', 'AWS', '*', false));

/**
 * Every principal a Principal/NotPrincipal element names, classified. `"*"` is one `anyone` entry; an absent or
 * empty element gives an empty list; a shape IAM would reject gives one non-fixed `unrecognised` entry (fail safe).
 */
export function parsePrincipals(element: unknown): ParsedPrincipal[] {
  if (element === undefined || element === null) return [];
  if (element === '*') return [ANYONE];
  if (typeof element !== 'object' || Array.isArray(element)) {
    return [principal('unrecognised', typeof element, String(element), false)];
  }
  const parsed: ParsedPrincipal[] = [];
  const record = element as Record<string, unknown>;
  for (const type of Object.keys(record)) {
    const raw = record[type];
    if (!Array.isArray(raw)) {
      parsed.push(parsePrincipalValue(type, raw));
      continue;
    }
    // for...of, not an index loop: a hole in a sparse list is read as undefined, as before.
    for (const value of raw) parsed.push(parsePrincipalValue(type, value));
  }
  return parsed;
}

function parsePrincipalValue(type: string, value: unknown): ParsedPrincipal {
  if (typeof value === 'string') return classifyPrincipal(type, value.trim());
  return principal('unrecognised', type, JSON.stringify(value) ?? String(value), false);
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions

/** IAM base operators. Names are matched exactly (IAM rejects other spellings). */
const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const;
export type BaseOperator = (typeof BASE_OPERATORS)[number];

/** Operators that hold only when the key matches one of the listed values. */
const RESTRICTING_STRING_OPERATORS: ReadonlySet<BaseOperator> = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
]);
const NEGATED_OPERATORS: ReadonlySet<BaseOperator> = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
  'NotIpAddress',
]);

export type SetQualifier = '' | 'ForAnyValue' | 'ForAllValues';

interface OperatorInfo {
  readonly base: BaseOperator;
  readonly qualifier: SetQualifier;
  readonly ifExists: boolean;
}

const OPERATORS: ReadonlyMap<string, OperatorInfo> = (() => {
  const table = new Map<string, OperatorInfo>();
  for (const base of BASE_OPERATORS) {
    for (const qualifier of ['', 'ForAnyValue', 'ForAllValues'] as const) {
      const prefix = qualifier === '' ? '' : `${qualifier}:`;
      table.set(`${prefix}${base}`, { base, qualifier, ifExists: false });
      if (base !== 'Null') table.set(`${prefix}${base}IfExists`, { base, qualifier, ifExists: true });
    }
  }
  return table;
})();

export interface ConditionEntry {
  /** The operator as written, e.g. `ForAnyValue:StringEquals`. */
  readonly operator: string;
  /** Undefined when the operator is not a recognised IAM operator. */
  readonly base?: BaseOperator;
  readonly qualifier: SetQualifier;
  readonly ifExists: boolean;
  /** The key as written, and lower-cased for lookups (key names are case-insensitive). */
  readonly key: string;
  readonly keyLower: string;
  /** Values as strings (IAM also accepts numbers and booleans). */
  readonly values: readonly string[];
}

/**
 * `key.toLowerCase()`, remembered: condition keys are the same few dozen names in every policy, and a lower-cased
 * copy is a new string that must be hashed again for every lookup.
 */
const LOWER_CASE = new Map<string, string>();
const LOWER_CASE_LIMIT = 1024;

function lowerCase(key: string): string {
  let lower = LOWER_CASE.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (LOWER_CASE.size >= LOWER_CASE_LIMIT) LOWER_CASE.clear();
    LOWER_CASE.set(key, lower);
  }
  return lower;
}

/** Flattens a Condition element into one entry per operator and key; tolerates any malformed shape. */
export function conditionEntries(condition: unknown): ConditionEntry[] {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return [];
  const entries: ConditionEntry[] = [];
  const operators = condition as Record<string, unknown>;
  for (const operator of Object.keys(operators)) {
    const block = operators[operator];
    if (block === null || typeof block !== 'object' || Array.isArray(block)) continue;
    const info = OPERATORS.get(operator);
    const keys = block as Record<string, unknown>;
    for (const key of Object.keys(keys)) {
      const raw = keys[key];
      let values: readonly string[];
      if (typeof raw === 'string') {
        values = [raw];
      } else if (Array.isArray(raw) && raw.every(isString)) {
        values = raw; // already what the copy below would make (statements are readonly once normalised)
      } else {
        const copy: string[] = [];
        if (Array.isArray(raw)) {
          for (const value of raw) pushConditionValue(copy, value);
        } else {
          pushConditionValue(copy, raw);
        }
        values = copy;
      }
      entries.push({
        operator,
        base: info?.base,
        qualifier: info?.qualifier ?? '',
        ifExists: info?.ifExists ?? false,
        key,
        keyLower: lowerCase(key),
        values,
      });
    }
  }
  return entries;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** IAM accepts strings, numbers and booleans as condition values; anything else is ignored. */
function pushConditionValue(values: string[], value: unknown): void {
  if (typeof value === 'string') values.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') values.push(String(value));
}

/**
 * True when the entry can only hold for requests whose key equals one of the listed values: a recognised positive
 * operator (String/Arn Equals/Like, IpAddress), optionally ForAnyValue:, never ...IfExists or ForAllValues:.
 */
export function requiresListedValue(entry: ConditionEntry): boolean {
  if (!entry.base || entry.ifExists || entry.qualifier === 'ForAllValues' || entry.values.length === 0) return false;
  return RESTRICTING_STRING_OPERATORS.has(entry.base) || entry.base === 'IpAddress';
}

type KeyStatus = 'doc' | 'open-limiting' | 'open-not-limiting';
type FixedForm = 'plain' | 'userid' | 'accessPointArn' | 'principalArn' | 'orgPaths' | 'sourceIp';

interface KeyRule {
  /** Canonical spelling, used in reasons. */
  readonly name: string;
  readonly status: KeyStatus;
  readonly form: FixedForm;
}

const KEY_RULES: ReadonlyMap<string, KeyRule> = new Map(
  (
    [
      ['aws:SourceIp', 'doc', 'sourceIp'],
      ['aws:SourceArn', 'doc', 'plain'],
      ['aws:SourceVpc', 'doc', 'plain'],
      ['aws:SourceVpce', 'doc', 'plain'],
      ['aws:SourceOwner', 'doc', 'plain'],
      ['aws:SourceAccount', 'doc', 'plain'],
      ['aws:PrincipalOrgID', 'doc', 'plain'],
      ['aws:userid', 'doc', 'userid'],
      ['s3:DataAccessPointArn', 'doc', 'accessPointArn'],
      ['s3:DataAccessPointAccount', 'doc', 'plain'],
      ['s3:x-amz-server-side-encryption-aws-kms-key-id', 'open-limiting', 'plain'],
      ['aws:PrincipalAccount', 'open-limiting', 'plain'],
      ['aws:PrincipalArn', 'open-limiting', 'principalArn'],
      ['aws:PrincipalOrgPaths', 'open-limiting', 'orgPaths'],
      ['aws:PrincipalServiceName', 'open-not-limiting', 'plain'],
      ['aws:PrincipalServiceNamesList', 'open-not-limiting', 'plain'],
      ['aws:PrincipalIsAWSService', 'open-not-limiting', 'plain'],
      ['aws:SourceVpcArn', 'open-not-limiting', 'plain'],
      ['aws:VpceAccount', 'open-not-limiting', 'plain'],
      ['aws:VpceOrgID', 'open-not-limiting', 'plain'],
      ['aws:VpceOrgPaths', 'open-not-limiting', 'plain'],
      ['aws:SourceOrgID', 'open-not-limiting', 'plain'],
      ['aws:SourceOrgPaths', 'open-not-limiting', 'plain'],
    ] as const
  ).map(([name, status, form]) => [name.toLowerCase(), { name, status, form }]),
);

/** KEY_RULES by the key as written (names repeat; the key as written is already hashed, its lower-case copy is not). */
const KEY_RULE_AS_WRITTEN = new Map<string, KeyRule | null>();

function keyRule(entry: ConditionEntry): KeyRule | undefined {
  let rule = KEY_RULE_AS_WRITTEN.get(entry.key);
  if (rule === undefined) {
    rule = KEY_RULES.get(entry.keyLower) ?? null;
    if (KEY_RULE_AS_WRITTEN.size >= LOWER_CASE_LIMIT) KEY_RULE_AS_WRITTEN.clear();
    KEY_RULE_AS_WRITTEN.set(entry.key, rule);
  }
  return rule ?? undefined;
}

const USERID_ROLE_SESSIONS = /^[A-Za-z0-9]+:\*$/;
const ACCESS_POINT_ARN_FIXED_ACCOUNT = /^arn:aws[a-z-]*:s3:[^:]*:\d{12}:accesspoint\/./;
const PRINCIPAL_ARN_FIXED_ACCOUNT = /^arn:aws[a-z-]*:(?:iam|sts)::\d{12}:./;
const ORG_PATH_FIXED_ORG = /^o-[a-z0-9]+\//;
const WILDCARD_CHAR = /[*?]/;

/** `undefined` when fixed; otherwise why not. `relaxed` reports that an [open] reading made it fixed. */
function valueNotFixed(form: FixedForm, value: string, relaxed: { used: boolean }): string | undefined {
  if (value.includes('${')) return 'contains a policy variable';
  if (!hasWildcard(value)) return undefined;
  switch (form) {
    case 'userid':
      if (USERID_ROLE_SESSIONS.test(value)) {
        relaxed.used = true;
        return undefined;
      }
      break;
    case 'accessPointArn':
      if (ACCESS_POINT_ARN_FIXED_ACCOUNT.test(value)) return undefined;
      break;
    case 'principalArn':
      if (PRINCIPAL_ARN_FIXED_ACCOUNT.test(value)) return undefined;
      break;
    case 'orgPaths': {
      const star = value.search(WILDCARD_CHAR);
      if (ORG_PATH_FIXED_ORG.test(value.slice(0, star))) return undefined;
      break;
    }
    default:
      break;
  }
  return 'contains a wildcard';
}

const MAX_LISTED_VALUES = 3;

function listValues(values: readonly string[]): string {
  if (values.length <= MAX_LISTED_VALUES) return values.join(', ');
  return `${values.slice(0, MAX_LISTED_VALUES).join(', ')} and ${values.length - MAX_LISTED_VALUES} more`;
}

function formatCount(ipv4: number, ipv6: bigint, values: readonly string[]): string {
  const families = new Set<IpFamily>(values.map((value) => (value.includes(':') ? 6 : 4)));
  const parts: string[] = [];
  if (families.has(4)) parts.push(`${ipv4} non-RFC1918 IPv4 addresses`);
  if (families.has(6)) parts.push(`${ipv6} IPv6 addresses`);
  return parts.join(' and ');
}

type EntryOutcome =
  | { readonly limits: true; readonly detail: string; readonly caveat?: string }
  | { readonly limits: false; readonly why: string; readonly caveat?: string };

function sourceIpOutcome(entry: ConditionEntry, name: string, ref: string): EntryOutcome {
  const ip = analyseSourceIp(entry.values);
  if (ip.invalidValue !== undefined) {
    return { limits: false, why: `${name} value "${ip.invalidValue}" is not an IP address or CIDR` };
  }
  if (ip.perCidrPublic !== ip.unionPublic) {
    // Only a disagreement quotes the address counts.
    const counted = formatCount(ip.nonPrivateIpv4, ip.ipv6, entry.values);
    const caveat =
      `${ref}: for aws:SourceIp the per-CIDR rule says ${ip.perCidrPublic ? 'public' : 'not public'} but the ` +
      `address-count rule says ${ip.unionPublic ? 'public' : 'not public'} (${counted}); treated as public (unverified).`;
    const why = ip.broad ? `${name} ${ip.broad}` : `${name} ranges together cover ${counted} (more than a /8 or /32)`;
    return { limits: false, why, caveat };
  }
  if (ip.perCidrPublic) return { limits: false, why: `${name} ${ip.broad}` };
  return { limits: true, detail: `${name} ${listValues(entry.values)}` };
}

function entryOutcome(entry: ConditionEntry, ref: string): EntryOutcome {
  if (!entry.base) {
    return {
      limits: false,
      why: `operator "${entry.operator}" is not recognised`,
      caveat:
        `${ref}: condition operator "${entry.operator}" is not a recognised IAM operator (operator names are ` +
        'case-sensitive) and was not counted as limiting.',
    };
  }
  const rule = keyRule(entry);
  if (!rule) return { limits: false, why: `${entry.key} does not limit who can call` };
  const name = rule.name;
  if (rule.status === 'open-not-limiting') {
    return {
      limits: false,
      why: `${name} is not a documented limiting key`,
      caveat: `${ref}: ${name} is not in AWS's documented list of limiting keys and was not counted as limiting (unverified).`,
    };
  }
  if (entry.ifExists) return { limits: false, why: `${entry.operator} holds when ${name} is absent` };
  if (entry.qualifier === 'ForAllValues')
    return { limits: false, why: `${entry.operator} holds when ${name} is absent` };
  if (entry.base === 'Null') return { limits: false, why: `Null only tests whether ${name} is present` };
  if (NEGATED_OPERATORS.has(entry.base))
    return { limits: false, why: `${entry.base} on ${name} is a negated operator` };
  if (entry.values.length === 0) return { limits: false, why: `${name} has no values` };
  if (rule.form === 'sourceIp') {
    if (entry.base !== 'IpAddress') return { limits: false, why: `${name} limits only with IpAddress` };
    return sourceIpOutcome(entry, name, ref);
  }
  if (!RESTRICTING_STRING_OPERATORS.has(entry.base)) {
    return { limits: false, why: `${entry.base} cannot pin ${name} to fixed values` };
  }
  const relaxed = { used: false };
  for (const value of entry.values) {
    const notFixed = valueNotFixed(rule.form, value, relaxed);
    if (notFixed) return { limits: false, why: `${name} value "${value}" ${notFixed}` };
  }
  const detail = `${name} ${listValues(entry.values)}`;
  if (relaxed.used) {
    return {
      limits: true,
      detail,
      caveat:
        `${ref} is non-public only because aws:userid ${listValues(entry.values)} is read as one role (any session); AWS's ` +
        '"AROLEID:*" wording is ambiguous (unverified).',
    };
  }
  if (rule.status === 'open-limiting') {
    return {
      limits: true,
      detail,
      caveat: `${ref} is non-public only because of ${name}, which AWS does not document as limiting (unverified).`,
    };
  }
  return { limits: true, detail };
}

interface ConditionVerdict {
  readonly limited: boolean;
  /** `limited by aws:SourceVpce vpce-1a2b3c4d` or why nothing limits. */
  readonly detail: string;
  readonly caveats: readonly string[];
}

const MAX_REASONS = 3;

/** §1.4/§1.5: does any condition entry restrict the statement to fixed values? One is enough (blocks are ANDed). */
function limitingConditions(entries: readonly ConditionEntry[], ref: string): ConditionVerdict {
  if (entries.length === 0) return { limited: false, detail: 'no Condition', caveats: [] };
  let limitedWithCaveat: { detail: string; caveat?: string } | undefined;
  const whys: string[] = [];
  const caveats: string[] = [];
  for (const entry of entries) {
    const outcome = entryOutcome(entry, ref);
    if (outcome.limits) {
      if (!outcome.caveat) return { limited: true, detail: `limited by ${outcome.detail}`, caveats: [] };
      limitedWithCaveat ??= outcome;
    } else {
      whys.push(outcome.why);
      if (outcome.caveat) caveats.push(outcome.caveat);
    }
  }
  if (limitedWithCaveat) {
    return {
      limited: true,
      detail: `limited by ${limitedWithCaveat.detail}`,
      caveats: limitedWithCaveat.caveat ? [limitedWithCaveat.caveat] : [],
    };
  }
  const shown = whys.slice(0, MAX_REASONS).join('; ');
  const more = whys.length > MAX_REASONS ? ` (and ${whys.length - MAX_REASONS} more)` : '';
  return { limited: false, detail: `no limiting condition: ${shown}${more}`, caveats };
}

// ---------------------------------------------------------------------------------------------------------------
// Statements

export interface StatementVerdict {
  readonly index: number;
  readonly sid?: string;
  /** `statement "Sid"` or `statement #N` (1-based) */
  readonly ref: string;
  readonly public: boolean;
  /** who it opens to: '*', 'NotPrincipal', 'Federated graph.facebook.com', ... */
  readonly principal: string;
  /** one short sentence: why public / why not, e.g. 'limited by aws:SourceIp 203.0.113.0/24' */
  readonly reason: string;
  readonly accessTypes: readonly AccessType[];
  readonly caveats: readonly string[];
}

export interface PolicyAnalysis {
  readonly public: boolean;
  readonly statements: readonly StatementVerdict[];
  readonly caveats: readonly string[];
}

/** `statement "Sid"` when the statement has a non-empty Sid, else `statement #N` (1-based). */
export function statementRef(statement: PolicyStatement, index: number): string {
  return refOf(trimmedSid(statement), index);
}

function trimmedSid(statement: PolicyStatement): string {
  return typeof statement.Sid === 'string' ? statement.Sid.trim() : '';
}

function refOf(trimmedSid: string, index: number): string {
  return trimmedSid === '' ? `statement #${index + 1}` : `statement "${trimmedSid}"`;
}

const ALL_ACCESS_MASK = 31;

function describeFixed(principals: readonly ParsedPrincipal[]): string {
  let text = principals[0]?.label ?? '';
  const shown = Math.min(principals.length, MAX_LISTED_VALUES);
  for (let index = 1; index < shown; index++) text = `${text}, ${principals[index].label}`;
  return principals.length <= MAX_LISTED_VALUES ? text : `${text} and ${principals.length - MAX_LISTED_VALUES} more`;
}

/** Why a principal's classification rests on an assumption, if it does. */
function principalCaveat(p: ParsedPrincipal, ref: string): string | undefined {
  switch (p.kind) {
    case 'accountIdp':
      return `${ref}: federated principal ${p.value} belongs to one account and was treated as fixed (unverified).`;
    case 'wildcard':
      return `${ref}: principal ${p.label} contains a wildcard, which IAM does not allow; treated as public.`;
    case 'unrecognised':
      return p.fixed
        ? `${ref}: principal ${p.label} is not a recognised form; treated as a fixed principal.`
        : `${ref}: principal ${p.label} is not a recognised principal type; treated as public.`;
    default:
      return undefined;
  }
}

function verdict(
  index: number,
  sid: string | undefined,
  ref: string,
  isPublic: boolean,
  principal: string,
  reason: string,
  accessTypes: readonly AccessType[],
  caveats: readonly string[],
): StatementVerdict {
  return { index, sid, ref, public: isPublic, principal, reason, accessTypes, caveats };
}

const NO_ACCESS: readonly AccessType[] = [];

/** The verdict for one statement; `index` is 0-based. */
export function analyseStatement(statement: PolicyStatement, index: number): StatementVerdict {
  return analyseStatementInDetail(statement, index).verdict;
}

/** A statement's verdict with what analysing it parsed, for callers that look at the statement again. */
export interface AnalysedStatement {
  readonly statement: PolicyStatement;
  readonly verdict: StatementVerdict;
  /** parsePrincipals(statement.Principal); empty when the statement has a NotPrincipal. */
  readonly principals: readonly ParsedPrincipal[];
  /** conditionEntries(statement.Condition); left empty for a Deny statement (nothing reads it). */
  readonly conditions: readonly ConditionEntry[];
}

const NO_CONDITIONS: readonly ConditionEntry[] = [];
const NO_CAVEATS: readonly string[] = [];

/** `list` with `caveat` added; the list is created by the first caveat (most statements have none). */
function withCaveat(list: string[] | undefined, caveat: string): string[] {
  if (list === undefined) return [caveat];
  list.push(caveat);
  return list;
}

function analyseStatementInDetail(statement: PolicyStatement, index: number): AnalysedStatement {
  const trimmed = trimmedSid(statement);
  const ref = refOf(trimmed, index);
  const sid = trimmed !== '' ? statement.Sid : undefined;
  // Allocated on the first caveat: most statements have none, and they share NO_CAVEATS.
  let caveats: string[] | undefined;
  const hasNotPrincipal = statement.NotPrincipal !== undefined && statement.NotPrincipal !== null;
  const principals = hasNotPrincipal ? [] : parsePrincipals(statement.Principal);

  const effect: unknown = statement.Effect;
  if (effect === 'Deny') {
    const who = hasNotPrincipal ? 'NotPrincipal' : principals.length === 0 ? '(none)' : describeFixed(principals);
    const denied = verdict(index, sid, ref, false, who, 'Deny grants no access', NO_ACCESS, caveats ?? NO_CAVEATS);
    return { statement, verdict: denied, principals, conditions: NO_CONDITIONS };
  }
  if (effect !== 'Allow')
    caveats = withCaveat(caveats, `${ref}: Effect ${JSON.stringify(effect)} is not Allow or Deny; evaluated as Allow.`);

  let mask: number;
  if (statement.Action === undefined && statement.NotAction === undefined) {
    mask = ALL_ACCESS_MASK;
    caveats = withCaveat(caveats, `${ref} has neither Action nor NotAction; every access type assumed.`);
  } else {
    mask = accessMaskOfActions(statement.Action, statement.NotAction);
  }
  // One shared frozen list per mask: verdicts are readonly, and there is one per statement of every policy.
  const accessTypes = sharedAccessTypesOfMask(mask);
  const conditions = conditionEntries(statement.Condition);

  if (hasNotPrincipal) {
    const limit = limitingConditions(conditions, ref);
    if (limit.limited) {
      caveats = withCaveat(
        caveats,
        `${ref}: NotPrincipal with Allow is treated as public although it is ${limit.detail}, which may make it ` +
          'non-public (unverified).',
      );
    }
    const reason = 'NotPrincipal with Allow grants everyone not listed';
    return {
      statement,
      verdict: verdict(index, sid, ref, true, 'NotPrincipal', reason, accessTypes, caveats ?? NO_CAVEATS),
      principals,
      conditions,
    };
  }
  if (principals.length === 0) {
    caveats = withCaveat(
      caveats,
      `${ref} has no Principal; a bucket policy statement needs one, so it was treated as granting nothing.`,
    );
    const reason = 'no Principal: grants nothing in a bucket policy';
    return {
      statement,
      verdict: verdict(index, sid, ref, false, '(none)', reason, accessTypes, caveats ?? NO_CAVEATS),
      principals,
      conditions,
    };
  }
  let open: ParsedPrincipal | undefined;
  for (const p of principals) {
    const caveat = principalCaveat(p, ref);
    if (caveat) caveats = withCaveat(caveats, caveat);
    if (!p.fixed && !open) open = p;
  }
  if (!open) {
    const fixedOnly = verdict(
      index,
      sid,
      ref,
      false,
      describeFixed(principals),
      'fixed principals only',
      accessTypes,
      caveats ?? NO_CAVEATS,
    );
    return { statement, verdict: fixedOnly, principals, conditions };
  }
  const limit = limitingConditions(conditions, ref);
  for (const caveat of limit.caveats) caveats = withCaveat(caveats, caveat);
  const limited = verdict(
    index,
    sid,
    ref,
    !limit.limited,
    open.label,
    limit.detail,
    accessTypes,
    caveats ?? NO_CAVEATS,
  );
  return { statement, verdict: limited, principals, conditions };
}

/** §1.2: a policy is public when any statement is. Caveats of all statements are collected in order. */
export function analysePolicy(policy: BucketPolicy): PolicyAnalysis {
  return analysePolicyInDetail(policy).analysis;
}

export interface PolicyAnalysisInDetail {
  readonly analysis: PolicyAnalysis;
  /** One per analysis.statements entry, in the same order. */
  readonly statements: readonly AnalysedStatement[];
}

/**
 * Several rules (public access, then cross-account) analyse the same normalised policy object when the CLI or the
 * bench runs every rule on one item, so the last analysis is kept. One entry, held strongly, rather than a WeakMap:
 * a weak table with young keys costs the garbage collector more than the analysis it saves. Policies are readonly
 * after normalisation, so a kept analysis cannot go stale.
 */
let lastAnalysed: { readonly policy: object; readonly result: PolicyAnalysisInDetail } | undefined;

/** analysePolicy with the parsed principals and conditions of each analysed statement (see AnalysedStatement). */
export function analysePolicyInDetail(policy: BucketPolicy): PolicyAnalysisInDetail {
  if (lastAnalysed !== undefined && lastAnalysed.policy === policy) return lastAnalysed.result;
  const result = analyseUncached(policy);
  if (typeof policy === 'object' && policy !== null) lastAnalysed = { policy, result };
  return result;
}

function analyseUncached(policy: BucketPolicy): PolicyAnalysisInDetail {
  const list: unknown = policy?.Statement;
  if (!Array.isArray(list)) {
    const analysis: PolicyAnalysis = {
      public: false,
      statements: [],
      caveats: ['The bucket policy has no Statement list; treated as granting nothing.'],
    };
    return { analysis, statements: [] };
  }
  const statements: StatementVerdict[] = [];
  const analysed: AnalysedStatement[] = [];
  const caveats: string[] = [];
  let isPublic = false;
  for (let index = 0; index < list.length; index++) {
    const raw: unknown = list[index];
    if (raw === null || typeof raw !== 'object') {
      caveats.push(`statement #${index + 1} is not an object; ignored.`);
      continue;
    }
    const detail = analyseStatementInDetail(raw as PolicyStatement, index);
    const verdict = detail.verdict;
    analysed.push(detail);
    statements.push(verdict);
    if (verdict.public) isPublic = true;
    for (const caveat of verdict.caveats) caveats.push(caveat);
  }
  return { analysis: { public: isPublic, statements, caveats }, statements: analysed };
}
