/**
 * Runs one rule on one resource: the only entry the Config adapter and the CLI use. Owns what is the same for every
 * rule: resource status (deleted / not recorded), exemptions, a rule that throws, and the 256-character annotation.
 */

import {
  appendNote,
  COULD_NOT_EVALUATE_PREFIX,
  truncateAnnotation,
  wellFormed,
  withoutFinalPeriod,
} from '../model/annotation';
import { decideExemption, exemptionDecisionNote, NO_APPROVED_EXEMPTIONS } from '../model/approved-exemptions';
import { checkExemption, DEFAULT_EXEMPTION_SETTINGS, type ExemptionSettings } from '../model/exemptions';
import type { AccountRuleDefinition, BucketRuleDefinition } from '../model/rule-definition';
import type {
  AccountBpaState,
  BucketState,
  ConfigItemStatus,
  EvaluationContext,
  ResourceType,
  RuleResult,
} from '../model/types';

/** Sentence for a Fact we could not learn: `Could not evaluate: bucket policy unknown (AccessDenied (403)).` */
export function couldNotEvaluate(resourceType: ResourceType, resourceId: string, what: string): RuleResult {
  return {
    resourceType,
    resourceId,
    compliance: 'NOT_APPLICABLE',
    annotation: `${COULD_NOT_EVALUATE_PREFIX} ${what}.`,
  };
}

export function bucketResult(
  bucket: BucketState,
  compliance: RuleResult['compliance'],
  annotation: string,
): RuleResult {
  return { resourceType: 'AWS::S3::Bucket', resourceId: bucket.name, compliance, annotation };
}

const STATUS_SENTENCES: Readonly<Record<ConfigItemStatus, string>> = {
  OK: '',
  ResourceDiscovered: '',
  ResourceNotRecorded: 'is not recorded by AWS Config (ResourceNotRecorded).',
  ResourceDeleted: 'was deleted (ResourceDeleted).',
  ResourceDeletedNotRecorded: 'was deleted (ResourceDeletedNotRecorded).',
};

/** Reads `params.exemption` when the rule's params carry one; otherwise the defaults (tag on, default key). */
export function exemptionSettingsOf(params: unknown): ExemptionSettings {
  if (typeof params !== 'object' || params === null || !('exemption' in params)) return DEFAULT_EXEMPTION_SETTINGS;
  const exemption: unknown = params.exemption;
  if (
    typeof exemption === 'object' &&
    exemption !== null &&
    'tagKey' in exemption &&
    'enabled' in exemption &&
    typeof exemption.tagKey === 'string' &&
    typeof exemption.enabled === 'boolean'
  ) {
    const parameterName =
      'parameterName' in exemption && typeof exemption.parameterName === 'string' && exemption.parameterName !== ''
        ? { parameterName: exemption.parameterName }
        : {};
    const maxDays =
      'maxDays' in exemption && typeof exemption.maxDays === 'number' ? { maxDays: exemption.maxDays } : {};
    return { tagKey: exemption.tagKey, enabled: exemption.enabled, ...parameterName, ...maxDays };
  }
  return DEFAULT_EXEMPTION_SETTINGS;
}

/**
 * Evaluates a bucket: NOT_APPLICABLE for deleted / not-recorded items, COMPLIANT for an active exemption, otherwise the
 * rule's verdict with any exemption remark appended. Never throws: a failing rule becomes NOT_APPLICABLE with the error.
 */
export function evaluateBucket<P>(
  rule: BucketRuleDefinition<P>,
  bucket: BucketState,
  params: P,
  context: EvaluationContext,
): RuleResult {
  const status = bucket.status;
  if (status !== 'OK' && status !== 'ResourceDiscovered') {
    return finalise(bucketResult(bucket, 'NOT_APPLICABLE', `Bucket ${STATUS_SENTENCES[bucket.status]}`));
  }
  const settings = exemptionSettingsOf(params);
  // The tag is a request; only an entry of the approved list (context.exemptions) exempts. No list, or one that
  // could not be read: nothing is exempt, and the annotation says so.
  let note = '';
  if (settings.enabled) {
    const approved = context.exemptions ?? NO_APPROVED_EXEMPTIONS;
    const account = bucket.accountId ?? approved.homeAccount ?? '';
    const decision = decideExemption(approved.list, checkExemption(bucket.tags, settings, context.now), {
      bucket: bucket.name,
      account,
      homeAccount: approved.homeAccount ?? account,
      subject: { kind: 'rule', id: rule.id },
      now: context.now,
      maxDays: settings.maxDays ?? approved.maxDays,
    });
    note = exemptionDecisionNote(decision);
    if (decision.state === 'approved') return finalise(bucketResult(bucket, 'COMPLIANT', note));
  }
  // try/catch here rather than runSafely(() => ...): no closures for every rule on every bucket.
  let result: RuleResult;
  try {
    result = rule.evaluate(bucket, params, context);
  } catch (error) {
    result = ruleFailed(error, bucketResult(bucket, 'NOT_APPLICABLE', ''));
  }
  return finalise(result, note);
}

/**
 * Evaluates the account-level rule. `account` is the AccountPublicAccessBlock item if there is one (undefined: none
 * recorded). Deleted / not-recorded items are passed on to the rule as what they mean (see the rule), never dropped.
 */
export function evaluateAccount<P>(
  rule: AccountRuleDefinition<P>,
  accountId: string,
  account: AccountBpaState | undefined,
  params: P,
  context: EvaluationContext,
): RuleResult {
  let result: RuleResult;
  try {
    result = rule.evaluate(accountId, account, params, context);
  } catch (error) {
    const fallback: RuleResult = {
      resourceType: 'AWS::S3::AccountPublicAccessBlock',
      resourceId: accountId,
      compliance: 'NOT_APPLICABLE',
      annotation: '',
    };
    result = ruleFailed(error, fallback);
  }
  return finalise(result);
}

/**
 * A rule that throws on odd input must not lose the evaluation (or the batch): NOT_APPLICABLE, saying why. (The
 * callers catch inline rather than through a closure-taking helper: they run for every rule on every item.)
 */
function ruleFailed(error: unknown, fallback: RuleResult): RuleResult {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    ...fallback,
    annotation: `${COULD_NOT_EVALUATE_PREFIX} the rule failed (${withoutFinalPeriod(message)}).`,
  };
}

function finalise(result: RuleResult, note = ''): RuleResult {
  let annotation = appendNote(wellFormed(result.annotation).trim(), wellFormed(note));
  if (annotation === '' && result.compliance === 'NON_COMPLIANT') {
    annotation = 'Non-compliant (the rule gave no reason).';
  }
  annotation = truncateAnnotation(annotation);
  // The rule's own (fresh, readonly) result when nothing changed: this runs for every rule on every item.
  return annotation === result.annotation ? result : { ...result, annotation };
}
