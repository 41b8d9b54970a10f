/**
 * Deployment configuration of the response path, from environment variables. Both Lambdas (remediation and notify)
 * must get the same BUCKETGUARD_* values: they route every finding with the same rules so exactly one of them mails.
 * Every value is validated once at cold start; a bad value is an InvalidConfigurationError naming the variable,
 * what it received and what it accepts. Defaults are the safe ones: dry run, no opt-in actions.
 */
import { DEFAULT_MAX_EXEMPTION_DAYS } from '../../model/approved-exemptions';
import { DEFAULT_EXEMPTION_TAG, type ExemptionSettings } from '../../model/exemptions';
import { BPA_FLAGS, type BpaFlag } from '../../model/types';
import {
  ACTION_IDS,
  type ActionId,
  isActionId,
  REMEDIATION_MODES,
  type RemediationMode,
} from '../actions/action-definition';

export interface ResponseConfig {
  /** BUCKETGUARD_MODE: the mode of every action without its own entry in actionModes. */
  readonly mode: RemediationMode;
  /** BUCKETGUARD_ACTION_MODES: per-action overrides. */
  readonly actionModes: Readonly<Partial<Record<ActionId, RemediationMode>>>;
  /** BUCKETGUARD_ACTIONS: the actions this deployment runs (dry run or for real). */
  readonly enabledActions: readonly ActionId[];
  /** BUCKETGUARD_BPA_FLAGS: the bucket-level Block Public Access flags block-public-access turns on. */
  readonly bpaFlags: readonly BpaFlag[];
  /** BUCKETGUARD_EXEMPTION_TAG: the request tag (reported, never honoured alone); always enabled for remediation. */
  readonly exemption: ExemptionSettings;
  /** BUCKETGUARD_EXEMPTIONS_PARAMETER: the SSM parameter holding the approved list; unset = none approved. */
  readonly exemptionsParameter?: string;
  /** BUCKETGUARD_MAX_EXEMPTION_DAYS: entries ending further away are not honoured. */
  readonly maxExemptionDays: number;
  /** BUCKETGUARD_ACCOUNT_BPA_OVERRIDES_EXEMPTIONS: account-level BPA applies even while approved exemptions exist. */
  readonly accountBpaOverridesExemptions: boolean;
  /** BUCKETGUARD_TOPIC_ARN: where the emails go. Required by the Lambda handlers, not by replay. */
  readonly topicArn?: string;
  /** BUCKETGUARD_RULE_PREFIX: compliance changes of rules named otherwise are not bucketguard's. */
  readonly rulePrefix: string;
  /** BUCKETGUARD_ALARM_PREFIX: alarm state changes of alarms named otherwise are not bucketguard's. */
  readonly alarmPrefix: string;
  /** BUCKETGUARD_FLAP_TABLE: DynamoDB table of remediation counters; required when any action remediates. */
  readonly flapTable?: string;
  /** BUCKETGUARD_FLAP_LIMIT: remediations of one target allowed per window before bucketguard stops and alerts. */
  readonly flapLimit: number;
  /** BUCKETGUARD_FLAP_WINDOW_SECONDS. */
  readonly flapWindowSeconds: number;
  /**
   * BUCKETGUARD_REMEDIATION_ROLE_ARN: the remediation Lambda's role. CloudTrail records of its own changes come back
   * as events; they are already reported in the remediation email, so they are not mailed again.
   */
  readonly remediationRoleArn?: string;
  /** BUCKETGUARD_RECHECK_GROUP: EventBridge Scheduler group of the re-checks after the flap limit stopped a fix. */
  readonly recheckGroup?: string;
  /** BUCKETGUARD_RECHECK_ROLE_ARN: the role Scheduler assumes to invoke the remediation function. */
  readonly recheckRoleArn?: string;
}

export const DEFAULT_ACTIONS: readonly ActionId[] = ['block-public-access', 'block-account-public-access'];
export const DEFAULT_PREFIX = 'bucketguard-';
export const DEFAULT_FLAP_LIMIT = 3;
export const DEFAULT_FLAP_WINDOW_SECONDS = 3600;

/** Every variable this module reads, with what it accepts; the README table is generated from the same words. */
export const ENVIRONMENT_VARIABLES: Readonly<Record<string, string>> = {
  BUCKETGUARD_MODE: '`notify` (default: dry run, the email says what would change) or `remediate`',
  BUCKETGUARD_ACTION_MODES: 'per-action mode, e.g. `enable-versioning=remediate,block-public-access=notify`',
  BUCKETGUARD_ACTIONS: `enabled action ids, comma-separated; empty or \`none\` for none (unset: default \`${DEFAULT_ACTIONS.join(',')}\`)`,
  BUCKETGUARD_BPA_FLAGS:
    'flags block-public-access turns on (default all four: `blockPublicAcls,ignorePublicAcls,blockPublicPolicy,restrictPublicBuckets`)',
  BUCKETGUARD_EXEMPTION_TAG: `exemption tag key (default \`${DEFAULT_EXEMPTION_TAG}\`; the end date goes in \`<key>-until\`)`,
  BUCKETGUARD_EXEMPTIONS_PARAMETER:
    'SSM parameter (String, JSON list) of the approved exemptions, written only by the deployment (unset: none approved)',
  BUCKETGUARD_MAX_EXEMPTION_DAYS: `an approved exemption ending further away than this many days is not honoured (default ${DEFAULT_MAX_EXEMPTION_DAYS})`,
  BUCKETGUARD_ACCOUNT_BPA_OVERRIDES_EXEMPTIONS:
    '`true`: block-account-public-access applies even while approved bucket exemptions exist in the account (default `false`: it does not, and says which)',
  BUCKETGUARD_TOPIC_ARN: 'SNS topic the emails are published to (required by the Lambdas)',
  BUCKETGUARD_RULE_PREFIX: `Config rule name prefix of bucketguard's rules (default \`${DEFAULT_PREFIX}\`)`,
  BUCKETGUARD_ALARM_PREFIX: `CloudWatch alarm name prefix of bucketguard's alarms (default \`${DEFAULT_PREFIX}\`)`,
  BUCKETGUARD_FLAP_TABLE:
    'DynamoDB table (partition key `target`, TTL attribute `expiresAt`); required when any action remediates',
  BUCKETGUARD_FLAP_LIMIT: `remediations of one target per window before bucketguard stops and alerts (default ${DEFAULT_FLAP_LIMIT})`,
  BUCKETGUARD_FLAP_WINDOW_SECONDS: `the anti-flapping window (default ${DEFAULT_FLAP_WINDOW_SECONDS})`,
  BUCKETGUARD_REMEDIATION_ROLE_ARN: "the remediation Lambda's role ARN: its own CloudTrail events are not mailed twice",
  BUCKETGUARD_RECHECK_GROUP:
    'EventBridge Scheduler group for the one-time re-check at the end of a window in which the flap limit stopped a fix',
  BUCKETGUARD_RECHECK_ROLE_ARN:
    'the role EventBridge Scheduler assumes to invoke the remediation function for a re-check',
};

export class InvalidConfigurationError extends Error {
  override readonly name = 'InvalidConfigurationError';
  constructor(
    readonly variable: string,
    readonly received: string,
    readonly expected: string,
  ) {
    super(`Invalid ${variable}: received ${JSON.stringify(received)}; expected ${expected}.`);
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

function read(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function csv(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function parseMode(variable: string, raw: string, received = raw): RemediationMode {
  const mode = raw.trim().toLowerCase();
  if ((REMEDIATION_MODES as readonly string[]).includes(mode)) return mode as RemediationMode;
  throw new InvalidConfigurationError(variable, received, `one of ${REMEDIATION_MODES.join(', ')}`);
}

function parseActionId(variable: string, raw: string, received: string): ActionId {
  const id = raw.trim().toLowerCase();
  if (isActionId(id)) return id;
  throw new InvalidConfigurationError(variable, received, `action ids from ${ACTION_IDS.join(', ')}`);
}

function parseActions(raw: string | undefined): ActionId[] {
  const variable = 'BUCKETGUARD_ACTIONS';
  if (raw === undefined) return [...DEFAULT_ACTIONS];
  // `none` (what infra writes when no action is enabled) means none; unset or blank (see read()) means the defaults.
  if (raw.toLowerCase() === 'none') return [];
  const ids = csv(raw).map((entry) => parseActionId(variable, entry, raw));
  return ACTION_IDS.filter((id) => ids.includes(id));
}

function parseActionModes(
  raw: string | undefined,
  enabled: readonly ActionId[],
): Partial<Record<ActionId, RemediationMode>> {
  const variable = 'BUCKETGUARD_ACTION_MODES';
  const modes: Partial<Record<ActionId, RemediationMode>> = {};
  if (raw === undefined) return modes;
  for (const entry of csv(raw)) {
    const [id, mode, ...rest] = entry.split('=');
    if (mode === undefined || rest.length > 0) {
      throw new InvalidConfigurationError(variable, raw, 'comma-separated `action-id=notify|remediate` pairs');
    }
    const action = parseActionId(variable, id, raw);
    if (!enabled.includes(action)) {
      throw new InvalidConfigurationError(
        variable,
        raw,
        `modes only for enabled actions (${action} is not in BUCKETGUARD_ACTIONS)`,
      );
    }
    modes[action] = parseMode(variable, mode, raw);
  }
  return modes;
}

function parseBpaFlags(raw: string | undefined): BpaFlag[] {
  const variable = 'BUCKETGUARD_BPA_FLAGS';
  if (raw === undefined || raw.toLowerCase() === 'all') return [...BPA_FLAGS];
  const wanted = csv(raw).map((entry) => {
    const flag = BPA_FLAGS.find((candidate) => candidate.toLowerCase() === entry.toLowerCase());
    if (!flag)
      throw new InvalidConfigurationError(variable, raw, `flag names from ${BPA_FLAGS.join(', ')} (any case), or all`);
    return flag;
  });
  if (wanted.length === 0) throw new InvalidConfigurationError(variable, raw, 'at least one flag');
  return BPA_FLAGS.filter((flag) => wanted.includes(flag));
}

/** Tag keys are at most 128 characters; `<key>-until` must fit too. */
function parseExemptionTag(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_EXEMPTION_TAG;
  if (raw.length > 122)
    throw new InvalidConfigurationError('BUCKETGUARD_EXEMPTION_TAG', raw, 'a tag key of at most 122 characters');
  return raw;
}

const SSM_PARAMETER = /^\/[A-Za-z0-9_.\-/]{1,1010}$/;

function parseBoolean(variable: string, raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const value = raw.toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InvalidConfigurationError(variable, raw, 'true or false');
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const SCHEDULE_GROUP = /^[0-9a-zA-Z_.-]{1,64}$/;

function matching(variable: string, raw: string | undefined, pattern: RegExp, expected: string): string | undefined {
  if (raw === undefined) return undefined;
  if (!pattern.test(raw)) throw new InvalidConfigurationError(variable, raw, expected);
  return raw;
}

function positiveInteger(variable: string, raw: string | undefined, fallback: number, minimum: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) {
    throw new InvalidConfigurationError(variable, raw, `a whole number of at least ${minimum}`);
  }
  return value;
}

/** Reads and validates the BUCKETGUARD_* variables; throws InvalidConfigurationError on the first bad one. */
export function loadResponseConfig(env: Environment): ResponseConfig {
  const enabledActions = parseActions(env.BUCKETGUARD_ACTIONS?.trim());
  const modeRaw = read(env, 'BUCKETGUARD_MODE');
  const topicArn = matching('BUCKETGUARD_TOPIC_ARN', read(env, 'BUCKETGUARD_TOPIC_ARN'), TOPIC_ARN, 'an SNS topic ARN');
  const flapTable = matching(
    'BUCKETGUARD_FLAP_TABLE',
    read(env, 'BUCKETGUARD_FLAP_TABLE'),
    TABLE_NAME,
    'a DynamoDB table name',
  );
  const remediationRoleArn = matching(
    'BUCKETGUARD_REMEDIATION_ROLE_ARN',
    read(env, 'BUCKETGUARD_REMEDIATION_ROLE_ARN'),
    ROLE_ARN,
    'an IAM role ARN',
  );
  const recheckGroup = matching(
    'BUCKETGUARD_RECHECK_GROUP',
    read(env, 'BUCKETGUARD_RECHECK_GROUP'),
    SCHEDULE_GROUP,
    'an EventBridge Scheduler group name',
  );
  const recheckRoleArn = matching(
    'BUCKETGUARD_RECHECK_ROLE_ARN',
    read(env, 'BUCKETGUARD_RECHECK_ROLE_ARN'),
    ROLE_ARN,
    'an IAM role ARN',
  );
  return {
    mode: modeRaw === undefined ? 'notify' : parseMode('BUCKETGUARD_MODE', modeRaw),
    actionModes: parseActionModes(read(env, 'BUCKETGUARD_ACTION_MODES'), enabledActions),
    enabledActions,
    bpaFlags: parseBpaFlags(read(env, 'BUCKETGUARD_BPA_FLAGS')),
    exemption: { tagKey: parseExemptionTag(read(env, 'BUCKETGUARD_EXEMPTION_TAG')), enabled: true },
    ...optional(
      'exemptionsParameter',
      matching(
        'BUCKETGUARD_EXEMPTIONS_PARAMETER',
        read(env, 'BUCKETGUARD_EXEMPTIONS_PARAMETER'),
        SSM_PARAMETER,
        'an SSM parameter name starting with /',
      ),
    ),
    maxExemptionDays: positiveInteger(
      'BUCKETGUARD_MAX_EXEMPTION_DAYS',
      read(env, 'BUCKETGUARD_MAX_EXEMPTION_DAYS'),
      DEFAULT_MAX_EXEMPTION_DAYS,
      1,
    ),
    accountBpaOverridesExemptions: parseBoolean(
      'BUCKETGUARD_ACCOUNT_BPA_OVERRIDES_EXEMPTIONS',
      read(env, 'BUCKETGUARD_ACCOUNT_BPA_OVERRIDES_EXEMPTIONS'),
    ),
    ...(topicArn !== undefined ? { topicArn } : {}),
    // A prefix may legitimately be set to '' (match every rule); only an unset variable takes the default.
    rulePrefix: env.BUCKETGUARD_RULE_PREFIX?.trim() ?? DEFAULT_PREFIX,
    alarmPrefix: env.BUCKETGUARD_ALARM_PREFIX?.trim() ?? DEFAULT_PREFIX,
    ...(flapTable !== undefined ? { flapTable } : {}),
    flapLimit: positiveInteger('BUCKETGUARD_FLAP_LIMIT', read(env, 'BUCKETGUARD_FLAP_LIMIT'), DEFAULT_FLAP_LIMIT, 1),
    flapWindowSeconds: positiveInteger(
      'BUCKETGUARD_FLAP_WINDOW_SECONDS',
      read(env, 'BUCKETGUARD_FLAP_WINDOW_SECONDS'),
      DEFAULT_FLAP_WINDOW_SECONDS,
      60,
    ),
    ...(remediationRoleArn !== undefined ? { remediationRoleArn } : {}),
    ...(recheckGroup !== undefined ? { recheckGroup } : {}),
    ...(recheckRoleArn !== undefined ? { recheckRoleArn } : {}),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

export function modeFor(config: Pick<ResponseConfig, 'mode' | 'actionModes'>, action: ActionId): RemediationMode {
  return config.actionModes[action] ?? config.mode;
}

/** The remediation Lambda cannot run an action in remediate mode without its anti-flapping table. */
export function assertRemediationReady(config: ResponseConfig): void {
  const remediating = config.enabledActions.filter((action) => modeFor(config, action) === 'remediate');
  if (remediating.length > 0 && config.flapTable === undefined) {
    throw new InvalidConfigurationError(
      'BUCKETGUARD_FLAP_TABLE',
      '',
      `a DynamoDB table name: ${remediating.join(', ')} run in remediate mode and need the anti-flapping counters`,
    );
  }
}

export function requireTopicArn(config: ResponseConfig): string {
  if (config.topicArn === undefined) {
    throw new InvalidConfigurationError('BUCKETGUARD_TOPIC_ARN', '', 'the SNS topic ARN the emails are published to');
  }
  return config.topicArn;
}
