/**
 * `bucketguard replay` for the response path: runs the REAL remediation and notify handlers over recorded events,
 * offline. AWS calls are answered in-process by the offline answerer (answerer.ts) from the world's states: the
 * recorded configuration items, else what each CloudTrail call itself says (event-state.ts); what neither says is
 * unknown, and the action is skipped with that reason. Writes change the world (so read-back verification is real);
 * SNS Publish is captured, not sent. Default: dry run with the default actions.
 */
import type { ActionId, RemediationMode } from '../../remediation/actions/action-definition';
import { ACTION_IDS } from '../../remediation/actions/action-definition';
import type { Outcome, OutcomeStatus } from '../../remediation/actions/outcome';
import { InMemoryFlapStore } from '../../remediation/flap-store/flap-store';
import { remediationResponder } from '../../remediation/handler';
import { notifyResponder } from '../../remediation/notify/handler';
import { SILENT_LOGGER } from '../../remediation/response/respond';
import { DEFAULT_ACTIONS, loadResponseConfig, type ResponseConfig } from '../../remediation/runtime/config';
import { snsPublisher } from '../../remediation/runtime/publish';
import { type Finding, TRIGGER_LABELS, targetName } from '../../remediation/triggers/finding';
import { findingsOf, parseTriggers } from '../../remediation/triggers/triggers';
import { createOfflineClients } from './answerer';
import { eventIsNewer, stateAfterApiCall } from './event-state';
import type { OfflineWorld } from './world';

export interface ReplayEvent {
  /** Where the event came from (a file path); echoed in the results. */
  readonly source: string;
  readonly document: unknown;
}

export interface ReplayNotification {
  /** The trigger kind: the EventBridge detail-type. */
  readonly trigger: string;
  readonly subject: string;
  readonly body: string;
  readonly source: string;
}

export interface ReplayPlan {
  readonly action: string;
  /** Bucket name or account id. */
  readonly target: string;
  /** `BlockPublicAcls: false -> true`. */
  readonly changes: string[];
  readonly status: OutcomeStatus;
  readonly reason: string;
  readonly source: string;
}

export interface ReplayResult {
  readonly notifications: ReplayNotification[];
  readonly plans: ReplayPlan[];
  /** Triggers that could not be read (never acted on), by source. */
  readonly problems: { readonly source: string; readonly message: string }[];
}

export interface ReplayOptions {
  readonly mode?: RemediationMode;
  readonly actions?: readonly ActionId[];
  /** The clock for exemptions and flap windows; default: each event's own time (what would have happened then). */
  readonly now?: Date;
  /** The SSM parameter (in the world) holding the approved exemption list; absent = none approved. */
  readonly exemptionsParameter?: string;
  /** The deployed remediation role (BUCKETGUARD_REMEDIATION_ROLE_ARN): its own CloudTrail calls are not mailed. */
  readonly remediationRoleArn?: string;
}

/** The SNS topic the captured emails are addressed to (nothing is sent). */
export const REPLAY_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:bucketguard-replay';

function replayConfig(options: ReplayOptions): ResponseConfig {
  const actions = options.actions ?? DEFAULT_ACTIONS;
  return {
    ...loadResponseConfig({}),
    mode: options.mode ?? 'notify',
    enabledActions: ACTION_IDS.filter((id) => actions.includes(id)),
    topicArn: REPLAY_TOPIC_ARN,
    ...(options.exemptionsParameter !== undefined ? { exemptionsParameter: options.exemptionsParameter } : {}),
    ...(options.remediationRoleArn ? { remediationRoleArn: options.remediationRoleArn } : {}),
  };
}

/** A CloudTrail call changes the world when nothing recorded knows the target, or when it is newer than the record. */
function applyToWorld(world: OfflineWorld, finding: Finding): void {
  if (finding.kind !== 'api-call' || finding.error) return;
  const target = finding.target;
  const previous = target.kind === 'bucket' ? world.buckets.get(target.bucket) : world.accounts.get(target.accountId);
  if (previous && previous.source !== 'cloudtrail-request' && !eventIsNewer(finding.time, previous.captureTime)) return;
  const next = stateAfterApiCall(finding, previous);
  if (next?.kind === 'bucket') world.buckets.set(next.name, next);
  else if (next?.kind === 'account') world.accounts.set(next.accountId, next);
}

function toPlan(outcome: Outcome, source: string): ReplayPlan {
  return {
    action: outcome.action,
    target: outcome.target,
    changes: outcome.changes.map((change) => `${change.setting}: ${change.from} -> ${change.to}`),
    status: outcome.status,
    reason: outcome.reason,
    source,
  };
}

/** Replays `events` in order against `world`, which they change (CloudTrail calls, and writes in remediate mode). */
export async function replayResponse(
  events: readonly ReplayEvent[],
  world: OfflineWorld,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const clients = createOfflineClients(world);
  const config = replayConfig(options);
  const notifications: ReplayNotification[] = [];
  const plans: ReplayPlan[] = [];
  const problems: ReplayResult['problems'] = [];
  const send = snsPublisher(clients.sns, REPLAY_TOPIC_ARN);
  let now = options.now ?? new Date();
  let source = '';
  const publish = async (email: { subject: string; body: string }, finding: Finding): Promise<void> => {
    await send(email);
    notifications.push({ trigger: TRIGGER_LABELS[finding.kind], subject: email.subject, body: email.body, source });
  };
  const remediation = remediationResponder({
    config,
    s3: clients.s3,
    s3control: clients.s3control,
    ssm: clients.ssm,
    publish,
    logger: SILENT_LOGGER,
    flapStore: new InMemoryFlapStore(config.flapLimit, config.flapWindowSeconds),
    now: () => now,
    // In-process writes are immediately consistent: one read-back, no waiting.
    applyOptions: { readBackAttempts: 1, sleep: async () => {} },
  });
  const notify = notifyResponder({ config, publish, logger: SILENT_LOGGER });

  for (const event of events) {
    source = event.source;
    const findings = findingsOf(parseTriggers(event.document));
    for (const finding of findings) applyToWorld(world, finding);
    if (!options.now) {
      const time = findings.length > 0 ? Date.parse(findings[0].time) : Number.NaN;
      now = Number.isFinite(time) ? new Date(time) : new Date();
    }
    const acted = await remediation(event.document);
    await notify(event.document);
    for (const message of acted.invalid) problems.push({ source, message });
    for (const report of acted.reports) {
      plans.push(...report.outcomes.map((outcome) => toPlan(outcome, source)));
      const target = report.finding.kind === 'alarm' ? undefined : report.finding.target;
      if (!target || report.route.emailBy === 'none') continue;
      for (const action of report.route.disabled) {
        plans.push({
          action,
          target: targetName(target),
          changes: [],
          status: 'skipped',
          reason: `${action} is not enabled in this deployment (BUCKETGUARD_ACTIONS)`,
          source,
        });
      }
    }
  }
  return { notifications, plans, problems };
}
