/**
 * Rule parameters as AWS Config delivers them (`ruleParameters`: a JSON string of string values, or absent) turned
 * into validated, typed values. Unknown keys and bad values are errors, never ignored: a typo in a parameter must not
 * silently switch a check off. An empty value means the default (the defaults are the strict settings).
 */

import { DEFAULT_MAX_EXEMPTION_DAYS } from '../model/approved-exemptions';
import { isAccountId } from '../model/arn';
import { DEFAULT_EXEMPTION_TAG, type ExemptionSettings } from '../model/exemptions';
import {
  InvalidParameterError,
  type ParameterSpec,
  type RawParameters,
  type RuleDefinition,
} from '../model/rule-definition';
import { ACCESS_TYPES, type AccessType, BPA_FLAGS, type BpaFlag } from '../model/types';

/** The key under which InvalidParameterError reports a problem with the ruleParameters document as a whole. */
export const RULE_PARAMETERS_KEY = 'ruleParameters';

/** Parameters every bucket rule accepts: where the approved exemptions are, how they are requested, whether honoured. */
export const COMMON_BUCKET_PARAMETERS = {
  exemptionTag: {
    description:
      'Tag key with which a bucket owner requests an exemption (its value is the reason, `<key>-until` an end date); a request alone exempts nothing, it is reported as "Exemption requested, not approved".',
    type: 'string',
    default: DEFAULT_EXEMPTION_TAG,
  },
  exemptions: {
    description: 'Whether approved exemptions are honoured: on or off.',
    type: 'enum',
    default: 'on',
    allowed: ['on', 'off'],
  },
  exemptionsParameter: {
    description:
      'SSM parameter (String, JSON list) holding the approved exemptions, written only by the deployment; none: no exemption is approved.',
    type: 'string',
    default: 'none',
  },
  maxExemptionDays: {
    description: 'An approved exemption ending further away than this many days is not honoured.',
    type: 'string',
    default: String(DEFAULT_MAX_EXEMPTION_DAYS),
  },
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/** What every bucket rule's parsed parameters carry. */
export interface CommonBucketParameters {
  readonly exemption: ExemptionSettings;
}

/**
 * Parses `ruleParameters` (undefined, null, a JSON string, or an already-parsed object) for `rule`: rejects unknown
 * keys, validates every value against its ParameterSpec, fills in defaults, then lets the rule build its typed params.
 * Throws InvalidParameterError.
 */
export function parseRuleParameters<P>(rule: RuleDefinition<P>, ruleParameters: unknown): P {
  const received = toStringRecord(ruleParameters);
  const specs = rule.parameters;
  const unknownKeys = Object.keys(received).filter((key) => !Object.hasOwn(specs, key));
  if (unknownKeys.length > 0) {
    const accepted = Object.keys(specs);
    throw new InvalidParameterError(
      unknownKeys[0],
      received[unknownKeys[0]],
      accepted.length > 0
        ? `one of the parameters this rule accepts: ${accepted.join(', ')} (parameter names are case-sensitive)`
        : 'no parameters (this rule accepts none)',
    );
  }
  const complete: Record<string, string> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = parameterValue(specs, received, key);
    validateParameterValue(key, spec, value);
    complete[key] = value;
  }
  return rule.parseParameters(complete);
}

/** The raw value of `key`, or the spec default when the key is absent or its value is blank. */
export function parameterValue(
  specs: Readonly<Record<string, ParameterSpec>>,
  raw: RawParameters,
  key: string,
): string {
  const value = Object.hasOwn(raw, key) ? raw[key] : undefined;
  if (value !== undefined && value.trim() !== '') return value;
  const spec = Object.hasOwn(specs, key) ? specs[key] : undefined;
  if (!spec) throw new InvalidParameterError(key, value ?? null, 'a parameter declared by the rule');
  return spec.default;
}

/** Throws InvalidParameterError when `value` does not fit `spec.type`. */
export function validateParameterValue(key: string, spec: ParameterSpec, value: string): void {
  switch (spec.type) {
    case 'boolean':
      parseBooleanParameter(key, value);
      return;
    case 'string':
      // A string parameter whose default is '' is optional: blank means "not set".
      if (spec.default === '' && value.trim() === '') return;
      parseStringParameter(key, value);
      return;
    case 'csv':
      parseCsvParameter(value);
      return;
    case 'enum':
      parseEnumParameter(key, value, spec.allowed ?? []);
      return;
    case 'accountIds':
      parseAccountIdsParameter(key, value);
      return;
    case 'bpaFlags':
      parseBpaFlagsParameter(key, value);
      return;
    case 'accessTypes':
      parseAccessTypesParameter(key, value);
      return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The ruleParameters document

function toStringRecord(ruleParameters: unknown): Record<string, string> {
  if (ruleParameters === undefined || ruleParameters === null) return {};
  let document: unknown = ruleParameters;
  if (typeof ruleParameters === 'string') {
    if (ruleParameters.trim() === '') return {};
    try {
      document = JSON.parse(ruleParameters);
    } catch {
      throw new InvalidParameterError(RULE_PARAMETERS_KEY, ruleParameters, 'a JSON object of string values');
    }
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InvalidParameterError(RULE_PARAMETERS_KEY, ruleParameters, 'a JSON object of string values');
  }
  const record: Record<string, string> = {};
  for (const [key, value] of Object.entries(document)) {
    record[key] = stringValue(key, value);
  }
  return record;
}

/** Config only ever sends strings; a hand-written object may carry true or 12, which mean the same. */
function stringValue(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value) && !/e/i.test(String(value))) return String(value);
  throw new InvalidParameterError(key, value, 'a string value');
}

// ---------------------------------------------------------------------------------------------------------------
// Typed readers, one per ParameterSpec type. Rules call these in parseParameters().

const TRUE_FALSE = 'true or false';

export function parseBooleanParameter(key: string, value: string): boolean {
  const normalised = value.trim().toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  throw new InvalidParameterError(key, value, TRUE_FALSE);
}

export function parseStringParameter(key: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new InvalidParameterError(key, value, 'a non-empty string');
  return trimmed;
}

/** Comma-separated values, trimmed, empties dropped. */
export function parseCsvParameter(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Case-insensitive; returns the value as spelled in `allowed`. */
export function parseEnumParameter<T extends string>(key: string, value: string, allowed: readonly T[]): T {
  const normalised = value.trim().toLowerCase();
  const match = allowed.find((candidate) => candidate.toLowerCase() === normalised);
  if (match === undefined) throw new InvalidParameterError(key, value, `one of: ${allowed.join(', ')}`);
  return match;
}

/** 12-digit AWS account ids, comma-separated; duplicates dropped. */
export function parseAccountIdsParameter(key: string, value: string): string[] {
  return parseIdsParameter(key, value, isAccountId, 'comma-separated 12-digit AWS account ids');
}

/** Comma-separated ids that must each pass `accept`; duplicates dropped. `expected` describes them in the error. */
export function parseIdsParameter(
  key: string,
  value: string,
  accept: (id: string) => boolean,
  expected: string,
): string[] {
  const ids = parseCsvParameter(value);
  const bad = ids.filter((id) => !accept(id));
  if (bad.length > 0) {
    throw new InvalidParameterError(
      key,
      value,
      `${expected} (not valid: ${bad.map((id) => JSON.stringify(id)).join(', ')})`,
    );
  }
  return [...new Set(ids)];
}

/** BPA flag names, case-insensitive (so Config's camelCase and the API's PascalCase both work); in canonical order. */
export function parseBpaFlagsParameter(key: string, value: string): BpaFlag[] {
  return parseSubset(key, value, BPA_FLAGS);
}

/** Access types (read, write, list, readAcp, writeAcp), case-insensitive; in canonical order. */
export function parseAccessTypesParameter(key: string, value: string): AccessType[] {
  return parseSubset(key, value, ACCESS_TYPES);
}

function parseSubset<T extends string>(key: string, value: string, names: readonly T[]): T[] {
  const items = parseCsvParameter(value);
  const chosen = new Set<T>();
  const bad: string[] = [];
  for (const item of items) {
    const match = names.find((name) => name.toLowerCase() === item.toLowerCase());
    if (match === undefined) bad.push(item);
    else chosen.add(match);
  }
  if (bad.length > 0 || chosen.size === 0) {
    const notValid = bad.length > 0 ? ` (not valid: ${bad.map((item) => JSON.stringify(item)).join(', ')})` : '';
    throw new InvalidParameterError(key, value, `a comma-separated subset of: ${names.join(', ')}${notValid}`);
  }
  return names.filter((name) => chosen.has(name));
}

// ---------------------------------------------------------------------------------------------------------------
// Exemption settings (the common bucket parameters)

/** S3 tag keys are at most 128 characters; `<key>-until` must fit too. */
const MAX_EXEMPTION_TAG_LENGTH = 128 - '-until'.length;
/** Characters S3 accepts in tag keys (letters, digits, whitespace, `_ . : / = + - @`). */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;

export function parseExemptionSettings(raw: RawParameters): ExemptionSettings {
  const tagKey = parseStringParameter('exemptionTag', parameterValue(COMMON_BUCKET_PARAMETERS, raw, 'exemptionTag'));
  if (tagKey.length > MAX_EXEMPTION_TAG_LENGTH || !TAG_KEY.test(tagKey) || tagKey.toLowerCase().startsWith('aws:')) {
    throw new InvalidParameterError(
      'exemptionTag',
      tagKey,
      `an S3 tag key of at most ${MAX_EXEMPTION_TAG_LENGTH} characters (letters, digits, spaces and _ . : / = + - @), not starting with aws:`,
    );
  }
  const exemptions = parseEnumParameter(
    'exemptions',
    parameterValue(COMMON_BUCKET_PARAMETERS, raw, 'exemptions'),
    COMMON_BUCKET_PARAMETERS.exemptions.allowed,
  );
  const parameter = parseStringParameter(
    'exemptionsParameter',
    parameterValue(COMMON_BUCKET_PARAMETERS, raw, 'exemptionsParameter'),
  );
  if (parameter !== 'none' && !SSM_PARAMETER_NAME.test(parameter)) {
    throw new InvalidParameterError(
      'exemptionsParameter',
      parameter,
      'an SSM parameter name starting with / (letters, digits, _ . - /), or none',
    );
  }
  const daysRaw = parameterValue(COMMON_BUCKET_PARAMETERS, raw, 'maxExemptionDays').trim();
  const maxDays = Number(daysRaw);
  if (!/^\d{1,5}$/.test(daysRaw) || maxDays < 1) {
    throw new InvalidParameterError('maxExemptionDays', daysRaw, 'a whole number of days, at least 1');
  }
  return {
    tagKey,
    enabled: exemptions === 'on',
    ...(parameter === 'none' ? {} : { parameterName: parameter }),
    maxDays,
  };
}

/** SSM parameter names: a path of letters, digits and `_ . -`, at most 1011 characters. */
const SSM_PARAMETER_NAME = /^\/[A-Za-z0-9_.\-/]{1,1010}$/;
