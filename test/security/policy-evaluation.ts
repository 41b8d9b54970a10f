/**
 * Just enough of IAM's resource-policy evaluation to run an attack against a synthesized policy, as written
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * an explicit Deny wins, then an Allow, else the request is implicitly denied. Principals: `*`, `{AWS: ...}` (ARNs or
 * `*`), `{Service: ...}`. Actions and resources: exact or `*` / `?` wildcards. Conditions: every operator of a
 * statement must hold (AND), any value of a key may match (OR); String(Not)Equals, String(Not)Like, Arn(Not)Equals,
 * Arn(Not)Like, Bool. A key absent from the request makes a positive operator false and a negated one true ("...if the
 * key is not present, the condition is true" for the Not operators, IAM condition operators reference). Anything else
 * throws, so no test passes by accident.
 *
 * Template values are resolved first with documentation values (`resolveTemplate`).
 */

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

type Json = unknown;

/** Ref / Fn::GetAtt / Fn::Join with documentation values: a role's Arn is `arn:aws:iam::<account>:role/<logical id>`. */
export function resolveTemplate(
  value: Json,
  resources: Record<string, { Type: string }>,
  refs: Record<string, string> = {},
): Json {
  if (Array.isArray(value)) return value.map((v) => resolveTemplate(v, resources, refs));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, Json>;
  if ('Ref' in object) {
    const name = String(object.Ref);
    const pseudo: Record<string, string> = {
      'AWS::AccountId': ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    if (name in pseudo) return pseudo[name];
    if (name in refs) return refs[name];
    throw new Error(`resolveTemplate: no value for Ref ${name}`);
  }
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    const type = resources[id]?.Type;
    if (type === 'AWS::IAM::Role' && attribute === 'Arn') return `arn:aws:iam::${ACCOUNT}:role/${id}`;
    const key = `${id}.${attribute}`;
    if (key in refs) return refs[key];
    throw new Error(`resolveTemplate: no value for Fn::GetAtt ${key} (${type})`);
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, Json[]];
    return parts.map((p) => String(resolveTemplate(p, resources, refs))).join(separator);
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolveTemplate(v, resources, refs)]));
}

export type Principal =
  | { readonly kind: 'aws'; readonly arn: string }
  | { readonly kind: 'service'; readonly service: string };

export interface Request {
  readonly principal: Principal;
  readonly action: string;
  readonly resource: string;
  /** Condition keys present in the request (aws:PrincipalArn is added for AWS principals). */
  readonly context: Readonly<Record<string, string>>;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: unknown;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export type Decision =
  | { readonly decision: 'explicit-deny'; readonly by: string }
  | { readonly decision: 'allow'; readonly by: string }
  | { readonly decision: 'implicit-deny' };

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function wildcard(pattern: string, value: string, caseInsensitive = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'i' : '').test(value);
}

function principalMatches(principal: unknown, who: Principal): boolean {
  if (principal === '*') return true;
  const p = principal as { AWS?: string | string[]; Service?: string | string[] };
  if (p.AWS !== undefined) {
    if (list(p.AWS).includes('*')) return true;
    if (who.kind === 'aws' && list(p.AWS).includes(who.arn)) return true;
  }
  if (p.Service !== undefined && who.kind === 'service' && list(p.Service).includes(who.service)) return true;
  return false;
}

const OPERATORS: Record<string, { negated: boolean; test: (pattern: string, value: string) => boolean }> = {
  StringEquals: { negated: false, test: (p, v) => p === v },
  StringNotEquals: { negated: true, test: (p, v) => p === v },
  StringLike: { negated: false, test: (p, v) => wildcard(p, v) },
  StringNotLike: { negated: true, test: (p, v) => wildcard(p, v) },
  ArnEquals: { negated: false, test: (p, v) => p === v },
  ArnNotEquals: { negated: true, test: (p, v) => p === v },
  ArnLike: { negated: false, test: (p, v) => wildcard(p, v) },
  ArnNotLike: { negated: true, test: (p, v) => wildcard(p, v) },
  Bool: { negated: false, test: (p, v) => p.toLowerCase() === v.toLowerCase() },
};

function conditionsHold(condition: Statement['Condition'], context: Readonly<Record<string, string>>): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    const op = OPERATORS[operator];
    if (!op) throw new Error(`policy-evaluation: condition operator ${operator} not implemented`);
    for (const [key, patterns] of Object.entries(keys)) {
      const value = context[key];
      if (value === undefined) {
        if (!op.negated) return false;
        continue;
      }
      const anyMatch = list(patterns).some((pattern) => op.test(String(pattern), value));
      if (op.negated ? anyMatch : !anyMatch) return false;
    }
  }
  return true;
}

export function evaluate(statements: readonly Statement[], request: Request): Decision {
  const context = {
    ...(request.principal.kind === 'aws' ? { 'aws:PrincipalArn': principalArnOf(request.principal.arn) } : {}),
    ...(request.principal.kind === 'service' ? { 'aws:PrincipalServiceName': request.principal.service } : {}),
    ...request.context,
  };
  const applies = (s: Statement) =>
    principalMatches(s.Principal, request.principal) &&
    list(s.Action).some((a) => wildcard(a, request.action, true)) &&
    list(s.Resource).some((r) => wildcard(r, request.resource)) &&
    conditionsHold(s.Condition, context);
  const deny = statements.find((s) => s.Effect === 'Deny' && applies(s));
  if (deny) return { decision: 'explicit-deny', by: deny.Sid ?? '(no Sid)' };
  const allow = statements.find((s) => s.Effect === 'Allow' && applies(s));
  if (allow) return { decision: 'allow', by: allow.Sid ?? '(no Sid)' };
  return { decision: 'implicit-deny' };
}

/** aws:PrincipalArn of an assumed-role session is the role's ARN, not the session's. */
export function principalArnOf(arn: string): string {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : arn;
}
