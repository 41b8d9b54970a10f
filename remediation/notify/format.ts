/**
 * The emails: one pure formatter per trigger kind, each Finding (+ the remediation outcomes, if any) -> {subject,
 * body}. Plain text for a mail client: one headline, labelled fields, short lines, console links, no JSON.
 * The same words as the rules' annotations and the CLI; nothing here reads the clock or the environment.
 */

import type { ExemptionDecision } from '../../model/approved-exemptions';
import { parseArn } from '../../model/arn';
import { untilTagKey } from '../../model/exemptions';
import type { AclGrant, BucketAcl, BucketPolicy, PolicyPrincipal, PolicyStatement } from '../../model/types';
import { describeBpa, describeSnapshot, describeVersioning, type Outcome } from '../actions/outcome';
import type { RecheckMarker } from '../response/recheck';
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
import { alertSection, outcomeTag, severityField } from './alerts';
import { tagHeadline, tagLines } from './tagging';
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
  untrusted,
  withoutMarks,
} from './text';

/** Values from an event or a resource: identifiers marked, free text quoted (text.ts makes both inert). */
const id = (value: string): string => untrusted(value);
const quoted = (value: string): string => untrusted(value, 'quoted');

export interface Email {
  readonly subject: string;
  readonly body: string;
  /** Set on high-severity emails (tampering, stopped, contested, no brake); published as an SNS message attribute. */
  readonly severity?: 'high';
  /** For the machine-readable stream (chat.ts); an email without them still gets one, from its subject and body. */
  readonly facts?: EmailFacts;
}

/** What a program needs to route the notification without reading its text. */
export interface EmailFacts {
  /** The subject's verdict: ALERT, FIXED, FIX FAILED, STOPPED, DRY RUN, RESOLVED, OK, ALARM, DENIED, CHANGE, ... */
  readonly verdict: string;
  readonly source: 'config' | 'cloudtrail' | 'alarm' | 'remediation-request' | 'bucketguard';
  readonly accountId?: string;
  readonly region?: string;
  readonly bucket?: string;
  /** Console links, in the email's order. */
  readonly links?: readonly string[];
}

export interface FormatContext {
  /** Stripped from rule names in subjects (bodies keep the full deployed name). */
  readonly rulePrefix: string;
  readonly exemptionTag: string;
  /** Set when the event is bucketguard's own scheduled re-check (the email says so). */
  readonly recheck?: RecheckMarker;
  /** For a tagging call: what the approved exemption list says of the bucket (looked up by the responder). */
  readonly approval?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces

/** `Admin/alice` for an assumed role session, `bob` for an IAM user, `root`, or the invoking service. */
export function actorName(actor: Actor): string {
  return withoutMarks(markedActorName(actor));
}

function markedActorName(actor: Actor): string {
  return id(rawActorName(actor));
}

function rawActorName(actor: Actor): string {
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
  for (const entry of outcome.neutralises ?? []) {
    lines.push(
      ...field(
        'Overrides',
        `approved exemption of bucket ${id(entry.bucket)}${entry.account ? ` (${id(entry.account)})` : ''}, by ${quoted(entry.approver)} until ${id(entry.until)}: ${quoted(entry.reason)}`,
        4,
      ),
    );
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

function exemptionLines(exemption: ExemptionDecision | undefined, tagKey: string): string[] {
  if (!exemption) return [];
  switch (exemption.state) {
    case 'approved':
      return section('Exemption', [
        ...field('Exempt', `yes: approved by ${quoted(exemption.entry.approver)}: ${quoted(exemption.entry.reason)}`),
        ...field('Until', id(exemption.entry.until)),
      ]);
    case 'requested':
      return section('Exemption', [
        ...field('Exempt', `no: requested with tag ${id(tagKey)}, not approved (no entry in the approved list)`),
      ]);
    case 'unreadable':
      return section('Exemption', [
        ...field('Exempt', `no: the approved exemption list could not be read (${id(exemption.why)})`),
      ]);
    case 'none':
      return [];
  }
}

function bucketExemption(outcomes: readonly Outcome[]): ExemptionDecision | undefined {
  return outcomes.find((outcome) => outcome.targetKind === 'bucket' && outcome.exemption)?.exemption;
}

function footer(context: FormatContext, bucket: boolean): string[] {
  const lines = ['', '--', 'bucketguard keeps S3 buckets from silently becoming public.'];
  if (bucket) {
    lines.push(
      ...paragraph(
        'To exempt a bucket on purpose, ask the security team to add it to the approved exemption list; ' +
          `a tag ${context.exemptionTag}=<reason> (and ${untilTagKey({ tagKey: context.exemptionTag, enabled: true })}=<YYYY-MM-DD>) is only a request.`,
      ),
    );
  }
  return lines;
}

function render(headline: string, sections: readonly string[][]): string {
  return `${[...paragraph(`${headline}.`), ...sections.flat()].join('\n')}\n`;
}

function resourceLabel(target: Target): string {
  return target.kind === 'bucket' ? `bucket ${id(target.bucket)}` : `account ${id(target.accountId)}`;
}

/** Subjects are short: a bucket is just its name, an account says so. */
function shortLabel(target: Target): string {
  return target.kind === 'bucket' ? id(target.bucket) : `account ${id(target.accountId)}`;
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
    .map(([kind, values]) => `${id(kind)} ${list(values).map(id).join(', ')}`)
    .join('; ');
}

function shortList(values: readonly string[], max = 3): string {
  return values.length <= max
    ? values.join(', ')
    : `${values.slice(0, max).join(', ')} and ${values.length - max} more`;
}

function statementText(statement: PolicyStatement, index: number): string {
  const name = statement.Sid ? quoted(statement.Sid) : `#${index + 1}`;
  const actions =
    statement.Action !== undefined
      ? shortList(list(statement.Action).map(id))
      : `all but ${shortList(list(statement.NotAction).map(id))}`;
  const who =
    statement.NotPrincipal !== undefined
      ? `everyone except ${principalText(statement.NotPrincipal)}`
      : principalText(statement.Principal);
  const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
  const condition = keys.length > 0 ? ` if ${shortList([...new Set(keys)].map(id))}` : '';
  return `${name}: ${id(statement.Effect)} ${actions} to ${who}${condition}`;
}

export function describePolicy(policy: BucketPolicy): string[] {
  return markedPolicyLines(policy).map(withoutMarks);
}

function markedPolicyLines(policy: BucketPolicy): string[] {
  const shown = policy.Statement.slice(0, 5).map(statementText);
  const more = policy.Statement.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more statement(s)`] : shown;
}

function grantText(grant: AclGrant): string {
  const grantee = grant.grantee;
  switch (grantee.kind) {
    case 'group':
      return `${id(grantee.group)} ${id(grant.permission)}`;
    case 'canonicalUser':
      return `user ${id(grantee.displayName ?? `${grantee.id.slice(0, 12)}...`)} ${id(grant.permission)}`;
    case 'email':
      return `${id(grantee.email)} ${id(grant.permission)}`;
    case 'unrecognised':
      return `unrecognised grantee ${id(grant.permission)}`;
  }
}

export function describeAcl(acl: BucketAcl): string {
  return withoutMarks(markedAcl(acl));
}

function markedAcl(acl: BucketAcl): string {
  return acl.grants.length === 0 ? 'no grants besides the owner' : acl.grants.map(grantText).join(', ');
}

function changeLines(change: RequestedChange, context: FormatContext): string[] {
  switch (change.setting) {
    case 'bucket-bpa':
    case 'account-bpa':
      if (!change.flags.known) return field('Requested', `not in the record (${id(change.flags.reason)})`);
      return change.flags.value === null
        ? field('Now', 'Block Public Access removed: all four flags off')
        : field('Requested', describeBpa(change.flags.value));
    case 'policy':
      if (!change.policy.known) return field('Policy', `not readable (${id(change.policy.reason)})`);
      if (change.policy.value === null) return field('Policy', 'deleted');
      return markedPolicyLines(change.policy.value).flatMap((line, index) => field(index === 0 ? 'Policy' : '', line));
    case 'acl':
      return [
        ...(change.canned ? field('Canned ACL', id(change.canned)) : []),
        ...field('Grants', change.acl.known ? markedAcl(change.acl.value) : `not readable (${id(change.acl.reason)})`),
      ];
    case 'versioning':
      return field(
        'Versioning',
        change.versioning.known ? id(describeVersioning(change.versioning.value)) : id(change.versioning.reason),
      );
    case 'ownership':
      if (!change.ownership.known) return field('Ownership', id(change.ownership.reason));
      return field(
        'Ownership',
        change.ownership.value === null ? 'controls deleted: ACLs are in force again' : id(change.ownership.value),
      );
    case 'bucket-created':
      return [
        ...(change.locationConstraint ? field('Location', id(change.locationConstraint)) : []),
        ...(change.canned ? field('Canned ACL', id(change.canned)) : []),
        ...(change.acl?.known && !change.canned ? field('Grants', markedAcl(change.acl.value)) : []),
        ...(change.ownership ? field('Ownership', id(change.ownership)) : []),
      ];
    case 'bucket-deleted':
      return [];
    case 'tagging':
      return tagLines(change.tags, context.exemptionTag, context.approval);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Config Rules Compliance Change

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

// ---------------------------------------------------------------------------------------------------------------
// AWS API Call via CloudTrail

function apiHeadline(finding: ApiCallFinding, exemptionTag: string): string {
  const actor = markedActorName(finding.actor);
  const target = id(targetName(finding.target));
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
          ? `set the ACL of ${target} to ${id(change.canned)}`
          : `changed the ACL of ${target}`;
      case 'PutBucketVersioning':
        return change.setting === 'versioning' && change.versioning.known
          ? `set versioning of ${target} to ${id(change.versioning.value.status)}`
          : `changed versioning of ${target}`;
      case 'PutBucketOwnershipControls':
        return change.setting === 'ownership' && change.ownership.known && change.ownership.value !== null
          ? `set Object Ownership of ${target} to ${id(change.ownership.value)}`
          : `changed Object Ownership of ${target}`;
      case 'DeleteBucketOwnershipControls':
        return `deleted the ownership controls of ${target} (ACLs apply again)`;
      case 'CreateBucket':
        return `created bucket ${target}`;
      case 'DeleteBucket':
        return `deleted bucket ${target}`;
      case 'PutBucketTagging':
      case 'DeleteBucketTagging':
        return tagHeadline(change, target, exemptionTag);
    }
  })();
  if (finding.error) return `${actor} tried ${id(finding.rawEventName)} on ${target}: ${id(finding.error.code)}`;
  return `${actor} ${text}`;
}

export function formatApiCall(finding: ApiCallFinding, outcomes: readonly Outcome[], context: FormatContext): Email {
  const headline = apiHeadline(finding, context.exemptionTag);
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
    ...(finding.target.kind === 'bucket' ? field('Bucket', id(finding.target.bucket)) : []),
    ...field(
      'Account',
      finding.target.kind === 'account'
        ? id(finding.target.accountId)
        : finding.accountId
          ? id(finding.accountId)
          : 'not in the event',
    ),
    ...field('Region', region ? id(region) : 'not in the event'),
    ...field('API call', id(finding.rawEventName)),
    ...changeLines(finding.change, context),
    ...(finding.error
      ? field(
          'Error',
          `${id(finding.error.code)}${finding.error.message ? `: ${quoted(finding.error.message)}` : ''} (nothing changed)`,
        )
      : []),
    ...field('When', id(finding.time)),
  ];
  const actor = finding.actor;
  const identity = actor.arn ?? actor.invokedBy ?? actor.principalId;
  const who = [
    ...field('Identity', identity ? id(identity) : 'not in the record'),
    ...(actor.sessionIssuerArn ? field('Via role', id(actor.sessionIssuerArn)) : []),
    ...(actor.invokedBy && actor.arn ? field('Invoked by', id(actor.invokedBy)) : []),
    ...(actor.sourceIp ? field('Source IP', id(actor.sourceIp)) : []),
    ...(actor.userAgent ? field('User agent', quoted(actor.userAgent)) : []),
    ...(actor.mfaAuthenticated !== undefined ? field('MFA', actor.mfaAuthenticated ? 'yes' : 'no') : []),
  ];
  const links: string[] = [];
  if (finding.target.kind === 'bucket') links.push(...field('Bucket', bucketConsoleUrl(finding.target.bucket, region)));
  if (finding.eventId && isRegionCode(region))
    links.push(...field('CloudTrail', cloudTrailEventConsoleUrl(finding.eventId, region)));
  const noAction = finding.error ? undefined : 'none: no enabled action applies; review the change by hand.';
  const accountId = finding.target.kind === 'account' ? finding.target.accountId : finding.accountId;
  const bucket = finding.target.kind === 'bucket' ? finding.target.bucket : undefined;
  return {
    subject: subjectLine(tag, headline, bucket ? [bucket] : accountId ? [accountId] : []),
    facts: {
      verdict: tag,
      source: 'cloudtrail',
      ...(accountId ? { accountId } : {}),
      ...(region ? { region } : {}),
      ...(bucket ? { bucket } : {}),
    },
    body: render(headline, [
      alertSection(outcomes, context.recheck),
      section('What happened', what),
      section('Who', who),
      exemptionLines(bucketExemption(outcomes), context.exemptionTag),
      remediationSection(outcomes, noAction),
      section('Links', links),
      footer(context, finding.target.kind === 'bucket'),
    ]),
    ...severityField(outcomes),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CloudWatch Alarm State Change

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
