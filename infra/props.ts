/**
 * The BucketGuard construct's props, their defaults, and their validation. Every bad value fails the synth with an
 * InvalidBucketGuardPropsError naming the prop, what was received and what is accepted: a typo in a deployment
 * setting must never deploy something looser than asked.
 */

import { DEFAULT_EXEMPTION_TAG } from '../model/exemptions';
import { BPA_FLAGS, type BpaFlag } from '../model/types';
import type { ActionId, RemediationMode } from '../remediation/actions/action-definition';
import { DEFAULT_FLAP_LIMIT, DEFAULT_FLAP_WINDOW_SECONDS, DEFAULT_PREFIX } from '../remediation/runtime/config';
import type { BucketGuardRegistry } from './registry';

export type TrailOption =
  /** A new multi-Region trail (KMS, log file validation) delivering to a new CloudWatch Logs group. */
  | { readonly kind: 'create' }
  /** An existing trail already delivers to this CloudWatch Logs group (e.g. an organization trail's local copy). */
  | { readonly kind: 'existing-log-group'; readonly logGroupName: string }
  /** No metric filters or alarms. The CloudTrail EventBridge rule still needs some trail to exist in the account. */
  | { readonly kind: 'none' };

export interface BucketGuardProps {
  readonly registry: BucketGuardRegistry;
  /** Repository root (package-lock.json, rules/, remediation/). Default: the directory above infra/. */
  readonly projectRoot?: string;
  /** Deployed Config rule name = `<rulePrefix><rule id>`. Default `bucketguard-`. */
  readonly rulePrefix?: string;
  /** Alarm / metric filter name prefix. Default: the rule prefix. */
  readonly alarmPrefix?: string;
  /** Email subscriptions to the notification topic (each must confirm). Default none. */
  readonly notificationEmails?: readonly string[];
  /** `notify` (default): report only, and the remediation role holds no S3 write permission. `remediate`: fix. */
  readonly mode?: RemediationMode;
  /** Remediation actions enabled. Default: every action that is not opt-in. */
  readonly enabledActions?: readonly ActionId[];
  /** Per-action mode overriding `mode`, e.g. { 'enable-versioning': 'notify' }. Only for enabled actions. */
  readonly actionModes?: Readonly<Partial<Record<ActionId, RemediationMode>>>;
  /** Block Public Access flags the remediation enforces. Default: all four. */
  readonly bpaFlags?: readonly BpaFlag[];
  /** Tag key that exempts a bucket (rules and remediation). Default `bucketguard:exempt`. */
  readonly exemptionTag?: string;
  /** Per-rule parameter overrides: { "<rule id>": { "<parameter>": "<value>" } }. Validated by each rule. */
  readonly ruleParameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Default `{ kind: 'create' }`. */
  readonly trail?: TrailOption;
  /** Create a Config recorder (S3 resource types only) and delivery channel. Default false. */
  readonly configRecorder?: boolean;
  /** Retention of every log group bucketguard creates, in days (a CloudWatch Logs retention value). Default 365. */
  readonly logRetentionDays?: number;
  /** Remediation circuit breaker: at most `flapLimit` changes per target per `flapWindowSeconds`. */
  readonly flapLimit?: number;
  readonly flapWindowSeconds?: number;
  /**
   * Also put the SNS topic on each CloudTrail alarm as a direct alarm action. Off by default (the notify Lambda
   * already emails a readable message for every alarm); turn on where Security Hub CloudWatch.x must pass.
   */
  readonly alarmTopicActions?: boolean;
}

export class InvalidBucketGuardPropsError extends Error {
  override readonly name = 'InvalidBucketGuardPropsError';
  constructor(
    readonly prop: string,
    readonly received: unknown,
    readonly expected: string,
  ) {
    super(`Invalid bucketguard setting "${prop}": received ${JSON.stringify(received)}; expected ${expected}.`);
  }
}

/** CloudWatch Logs accepts only these retention values. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The Lambdas' own defaults (remediation/runtime/config.ts), so an unset prop means the same everywhere. */
export const DEFAULT_RULE_PREFIX = DEFAULT_PREFIX;
export { DEFAULT_FLAP_LIMIT, DEFAULT_FLAP_WINDOW_SECONDS };

const EMAIL = /^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$/;
/** Config rule names allow letters, digits, '-' and '_'; alarm names more, but they share the prefix. */
const PREFIX = /^[A-Za-z0-9_-]{1,64}$/;
/** S3 tag keys: Unicode letters, digits, spaces and _ . : / = + - @; 122 so that `<key>-until` fits in 128. */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,122}$/u;
/** CloudWatch Logs group names. */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export interface ResolvedSettings {
  readonly rulePrefix: string;
  readonly alarmPrefix: string;
  readonly notificationEmails: readonly string[];
  readonly mode: RemediationMode;
  readonly enabledActions: readonly ActionId[];
  readonly actionModes: Readonly<Partial<Record<ActionId, RemediationMode>>>;
  readonly bpaFlags: readonly BpaFlag[];
  readonly exemptionTag: string;
  readonly trail: TrailOption;
  readonly configRecorder: boolean;
  readonly logRetentionDays: number;
  readonly flapLimit: number;
  readonly flapWindowSeconds: number;
  readonly alarmTopicActions: boolean;
}

/** Applies defaults and validates everything except rule parameters (validated per rule, see ruleParametersFor). */
export function resolveSettings(props: BucketGuardProps): ResolvedSettings {
  const rulePrefix = props.rulePrefix ?? DEFAULT_RULE_PREFIX;
  if (!PREFIX.test(rulePrefix)) {
    throw new InvalidBucketGuardPropsError('rulePrefix', rulePrefix, '1-64 letters, digits, "-" or "_"');
  }
  const alarmPrefix = props.alarmPrefix ?? rulePrefix;
  if (!PREFIX.test(alarmPrefix)) {
    throw new InvalidBucketGuardPropsError('alarmPrefix', alarmPrefix, '1-64 letters, digits, "-" or "_"');
  }

  const notificationEmails = props.notificationEmails ?? [];
  for (const email of notificationEmails) {
    if (!EMAIL.test(email)) throw new InvalidBucketGuardPropsError('email', email, 'an email address');
  }
  if (new Set(notificationEmails).size !== notificationEmails.length) {
    throw new InvalidBucketGuardPropsError('email', notificationEmails, 'each address once');
  }

  const mode = props.mode ?? 'notify';
  if (mode !== 'notify' && mode !== 'remediate') {
    throw new InvalidBucketGuardPropsError('mode', mode, '"notify" or "remediate"');
  }

  const knownActions = props.registry.actions.map((a) => a.id);
  const enabledActions = props.enabledActions ?? props.registry.actions.filter((a) => !a.optIn).map((a) => a.id);
  for (const action of enabledActions) {
    if (!knownActions.includes(action)) {
      throw new InvalidBucketGuardPropsError('actions', action, `one of ${knownActions.join(', ')}`);
    }
  }

  const actionModes = props.actionModes ?? {};
  for (const [action, actionMode] of Object.entries(actionModes)) {
    if (!enabledActions.includes(action as ActionId)) {
      throw new InvalidBucketGuardPropsError(
        `actionModes.${action}`,
        actionMode,
        `a mode for an enabled action (${enabledActions.join(', ') || 'none enabled'})`,
      );
    }
    if (actionMode !== 'notify' && actionMode !== 'remediate') {
      throw new InvalidBucketGuardPropsError(`actionModes.${action}`, actionMode, '"notify" or "remediate"');
    }
  }

  const bpaFlags = props.bpaFlags ?? BPA_FLAGS;
  for (const flag of bpaFlags) {
    if (!(BPA_FLAGS as readonly string[]).includes(flag)) {
      throw new InvalidBucketGuardPropsError('bpaFlags', flag, `one of ${BPA_FLAGS.join(', ')}`);
    }
  }
  if (bpaFlags.length === 0) throw new InvalidBucketGuardPropsError('bpaFlags', bpaFlags, 'at least one flag');

  const exemptionTag = props.exemptionTag ?? DEFAULT_EXEMPTION_TAG;
  if (!TAG_KEY.test(exemptionTag) || exemptionTag.toLowerCase().startsWith('aws:')) {
    throw new InvalidBucketGuardPropsError(
      'exemptionTag',
      exemptionTag,
      'an S3 tag key of 1-122 characters (room for "-until"), not starting with aws:',
    );
  }

  const trail = props.trail ?? { kind: 'create' };
  if (trail.kind === 'existing-log-group' && !LOG_GROUP_NAME.test(trail.logGroupName)) {
    throw new InvalidBucketGuardPropsError('trail', trail.logGroupName, 'a CloudWatch Logs group name');
  }

  const logRetentionDays = props.logRetentionDays ?? 365;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new InvalidBucketGuardPropsError(
      'logRetentionDays',
      logRetentionDays,
      `one of ${LOG_RETENTION_DAYS.join(', ')}`,
    );
  }

  const flapLimit = props.flapLimit ?? DEFAULT_FLAP_LIMIT;
  if (!Number.isInteger(flapLimit) || flapLimit < 1 || flapLimit > 100) {
    throw new InvalidBucketGuardPropsError('flapLimit', flapLimit, 'an integer from 1 to 100');
  }
  const flapWindowSeconds = props.flapWindowSeconds ?? DEFAULT_FLAP_WINDOW_SECONDS;
  if (!Number.isInteger(flapWindowSeconds) || flapWindowSeconds < 60 || flapWindowSeconds > 30 * 86400) {
    throw new InvalidBucketGuardPropsError('flapWindowSeconds', flapWindowSeconds, 'an integer from 60 to 2592000');
  }

  return {
    rulePrefix,
    alarmPrefix,
    notificationEmails,
    mode,
    enabledActions,
    actionModes,
    bpaFlags,
    exemptionTag,
    trail,
    configRecorder: props.configRecorder ?? false,
    logRetentionDays,
    flapLimit,
    flapWindowSeconds,
    alarmTopicActions: props.alarmTopicActions ?? false,
  };
}

/** Config's limit on a rule's InputParameters (the JSON string). */
export const MAX_INPUT_PARAMETERS_LENGTH = 1024;

/**
 * The parameters deployed for one rule: its declared defaults, the deployment's exemption tag where the rule takes
 * one, then the overrides. The rule's own parser validates the result, so a bad value fails here, not in Lambda.
 */
export function ruleParametersFor(
  rule: BucketGuardRegistry['rules'][number],
  overrides: Readonly<Record<string, string>> | undefined,
  exemptionTag: string,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(rule.parameters)) values[name] = spec.default;
  if ('exemptionTag' in rule.parameters) values.exemptionTag = exemptionTag;
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (!(name in rule.parameters)) {
      const known = Object.keys(rule.parameters);
      throw new InvalidBucketGuardPropsError(
        `ruleParameters.${rule.id}.${name}`,
        value,
        known.length ? `one of the rule's parameters: ${known.join(', ')}` : 'nothing: this rule takes no parameters',
      );
    }
    if (typeof value !== 'string') {
      throw new InvalidBucketGuardPropsError(
        `ruleParameters.${rule.id}.${name}`,
        value,
        'a string (Config passes strings)',
      );
    }
    values[name] = value;
  }
  try {
    rule.parseParameters(values);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InvalidBucketGuardPropsError(`ruleParameters.${rule.id}`, values, `values the rule accepts (${message})`);
  }
  const length = JSON.stringify(values).length;
  if (length > MAX_INPUT_PARAMETERS_LENGTH) {
    throw new InvalidBucketGuardPropsError(
      `ruleParameters.${rule.id}`,
      `${length} characters`,
      `at most ${MAX_INPUT_PARAMETERS_LENGTH} characters of JSON (AWS Config limit)`,
    );
  }
  return values;
}

export function validateRuleParameterKeys(props: BucketGuardProps): void {
  const ids = props.registry.rules.map((r) => r.id);
  for (const id of Object.keys(props.ruleParameters ?? {})) {
    if (!ids.includes(id)) throw new InvalidBucketGuardPropsError('ruleParameters', id, `a rule id: ${ids.join(', ')}`);
  }
}
