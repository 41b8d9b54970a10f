/**
 * The physical names bucketguard gives its own functions and EventBridge rules: `<rulePrefix><what>`, like its Config
 * rules. Fixed names let the tamper filters (infra/alarm-table.ts tamperAlarms) recognise a call on bucketguard's
 * resources by name, in one short pattern (CloudFormation's generated names carry random suffixes). The rule prefix
 * is unique per account and Region already (Config rule names are), so these names are too.
 */
import { InvalidBucketGuardPropsError } from './props';

/** Lambda function names: 1-64 characters. */
export const MAX_FUNCTION_NAME = 64;
/** EventBridge rule names: 1-64 characters. */
export const MAX_EVENT_RULE_NAME = 64;

export const NOTIFY_FUNCTION = 'notify';
export const REMEDIATION_FUNCTION = 'remediation';

/** The EventBridge rules, by role. */
export const EVENT_RULE_NAMES = {
  compliance: 'compliance-changes',
  s3ApiCalls: 's3-api-calls',
  alarms: 'alarm-states',
  complianceArchive: 'compliance-archive',
} as const;

export interface PhysicalNames {
  /** Function name of a rule's Lambda: the Config rule's name. */
  ruleFunction(ruleId: string): string;
  readonly notifyFunction: string;
  readonly remediationFunction: string;
  eventRule(role: keyof typeof EVENT_RULE_NAMES): string;
  /** The trail bucketguard creates (its ARN is pinned in the trail bucket's policy). */
  readonly trail: string;
}

/** Throws InvalidBucketGuardPropsError when a name would be too long for its service. */
export function physicalNames(rulePrefix: string, ruleIds: readonly string[]): PhysicalNames {
  const functions = [...ruleIds, NOTIFY_FUNCTION, REMEDIATION_FUNCTION].map((id) => `${rulePrefix}${id}`);
  const rules = Object.values(EVENT_RULE_NAMES).map((id) => `${rulePrefix}${id}`);
  const longest = (names: readonly string[]) => names.reduce((a, b) => (b.length > a.length ? b : a), '');
  for (const [kind, names, max] of [
    ['Lambda function', functions, MAX_FUNCTION_NAME],
    ['EventBridge rule', rules, MAX_EVENT_RULE_NAME],
  ] as const) {
    const name = longest(names);
    if (name.length > max) {
      throw new InvalidBucketGuardPropsError(
        'rulePrefix',
        rulePrefix,
        `a prefix short enough for the ${kind} name "${name}" to fit ${max} characters (at most ${max - (name.length - rulePrefix.length)} characters)`,
      );
    }
  }
  return {
    ruleFunction: (ruleId) => `${rulePrefix}${ruleId}`,
    notifyFunction: `${rulePrefix}${NOTIFY_FUNCTION}`,
    remediationFunction: `${rulePrefix}${REMEDIATION_FUNCTION}`,
    eventRule: (role) => `${rulePrefix}${EVENT_RULE_NAMES[role]}`,
    // Trail names start with a letter or digit (a rule prefix may start with "-" or "_").
    trail: /^[A-Za-z0-9]/.test(rulePrefix) ? `${rulePrefix}trail` : `bucketguard${rulePrefix}trail`,
  };
}
