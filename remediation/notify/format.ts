/**
 * The emails: one pure formatter per trigger kind, each Finding (+ the remediation outcomes, if any) -> {subject,
 * body}. Plain text for a mail client: one headline, labelled fields, short lines, console links, no JSON.
 * The same words as the rules' annotations and the CLI; nothing here reads the clock or the environment.
 */

import type { Outcome } from '../actions/outcome';
import type { Finding } from '../triggers/finding';
import { alertSection, outcomeTag, severityField } from './alerts';
import { formatAlarm } from './format-alarm';
import { formatApiCall } from './format-api-call';
import { formatComplianceChange } from './format-compliance';
import {
  bucketExemption,
  type Email,
  exemptionLines,
  type FormatContext,
  footer,
  remediationSection,
  render,
  resourceLabel,
} from './format-parts';
import { bucketConsoleUrl, field, section, subjectLine } from './text';

export { formatAlarm } from './format-alarm';
export { formatApiCall } from './format-api-call';
export { formatComplianceChange } from './format-compliance';
export { actorName, type Email, type EmailFacts, type FormatContext } from './format-parts';
export { describeAcl, describePolicy } from './format-words';

export function formatFinding(finding: Finding, outcomes: readonly Outcome[], context: FormatContext): Email {
  switch (finding.kind) {
    case 'compliance-change':
      return formatComplianceChange(finding, outcomes, context);
    case 'api-call':
      return formatApiCall(finding, outcomes, context);
    case 'alarm':
      return formatAlarm(finding, context);
  }
}

/** A direct invocation of one action's handler (ops, runbooks): the outcome is the news. */
export function formatRemediationRequest(
  target: { kind: 'bucket'; bucket: string; region?: string } | { kind: 'account'; accountId: string },
  outcomes: readonly Outcome[],
  context: FormatContext,
): Email {
  const label = resourceLabel(target);
  const headline = `Remediation requested for ${label}`;
  const links = target.kind === 'bucket' ? field('Bucket', bucketConsoleUrl(target.bucket, target.region)) : [];
  const verdict = outcomeTag(outcomes) ?? 'NO CHANGE NEEDED';
  return {
    subject: subjectLine(verdict, label, [target.kind === 'bucket' ? target.bucket : target.accountId]),
    facts: {
      verdict,
      source: 'remediation-request',
      ...(target.kind === 'bucket'
        ? { bucket: target.bucket, ...(target.region ? { region: target.region } : {}) }
        : { accountId: target.accountId }),
    },
    body: render(headline, [
      alertSection(outcomes, context.recheck),
      exemptionLines(bucketExemption(outcomes), context.exemptionTag),
      remediationSection(outcomes, 'none: no requested action applies to this target.'),
      section('Links', links),
      footer(context, target.kind === 'bucket'),
    ]),
    ...severityField(outcomes),
  };
}
