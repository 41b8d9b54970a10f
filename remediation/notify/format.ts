/**
 * The emails: one pure formatter per trigger kind, each Finding (+ the remediation outcomes, if any) -> {subject,
 * body}. Plain text for a mail client: one headline, labelled fields, short lines, console links, no JSON.
 * The same words as the rules' annotations and the CLI; nothing here reads the clock or the environment.
 */
import { parseArn } from '../../model/arn';
import { type ExemptionStatus, untilTagKey } from '../../model/exemptions';
import type { AclGrant, BucketAcl, BucketPolicy, PolicyPrincipal, PolicyStatement } from '../../model/types';
import { describeBpa, describeSnapshot, describeVersioning, type Outcome } from '../actions/outcome';
import { complianceTransition } from '../response/route';
import {
  type Actor,
  type AlarmFinding,
  type ApiCallFinding,
  type ComplianceChangeFinding,
  type Finding,
  type RequestedChange,
  type Target,
  targetName,
} from '../triggers/finding';
import {
  alarmConsoleUrl,
  bucketConsoleUrl,
  cloudTrailEventConsoleUrl,
  configRuleConsoleUrl,
  field,
  isRegionCode,
  paragraph,
  section,
  subjectLine,
} from './text';

export interface Email {
  readonly subject: string;
  readonly body: string;
}

export interface FormatContext {
  /** Stripped from rule names in subjects (bodies keep the full deployed name). */
  readonly rulePrefix: string;
  readonly exemptionTag: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces

/** `Admin/alice` for an assumed role session, `bob` for an IAM user, `root`, or the invoking service. */
export function actorName(actor: Actor): string {
  if (actor.type === 'Root') return 'root';
  const arn = actor.arn;
  if (arn) {
    const resource = parseArn(arn)?.resource ?? arn;
    if (resource.startsWith('assumed-role/')) return resource.slice('assumed-role/'.length);
    if (resource === 'root') return 'root';
    const slash = resource.lastIndexOf('/');
    return slash >= 0 ? resource.slice(slash + 1) : resource;
  }
  return actor.invokedBy ?? actor.principalId ?? 'an unidentified caller';
}

function outcomeTag(outcomes: readonly Outcome[]): string | undefined {
  if (outcomes.some((outcome) => outcome.status === 'failed')) return 'FIX FAILED';
  if (outcomes.some((outcome) => outcome.flapping !== undefined)) return 'STOPPED';
  if (outcomes.some((outcome) => outcome.status === 'changed')) return 'FIXED';
  if (outcomes.some((outcome) => outcome.status === 'would-change')) return 'DRY RUN';
  const skipped = outcomes.filter((outcome) => outcome.status === 'skipped');
  if (skipped.length === 0) return undefined;
  return skipped.every((outcome) => outcome.exemption?.state === 'active') ? 'EXEMPT' : 'NOT FIXED';
}

const STATUS_WORDS: Readonly<Record<Outcome['status'], string>> = {
  'would-change': 'WOULD CHANGE (dry run)',
  changed: 'CHANGED',
  'no-change': 'NO CHANGE NEEDED',
  skipped: 'NOT CHANGED',
  failed: 'FAILED',
};

const CHANGE_WIDTH = 22;

function outcomeLines(outcome: Outcome): string[] {
  const status = outcome.flapping ? 'STOPPED (keeps being undone)' : STATUS_WORDS[outcome.status];
  const lines = [`  ${outcome.action}: ${status}`, ...paragraph(outcome.reason, 4)];
  for (const change of outcome.changes) {
    lines.push(`    ${change.setting.padEnd(CHANGE_WIDTH)} ${change.from} -> ${change.to}`);
  }
  if (outcome.before) lines.push(...field('Before', describeSnapshot(outcome.before), 4));
  if (outcome.after) {
    lines.push(...field(outcome.status === 'would-change' ? 'Would be' : 'After', describeSnapshot(outcome.after), 4));
  }
  return lines;
}

function remediationSection(outcomes: readonly Outcome[], noneText: string | undefined): string[] {
  if (outcomes.length === 0) return noneText === undefined ? [] : section('Remediation', paragraph(noneText, 2));
  const modes = [...new Set(outcomes.map((outcome) => outcome.mode))];
  const modeText = modes.map((mode) => (mode === 'notify' ? 'notify (dry run)' : 'remediate')).join(' / ');
  const lines = [...field('Mode', modeText)];
  for (const outcome of outcomes) lines.push('', ...outcomeLines(outcome));
  return section('Remediation', lines);
}

function exemptionLines(exemption: ExemptionStatus | undefined, tagKey: string): string[] {
  if (!exemption) return [];
  const until = untilTagKey({ tagKey, enabled: true });
  switch (exemption.state) {
    case 'active':
      return section('Exemption', [
        ...field('Exempt', `yes: ${tagKey} = ${JSON.stringify(exemption.reason)}`),
        ...(exemption.until ? field('Until', exemption.until) : []),
      ]);
    case 'expired':
      return section('Exemption', [
        ...field('Exempt', `no: ${tagKey} = ${JSON.stringify(exemption.reason)} expired ${exemption.until}`),
      ]);
    case 'invalid':
      return section('Exemption', [
        ...field(
          'Exempt',
          `no: ${until} = ${JSON.stringify(exemption.untilRaw)} is not a date (YYYY-MM-DD or ISO-8601)`,
        ),
      ]);
    case 'unknown':
      return section('Exemption', [...field('Exempt', `unknown: the tags could not be read (${exemption.why})`)]);
    case 'none':
    case 'disabled':
      return [];
  }
}

function bucketExemption(outcomes: readonly Outcome[]): ExemptionStatus | undefined {
  return outcomes.find((outcome) => outcome.targetKind === 'bucket' && outcome.exemption)?.exemption;
}

function footer(context: FormatContext, bucket: boolean): string[] {
  const lines = ['', '--', 'bucketguard keeps S3 buckets from silently becoming public.'];
  if (bucket) {
    lines.push(
      ...paragraph(
        `To exempt a bucket on purpose, tag it ${context.exemptionTag}=<reason> and optionally ` +
          `${untilTagKey({ tagKey: context.exemptionTag, enabled: true })}=<YYYY-MM-DD>.`,
      ),
    );
  }
  return lines;
}

function render(headline: string, sections: readonly string[][]): string {
  return `${[...paragraph(`${headline}.`), ...sections.flat()].join('\n')}\n`;
}

function resourceLabel(target: Target): string {
  return target.kind === 'bucket' ? `bucket ${target.bucket}` : `account ${target.accountId}`;
}

/** Subjects are short: a bucket is just its name, an account says so. */
function shortLabel(target: Target): string {
  return target.kind === 'bucket' ? target.bucket : `account ${target.accountId}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------------------------
// Policies and ACLs in words

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function principalText(principal: PolicyPrincipal | undefined): string {
  if (principal === undefined) return 'nobody named';
  if (principal === '*') return 'everyone (*)';
  return Object.entries(principal)
    .map(([kind, values]) => `${kind} ${list(values).join(', ')}`)
    .join('; ');
}

function shortList(values: readonly string[], max = 3): string {
  return values.length <= max
    ? values.join(', ')
    : `${values.slice(0, max).join(', ')} and ${values.length - max} more`;
}

function statementText(statement: PolicyStatement, index: number): string {
  const name = statement.Sid ? `"${statement.Sid}"` : `#${index + 1}`;
  const actions =
    statement.Action !== undefined
      ? shortList(list(statement.Action))
      : `all but ${shortList(list(statement.NotAction))}`;
  const who =
    statement.NotPrincipal !== undefined
      ? `everyone except ${principalText(statement.NotPrincipal)}`
      : principalText(statement.Principal);
  const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
  const condition = keys.length > 0 ? ` if ${shortList([...new Set(keys)])}` : '';
  return `${name}: ${statement.Effect} ${actions} to ${who}${condition}`;
}

export function describePolicy(policy: BucketPolicy): string[] {
  const shown = policy.Statement.slice(0, 5).map(statementText);
  const more = policy.Statement.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more statement(s)`] : shown;
}

function grantText(grant: AclGrant): string {
  const grantee = grant.grantee;
  switch (grantee.kind) {
    case 'group':
      return `${grantee.group} ${grant.permission}`;
    case 'canonicalUser':
      return `user ${grantee.displayName ?? `${grantee.id.slice(0, 12)}...`} ${grant.permission}`;
    case 'email':
      return `${grantee.email} ${grant.permission}`;
    case 'unrecognised':
      return `unrecognised grantee ${grant.permission}`;
  }
}

export function describeAcl(acl: BucketAcl): string {
  return acl.grants.length === 0 ? 'no grants besides the owner' : acl.grants.map(grantText).join(', ');
}

function changeLines(change: RequestedChange): string[] {
  switch (change.setting) {
    case 'bucket-bpa':
    case 'account-bpa':
      if (!change.flags.known) return field('Requested', `not in the record (${change.flags.reason})`);
      return change.flags.value === null
        ? field('Now', 'Block Public Access removed: all four flags off')
        : field('Requested', describeBpa(change.flags.value));
    case 'policy':
      if (!change.policy.known) return field('Policy', `not readable (${change.policy.reason})`);
      if (change.policy.value === null) return field('Policy', 'deleted');
      return describePolicy(change.policy.value).flatMap((line, index) => field(index === 0 ? 'Policy' : '', line));
    case 'acl':
      return [
        ...(change.canned ? field('Canned ACL', change.canned) : []),
        ...field('Grants', change.acl.known ? describeAcl(change.acl.value) : `not readable (${change.acl.reason})`),
      ];
    case 'versioning':
      return field(
        'Versioning',
        change.versioning.known ? describeVersioning(change.versioning.value) : change.versioning.reason,
      );
    case 'ownership':
      if (!change.ownership.known) return field('Ownership', change.ownership.reason);
      return field(
        'Ownership',
        change.ownership.value === null ? 'controls deleted: ACLs are in force again' : change.ownership.value,
      );
    case 'bucket-created':
      return [
        ...(change.locationConstraint ? field('Location', change.locationConstraint) : []),
        ...(change.canned ? field('Canned ACL', change.canned) : []),
        ...(change.acl?.known && !change.canned ? field('Grants', describeAcl(change.acl.value)) : []),
        ...(change.ownership ? field('Ownership', change.ownership) : []),
      ];
    case 'bucket-deleted':
      return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Config Rules Compliance Change

export function formatComplianceChange(
  finding: ComplianceChangeFinding,
  outcomes: readonly Outcome[],
  context: FormatContext,
): Email {
  const resource = finding.target ? resourceLabel(finding.target) : `${finding.resourceType} ${finding.resourceId}`;
  const short = finding.target ? shortLabel(finding.target) : finding.resourceId;
  const shortRule = finding.ruleName.startsWith(context.rulePrefix)
    ? finding.ruleName.slice(context.rulePrefix.length)
    : finding.ruleName;
  const transition = complianceTransition(finding);
  const resolved = transition === 'resolved';
  const headline = capitalised(
    resolved
      ? finding.newCompliance === 'NOT_APPLICABLE'
        ? `${resource} is no longer evaluated by rule ${finding.ruleName} (NOT_APPLICABLE)`
        : `${resource} is ${finding.newCompliance} again with rule ${finding.ruleName}`
      : `${resource} is ${finding.newCompliance} with rule ${finding.ruleName}`,
  );
  const subjectHeadline = resolved
    ? `${short} ${finding.newCompliance} again (${shortRule})`
    : `${short} ${finding.newCompliance} (${shortRule})`;
  const tag = resolved ? 'RESOLVED' : (outcomeTag(outcomes) ?? 'ALERT');

  const what = [
    ...(finding.target?.kind === 'bucket' ? field('Bucket', finding.target.bucket) : []),
    ...(finding.target === undefined ? field('Resource', `${finding.resourceType} ${finding.resourceId}`) : []),
    ...field('Account', finding.accountId ?? 'not in the event'),
    ...field('Region', finding.region ?? 'not in the event'),
    ...field('Rule', finding.ruleName),
    ...field('Compliance', `${finding.oldCompliance ?? '(first evaluation)'} -> ${finding.newCompliance}`),
    ...(finding.annotation ? field('Why', finding.annotation) : []),
    ...field('When', finding.time),
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
  return {
    subject: subjectLine(tag, subjectHeadline),
    body: render(headline, [
      section('What happened', what),
      who,
      exemptionLines(bucketExemption(outcomes), context.exemptionTag),
      remediationSection(outcomes, noAction),
      section('Links', links),
      footer(context, finding.target?.kind === 'bucket'),
    ]),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// AWS API Call via CloudTrail

function apiHeadline(finding: ApiCallFinding): string {
  const actor = actorName(finding.actor);
  const target = targetName(finding.target);
  const change = finding.change;
  const text = ((): string => {
    switch (finding.eventName) {
      case 'PutBucketPublicAccessBlock':
        return `changed Block Public Access on bucket ${target}`;
      case 'DeleteBucketPublicAccessBlock':
        return `removed Block Public Access from bucket ${target}`;
      case 'PutAccountPublicAccessBlock':
        return `changed account-level Block Public Access in account ${target}`;
      case 'DeleteAccountPublicAccessBlock':
        return `removed account-level Block Public Access from account ${target}`;
      case 'PutBucketPolicy':
        return `put a bucket policy on ${target}`;
      case 'DeleteBucketPolicy':
        return `deleted the bucket policy of ${target}`;
      case 'PutBucketAcl':
        return change.setting === 'acl' && change.canned
          ? `set the ACL of ${target} to ${change.canned}`
          : `changed the ACL of ${target}`;
      case 'PutBucketVersioning':
        return change.setting === 'versioning' && change.versioning.known
          ? `set versioning of ${target} to ${change.versioning.value.status}`
          : `changed versioning of ${target}`;
      case 'PutBucketOwnershipControls':
        return change.setting === 'ownership' && change.ownership.known && change.ownership.value !== null
          ? `set Object Ownership of ${target} to ${change.ownership.value}`
          : `changed Object Ownership of ${target}`;
      case 'DeleteBucketOwnershipControls':
        return `deleted the ownership controls of ${target} (ACLs apply again)`;
      case 'CreateBucket':
        return `created bucket ${target}`;
      case 'DeleteBucket':
        return `deleted bucket ${target}`;
    }
  })();
  if (finding.error) return `${actor} tried ${finding.rawEventName} on ${target}: ${finding.error.code}`;
  return `${actor} ${text}`;
}

export function formatApiCall(finding: ApiCallFinding, outcomes: readonly Outcome[], context: FormatContext): Email {
  const headline = apiHeadline(finding);
  const defaultTag = finding.error
    ? finding.error.code === 'AccessDenied'
      ? 'DENIED'
      : 'FAILED CALL'
    : finding.effect === 'loosens'
      ? 'ALERT'
      : 'CHANGE';
  const tag = outcomeTag(outcomes) ?? defaultTag;
  const region = finding.region;
  const what = [
    ...(finding.target.kind === 'bucket' ? field('Bucket', finding.target.bucket) : []),
    ...field(
      'Account',
      finding.target.kind === 'account' ? finding.target.accountId : (finding.accountId ?? 'not in the event'),
    ),
    ...field('Region', region ?? 'not in the event'),
    ...field('API call', finding.rawEventName),
    ...changeLines(finding.change),
    ...(finding.error
      ? field(
          'Error',
          `${finding.error.code}${finding.error.message ? `: ${finding.error.message}` : ''} (nothing changed)`,
        )
      : []),
    ...field('When', finding.time),
  ];
  const actor = finding.actor;
  const who = [
    ...field('Identity', actor.arn ?? actor.invokedBy ?? actor.principalId ?? 'not in the record'),
    ...(actor.sessionIssuerArn ? field('Via role', actor.sessionIssuerArn) : []),
    ...(actor.invokedBy && actor.arn ? field('Invoked by', actor.invokedBy) : []),
    ...(actor.sourceIp ? field('Source IP', actor.sourceIp) : []),
    ...(actor.userAgent ? field('User agent', actor.userAgent) : []),
    ...(actor.mfaAuthenticated !== undefined ? field('MFA', actor.mfaAuthenticated ? 'yes' : 'no') : []),
  ];
  const links: string[] = [];
  if (finding.target.kind === 'bucket') links.push(...field('Bucket', bucketConsoleUrl(finding.target.bucket, region)));
  if (finding.eventId && isRegionCode(region))
    links.push(...field('CloudTrail', cloudTrailEventConsoleUrl(finding.eventId, region)));
  const noAction = finding.error ? undefined : 'none: no enabled action applies; review the change by hand.';
  return {
    subject: subjectLine(tag, headline),
    body: render(headline, [
      section('What happened', what),
      section('Who', who),
      exemptionLines(bucketExemption(outcomes), context.exemptionTag),
      remediationSection(outcomes, noAction),
      section('Links', links),
      footer(context, finding.target.kind === 'bucket'),
    ]),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CloudWatch Alarm State Change

export function formatAlarm(finding: AlarmFinding, context: FormatContext): Email {
  const resolved = finding.newState === 'OK';
  const headline = resolved
    ? `Alarm ${finding.alarmName} is OK again`
    : `Alarm ${finding.alarmName} is in ${finding.newState}`;
  const metric = finding.metric
    ? [finding.metric.namespace, finding.metric.name].filter(Boolean).join(' / ')
    : undefined;
  const what = [
    ...field('Alarm', finding.alarmName),
    ...(finding.description ? field('Meaning', finding.description) : []),
    ...field('State', `${finding.oldState ?? '?'} -> ${finding.newState}`),
    ...(finding.reason ? field('Reason', finding.reason) : []),
    ...(metric ? field('Metric', metric) : []),
    ...(finding.threshold !== undefined ? field('Threshold', String(finding.threshold)) : []),
    ...field('Account', finding.accountId ?? 'not in the event'),
    ...field('Region', finding.region ?? 'not in the event'),
    ...field('When', finding.time),
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
  return {
    subject: subjectLine(resolved ? 'OK' : finding.newState, headline),
    body: render(headline, [section('What happened', what), next, section('Links', links), footer(context, false)]),
  };
}

// ---------------------------------------------------------------------------------------------------------------

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
  return {
    subject: subjectLine(outcomeTag(outcomes) ?? 'NO CHANGE NEEDED', label),
    body: render(headline, [
      exemptionLines(bucketExemption(outcomes), context.exemptionTag),
      remediationSection(outcomes, 'none: no requested action applies to this target.'),
      section('Links', links),
      footer(context, target.kind === 'bucket'),
    ]),
  };
}
