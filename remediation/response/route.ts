/**
 * Who handles a finding: which enabled actions run, and which Lambda mails it. Pure and shared by the remediation
 * and notify Lambdas, so one change produces one email: `remediation` when an enabled action applies (the email
 * carries the outcome), `notify` for everything else worth a message, `none` for the rest.
 */
import type { ActionId } from '../actions/action-definition';
import type { AlarmFinding, ApiCallFinding, ApiEventName, ComplianceChangeFinding, Finding } from '../triggers/finding';

export type EmailBy = 'remediation' | 'notify' | 'none';

export interface Route {
  readonly actions: ActionId[];
  /** Actions that would apply but this deployment has not enabled (reported by replay as skipped). */
  readonly disabled: ActionId[];
  readonly emailBy: EmailBy;
  /** For the logs: why this route. */
  readonly reason: string;
}

export interface RoutingConfig {
  readonly enabledActions: readonly ActionId[];
  readonly rulePrefix: string;
  readonly alarmPrefix: string;
  /** bucketguard rule id -> the action that fixes it (from the rules registry: RuleMetadata.remediation). */
  readonly ruleActions: Readonly<Record<string, ActionId>>;
  readonly remediationRoleArn?: string;
}

export type ComplianceTransition = 'non-compliant' | 'still-non-compliant' | 'resolved' | 'other';

/** First evaluations (no old result) that are NON_COMPLIANT count as a transition. */
export function complianceTransition(
  finding: Pick<ComplianceChangeFinding, 'newCompliance' | 'oldCompliance'>,
): ComplianceTransition {
  const wasNonCompliant = finding.oldCompliance === 'NON_COMPLIANT';
  if (finding.newCompliance === 'NON_COMPLIANT') return wasNonCompliant ? 'still-non-compliant' : 'non-compliant';
  if (wasNonCompliant && (finding.newCompliance === 'COMPLIANT' || finding.newCompliance === 'NOT_APPLICABLE')) {
    return 'resolved';
  }
  return 'other';
}

/**
 * `bucketguard-s3-bucket-versioning-enabled` and conformance-pack style `…-enabled-conformance-pack-6cruwvtg2` -> the
 * rule id. The longest known id wins, so an id that is a prefix of another never shadows it.
 */
export function ruleIdOf(ruleName: string, prefix: string, ruleIds: readonly string[]): string | undefined {
  if (!ruleName.startsWith(prefix)) return undefined;
  const rest = ruleName.slice(prefix.length);
  return ruleIds.filter((id) => rest === id || rest.startsWith(`${id}-`)).sort((a, b) => b.length - a.length)[0];
}

const NONE = (reason: string): Route => ({ actions: [], disabled: [], emailBy: 'none', reason });
const NOTIFY = (reason: string): Route => ({ actions: [], disabled: [], emailBy: 'notify', reason });

function byActions(candidates: readonly ActionId[], config: RoutingConfig, reason: string): Route {
  const actions = candidates.filter((action) => config.enabledActions.includes(action));
  const disabled = candidates.filter((action) => !config.enabledActions.includes(action));
  return actions.length > 0
    ? { actions, disabled, emailBy: 'remediation', reason }
    : { actions, disabled, emailBy: 'notify', reason: `${reason}; no enabled action applies` };
}

function routeCompliance(finding: ComplianceChangeFinding, config: RoutingConfig): Route {
  if (!finding.ruleName.startsWith(config.rulePrefix)) {
    return NONE(`rule ${finding.ruleName} does not start with ${JSON.stringify(config.rulePrefix)}`);
  }
  const transition = complianceTransition(finding);
  if (transition === 'resolved') return NOTIFY('resolved');
  if (transition !== 'non-compliant')
    return NONE(`${transition} (${finding.oldCompliance ?? 'first evaluation'} -> ${finding.newCompliance})`);
  const ruleId = ruleIdOf(finding.ruleName, config.rulePrefix, Object.keys(config.ruleActions));
  const action = ruleId !== undefined ? config.ruleActions[ruleId] : undefined;
  const fits =
    action !== undefined &&
    finding.target !== undefined &&
    (finding.target.kind === 'account') === (action === 'block-account-public-access');
  return byActions(fits ? [action] : [], config, 'became NON_COMPLIANT');
}

/** The actions that can undo what each call does (the plan, from live state, decides whether anything is needed). */
const API_ACTIONS: Readonly<Record<ApiEventName, readonly ActionId[]>> = {
  PutBucketPublicAccessBlock: ['block-public-access'],
  DeleteBucketPublicAccessBlock: ['block-public-access'],
  PutBucketPolicy: ['block-public-access'],
  PutBucketAcl: ['block-public-access'],
  PutBucketOwnershipControls: ['block-public-access'],
  DeleteBucketOwnershipControls: ['block-public-access'],
  CreateBucket: ['block-public-access', 'enable-versioning'],
  PutBucketVersioning: ['enable-versioning'],
  PutAccountPublicAccessBlock: ['block-account-public-access'],
  DeleteAccountPublicAccessBlock: ['block-account-public-access'],
  // Removing a policy or a bucket cannot expose anything: mailed, never remediated.
  DeleteBucketPolicy: [],
  DeleteBucket: [],
  // An exemption is approved in the deployment's list, never by a tag: tagging is mailed, never remediated.
  PutBucketTagging: [],
  DeleteBucketTagging: [],
};

function isOwnChange(finding: ApiCallFinding, roleArn: string | undefined): boolean {
  return roleArn !== undefined && (finding.actor.sessionIssuerArn === roleArn || finding.actor.arn === roleArn);
}

function routeApiCall(finding: ApiCallFinding, config: RoutingConfig): Route {
  if (isOwnChange(finding, config.remediationRoleArn)) return NONE('bucketguard remediation made this change');
  if (finding.effect === 'tightens') return NONE(`${finding.eventName} only tightens`);
  // A failed call changed nothing: never remediated, but an attempt to open a bucket is worth knowing about.
  if (finding.error) return NOTIFY(`failed call (${finding.error.code})`);
  return byActions(API_ACTIONS[finding.eventName], config, `${finding.eventName} ${finding.effect}`);
}

function routeAlarm(finding: AlarmFinding, config: RoutingConfig): Route {
  if (!finding.alarmName.startsWith(config.alarmPrefix)) {
    return NONE(`alarm ${finding.alarmName} does not start with ${JSON.stringify(config.alarmPrefix)}`);
  }
  if (finding.newState === 'ALARM') return NOTIFY('alarm');
  if (finding.newState === 'OK' && finding.oldState === 'ALARM') return NOTIFY('alarm resolved');
  return NONE(`alarm went ${finding.oldState ?? '?'} -> ${finding.newState}`);
}

export function routeFinding(finding: Finding, config: RoutingConfig): Route {
  switch (finding.kind) {
    case 'compliance-change':
      return routeCompliance(finding, config);
    case 'api-call':
      return routeApiCall(finding, config);
    case 'alarm':
      return routeAlarm(finding, config);
  }
}
