/**
 * The security account's notifier relays the emails member accounts' responders composed: each member's notify and
 * remediation invocation results reach the central bus (Lambda destination, then a forwarding rule), and the central
 * notifier publishes the email each result carries, once, on the one organization topic, headed with the account
 * (name and id) and Region. So the organization gets exactly the emails a member account would have mailed itself:
 * one change, one email.
 *
 * A member account's text is untrusted (any principal of the organization may put to the bus): subject and body are
 * stripped of control and format characters line by line and capped; the account id and Region come from the event
 * envelope, which EventBridge sets to the sending account and cannot be forged by it. Pure; no SDK.
 */
import { isAccountId } from '../../model/arn';
import { capLength, inertText, stripControls } from '../../model/inert-text';
import { isRecord } from '../triggers/json';
import type { Email } from './format';
import { SUBJECT_PREFIX, subjectLine } from './text';

/** The detail-type Lambda gives a successful async invocation's result sent to an EventBridge destination. */
export const INVOCATION_RESULT_DETAIL_TYPE = 'Lambda Function Invocation Result - Success';
/** One member invocation reports at most this many emails here; the rest are counted in the last one. */
export const MAX_RELAYED_EMAILS = 50;
const MAX_BODY_CHARACTERS = 65_536;
const MAX_LINE_CHARACTERS = 4_096;

export interface RelayOrigin {
  readonly accountId: string;
  readonly region: string;
}

export type RelayParse =
  | {
      readonly kind: 'relay';
      readonly origin: RelayOrigin;
      readonly emails: readonly Email[];
      readonly dropped: number;
    }
  | { readonly kind: 'ignored'; readonly reason: string };

function emailOf(value: unknown): Email | undefined {
  if (!isRecord(value)) return undefined;
  const { subject, body } = value;
  return typeof subject === 'string' && typeof body === 'string' ? { subject, body } : undefined;
}

/** The emails of one forwarded responder result (remediation/response/respond.ts ResponseSummary). */
export function parseRelayedResult(event: unknown): RelayParse {
  if (!isRecord(event)) return { kind: 'ignored', reason: 'not an event object' };
  if (event.source !== 'lambda' || event['detail-type'] !== INVOCATION_RESULT_DETAIL_TYPE) {
    return { kind: 'ignored', reason: 'not a Lambda invocation result' };
  }
  const accountId = typeof event.account === 'string' ? event.account : '';
  const region = typeof event.region === 'string' ? event.region : '';
  if (!isAccountId(accountId) || !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) {
    return { kind: 'ignored', reason: 'no account id or Region in the envelope' };
  }
  const detail = isRecord(event.detail) ? event.detail : {};
  const payload = isRecord(detail.responsePayload) ? detail.responsePayload : {};
  const reports = Array.isArray(payload.reports) ? payload.reports : [];
  const emails = reports
    .map((report) => (isRecord(report) ? emailOf(report.email) : undefined))
    .filter((email): email is Email => email !== undefined);
  if (emails.length === 0) return { kind: 'ignored', reason: 'the result carries no email' };
  return {
    kind: 'relay',
    origin: { accountId, region },
    emails: emails.slice(0, MAX_RELAYED_EMAILS),
    dropped: Math.max(0, emails.length - MAX_RELAYED_EMAILS),
  };
}

/** "Production (111122223333)" or, when the name cannot be read, the id alone. */
export function accountLabel(accountId: string, name: string | undefined): string {
  return name ? `${inertText(name, 64)} (${accountId})` : accountId;
}

/**
 * The email as the organization receives it: the subject names the account and Region, the body starts with both
 * (and says when the name could not be read), then the member's text, made inert.
 */
export function relayEmail(email: Email, origin: RelayOrigin, accountName: string | undefined): Email {
  const headline = stripControls(email.subject).replace(SUBJECT_PREFIX, '').trim();
  const label = accountLabel(origin.accountId, accountName);
  const body = email.body
    .split(/\r?\n/)
    .map((line) => capLength(stripControls(line), MAX_LINE_CHARACTERS))
    .join('\n');
  return {
    subject: subjectLine(`${accountName ? inertText(accountName, 32) : origin.accountId} ${origin.region}`, headline),
    body: [
      `Account:      ${label}${accountName ? '' : ' (account name not readable from AWS Organizations)'}`,
      `Region:       ${origin.region}`,
      '',
      capLength(body, MAX_BODY_CHARACTERS),
    ].join('\n'),
  };
}
