/**
 * Deployment settings from CDK context (`-c key=value` or cdk.json "context"). Values from the command line are
 * strings, values from cdk.json may be JSON; both are accepted. Unknown values fail with a message saying what is
 * accepted, never a silent default.
 *
 *   email            comma-separated addresses subscribed to the topic        (default: none)
 *   mode             notify | remediate                                        (default: notify)
 *   actions          comma-separated remediation action ids, or none           (default: all non-opt-in actions)
 *   actionModes      per-action mode: <action id>=notify|remediate, comma-sep. (default: mode for every action)
 *   bpaFlags         comma-separated BPA flags remediation enforces            (default: all four)
 *   exemptionTag     tag key requesting an exemption (a request only)           (default: bucketguard:exempt)
 *   exemptions       JSON list of approved exemptions (bucket, account?, rules?, actions?, reason, approver,
 *                    until), stored in the SSM parameter /bucketguard/<prefix>/exemptions  (default: none)
 *   maxExemptionDays longest allowed exemption, in days                        (default: 90)
 *   accountBpaOverridesExemptions true | false: account-level BPA may apply while approved exemptions exist
 *                                                                              (default: false)
 *   rulePrefix       Config rule name prefix                                   (default: bucketguard-)
 *   alarmPrefix      alarm name prefix                                         (default: rulePrefix)
 *   trail            create | none | log-group:<name>                          (default: create)
 *   recorder         true | false: create a Config recorder + delivery channel (default: false)
 *   ruleParameters   JSON {"<rule id>": {"<parameter>": "<value>"}}           (default: rule defaults)
 *   logRetentionDays CloudWatch Logs retention in days                         (default: 365)
 *   flapLimit, flapWindowSeconds   remediation circuit breaker                 (default: 3 per 3600 s)
 *   alarmTopicActions true | false: SNS topic as a direct alarm action         (default: false)
 *   remediationReservedConcurrency  <1-1000> | false                          (default: 5)
 *   athena           true | false: Glue table, workgroup, named queries on the trail (default: false)
 *   athenaBytesScannedCutoff  per-query scan limit in bytes                    (default: 10 GiB)
 *   stackName        CloudFormation stack name                                 (default: BucketGuard)
 *   homeRegion       Region of the account-wide parts (account BPA rule, trail,
 *                    its alarms) when one account deploys to several Regions   (default: every part everywhere)
 *   deployment       account | organization (infra/organization/settings.ts)   (default: account)
 *   nag              true | false: run cdk-nag AwsSolutions checks            (default: true)
 */

import type { ApprovedExemption } from '../model/approved-exemptions';
import type { BpaFlag } from '../model/types';
import type { ActionId, RemediationMode } from '../remediation/actions/action-definition';
import { type BucketGuardProps, InvalidBucketGuardPropsError, LOG_GROUP_NAME } from './props';

export type ContextSettings = Omit<BucketGuardProps, 'registry' | 'trailLogGroup' | 'topic' | 'notificationKey'> & {
  /** `trail=log-group:<name>`: the app imports that log group (BucketGuardStackProps.trailLogGroupName). */
  readonly trailLogGroupName?: string;
  readonly stackName: string;
  readonly nag: boolean;
  readonly homeRegion?: string;
};

/** An AWS Region code (us-east-1, ap-southeast-2, us-gov-west-1). */
export const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function region(key: string, value: unknown): string | undefined {
  const raw = text(key, value);
  if (raw !== undefined && !REGION_CODE.test(raw)) {
    throw new InvalidBucketGuardPropsError(key, raw, 'an AWS Region code such as eu-west-1');
  }
  return raw;
}

/** The `trail` context value: create, none, or an existing trail's log group by name. */
export type TrailSetting =
  | { readonly kind: 'create' }
  | { readonly kind: 'existing-log-group'; readonly logGroupName: string }
  | { readonly kind: 'none' };

/** Reads one context key; `tryGetContext` of a CDK node fits this signature. */
export type ContextReader = (key: string) => unknown;

export function list(key: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return value.map((v) => v.trim()).filter(Boolean);
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  }
  throw new InvalidBucketGuardPropsError(key, value, 'a comma-separated string or a list of strings');
}

export function text(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new InvalidBucketGuardPropsError(key, value, 'a non-empty string');
}

function flag(key: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidBucketGuardPropsError(key, value, 'true or false');
}

export function integer(key: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  throw new InvalidBucketGuardPropsError(key, value, 'a whole number');
}

/** A number, or `false` for no reservation. */
function reservation(key: string, value: unknown): number | false | undefined {
  if (value === false || value === 'false') return false;
  return integer(key, value);
}

function actions(value: unknown): ActionId[] | undefined {
  const entries = list('actions', value);
  if (entries?.length === 1 && entries[0] === 'none') return [];
  return entries as ActionId[] | undefined;
}

function actionModes(value: unknown): Partial<Record<ActionId, RemediationMode>> | undefined {
  const entries = list('actionModes', value);
  if (entries === undefined) return undefined;
  const modes: Partial<Record<ActionId, RemediationMode>> = {};
  for (const entry of entries) {
    const [action, mode, ...rest] = entry.split('=').map((part) => part.trim());
    if (!action || (mode !== 'notify' && mode !== 'remediate') || rest.length > 0) {
      throw new InvalidBucketGuardPropsError('actionModes', entry, '"<action id>=notify" or "<action id>=remediate"');
    }
    modes[action as ActionId] = mode;
  }
  return modes;
}

export function parseTrail(value: unknown): TrailSetting | undefined {
  const raw = text('trail', value);
  if (raw === undefined) return undefined;
  if (raw === 'create') return { kind: 'create' };
  if (raw === 'none') return { kind: 'none' };
  if (raw.startsWith('log-group:') && raw.length > 'log-group:'.length) {
    const logGroupName = raw.slice('log-group:'.length);
    if (!LOG_GROUP_NAME.test(logGroupName)) {
      throw new InvalidBucketGuardPropsError('trail', logGroupName, 'a CloudWatch Logs group name');
    }
    return { kind: 'existing-log-group', logGroupName };
  }
  throw new InvalidBucketGuardPropsError(
    'trail',
    value,
    '"create", "none" or "log-group:<CloudWatch Logs group name>"',
  );
}

export function parseRuleParametersValue(value: unknown): Record<string, Record<string, string>> | undefined {
  if (value === undefined || value === null) return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InvalidBucketGuardPropsError(
        'ruleParameters',
        value,
        'JSON like {"<rule id>": {"<parameter>": "<value>"}}',
      );
    }
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed)) {
    throw new InvalidBucketGuardPropsError(
      'ruleParameters',
      value,
      'an object {"<rule id>": {"<parameter>": "<value>"}}',
    );
  }
  const result: Record<string, Record<string, string>> = {};
  for (const [ruleId, params] of Object.entries(parsed)) {
    if (!isObject(params)) {
      throw new InvalidBucketGuardPropsError(`ruleParameters.${ruleId}`, params, 'an object of string values');
    }
    result[ruleId] = {};
    for (const [name, v] of Object.entries(params)) {
      // Config delivers every parameter as a string; accept JSON scalars from cdk.json and stringify them.
      if (typeof v === 'string') result[ruleId][name] = v;
      else if (typeof v === 'boolean' || typeof v === 'number') result[ruleId][name] = String(v);
      else throw new InvalidBucketGuardPropsError(`ruleParameters.${ruleId}.${name}`, v, 'a string');
    }
  }
  return result;
}

/** The `exemptions` context value: a JSON list (from cdk.json) or its JSON text (from -c); props.ts validates it. */
function exemptionList(value: unknown): ApprovedExemption[] | undefined {
  if (value === undefined || value === null) return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InvalidBucketGuardPropsError('exemptions', value, 'a JSON list of approved exemption entries');
    }
  }
  if (!Array.isArray(parsed)) {
    throw new InvalidBucketGuardPropsError('exemptions', value, 'a JSON list of approved exemption entries');
  }
  return parsed as ApprovedExemption[];
}

function stackName(value: unknown): string {
  const name = text('stackName', value) ?? 'BucketGuard';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)) {
    throw new InvalidBucketGuardPropsError('stackName', value, 'a CloudFormation stack name ([A-Za-z][A-Za-z0-9-]*)');
  }
  return name;
}

export function settingsFromContext(read: ContextReader): ContextSettings {
  const mode = text('mode', read('mode'));
  if (mode !== undefined && mode !== 'notify' && mode !== 'remediate') {
    throw new InvalidBucketGuardPropsError('mode', mode, '"notify" or "remediate"');
  }
  const trail = parseTrail(read('trail'));
  return {
    notificationEmails: list('email', read('email')),
    mode: mode as RemediationMode | undefined,
    enabledActions: actions(read('actions')),
    actionModes: actionModes(read('actionModes')),
    bpaFlags: list('bpaFlags', read('bpaFlags')) as BpaFlag[] | undefined,
    exemptionTag: text('exemptionTag', read('exemptionTag')),
    exemptions: exemptionList(read('exemptions')),
    maxExemptionDays: integer('maxExemptionDays', read('maxExemptionDays')),
    accountBpaOverridesExemptions: flag('accountBpaOverridesExemptions', read('accountBpaOverridesExemptions')),
    rulePrefix: text('rulePrefix', read('rulePrefix')),
    alarmPrefix: text('alarmPrefix', read('alarmPrefix')),
    ...(trail === undefined
      ? {}
      : trail.kind === 'existing-log-group'
        ? { trailLogGroupName: trail.logGroupName }
        : { createTrail: trail.kind === 'create' }),
    configRecorder: flag('recorder', read('recorder')),
    ruleParameters: parseRuleParametersValue(read('ruleParameters')),
    logRetentionDays: integer('logRetentionDays', read('logRetentionDays')),
    flapLimit: integer('flapLimit', read('flapLimit')),
    flapWindowSeconds: integer('flapWindowSeconds', read('flapWindowSeconds')),
    alarmTopicActions: flag('alarmTopicActions', read('alarmTopicActions')),
    remediationReservedConcurrency: reservation(
      'remediationReservedConcurrency',
      read('remediationReservedConcurrency'),
    ),
    athena: flag('athena', read('athena')),
    athenaBytesScannedCutoff: integer('athenaBytesScannedCutoff', read('athenaBytesScannedCutoff')),
    stackName: stackName(read('stackName')),
    nag: flag('nag', read('nag')) ?? true,
    ...(read('homeRegion') === undefined ? {} : { homeRegion: region('homeRegion', read('homeRegion')) }),
  };
}
