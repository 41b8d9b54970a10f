/**
 * The pieces every email shares: the Email shape, the format context, actors, remediation outcomes, exemptions,
 * the footer and the layout. Pure: nothing here reads the clock or the environment.
 */

import type { ExemptionDecision } from '../../model/approved-exemptions';
import { parseArn } from '../../model/arn';
import { untilTagKey } from '../../model/exemptions';
import { describeSnapshot, type Outcome } from '../actions/outcome';
import type { RecheckMarker } from '../response/recheck';
import type { Actor, Target } from '../triggers/finding';
import { field, paragraph, section, untrusted, withoutMarks } from './text';

/** Values from an event or a resource: identifiers marked, free text quoted (text.ts makes both inert). */
export const id = (value: string): string => untrusted(value);
export const quoted = (value: string): string => untrusted(value, 'quoted');

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

/** `Admin/alice` for an assumed role session, `bob` for an IAM user, `root`, or the invoking service. */
export function actorName(actor: Actor): string {
  return withoutMarks(markedActorName(actor));
}

export function markedActorName(actor: Actor): string {
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

export function remediationSection(outcomes: readonly Outcome[], noneText: string | undefined): string[] {
  if (outcomes.length === 0) return noneText === undefined ? [] : section('Remediation', paragraph(noneText, 2));
  const modes = [...new Set(outcomes.map((outcome) => outcome.mode))];
  const modeText = modes.map((mode) => (mode === 'notify' ? 'notify (dry run)' : 'remediate')).join(' / ');
  const lines = [...field('Mode', modeText)];
  for (const outcome of outcomes) lines.push('', ...outcomeLines(outcome));
  return section('Remediation', lines);
}

export function exemptionLines(exemption: ExemptionDecision | undefined, tagKey: string): string[] {
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

export function bucketExemption(outcomes: readonly Outcome[]): ExemptionDecision | undefined {
  return outcomes.find((outcome) => outcome.targetKind === 'bucket' && outcome.exemption)?.exemption;
}

export function footer(context: FormatContext, bucket: boolean): string[] {
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

export function render(headline: string, sections: readonly string[][]): string {
  return `${[...paragraph(`${headline}.`), ...sections.flat()].join('\n')}\n`;
}

export function resourceLabel(target: Target): string {
  return target.kind === 'bucket' ? `bucket ${id(target.bucket)}` : `account ${id(target.accountId)}`;
}

/** Subjects are short: a bucket is just its name, an account says so. */
export function shortLabel(target: Target): string {
  return target.kind === 'bucket' ? id(target.bucket) : `account ${id(target.accountId)}`;
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
