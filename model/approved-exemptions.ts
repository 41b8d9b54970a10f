/**
 * The approved exemption list (issue 13): owned by the deployment, not by the bucket. A bucket's `bucketguard:exempt`
 * tag is only a request; an exemption is honoured only when an entry of this list matches. Pure: no SDK, no clock.
 */
import { appendNote, truncateAnnotation } from './annotation';
import { type ExemptionStatus, parseUntil } from './exemptions';
import type { Fact } from './types';

/** One approved exemption, as written in the construct prop / cdk context `exemptions` and the SSM parameter. */
export interface ApprovedExemption {
  /** Bucket name, or a pattern where `*` is any run of characters and `?` one character. */
  readonly bucket: string;
  /** 12-digit account id; omitted = the account bucketguard is deployed in. */
  readonly account?: string;
  /** Rule ids the entry covers; with `actions` omitted too, the entry covers every rule and action. */
  readonly rules?: readonly string[];
  /** Remediation action ids the entry covers. */
  readonly actions?: readonly string[];
  readonly reason: string;
  readonly approver: string;
  /** End date (YYYY-MM-DD through the end of that day UTC, or an ISO-8601 timestamp). */
  readonly until: string;
}

export const DEFAULT_MAX_EXEMPTION_DAYS = 90;
const DAY_MS = 86_400_000;
const ACCOUNT_ID = /^\d{12}$/;
/** S3 bucket name characters plus the two wildcards: anything else in a pattern is a typo, not a match. */
const BUCKET_PATTERN = /^[a-z0-9.\-*?]{1,255}$/;

export class ExemptionListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExemptionListError';
  }
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function idList(value: unknown, where: string, field: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every(nonEmptyString)) {
    throw new ExemptionListError(`${where}: "${field}" must be a non-empty list of ids, or omitted for all`);
  }
  return value.map((id) => id.trim());
}

/**
 * Checks a list as given by props, context or a file. `now` is the synth (or load) time: an entry ending more than
 * `maxDays` after it is rejected, as is one already ended (a stale approval should be removed, not kept).
 */
export function validateExemptionList(
  raw: unknown,
  now: Date,
  maxDays = DEFAULT_MAX_EXEMPTION_DAYS,
  options: { readonly checkDates?: boolean } = {},
): ApprovedExemption[] {
  // At synth (and when a file is loaded) an ended or too distant entry is an error to fix. At run time (the SSM
  // parameter) it is not: one stale entry must not void the whole list, and findApprovedExemption ignores it anyway.
  const checkDates = options.checkDates ?? true;
  if (!Number.isInteger(maxDays) || maxDays < 1)
    throw new ExemptionListError('maxExemptionDays must be a whole number of days >= 1');
  if (!Array.isArray(raw)) throw new ExemptionListError('exemptions must be a JSON list of entries');
  return raw.map((item: unknown, index) => {
    const where = `exemptions[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new ExemptionListError(`${where} must be an object`);
    const entry = item as Record<string, unknown>;
    const known = new Set(['bucket', 'account', 'rules', 'actions', 'reason', 'approver', 'until']);
    const extra = Object.keys(entry).find((key) => !known.has(key));
    if (extra !== undefined) throw new ExemptionListError(`${where}: unknown field "${extra}"`);
    if (typeof entry.bucket !== 'string' || !BUCKET_PATTERN.test(entry.bucket) || /^[*?]*$/.test(entry.bucket)) {
      throw new ExemptionListError(
        `${where}: "bucket" must be a bucket name or pattern (a-z 0-9 . - * ?), not only wildcards`,
      );
    }
    if (entry.account !== undefined && (typeof entry.account !== 'string' || !ACCOUNT_ID.test(entry.account))) {
      throw new ExemptionListError(`${where}: "account" must be a 12-digit account id, or omitted for this account`);
    }
    if (!nonEmptyString(entry.reason)) throw new ExemptionListError(`${where}: "reason" is required`);
    if (!nonEmptyString(entry.approver)) throw new ExemptionListError(`${where}: "approver" is required`);
    if (typeof entry.until !== 'string') throw new ExemptionListError(`${where}: "until" (a date) is required`);
    const until = parseUntil(entry.until);
    if (!until) throw new ExemptionListError(`${where}: "until" is not a date: ${JSON.stringify(entry.until)}`);
    if (checkDates && until.getTime() < now.getTime())
      throw new ExemptionListError(`${where}: "until" ${entry.until} has passed`);
    if (checkDates && until.getTime() > now.getTime() + maxDays * DAY_MS) {
      throw new ExemptionListError(
        `${where}: "until" ${entry.until} is more than ${maxDays} days away (maxExemptionDays)`,
      );
    }
    const rules = idList(entry.rules, where, 'rules');
    const actions = idList(entry.actions, where, 'actions');
    return {
      bucket: entry.bucket,
      ...(entry.account === undefined ? {} : { account: entry.account as string }),
      ...(rules ? { rules } : {}),
      ...(actions ? { actions } : {}),
      reason: entry.reason.trim(),
      approver: entry.approver.trim(),
      until: entry.until.trim(),
    };
  });
}

/** Glob match without a regex built from the pattern (a pattern is data; no ReDoS, no escaping mistakes). */
export function bucketPatternMatches(pattern: string, bucket: string): boolean {
  let p = 0;
  let b = 0;
  let starP = -1;
  let starB = 0;
  while (b < bucket.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === bucket[b])) {
      p++;
      b++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starB = b;
    } else if (starP >= 0) {
      p = starP + 1;
      b = ++starB;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** What an evaluation or a remediation knows of the approved list: the list (or why not), whose it is, the maximum. */
export interface ApprovedExemptionContext {
  readonly list: Fact<readonly ApprovedExemption[]>;
  /** The account bucketguard is deployed in; an entry without `account` means this one. */
  readonly homeAccount?: string;
  readonly maxDays: number;
}

/** No list configured: nothing is exempt (a tag is only ever a request). */
export const NO_APPROVED_EXEMPTIONS: ApprovedExemptionContext = {
  list: { known: true, value: [] },
  maxDays: DEFAULT_MAX_EXEMPTION_DAYS,
};

/** What is being exempted: a rule's verdict or a remediation action. */
export type ExemptionSubject = { readonly kind: 'rule' | 'action'; readonly id: string };

export interface ExemptionQuery {
  readonly bucket: string;
  /** The bucket's account. */
  readonly account: string;
  /** The account bucketguard is deployed in (an entry without `account` means this one). */
  readonly homeAccount: string;
  readonly subject: ExemptionSubject;
  readonly now: Date;
  readonly maxDays: number;
}

function covers(entry: ApprovedExemption, subject: ExemptionSubject): boolean {
  if (entry.rules === undefined && entry.actions === undefined) return true;
  const ids = subject.kind === 'rule' ? entry.rules : entry.actions;
  return ids?.includes(subject.id) ?? false;
}

/**
 * The entry that exempts this bucket now, if any. Re-checks the end date against the invocation time and the maximum,
 * so an expired entry stops at once and an edited parameter cannot grant more than `maxDays`.
 */
export function findApprovedExemption(
  list: readonly ApprovedExemption[],
  query: ExemptionQuery,
): ApprovedExemption | undefined {
  const now = query.now.getTime();
  return list.find((entry) => {
    if ((entry.account ?? query.homeAccount) !== query.account) return false;
    if (!bucketPatternMatches(entry.bucket, query.bucket) || !covers(entry, query.subject)) return false;
    const until = parseUntil(entry.until);
    return until !== undefined && until.getTime() >= now && until.getTime() <= now + query.maxDays * DAY_MS;
  });
}

export type ExemptionDecision =
  | { readonly state: 'none' }
  | { readonly state: 'approved'; readonly entry: ApprovedExemption }
  /** The bucket carries the tag but no approved entry matches: evaluated normally. */
  | { readonly state: 'requested' }
  /** The list could not be read: evaluated normally (never exempt on doubt). */
  | { readonly state: 'unreadable'; readonly why: string; readonly requested: boolean };

/**
 * Every entry in force now for one account (any bucket, any rule or action): what the account-level Block Public
 * Access action would neutralise, since it overrides every bucket of the account.
 */
export function exemptionsInForce(
  list: readonly ApprovedExemption[],
  account: string,
  homeAccount: string,
  now: Date,
  maxDays: number,
): ApprovedExemption[] {
  const time = now.getTime();
  return list.filter((entry) => {
    if ((entry.account ?? homeAccount) !== account) return false;
    const until = parseUntil(entry.until);
    return until !== undefined && until.getTime() >= time && until.getTime() <= time + maxDays * DAY_MS;
  });
}

/** One entry in a sentence: `bucket logs-* (approved by alice until 2026-12-31: reason)`. */
export function describeExemption(entry: ApprovedExemption): string {
  return `bucket ${entry.bucket}${entry.account ? ` in ${entry.account}` : ''} (approved by ${entry.approver} until ${entry.until}: ${entry.reason})`;
}

/** Tag request (from `checkExemption`) + approved list -> decision. The entry alone suffices; the tag is optional. */
export function decideExemption(
  list: Fact<readonly ApprovedExemption[]>,
  request: ExemptionStatus,
  query: ExemptionQuery,
): ExemptionDecision {
  const requested = request.state === 'active' || request.state === 'expired' || request.state === 'invalid';
  if (!list.known) return { state: 'unreadable', why: list.reason, requested };
  const entry = findApprovedExemption(list.value, query);
  if (entry) return { state: 'approved', entry };
  return requested ? { state: 'requested' } : { state: 'none' };
}

/** The annotation note for a decision ('' for none); callers join it with `appendNote` so it survives truncation. */
export function exemptionDecisionNote(decision: ExemptionDecision): string {
  switch (decision.state) {
    case 'none':
      return '';
    case 'approved':
      return truncateAnnotation(
        `Exempt until ${decision.entry.until}, approved by ${decision.entry.approver}: ${decision.entry.reason}`,
      );
    case 'requested':
      return 'Exemption requested, not approved.';
    case 'unreadable':
      return appendNote(
        decision.requested ? 'Exemption requested, not approved:' : 'Exemptions not applied:',
        `the exemption list could not be read (${decision.why}).`,
      );
  }
}

/** Every bucketguard parameter lives under this path, so one tamper alarm (PutParameter/DeleteParameter) covers all. */
export const BUCKETGUARD_PARAMETER_PATH = '/bucketguard/';

/** The SSM String parameter holding a deployment's approved list: `/bucketguard/<rulePrefix without final -/_>/exemptions`. */
export function exemptionsParameterName(rulePrefix: string): string {
  const stem = rulePrefix.replace(/[-_]+$/, '');
  return `${BUCKETGUARD_PARAMETER_PATH}${stem === '' ? 'default' : stem}/exemptions`;
}

/**
 * For a tagging email: whether the approved list exempts this bucket now (for which rules or actions), or why it
 * cannot say. A tag is never an approval; only an entry in force is.
 */
export function approvalSummary(context: ApprovedExemptionContext, bucket: string, account: string, now: Date): string {
  if (!context.list.known)
    return `unknown: the approved exemption list could not be read (${context.list.reason}); not exempt`;
  const entries = exemptionsInForce(
    context.list.value,
    account,
    context.homeAccount ?? account,
    now,
    context.maxDays,
  ).filter((entry) => bucketPatternMatches(entry.bucket, bucket));
  if (entries.length === 0) return 'none: no approved entry for this bucket, so it is evaluated and fixed normally';
  return `approved: ${entries
    .map((entry) => {
      const scope = [...(entry.rules ?? []), ...(entry.actions ?? [])];
      return `${describeExemption(entry)}${scope.length > 0 ? ` for ${scope.join(', ')}` : ' for every rule and action'}`;
    })
    .join('; ')}`;
}
