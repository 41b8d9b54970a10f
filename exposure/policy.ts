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
 * - An Allow with NotPrincipal grants "all principals except" the named ones ([NOTP]), so it is read as `*`: the same
 *   fixed-value conditions limit it ([derived]: S3's definition counts them whatever the principal; its text does not
 *   name NotPrincipal). GetBucketPolicyStatus is the oracle where a live bucket is at hand.
 * - A statement without Principal grants nothing in a bucket policy; an Effect other than Allow/Deny is evaluated as
 *   Allow; a statement with neither Action nor NotAction is assumed to grant every access type.
 */

import { BoundedMemo } from '../model/bounded-memo';
import type { AccessType, BucketPolicy, PolicyStatement } from '../model/types';
import { type ConditionEntry, conditionEntries, limitingConditions, MAX_LISTED_VALUES } from './conditions';
import { type ParsedPrincipal, parsePrincipals } from './principals';
import { accessMaskOfActions, sharedAccessTypesOfMask } from './s3-actions';

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
  /** parsePrincipals(statement.Principal); for a NotPrincipal statement, the one not-fixed EVERYONE_EXCEPT_LISTED. */
  readonly principals: readonly ParsedPrincipal[];
  /** conditionEntries(statement.Condition); left empty for a Deny statement (nothing reads it). */
  readonly conditions: readonly ConditionEntry[];
}

const NO_CONDITIONS: readonly ConditionEntry[] = [];

/**
 * Who an Allow with NotPrincipal opens to: everyone but the listed principals ([NOTP]). Not fixed, so it is public
 * unless a condition limits it to fixed values, exactly like `*` (one code path for both).
 */
export const EVERYONE_EXCEPT_LISTED: readonly ParsedPrincipal[] = [
  Object.freeze({ kind: 'anyone', type: 'NotPrincipal', value: '*', fixed: false, label: 'NotPrincipal' }),
];
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
  const principals = hasNotPrincipal ? EVERYONE_EXCEPT_LISTED : parsePrincipals(statement.Principal);

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
 * The public-access and cross-account rules analyse the same normalised policy object one after the other when the
 * CLI or the bench runs every rule on an item, so the last analysis is kept (one entry, held strongly: a WeakMap with
 * young keys costs the garbage collector more than the analysis it saves). Policies are readonly after
 * normalisation, so a kept analysis cannot go stale.
 */
const LAST_ANALYSED = new BoundedMemo<object, PolicyAnalysisInDetail>(1);

/** analysePolicy with the parsed principals and conditions of each analysed statement (see AnalysedStatement). */
export function analysePolicyInDetail(policy: BucketPolicy): PolicyAnalysisInDetail {
  if (typeof policy !== 'object' || policy === null) return analyseUncached(policy);
  return LAST_ANALYSED.get(policy) ?? LAST_ANALYSED.remember(policy, analyseUncached(policy));
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

/**
 * Allow statements that would be public but for a condition limiting them to fixed values: `*`, NotPrincipal (read as
 * `*`) or a public identity provider, made non-public by aws:SourceVpce, aws:SourceIp, ... The annotations and
 * `explain` name them, so a reader sees why such a statement does not count.
 */
export function limitedStatements(policy: BucketPolicy): readonly StatementVerdict[] {
  const limited: StatementVerdict[] = [];
  for (const { statement, verdict, principals } of analysePolicyInDetail(policy).statements) {
    if (verdict.public || statement.Effect === 'Deny') continue;
    if (principals.some((p) => !p.fixed)) limited.push(verdict);
  }
  return limited;
}

/** `any principal` for `*`, `everyone outside its NotPrincipal`, or the principal's label (`Federated ...`). */
export function describeOpenPrincipal(label: string): string {
  if (label === '*') return 'any principal';
  return label === 'NotPrincipal' ? 'everyone outside its NotPrincipal' : label;
}

/** `statement "S" allows everyone outside its NotPrincipal, limited by aws:SourceVpce vpce-1a2b3c4d`. */
export function describeLimitedStatement(verdict: StatementVerdict): string {
  return `${verdict.ref} allows ${describeOpenPrincipal(verdict.principal)}, ${verdict.reason}`;
}
