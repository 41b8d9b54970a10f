/**
 * The CDK check: bucketguard's rules on the S3 buckets and bucket policies of any CDK app, before deploy.
 *
 *   Validations.of(app).addPlugins(new BucketGuardChecks());
 *
 * A CDK policy validation plugin (the mechanism cdk-nag 3 uses), not an Aspect: it reads the synthesized templates
 * themselves, so escape hatches, property overrides and resolved tokens are judged as CloudFormation will see them,
 * through the same template reader as `bucketguard check-template` (model/normalize-cloudformation.ts) and the same
 * rules (rules/evaluate-template.ts). Every NON_COMPLIANT result is a violation with bucketguard's annotation, an
 * error by default (the synth fails) or a warning; a result the template cannot decide is a warning.
 */
import * as fs from 'node:fs';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { COULD_NOT_EVALUATE_PREFIX } from '../model/annotation';
import { readTemplate } from '../model/normalize-cloudformation';
import { parsePublicAccessBlockFlags } from '../model/normalize-parts';
import { known, unknown } from '../model/types';
import { RULES } from '../rules';
import { evaluateTemplate } from '../rules/evaluate-template';
import { parseRuleParameters } from '../rules/parameters';

/** Account-level Block Public Access of the target account (CloudFormation cannot describe it). */
export interface AccountPublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export interface BucketGuardChecksProps {
  /**
   * Rule ids to run (bucket rules; the account rule needs an account, which a template does not describe).
   * @default every bucket rule
   */
  readonly rules?: string[];
  /**
   * The rules' parameters, as the BucketGuard construct's `ruleParameters` and the CLI's `--rule-parameters`.
   * @default each rule's defaults
   */
  readonly ruleParameters?: { readonly [ruleId: string]: { readonly [parameter: string]: string } };
  /**
   * The target account's account-level Block Public Access, when known.
   * @default unknown: the rules say so and evaluate it as off
   */
  readonly accountPublicAccessBlock?: AccountPublicAccessBlock;
  /**
   * The account the stacks deploy to, for `AWS::AccountId` (e.g. in aws:SourceAccount conditions).
   * @default the stack's account when its environment is concrete; else `AWS::AccountId` stands for the account the
   * stack is deployed to, which owns its buckets (shown as `<AWS::AccountId>`)
   */
  readonly accountId?: string;
  /**
   * The Region, for `AWS::Region`.
   * @default the stack's Region when its environment is concrete
   */
  readonly region?: string;
  /**
   * Severity of a NON_COMPLIANT result: `error` fails the synth, `warning` reports it.
   * @default "error"
   */
  readonly findingSeverity?: string;
}

export class InvalidBucketGuardChecksError extends Error {
  override readonly name = 'InvalidBucketGuardChecksError';
}

export class BucketGuardChecks implements IPolicyValidationPlugin {
  readonly name = 'bucketguard';
  readonly ruleIds: string[];
  private readonly props: BucketGuardChecksProps;
  private readonly rules: typeof RULES;

  constructor(props: BucketGuardChecksProps = {}) {
    const bucketRules = RULES.filter((rule) => rule.target === 'bucket');
    const unknownIds = (props.rules ?? []).filter((id) => !bucketRules.some((rule) => rule.id === id));
    if (unknownIds.length > 0) {
      throw new InvalidBucketGuardChecksError(
        `BucketGuardChecks: unknown rule id ${unknownIds.map((id) => JSON.stringify(id)).join(', ')}; bucket rules: ${bucketRules.map((r) => r.id).join(', ')}.`,
      );
    }
    const severity = props.findingSeverity ?? 'error';
    if (severity !== 'error' && severity !== 'warning') {
      throw new InvalidBucketGuardChecksError(
        `BucketGuardChecks: findingSeverity must be "error" or "warning"; received ${JSON.stringify(severity)}.`,
      );
    }
    this.rules = props.rules ? bucketRules.filter((rule) => props.rules?.includes(rule.id)) : bucketRules;
    for (const rule of this.rules) {
      try {
        parseRuleParameters(rule, props.ruleParameters?.[rule.id]);
      } catch (error) {
        throw new InvalidBucketGuardChecksError(
          `BucketGuardChecks: ruleParameters.${rule.id}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    this.ruleIds = this.rules.map((rule) => rule.id);
    this.props = props;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const severity = this.props.findingSeverity ?? 'error';
    const accountBpa = this.props.accountPublicAccessBlock
      ? known(parsePublicAccessBlockFlags(this.props.accountPublicAccessBlock))
      : unknown('not described by the app: give BucketGuardChecks accountPublicAccessBlock');
    const violations: PolicyValidationPluginReport['violations'][number][] = [];
    for (const stack of context.stackTemplates) {
      const template = JSON.parse(fs.readFileSync(stack.templatePath, 'utf8')) as { Resources?: unknown };
      // A stack without resources (CDK leaves the section out) has no bucket to check.
      if (template.Resources === undefined) continue;
      const isConcrete = (value: string | undefined) => value !== undefined && !value.startsWith('${Token');
      const accountId = this.props.accountId ?? (isConcrete(stack.accountId) ? stack.accountId : undefined);
      const region = this.props.region ?? (isConcrete(stack.region) ? stack.region : undefined);
      let reading: ReturnType<typeof readTemplate>;
      try {
        reading = readTemplate(template, { ...(accountId ? { accountId } : {}), ...(region ? { region } : {}) });
      } catch (error) {
        // Never a crash of the synth: the template is reported as not checked, with why.
        violations.push({
          ruleName: 'bucketguard-template',
          description: `Not checked: ${error instanceof Error ? error.message : String(error)}`,
          severity: 'warning',
          violatingResources: [{ resourceLogicalId: '', templatePath: stack.templatePath, locations: [] }],
        });
        continue;
      }
      const findings = evaluateTemplate(reading, {
        rules: this.rules,
        ...(this.props.ruleParameters ? { ruleParameters: this.props.ruleParameters } : {}),
        accountBpa,
        now: new Date(),
      });
      for (const finding of findings) {
        const undecided =
          finding.compliance === 'NOT_APPLICABLE' && finding.annotation.startsWith(COULD_NOT_EVALUATE_PREFIX);
        if (finding.compliance !== 'NON_COMPLIANT' && !undecided) continue;
        violations.push({
          ruleName: `bucketguard-${finding.rule}`,
          description: finding.annotation,
          severity: undecided ? 'warning' : severity,
          violatingResources: [
            { resourceLogicalId: finding.logicalId, templatePath: stack.templatePath, locations: ['Properties'] },
          ],
        });
      }
    }
    return { success: !violations.some((violation) => violation.severity === 'error'), violations };
  }
}
