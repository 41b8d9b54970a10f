import {
  type BucketRuleDefinition,
  InvalidParameterError,
  type ParameterSpec,
  type RawParameters,
} from '../../model/rule-definition';
import {
  COMMON_BUCKET_PARAMETERS,
  parseAccessTypesParameter,
  parseAccountIdsParameter,
  parseCsvParameter,
  parseEnumParameter,
  parseExemptionSettings,
  parseRuleParameters,
  validateParameterValue,
} from '../../rules/parameters';
import { rule as accountRule } from '../../rules/s3-account-level-public-access-blocked';
import { rule as versioningRule } from '../../rules/s3-bucket-versioning-enabled';

/** A rule with one parameter of every type; parseParameters returns what parseRuleParameters handed it. */
const specs = {
  flag: { description: 'boolean', type: 'boolean', default: 'false' },
  label: { description: 'string', type: 'string', default: 'fallback' },
  names: { description: 'csv', type: 'csv', default: '' },
  mode: { description: 'enum', type: 'enum', default: 'strict', allowed: ['strict', 'lenient'] },
  accounts: { description: 'accountIds', type: 'accountIds', default: '' },
  flags: {
    description: 'bpaFlags',
    type: 'bpaFlags',
    default: 'blockPublicAcls,ignorePublicAcls,blockPublicPolicy,restrictPublicBuckets',
  },
  access: { description: 'accessTypes', type: 'accessTypes', default: 'read,write,list,readAcp,writeAcp' },
} as const satisfies Record<string, ParameterSpec>;

const probe: BucketRuleDefinition<RawParameters> = {
  ...versioningRule,
  id: 'probe',
  parameters: specs,
  parseParameters: (raw) => raw,
  evaluate: () => {
    throw new Error('not used');
  },
};

const DEFAULTS = {
  flag: 'false',
  label: 'fallback',
  names: '',
  mode: 'strict',
  accounts: '',
  flags: 'blockPublicAcls,ignorePublicAcls,blockPublicPolicy,restrictPublicBuckets',
  access: 'read,write,list,readAcp,writeAcp',
};

function errorOf(action: () => unknown): InvalidParameterError {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidParameterError) return error;
    throw error;
  }
  throw new Error('expected an InvalidParameterError');
}

describe('parseRuleParameters: the ruleParameters document', () => {
  it.each([
    ['absent', undefined],
    ['null', null],
    ['an empty string', ''],
    ['whitespace', '  '],
    ['"{}"', '{}'],
    ['an empty object', {}],
  ])('%s means every default', (_label, input) => {
    expect(parseRuleParameters(probe, input)).toEqual(DEFAULTS);
  });

  it('reads a JSON string of string values and fills in the rest', () => {
    expect(parseRuleParameters(probe, '{"flag":"true","mode":"lenient"}')).toEqual({
      ...DEFAULTS,
      flag: 'true',
      mode: 'lenient',
    });
  });

  it('accepts an already-parsed object, with plain booleans and numbers stringified', () => {
    expect(parseRuleParameters(probe, { flag: true, accounts: 111122223333 })).toEqual({
      ...DEFAULTS,
      flag: 'true',
      accounts: '111122223333',
    });
  });

  it('treats a blank value as the default (never as "check nothing")', () => {
    expect(parseRuleParameters(probe, '{"flags":"  ","access":""}')).toEqual(DEFAULTS);
  });

  it.each([
    [
      'invalid JSON',
      '{"flag":',
      'Invalid rule parameter "ruleParameters": received "{\\"flag\\":"; expected a JSON object of string values.',
    ],
    [
      'a JSON array',
      '["flag"]',
      'Invalid rule parameter "ruleParameters": received "[\\"flag\\"]"; expected a JSON object of string values.',
    ],
    [
      'a JSON number',
      '42',
      'Invalid rule parameter "ruleParameters": received "42"; expected a JSON object of string values.',
    ],
    [
      'an array object',
      ['flag'],
      'Invalid rule parameter "ruleParameters": received ["flag"]; expected a JSON object of string values.',
    ],
    ['a number', 7, 'Invalid rule parameter "ruleParameters": received 7; expected a JSON object of string values.'],
  ])('rejects %s', (_label, input, message) => {
    const error = errorOf(() => parseRuleParameters(probe, input));
    expect(error.message).toBe(message);
    expect(error.parameter).toBe('ruleParameters');
  });

  it.each([
    [
      'an object value',
      { names: { a: 1 } },
      'Invalid rule parameter "names": received {"a":1}; expected a string value.',
    ],
    [
      'an array value',
      { names: ['a', 'b'] },
      'Invalid rule parameter "names": received ["a","b"]; expected a string value.',
    ],
    ['a null value', { label: null }, 'Invalid rule parameter "label": received null; expected a string value.'],
    [
      'a number in exponent form',
      { label: 1e21 },
      'Invalid rule parameter "label": received 1e+21; expected a string value.',
    ],
  ])('rejects %s', (_label, input, message) => {
    expect(errorOf(() => parseRuleParameters(probe, input)).message).toBe(message);
  });

  it('rejects an unknown key, naming every accepted key, so a typo cannot switch a check off', () => {
    const error = errorOf(() => parseRuleParameters(probe, '{"Flags":"blockPublicAcls"}'));
    expect(error.message).toBe(
      'Invalid rule parameter "Flags": received "blockPublicAcls"; expected one of the parameters this rule accepts: flag, label, names, mode, accounts, flags, access (parameter names are case-sensitive).',
    );
    expect(error.parameter).toBe('Flags');
    expect(error.received).toBe('blockPublicAcls');
  });

  it('rejects any key for a rule without that parameter, listing what it does accept', () => {
    expect(errorOf(() => parseRuleParameters(accountRule, { exemptionTag: 'x' })).message).toBe(
      'Invalid rule parameter "exemptionTag": received "x"; expected one of the parameters this rule accepts: flags (parameter names are case-sensitive).',
    );
  });

  it('does not take keys from Object.prototype for parameters', () => {
    expect(errorOf(() => parseRuleParameters(probe, '{"constructor":"x"}')).parameter).toBe('constructor');
  });
});

describe('parameter types', () => {
  const parse = (values: Record<string, string>) => parseRuleParameters(probe, JSON.stringify(values));

  it.each([
    ['true', 'true'],
    ['TRUE', 'TRUE'],
    [' False ', ' False '],
  ])('boolean accepts %j', (value, stored) => {
    expect(parse({ flag: value }).flag).toBe(stored);
  });

  it.each(['yes', '1', 'on'])('boolean rejects %j', (value) => {
    expect(errorOf(() => parse({ flag: value })).message).toBe(
      `Invalid rule parameter "flag": received ${JSON.stringify(value)}; expected true or false.`,
    );
  });

  it('enum rejects values outside its list', () => {
    expect(errorOf(() => parse({ mode: 'loose' })).message).toBe(
      'Invalid rule parameter "mode": received "loose"; expected one of: strict, lenient.',
    );
  });

  it('accountIds rejects anything but 12 digits, naming the bad ones', () => {
    expect(errorOf(() => parse({ accounts: '111122223333, 1234,12345678901a' })).message).toBe(
      'Invalid rule parameter "accounts": received "111122223333, 1234,12345678901a"; expected comma-separated 12-digit AWS account ids (not valid: "1234", "12345678901a").',
    );
  });

  it('bpaFlags rejects unknown names and lists the four', () => {
    expect(errorOf(() => parse({ flags: 'BlockPublicAccess' })).message).toBe(
      'Invalid rule parameter "flags": received "BlockPublicAccess"; expected a comma-separated subset of: blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets (not valid: "BlockPublicAccess").',
    );
  });

  it('bpaFlags rejects a list of nothing but commas', () => {
    expect(errorOf(() => parse({ flags: ', ,' })).message).toBe(
      'Invalid rule parameter "flags": received ", ,"; expected a comma-separated subset of: blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets.',
    );
  });

  it('accessTypes rejects unknown types', () => {
    expect(errorOf(() => parse({ access: 'read,delete' })).message).toBe(
      'Invalid rule parameter "access": received "read,delete"; expected a comma-separated subset of: read, write, list, readAcp, writeAcp (not valid: "delete").',
    );
  });

  it('validateParameterValue rejects an empty string where a value is required', () => {
    expect(() => validateParameterValue('label', specs.label, ' ')).toThrow(
      'Invalid rule parameter "label": received " "; expected a non-empty string.',
    );
  });
});

describe('typed readers', () => {
  it('csv trims and drops empty items', () => {
    expect(parseCsvParameter(' a, ,b ,,c')).toEqual(['a', 'b', 'c']);
  });

  it('accountIds trims and drops duplicates', () => {
    expect(parseAccountIdsParameter('accounts', ' 123456789012,111122223333 , 123456789012')).toEqual([
      '123456789012',
      '111122223333',
    ]);
  });

  it('accessTypes is case-insensitive and returns canonical names in canonical order', () => {
    expect(parseAccessTypesParameter('access', 'WRITEACP, read,ReadAcp')).toEqual(['read', 'readAcp', 'writeAcp']);
  });

  it('enum is case-insensitive and returns the declared spelling', () => {
    expect(parseEnumParameter('mode', ' Lenient ', ['strict', 'lenient'])).toBe('lenient');
  });
});

describe('typed values through real rules', () => {
  it('bpaFlags: case-insensitive, PascalCase accepted, canonical order, duplicates dropped', () => {
    expect(
      parseRuleParameters(accountRule, '{"flags":"RestrictPublicBuckets, blockpublicacls,BlockPublicAcls"}'),
    ).toEqual({ flags: ['blockPublicAcls', 'restrictPublicBuckets'] });
  });

  it('bpaFlags default is all four', () => {
    expect(parseRuleParameters(accountRule, undefined)).toEqual({
      flags: ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'],
    });
  });

  it('boolean and the common bucket parameters', () => {
    expect(parseRuleParameters(versioningRule, '{"mfaDeleteRequired":"TRUE","exemptions":"OFF"}')).toEqual({
      mfaDeleteRequired: true,
      exemption: { tagKey: 'bucketguard:exempt', enabled: false, maxDays: 90 },
    });
  });

  it('bucket rule defaults: exemptions on with the default tag', () => {
    expect(parseRuleParameters(versioningRule, '{}')).toEqual({
      mfaDeleteRequired: false,
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });
});

describe('COMMON_BUCKET_PARAMETERS / parseExemptionSettings', () => {
  it('declares the two common parameters with safe defaults', () => {
    expect(COMMON_BUCKET_PARAMETERS.exemptionTag.default).toBe('bucketguard:exempt');
    expect(COMMON_BUCKET_PARAMETERS.exemptions).toMatchObject({ type: 'enum', default: 'on', allowed: ['on', 'off'] });
  });

  it('trims a renamed tag key', () => {
    expect(parseExemptionSettings({ exemptionTag: '  security/exempt ' })).toEqual({
      tagKey: 'security/exempt',
      enabled: true,
      maxDays: 90,
    });
  });

  it('reads where the approved list is and the maximum exemption length', () => {
    expect(
      parseExemptionSettings({ exemptionsParameter: '/bucketguard/bucketguard/exemptions', maxExemptionDays: '30' }),
    ).toEqual({
      tagKey: 'bucketguard:exempt',
      enabled: true,
      parameterName: '/bucketguard/bucketguard/exemptions',
      maxDays: 30,
    });
    expect(parseExemptionSettings({ exemptionsParameter: 'none' })).not.toHaveProperty('parameterName');
  });

  it.each([
    [
      'exemptionsParameter',
      'bucketguard/x',
      'an SSM parameter name starting with / (letters, digits, _ . - /), or none',
    ],
    ['maxExemptionDays', '0', 'a whole number of days, at least 1'],
    ['maxExemptionDays', '1.5', 'a whole number of days, at least 1'],
  ])('rejects %s=%s', (key, value, expected) => {
    expect(errorOf(() => parseExemptionSettings({ [key]: value })).message).toBe(
      `Invalid rule parameter "${key}": received ${JSON.stringify(value)}; expected ${expected}.`,
    );
  });

  it.each([
    ['reserved aws: prefix', 'aws:exempt'],
    ['a character S3 refuses', 'bad*key'],
    ['123 characters', 'k'.repeat(123)],
  ])('rejects a tag key with %s', (_label, received) => {
    expect(errorOf(() => parseExemptionSettings({ exemptionTag: received })).message).toBe(
      `Invalid rule parameter "exemptionTag": received ${JSON.stringify(received)}; expected an S3 tag key of at most 122 characters (letters, digits, spaces and _ . : / = + - @), not starting with aws:.`,
    );
  });

  it('accepts a 122-character key (so <key>-until fits in 128)', () => {
    expect(parseExemptionSettings({ exemptionTag: 'k'.repeat(122) }).tagKey).toHaveLength(122);
  });

  it('rejects exemptions values other than on/off', () => {
    expect(errorOf(() => parseExemptionSettings({ exemptions: 'disabled' })).message).toBe(
      'Invalid rule parameter "exemptions": received "disabled"; expected one of: on, off.',
    );
  });
});
