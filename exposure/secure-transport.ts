/**
 * Does a bucket policy refuse requests that do not use TLS? The statement AWS documents for the managed rule
 * s3-bucket-ssl-requests-only (and Security Hub S3.5): Deny, Principal "*", Action "s3:*", Resource the bucket and
 * its objects, Condition {"Bool": {"aws:SecureTransport": "false"}}. Also used, with another condition, for a minimum
 * TLS version (NumericLessThan s3:TlsVersion).
 *
 * Decisions where the AWS docs leave room (each is stated in the annotation that depends on it):
 * - Only Deny statements count. An Allow limited to aws:SecureTransport "true" refuses nothing: another grant (an IAM
 *   policy of the owner account, an ACL) still works over HTTP. AWS's knowledge-center page calls that policy
 *   non-compliant.
 * - The statement must apply to every principal: Principal "*" or {"AWS": "*"}. NotPrincipal exempts the listed
 *   principals, so it does not count.
 * - Its condition must hold for every plain-HTTP request: the TLS entry (Bool or BoolIfExists on
 *   aws:SecureTransport with "false" among its values, key name case-insensitive) and nothing else; any other
 *   condition entry narrows the Deny and the statement does not count.
 * - Actions: "*" or "s3:*" (any pattern that matches every "s3:..." name); NotAction counts when none of its
 *   patterns can match an S3 action. Resources: per target (the bucket ARN, every object ARN "bucket/*");
 *   NotResource counts for a target none of its patterns can match.
 * - A target is covered when ONE statement covers it for every principal and action (two statements each denying
 *   some actions are not added up: the policy is reported with what each leaves open).
 */

import type { BucketPolicy, PolicyStatement } from '../model/types';
import { type ConditionEntry, conditionEntries } from './conditions';
import { statementRef } from './policy';
import { parsePrincipals } from './principals';
import { matchesIamWildcard } from './s3-actions';

/** Which condition entry makes a Deny statement the one looked for. */
export interface DenyCondition {
  /** `aws:SecureTransport false` */
  readonly describe: string;
  readonly matches: (entry: ConditionEntry) => boolean;
}

export type TransportTarget = 'bucket' | 'objects';
export const TRANSPORT_TARGETS: readonly TransportTarget[] = ['bucket', 'objects'];

/** One Deny statement carrying the condition, and how far it reaches. */
export interface DenyStatementReach {
  readonly ref: string;
  /** The targets it names (by Resource / NotResource). */
  readonly targets: readonly TransportTarget[];
  /** Why it does not count at all, or what it leaves open; empty when it covers its targets fully. */
  readonly gaps: readonly string[];
  /** True when it covers its targets for every principal and every S3 action, with no other condition. */
  readonly full: boolean;
}

export interface DenyAnalysis {
  /** Targets some full statement covers, and by which statement refs. */
  readonly coveredBy: Readonly<Record<TransportTarget, readonly string[]>>;
  readonly open: readonly TransportTarget[];
  /** Every Deny statement that carries the condition. */
  readonly statements: readonly DenyStatementReach[];
  /** Refs of Allow statements that carry the condition's opposite (e.g. aws:SecureTransport "true"). */
  readonly allowsInstead: readonly string[];
}

const SECURE_TRANSPORT = 'aws:securetransport';

/** Bool / BoolIfExists, no set qualifier, aws:SecureTransport, "false" among the values. */
export const INSECURE_TRANSPORT: DenyCondition = {
  describe: 'aws:SecureTransport false',
  matches: (entry) =>
    entry.base === 'Bool' &&
    entry.qualifier === '' &&
    entry.keyLower === SECURE_TRANSPORT &&
    entry.values.some((value) => value.trim().toLowerCase() === 'false'),
};

/** The Allow-side opposite: Bool aws:SecureTransport "true" (grants only over TLS, refuses nothing). */
function allowsOnlySecure(entry: ConditionEntry): boolean {
  return (
    entry.base === 'Bool' &&
    entry.keyLower === SECURE_TRANSPORT &&
    entry.values.some((value) => value.trim().toLowerCase() === 'true')
  );
}

/** `["a"]` for a single pattern, the list as it is, or nothing. */
function patterns(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The characters before the first wildcard: every string the pattern matches starts with them. */
function literalPrefix(pattern: string): string {
  const star = pattern.indexOf('*');
  const question = pattern.indexOf('?');
  const cut = Math.min(star === -1 ? pattern.length : star, question === -1 ? pattern.length : question);
  return pattern.slice(0, cut);
}

/** True when the pattern matches every string starting with `prefix` (it matches the prefix and ends with `*`). */
function matchesEveryExtension(pattern: string, prefix: string): boolean {
  return pattern.endsWith('*') && matchesIamWildcard(pattern, prefix);
}

/** True when the pattern may match some string starting with `prefix`. */
function mayMatchSomeExtension(pattern: string, prefix: string): boolean {
  const literal = literalPrefix(pattern);
  return literal.startsWith(prefix) || prefix.startsWith(literal);
}

/** Which targets a statement's Resource / NotResource reaches. ARNs are compared as written (case-sensitive). */
function targetsOf(statement: PolicyStatement, bucketArn: string): TransportTarget[] {
  const objectPrefix = `${bucketArn}/`;
  const reached: TransportTarget[] = [];
  if (statement.NotResource !== undefined) {
    const excluded = patterns(statement.NotResource).map((pattern) => pattern.trim());
    const bucketExcluded = excluded.some((pattern) => matchesIamWildcard(pattern, bucketArn));
    const objectsExcluded = excluded.some((pattern) => mayMatchSomeExtension(pattern, objectPrefix));
    if (!bucketExcluded) reached.push('bucket');
    if (!objectsExcluded) reached.push('objects');
    return reached;
  }
  const named = patterns(statement.Resource).map((pattern) => pattern.trim());
  if (named.some((pattern) => matchesIamWildcard(pattern, bucketArn))) reached.push('bucket');
  if (named.some((pattern) => matchesEveryExtension(pattern, objectPrefix))) reached.push('objects');
  return reached;
}

/** What the statement's Action / NotAction leaves open, or undefined when it denies every S3 action. */
function actionsLeftOpen(statement: PolicyStatement): string | undefined {
  if (statement.NotAction !== undefined) {
    const excepted = patterns(statement.NotAction).map((pattern) => pattern.trim());
    const open = excepted.filter((pattern) => mayMatchSomeExtension(pattern.toLowerCase(), 's3:'));
    return open.length === 0 ? undefined : `leaves ${open.join(', ')} open (NotAction)`;
  }
  const denied = patterns(statement.Action).map((pattern) => pattern.trim());
  if (denied.some((pattern) => matchesEveryExtension(pattern.toLowerCase(), 's3:'))) return undefined;
  if (denied.length === 0) return 'names no action';
  return `denies only ${denied.join(', ')}, leaving the other S3 actions open`;
}

/** Why the statement does not reach every principal, or undefined when it does. */
function principalGap(statement: PolicyStatement): string | undefined {
  if (statement.NotPrincipal !== undefined) return 'uses NotPrincipal, so the principals it lists are not denied';
  const principals = parsePrincipals(statement.Principal);
  if (principals.some((principal) => principal.kind === 'anyone' && principal.type !== 'NotPrincipal'))
    return undefined;
  if (principals.length === 0) return 'names no principal';
  return `applies only to ${principals.map((principal) => principal.label).join(', ')}, not to every principal`;
}

/** Analyses `policy` (null = none) for Deny statements carrying `condition`, for the bucket `bucketArn`. */
export function analyseDeny(policy: BucketPolicy | null, bucketArn: string, condition: DenyCondition): DenyAnalysis {
  const statements: DenyStatementReach[] = [];
  const allowsInstead: string[] = [];
  const coveredBy: Record<TransportTarget, string[]> = { bucket: [], objects: [] };
  const list = policy?.Statement ?? [];
  for (let index = 0; index < list.length; index++) {
    const statement = list[index];
    const entries = conditionEntries(statement.Condition);
    const ref = statementRef(statement, index);
    if (statement.Effect !== 'Deny') {
      if (condition === INSECURE_TRANSPORT && entries.some(allowsOnlySecure)) allowsInstead.push(ref);
      continue;
    }
    if (!entries.some(condition.matches)) continue;
    const gaps: string[] = [];
    const principal = principalGap(statement);
    if (principal !== undefined) gaps.push(principal);
    const others = entries.filter((entry) => !condition.matches(entry));
    if (others.length > 0) {
      gaps.push(`also requires ${others.map((entry) => `${entry.operator} ${entry.key}`).join(', ')}`);
    }
    const actions = actionsLeftOpen(statement);
    if (actions !== undefined) gaps.push(actions);
    const targets = targetsOf(statement, bucketArn);
    const full = gaps.length === 0;
    if (full) for (const target of targets) coveredBy[target].push(ref);
    statements.push({ ref, targets, gaps, full });
  }
  const open = TRANSPORT_TARGETS.filter((target) => coveredBy[target].length === 0);
  return { coveredBy, open, statements, allowsInstead };
}
