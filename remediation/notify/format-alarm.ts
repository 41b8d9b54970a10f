/** The email for a "CloudWatch Alarm State Change" finding. Pure. */

import type { AlarmFinding } from '../triggers/finding';
import { type Email, type FormatContext, footer, id, quoted, render } from './format-parts';
import { alarmConsoleUrl, field, isRegionCode, paragraph, section, subjectLine } from './text';

export function formatAlarm(finding: AlarmFinding, context: FormatContext): Email {
  const resolved = finding.newState === 'OK';
  const headline = resolved
    ? `Alarm ${id(finding.alarmName)} is OK again`
    : `Alarm ${id(finding.alarmName)} is in ${id(finding.newState)}`;
  const metric = finding.metric
    ? [finding.metric.namespace, finding.metric.name]
        .filter((part): part is string => Boolean(part))
        .map(id)
        .join(' / ')
    : undefined;
  const what = [
    ...field('Alarm', id(finding.alarmName)),
    ...(finding.description ? field('Meaning', quoted(finding.description)) : []),
    ...field('State', `${finding.oldState ? id(finding.oldState) : '?'} -> ${id(finding.newState)}`),
    ...(finding.reason ? field('Reason', quoted(finding.reason)) : []),
    ...(metric ? field('Metric', metric) : []),
    ...(finding.threshold !== undefined ? field('Threshold', id(String(finding.threshold))) : []),
    ...field('Account', finding.accountId ? id(finding.accountId) : 'not in the event'),
    ...field('Region', finding.region ? id(finding.region) : 'not in the event'),
    ...field('When', id(finding.time)),
  ];
  const next = resolved
    ? []
    : section(
        'Next step',
        paragraph(
          'An alarm carries no CloudTrail record: look up the matching S3 calls in the CloudTrail event history ' +
            "(or the trail's log group) to see which bucket changed and who changed it.",
          2,
        ),
      );
  const links = isRegionCode(finding.region) ? field('Alarm', alarmConsoleUrl(finding.alarmName, finding.region)) : [];
  const verdict = resolved ? 'OK' : finding.newState;
  return {
    subject: subjectLine(resolved ? 'OK' : id(finding.newState), headline, [finding.alarmName]),
    facts: {
      verdict,
      source: 'alarm',
      ...(finding.accountId ? { accountId: finding.accountId } : {}),
      ...(finding.region ? { region: finding.region } : {}),
    },
    body: render(headline, [section('What happened', what), next, section('Links', links), footer(context, false)]),
  };
}
