/**
 * Policy conditions by S3's definition of public (public-semantics.md §1.4-1.5): which condition keys, with which
 * operators and values, limit a statement to fixed values. Key names are case-insensitive, operator names are not.
 */
import { analyseSourceIp, type IpFamily } from './cidr';
import { hasWildcard } from './principals';

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
        keyLower: key.toLowerCase(),
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

function keyRule(entry: ConditionEntry): KeyRule | undefined {
  return KEY_RULES.get(entry.keyLower);
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

export const MAX_LISTED_VALUES = 3;

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
export function limitingConditions(entries: readonly ConditionEntry[], ref: string): ConditionVerdict {
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
