/**
 * The BucketGuard construct's props, their defaults, and their validation. Every bad value fails the synth with an
 * InvalidBucketGuardPropsError naming the prop, what was received and what is accepted: a typo in a deployment
 * setting must never deploy something looser than asked.
 */

import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import {
  type ApprovedExemption,
  DEFAULT_MAX_EXEMPTION_DAYS,
  exemptionsParameterName,
  validateExemptionList,
} from '../model/approved-exemptions';
import { DEFAULT_EXEMPTION_TAG } from '../model/exemptions';
import { BPA_FLAGS, type BpaFlag } from '../model/types';
import type { ActionId, RemediationMode } from '../remediation/actions/action-definition';
import { DEFAULT_FLAP_LIMIT, DEFAULT_FLAP_WINDOW_SECONDS, DEFAULT_PREFIX } from '../remediation/runtime/config';
import { DEFAULT_BYTES_SCANNED_CUTOFF } from './athena';
import { DEFAULT_REGISTRY } from './default-registry';
import type { BucketGuardRegistry } from './registry';

/**
 * Where the CloudTrail metric filters read from, as resolved from the props (internal; the props say it with
 * `createTrail` and `trailLogGroup`).
 */
export type TrailOption =
  /** A new multi-Region trail (KMS, log file validation) delivering to a new CloudWatch Logs group. */
  | { readonly kind: 'create' }
  /** An existing trail already delivers to this CloudWatch Logs group (e.g. an organization trail's local copy). */
  | { readonly kind: 'existing-log-group'; readonly logGroup: logs.ILogGroup }
  /** No metric filters or alarms. The CloudTrail EventBridge rule still needs some trail to exist in the account. */
  | { readonly kind: 'none' };

/**
 * Settings of the BucketGuard construct. Every value is checked at synth: a bad one fails with an
 * InvalidBucketGuardPropsError naming the prop, what was received and what is accepted.
 */
export interface BucketGuardProps {
  /**
   * The rules and remediation actions to deploy, with the IAM actions each declares. Advanced (tests use a smaller
   * one); every rule must be a built-in one, whose Lambda bundle ships with the package.
   * @default the built-in rules and actions
   */
  readonly registry?: BucketGuardRegistry;
  /**
   * Prefix of every deployed Config rule name: `<rulePrefix><rule id>`, and of bucketguard's Lambda functions and
   * EventBridge rules (named the same way, so the tamper alarms recognise them). Letters, digits, "-" or "_", short
   * enough for every function name to fit 64 characters (23 with the built-in rules).
   * @default "bucketguard-"
   */
  readonly rulePrefix?: string;
  /**
   * Prefix of every alarm and metric filter name.
   * @default the rule prefix
   */
  readonly alarmPrefix?: string;
  /**
   * Email addresses subscribed to the notification topic (each must confirm the subscription).
   * @default none
   */
  readonly notificationEmails?: string[];
  /**
   * An existing SNS topic for the emails, instead of a new one. If it is encrypted with a customer-managed key,
   * pass that key as `notificationKey` so the responders may publish. Its policy is the owner's: bucketguard cannot
   * add the statements that deny everyone else's Publish (README "Safety").
   * @default a new topic encrypted with `notificationKey`
   */
  readonly topic?: sns.ITopic;
  /**
   * The KMS key of the notification topic (the dead-letter queue always has a key of its own). An imported key's
   * policy must already allow cloudwatch.amazonaws.com to use it: the tamper, Lambda-error and dead-letter alarms
   * publish to the topic directly.
   * @default a new customer-managed key with rotation
   */
  readonly notificationKey?: kms.IKey;
  /**
   * `notify`: report only (dry run), and the remediation role holds no S3 write permission. `remediate`: fix.
   * @default "notify"
   */
  readonly mode?: string;
  /**
   * Remediation actions enabled: `block-public-access`, `block-account-public-access`, `enable-versioning`.
   * @default every action that is not opt-in (all but enable-versioning)
   */
  readonly enabledActions?: string[];
  /**
   * Per-action mode overriding `mode`, e.g. `{ 'enable-versioning': 'notify' }`. Only for enabled actions.
   * @default `mode` for every action
   */
  readonly actionModes?: { readonly [actionId: string]: string };
  /**
   * Block Public Access flags the remediation turns on: blockPublicAcls, ignorePublicAcls, blockPublicPolicy,
   * restrictPublicBuckets.
   * @default all four
   */
  readonly bpaFlags?: string[];
  /**
   * Tag key with which a bucket owner requests an exemption; the end date goes in `<key>-until`. A request alone
   * exempts nothing: it is reported as "Exemption requested, not approved" and the bucket is evaluated normally.
   * @default "bucketguard:exempt"
   */
  readonly exemptionTag?: string;
  /**
   * The approved exemptions, owned by the deployment: entries of `bucket` (name or pattern with `*` and `?`),
   * `account` (default: this one), `rules` and/or `actions` (default: all), `reason`, `approver` and `until` (a date
   * at most `maxExemptionDays` away). Validated at synth and stored in the SSM String parameter
   * `/bucketguard/<rulePrefix>/exemptions`, which the rules and the remediation read.
   * @default none
   */
  readonly exemptions?: ApprovedExemption[];
  /**
   * The longest an approved exemption may run, in days from synth (and from each evaluation).
   * @default 90
   */
  readonly maxExemptionDays?: number;
  /**
   * Let block-account-public-access apply while approved bucket exemptions exist in the account (it overrides
   * them all). Off: it does not apply, and the email names the exemptions that stop it.
   * @default false
   */
  readonly accountBpaOverridesExemptions?: boolean;
  /**
   * Per-rule parameter overrides, `{ "<rule id>": { "<parameter>": "<value>" } }` (strings, as AWS Config passes
   * them), validated by each rule. The same shape as the CLI's `--rule-parameters`.
   * @default each rule's defaults
   */
  readonly ruleParameters?: { readonly [ruleId: string]: { readonly [parameter: string]: string } };
  /**
   * Executions reserved for the remediation function (1-1000): capacity no other workload can take, and a ceiling
   * on a remediation loop. Lambda keeps 100 executions of the account unreserved (10 in a new account, whose quota
   * starts at 10): an account whose concurrency quota is below 100 plus this number cannot deploy it ("decreases
   * account's UnreservedConcurrentExecution below its minimum value"). There set `false` (no reservation) or raise
   * the quota.
   * @default 5
   */
  readonly remediationReservedConcurrency?: number | false;
  /**
   * Create a multi-Region trail (KMS, log file validation) delivering to a new log group, for the metric filters
   * and alarms. Create it in one home Region only.
   * @default true, unless `trailLogGroup` is given
   */
  readonly createTrail?: boolean;
  /**
   * The CloudWatch Logs group an existing trail delivers to (e.g. an organization trail's): the metric filters and
   * alarms go on it and no trail is created.
   * @default none (see `createTrail`)
   */
  readonly trailLogGroup?: logs.ILogGroup;
  /**
   * Create an AWS Config recorder (S3 resource types only) and a delivery channel. An account and Region can hold
   * one recorder: leave this off where Config already records.
   * @default false
   */
  readonly configRecorder?: boolean;
  /**
   * Retention of every log group bucketguard creates, in days (a CloudWatch Logs retention value).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Remediation circuit breaker: at most this many fixes of one target per `flapWindowSeconds` (1-100).
   * @default 3
   */
  readonly flapLimit?: number;
  /**
   * The circuit breaker's window, in seconds (60 to 2592000).
   * @default 3600
   */
  readonly flapWindowSeconds?: number;
  /**
   * Also put the SNS topic on each S3 / CIS CloudTrail alarm as a direct alarm action (the notify Lambda already
   * emails a readable message for every alarm); turn on where Security Hub CloudWatch.x controls must pass. The tamper,
   * Lambda-error and dead-letter alarms always have it.
   * @default false
   */
  readonly alarmTopicActions?: boolean;
  /**
   * Athena over the created trail: a Glue table with partition projection, a workgroup with KMS-encrypted results
   * and a bytes-scanned limit, and named queries (infra/athena.ts). Needs the trail bucketguard creates.
   * @default false
   */
  readonly athena?: boolean;
  /**
   * The Athena workgroup's limit on the bytes one query may scan (at least 10000000).
   * @default 10737418240 (10 GiB)
   */
  readonly athenaBytesScannedCutoff?: number;
  /**
   * An event bus that receives the result of every notify and remediation invocation (Lambda destinations,
   * detail-type "Lambda Function Invocation Result - Success": the findings, their outcomes and the email each
   * Lambda sent). The organization deployment forwards them from there to the security account's bus.
   * @default none
   */
  readonly responderResults?: events.IEventBus;
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
export const DEFAULT_REMEDIATION_RESERVED_CONCURRENCY = 5;

const EMAIL = /^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$/;
/** Config rule names allow letters, digits, '-' and '_'; alarm names more, but they share the prefix. */
const PREFIX = /^[A-Za-z0-9_-]{1,64}$/;
/** S3 tag keys: Unicode letters, digits, spaces and _ . : / = + - @; 122 so that `<key>-until` fits in 128. */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,122}$/u;
/** CloudWatch Logs group names. */
export const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export interface ResolvedSettings {
  readonly rulePrefix: string;
  readonly alarmPrefix: string;
  readonly notificationEmails: readonly string[];
  readonly mode: RemediationMode;
  readonly enabledActions: readonly ActionId[];
  readonly actionModes: Readonly<Partial<Record<ActionId, RemediationMode>>>;
  readonly bpaFlags: readonly BpaFlag[];
  readonly exemptionTag: string;
  /** The validated approved list (synth time), its parameter's name and the maximum. */
  readonly exemptions: readonly ApprovedExemption[];
  readonly exemptionsParameterName: string;
  readonly maxExemptionDays: number;
  readonly accountBpaOverridesExemptions: boolean;
  readonly trail: TrailOption;
  readonly configRecorder: boolean;
  readonly logRetentionDays: number;
  readonly flapLimit: number;
  readonly flapWindowSeconds: number;
  readonly alarmTopicActions: boolean;
  /** undefined: no reservation. */
  readonly remediationReservedConcurrency: number | undefined;
  readonly athena: false | { readonly bytesScannedCutoff: number };
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

  const notificationEmails: readonly string[] = props.notificationEmails ?? [];
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

  const registry = props.registry ?? DEFAULT_REGISTRY;
  const knownActions: readonly string[] = registry.actions.map((a) => a.id);
  const enabledActions = (props.enabledActions ??
    registry.actions.filter((a) => !a.optIn).map((a) => a.id)) as readonly ActionId[];
  for (const action of enabledActions) {
    if (!knownActions.includes(action)) {
      throw new InvalidBucketGuardPropsError('actions', action, `one of ${knownActions.join(', ')}`);
    }
  }

  const actionModes = (props.actionModes ?? {}) as Readonly<Partial<Record<ActionId, RemediationMode>>>;
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

  const bpaFlags = (props.bpaFlags ?? BPA_FLAGS) as readonly BpaFlag[];
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

  const maxExemptionDays = props.maxExemptionDays ?? DEFAULT_MAX_EXEMPTION_DAYS;
  if (!Number.isInteger(maxExemptionDays) || maxExemptionDays < 1 || maxExemptionDays > 3650) {
    throw new InvalidBucketGuardPropsError('maxExemptionDays', maxExemptionDays, 'an integer from 1 to 3650');
  }
  let exemptions: ApprovedExemption[];
  try {
    exemptions = validateExemptionList(props.exemptions ?? [], new Date(), maxExemptionDays);
  } catch (error) {
    throw new InvalidBucketGuardPropsError(
      'exemptions',
      props.exemptions,
      `a valid approved exemption list (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  // An SSM String parameter holds at most 4 KB (standard tier).
  if (JSON.stringify(exemptions).length > 4096) {
    throw new InvalidBucketGuardPropsError(
      'exemptions',
      `${JSON.stringify(exemptions).length} characters`,
      'at most 4096 characters of JSON (SSM standard parameter); use bucket patterns',
    );
  }

  if (props.trailLogGroup && props.createTrail === true) {
    throw new InvalidBucketGuardPropsError(
      'createTrail',
      true,
      "false or unset with trailLogGroup (the metric filters go on that existing trail's log group)",
    );
  }
  const trail: TrailOption = props.trailLogGroup
    ? { kind: 'existing-log-group', logGroup: props.trailLogGroup }
    : (props.createTrail ?? true)
      ? { kind: 'create' }
      : { kind: 'none' };

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

  const reserved = props.remediationReservedConcurrency ?? DEFAULT_REMEDIATION_RESERVED_CONCURRENCY;
  if (reserved !== false && (!Number.isInteger(reserved) || reserved < 1 || reserved > 1000)) {
    throw new InvalidBucketGuardPropsError(
      'remediationReservedConcurrency',
      reserved,
      'an integer from 1 to 1000, or false (no reservation)',
    );
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
    exemptions,
    exemptionsParameterName: exemptionsParameterName(rulePrefix),
    maxExemptionDays,
    accountBpaOverridesExemptions: props.accountBpaOverridesExemptions ?? false,
    trail,
    configRecorder: props.configRecorder ?? false,
    logRetentionDays,
    flapLimit,
    flapWindowSeconds,
    alarmTopicActions: props.alarmTopicActions ?? false,
    remediationReservedConcurrency: reserved === false ? undefined : reserved,
    athena: resolveAthena(props, trail),
  };
}

function resolveAthena(props: BucketGuardProps, trail: TrailOption): ResolvedSettings['athena'] {
  const cutoff = props.athenaBytesScannedCutoff ?? DEFAULT_BYTES_SCANNED_CUTOFF;
  if (!Number.isInteger(cutoff) || cutoff < 10_000_000) {
    throw new InvalidBucketGuardPropsError('athenaBytesScannedCutoff', cutoff, 'an integer of at least 10000000 bytes');
  }
  if (!props.athena) return false;
  if (trail.kind !== 'create') {
    throw new InvalidBucketGuardPropsError(
      'athena',
      props.athena,
      'false unless bucketguard creates the trail (createTrail): the table reads the trail bucket it creates',
    );
  }
  return { bytesScannedCutoff: cutoff };
}

/** Config's limit on a rule's InputParameters (the JSON string). */
export const MAX_INPUT_PARAMETERS_LENGTH = 1024;

/**
 * The parameters deployed for one rule: its declared defaults, the deployment's exemption tag, approved list
 * parameter and maximum where the rule takes them, then the overrides. The rule's own parser validates the result, so a bad value fails here, not in Lambda.
 */
export function ruleParametersFor(
  rule: BucketGuardRegistry['rules'][number],
  overrides: Readonly<Record<string, string>> | undefined,
  exemptionTag: string,
  approved?: { readonly parameterName: string; readonly maxDays: number },
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(rule.parameters)) values[name] = spec.default;
  if ('exemptionTag' in rule.parameters) values.exemptionTag = exemptionTag;
  if (approved && 'exemptionsParameter' in rule.parameters) values.exemptionsParameter = approved.parameterName;
  if (approved && 'maxExemptionDays' in rule.parameters) values.maxExemptionDays = String(approved.maxDays);
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
  const ids = (props.registry ?? DEFAULT_REGISTRY).rules.map((r) => r.id);
  for (const id of Object.keys(props.ruleParameters ?? {})) {
    if (!ids.includes(id)) throw new InvalidBucketGuardPropsError('ruleParameters', id, `a rule id: ${ids.join(', ')}`);
  }
}
