/**
 * The deciding half of `bucketguard scan`: the same rules, through the same runner (run-rule.ts) as the Config
 * Lambdas, over the live-read states. One row per rule and resource, in the report shape `evaluate` prints.
 */

import { COULD_NOT_EVALUATE_PREFIX } from '../../model/annotation';
import type { ApprovedExemptionContext } from '../../model/approved-exemptions';
import type { RuleDefinition } from '../../model/rule-definition';
import type { BucketState, EvaluationContext, Fact, PublicAccessBlockFlags, RuleResult } from '../../model/types';
import { parseRuleParameters } from '../../rules/parameters';
import { evaluateAccount, evaluateBucket } from '../../rules/run-rule';
import type { ResultRow } from '../report';

/** The report's `source` for everything a scan read. */
export const LIVE_SOURCE = 'live';

export interface EvaluateScanInput {
  readonly rules: readonly RuleDefinition[];
  readonly buckets: readonly BucketState[];
  readonly accountId?: string;
  readonly accountBpa: Fact<PublicAccessBlockFlags | null>;
  readonly now: Date;
  /** Raw rule parameters by rule id (the same strings Config would pass); absent = the rule's defaults. */
  readonly parameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** --exemptions: the approved list; absent = none approved. */
  readonly exemptions?: ApprovedExemptionContext;
}

/**
 * Evaluates every selected rule. Account rules need an account id (the resource they report on); without one they
 * are left out and the caller says so. A rule's invalid parameters throw InvalidParameterError before anything runs.
 */
export function evaluateScan(input: EvaluateScanInput): ResultRow[] {
  const context: EvaluationContext = {
    accountBpa: input.accountBpa,
    now: input.now,
    ...(input.exemptions ? { exemptions: input.exemptions } : {}),
  };
  const prepared = input.rules.map((rule) => ({
    rule,
    params: parseRuleParameters(rule, input.parameters?.[rule.id]),
  }));
  const rows: ResultRow[] = [];
  // Account first, then bucket by bucket (every rule for one bucket together), as a reader goes through a report.
  for (const { rule, params } of prepared) {
    if (rule.target !== 'account' || input.accountId === undefined) continue;
    // No configuration item in a live scan: the rule judges context.accountBpa (the S3 Control read).
    rows.push(toRow(evaluateAccount(rule, input.accountId, undefined, params, context), rule.id, input.accountId));
  }
  for (const bucket of input.buckets) {
    for (const { rule, params } of prepared) {
      if (rule.target !== 'bucket') continue;
      const result = evaluateBucket(rule, bucket, params, context);
      rows.push(toRow(result, rule.id, bucket.accountId ?? input.accountId ?? null));
    }
  }
  return rows;
}

// Config gets NOT_APPLICABLE for "an input was unknown"; a scan report says INSUFFICIENT_DATA, as the issue asks.
function toRow(result: RuleResult, rule: string, accountId: string | null): ResultRow {
  const insufficient =
    result.compliance === 'NOT_APPLICABLE' && result.annotation.startsWith(COULD_NOT_EVALUATE_PREFIX);
  return {
    resourceType: result.resourceType,
    resourceId: result.resourceId,
    accountId,
    rule,
    compliance: insufficient ? 'INSUFFICIENT_DATA' : result.compliance,
    annotation: result.annotation,
    source: LIVE_SOURCE,
  };
}
