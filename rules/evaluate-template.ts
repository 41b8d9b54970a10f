/**
 * Runs the rules over the buckets read from a CloudFormation template (model/normalize-cloudformation.ts): the same
 * runner, exemptions and annotations as the Config Lambdas. Used by `bucketguard check-template` and by the CDK
 * check (infra/checks.ts). Pure.
 */

import { DEPLOYMENT_ACCOUNT, DEPLOYMENT_ACCOUNT_LABEL, type TemplateReading } from '../model/normalize-cloudformation';
import type { RuleDefinition } from '../model/rule-definition';
import type { Fact, PublicAccessBlockFlags, RuleResult } from '../model/types';
import { parseRuleParameters } from './parameters';
import { evaluateBucket } from './run-rule';

export interface TemplateFinding extends RuleResult {
  readonly rule: string;
  readonly logicalId: string;
}

export interface TemplateEvaluationOptions {
  readonly rules: readonly RuleDefinition[];
  /** `{ "<rule id>": { "<parameter>": "<value>" } }`, as deployed (the construct's ruleParameters). */
  readonly ruleParameters?: Readonly<Record<string, unknown>>;
  /** Account-level Block Public Access of the target account, when known (CloudFormation cannot say). */
  readonly accountBpa: Fact<PublicAccessBlockFlags | null>;
  readonly now: Date;
}

/** Every bucket x every bucket rule (the account rule needs an account, which a template does not describe). */
export function evaluateTemplate(reading: TemplateReading, options: TemplateEvaluationOptions): TemplateFinding[] {
  const rules = options.rules.filter((rule) => rule.target === 'bucket');
  const params = new Map(rules.map((rule) => [rule.id, parseRuleParameters(rule, options.ruleParameters?.[rule.id])]));
  const findings: TemplateFinding[] = [];
  for (const bucket of reading.buckets) {
    for (const rule of rules) {
      if (rule.target !== 'bucket') continue;
      const result = evaluateBucket(rule, bucket.state, params.get(rule.id), {
        accountBpa: options.accountBpa,
        now: options.now,
      });
      // The stand-in for an unnamed deployment account is shown as what it stands for.
      const annotation = result.annotation.replaceAll(DEPLOYMENT_ACCOUNT, DEPLOYMENT_ACCOUNT_LABEL);
      findings.push({ ...result, annotation, rule: rule.id, logicalId: bucket.logicalId });
    }
  }
  return findings;
}
