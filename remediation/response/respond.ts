/**
 * The loop both responder Lambdas run: parse every trigger in the event, route each finding, let the remediation
 * Lambda act, and mail from whichever Lambda the route names. Imports no AWS client (the notify Lambda's bundle
 * stays small); the clients come in through `remediate` and `publish`.
 */

import type { ActionId } from '../actions/action-definition';
import type { Outcome } from '../actions/outcome';
import { type Email, type FormatContext, formatFinding } from '../notify/format';
import { modeFor, type ResponseConfig } from '../runtime/config';
import { type Finding, TRIGGER_LABELS, targetName } from '../triggers/finding';
import { parseTriggers } from '../triggers/triggers';
import { recheckOf, singleTrigger } from './recheck';
import { type Route, type RoutingConfig, routeFinding } from './route';
import { RULE_ACTIONS } from './rule-actions';

/** The subset of the Powertools Logger the responders use (tests pass a recorder). */
export interface ResponderLogger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/**
 * `AccessDenied (403)` from an SDK error. Same output as aws/live-s3 describeAwsError, kept here so the
 * notify Lambda does not load the S3 clients that module imports.
 */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const record = error as {
    name?: unknown;
    Code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const code = [record.Code, record.name].find(
    (value) => typeof value === 'string' && value !== '' && value !== 'Error',
  );
  const label =
    typeof code === 'string'
      ? code
      : typeof record.message === 'string' && record.message !== ''
        ? record.message.slice(0, 120)
        : 'Error';
  const status = record.$metadata?.httpStatusCode;
  return typeof status === 'number' ? `${label} (${status})` : label;
}

export const SILENT_LOGGER: ResponderLogger = { debug() {}, info() {}, warn() {}, error() {} };

export type ResponderRole = 'remediation' | 'notify';

export interface RespondDeps {
  readonly config: ResponseConfig;
  readonly logger: ResponderLogger;
  /** For tagging calls: what the approved exemption list says of the bucket (one line; never throws). */
  readonly approval?: (bucket: string, accountId: string | undefined) => Promise<string>;
  readonly publish: (email: Email, finding: Finding) => Promise<void>;
  /**
   * Only the remediation Lambda has one. `trigger` is the finding's own trigger in the shape it arrived in (one SNS
   * record of a batch stays a record): what a re-check re-delivers.
   */
  readonly remediate?: (finding: Finding, actions: readonly ActionId[], trigger: unknown) => Promise<Outcome[]>;
  readonly recordOutcome?: (outcome: Outcome) => void;
}

export interface FindingReport {
  /** The EventBridge detail-type of the trigger kind. */
  readonly trigger: string;
  readonly finding: Finding;
  readonly route: Route;
  readonly outcomes: readonly Outcome[];
  /** Set when this Lambda published an email for the finding. */
  readonly email?: Email;
}

export interface ResponseSummary {
  readonly reports: readonly FindingReport[];
  readonly ignored: readonly string[];
  readonly invalid: readonly string[];
}

export function routingConfigOf(config: ResponseConfig): RoutingConfig {
  return {
    enabledActions: config.enabledActions,
    rulePrefix: config.rulePrefix,
    alarmPrefix: config.alarmPrefix,
    ruleActions: RULE_ACTIONS,
    ...(config.remediationRoleArn !== undefined ? { remediationRoleArn: config.remediationRoleArn } : {}),
  };
}

export function formatContextOf(config: ResponseConfig): FormatContext {
  return { rulePrefix: config.rulePrefix, exemptionTag: config.exemption.tagKey };
}

function targetOf(finding: Finding): string | undefined {
  if (finding.kind === 'alarm') return finding.alarmName;
  return finding.target ? targetName(finding.target) : undefined;
}

/** A remediation that throws (a bug: the engine itself never does) still yields outcomes, and still gets mailed. */
function crashedOutcomes(
  finding: Finding,
  actions: readonly ActionId[],
  config: ResponseConfig,
  error: unknown,
): Outcome[] {
  const target = finding.kind !== 'alarm' ? finding.target : undefined;
  if (!target) return [];
  return actions.map((action) => ({
    action,
    targetKind: target.kind,
    target: targetName(target),
    mode: modeFor(config, action),
    status: 'failed',
    reason: `remediation stopped by an unexpected error (${describeError(error)}); state unknown, check the bucket`,
    changes: [],
  }));
}

/**
 * Handles one Lambda event. Parse problems are logged, never thrown (retrying cannot fix them). A failed email is
 * thrown at the end, after every finding was handled, so Lambda's retry re-sends it; remediation is idempotent.
 */
export async function respond(event: unknown, role: ResponderRole, deps: RespondDeps): Promise<ResponseSummary> {
  const { config, logger } = deps;
  const routing = routingConfigOf(config);
  const recheck = recheckOf(event);
  const context = { ...formatContextOf(config), ...(recheck !== undefined ? { recheck } : {}) };
  const reports: FindingReport[] = [];
  const ignored: string[] = [];
  const invalid: string[] = [];
  const publishErrors: string[] = [];
  // Built once per event: an SNS delivery can carry many records, and each unreadable one logs the same excerpt
  // (building it per record stringified the whole event each time: quadratic, and out of memory at 10,000 records).
  let excerpt: ReturnType<typeof eventExcerpt> | undefined;

  for (const [index, parsed] of parseTriggers(event).entries()) {
    if (parsed.kind === 'ignored') {
      ignored.push(parsed.reason);
      logger.debug('Ignored event', { reason: parsed.reason });
      continue;
    }
    if (parsed.kind === 'invalid') {
      invalid.push(parsed.error.message);
      excerpt ??= eventExcerpt(event);
      logger.error('Unreadable trigger', { error: parsed.error.message, ...excerpt });
      continue;
    }
    const finding = parsed.finding;
    const route = routeFinding(finding, routing);
    const trigger = TRIGGER_LABELS[finding.kind];
    let outcomes: Outcome[] = [];
    if (role === 'remediation' && route.actions.length > 0 && deps.remediate) {
      try {
        outcomes = await deps.remediate(finding, route.actions, singleTrigger(event, index));
      } catch (error) {
        logger.error('Remediation threw', { error: describeError(error), target: targetOf(finding) });
        outcomes = crashedOutcomes(finding, route.actions, config, error);
      }
      for (const outcome of outcomes) {
        deps.recordOutcome?.(outcome);
        logger.info('Remediation outcome', { ...outcome });
      }
    }
    let email: Email | undefined;
    if (route.emailBy === role) {
      const tagging = finding.kind === 'api-call' && finding.change.setting === 'tagging' && !finding.error;
      const approval =
        tagging && deps.approval && finding.target.kind === 'bucket'
          ? await deps.approval(finding.target.bucket, finding.accountId)
          : undefined;
      email = formatFinding(finding, outcomes, approval !== undefined ? { ...context, approval } : context);
      try {
        await deps.publish(email, finding);
        logger.info('Email published', { trigger, target: targetOf(finding), subject: email.subject });
      } catch (error) {
        publishErrors.push(`${email.subject}: ${describeError(error)}`);
        logger.error('Email not published', { trigger, subject: email.subject, error: describeError(error) });
      }
    }
    logger.info('Finding handled', { trigger, target: targetOf(finding), route: route.reason, emailBy: route.emailBy });
    reports.push({ trigger, finding, route, outcomes, ...(email !== undefined ? { email } : {}) });
  }
  if (publishErrors.length > 0) {
    throw new Error(`SNS Publish failed for ${publishErrors.length} email(s): ${publishErrors.join('; ')}`);
  }
  return { reports, ignored, invalid };
}

/** Enough of an unreadable event to diagnose it: a damaged event can be 1 MB, and so would its log line be. */
const LOGGED_EVENT_CHARS = 4096;

function eventExcerpt(event: unknown): { readonly event: string; readonly eventChars: number } {
  let text: string;
  try {
    text = JSON.stringify(event) ?? String(event);
  } catch {
    text = String(event);
  }
  const excerpt = text.length > LOGGED_EVENT_CHARS ? `${text.slice(0, LOGGED_EVENT_CHARS)}… [truncated]` : text;
  return { event: excerpt, eventChars: text.length };
}
