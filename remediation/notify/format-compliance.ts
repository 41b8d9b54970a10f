/** The email for a "Config Rules Compliance Change" finding. Pure. */

import type { Outcome } from '../actions/outcome';
import { complianceTransition } from '../response/route';
import type { ComplianceChangeFinding } from '../triggers/finding';
import { alertSection, outcomeTag, severityField } from './alerts';
import {
  bucketExemption,
  capitalised,
  type Email,
  exemptionLines,
  type FormatContext,
  footer,
  id,
  remediationSection,
  render,
  resourceLabel,
  shortLabel,
} from './format-parts';
import { bucketConsoleUrl, configRuleConsoleUrl, field, isRegionCode, paragraph, section, subjectLine } from './text';

export function formatComplianceChange(
  finding: ComplianceChangeFinding,
  outcomes: readonly Outcome[],
  context: FormatContext,
): Email {
  const resource = finding.target
    ? resourceLabel(finding.target)
    : `${id(finding.resourceType)} ${id(finding.resourceId)}`;
  const short = finding.target ? shortLabel(finding.target) : id(finding.resourceId);
  const shortRule = id(
    finding.ruleName.startsWith(context.rulePrefix)
      ? finding.ruleName.slice(context.rulePrefix.length)
      : finding.ruleName,
  );
  const ruleName = id(finding.ruleName);
  const newCompliance = id(finding.newCompliance);
  const transition = complianceTransition(finding);
  const resolved = transition === 'resolved';
  const headline = capitalised(
    resolved
      ? finding.newCompliance === 'NOT_APPLICABLE'
        ? `${resource} is no longer evaluated by rule ${ruleName} (NOT_APPLICABLE)`
        : `${resource} is ${newCompliance} again with rule ${ruleName}`
      : `${resource} is ${newCompliance} with rule ${ruleName}`,
  );
  const subjectHeadline = resolved
    ? `${short} ${newCompliance} again (${shortRule})`
    : `${short} ${newCompliance} (${shortRule})`;
  const tag = resolved ? 'RESOLVED' : (outcomeTag(outcomes) ?? 'ALERT');

  const what = [
    ...(finding.target?.kind === 'bucket' ? field('Bucket', id(finding.target.bucket)) : []),
    ...(finding.target === undefined ? field('Resource', `${id(finding.resourceType)} ${id(finding.resourceId)}`) : []),
    ...field('Account', finding.accountId ? id(finding.accountId) : 'not in the event'),
    ...field('Region', finding.region ? id(finding.region) : 'not in the event'),
    ...field('Rule', ruleName),
    ...field(
      'Compliance',
      `${finding.oldCompliance ? id(finding.oldCompliance) : '(first evaluation)'} -> ${newCompliance}`,
    ),
    // The rules' own words (quoting Sids and tag values themselves); field() still makes them inert and caps them.
    ...(finding.annotation ? field('Why', finding.annotation) : []),
    ...field('When', id(finding.time)),
  ];
  const who = resolved
    ? []
    : section(
        'Who',
        paragraph(
          "AWS Config reports the result, not who made the change: the bucket's CloudTrail event history shows the call.",
          2,
        ),
      );
  const links: string[] = [];
  if (finding.target?.kind === 'bucket')
    links.push(...field('Bucket', bucketConsoleUrl(finding.target.bucket, finding.region)));
  if (isRegionCode(finding.region))
    links.push(...field('Config rule', configRuleConsoleUrl(finding.ruleName, finding.region)));
  const noAction = resolved ? undefined : 'none: no enabled action fixes this rule; fix it by hand.';
  const bucket = finding.target?.kind === 'bucket' ? finding.target.bucket : undefined;
  return {
    subject: subjectLine(tag, subjectHeadline, [bucket ?? finding.resourceId]),
    facts: {
      verdict: tag,
      source: 'config',
      ...(finding.accountId ? { accountId: finding.accountId } : {}),
      ...(finding.region ? { region: finding.region } : {}),
      ...(bucket ? { bucket } : {}),
    },
    body: render(headline, [
      alertSection(outcomes, context.recheck),
      section('What happened', what),
      who,
      exemptionLines(bucketExemption(outcomes), context.exemptionTag),
      remediationSection(outcomes, noAction),
      section('Links', links),
      footer(context, finding.target?.kind === 'bucket'),
    ]),
    ...severityField(outcomes),
  };
}
