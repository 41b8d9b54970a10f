import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeConfigurationItem } from '../../../model/normalize';
import { InvalidParameterError } from '../../../model/rule-definition';
import { known, unknown } from '../../../model/types';
import { parseRuleParameters } from '../../../rules/parameters';
import { evaluateBucket } from '../../../rules/run-rule';
import { rule } from '../../../rules/s3-bucket-logging-enabled';
import { bucket, bucketFixture, context } from '../builders';

const RULE_ID = 's3-bucket-logging-enabled';
const TARGET = '{"targetBucket":"example-access-logs"}';
const TARGET_AND_PREFIX = '{"targetBucket":"example-access-logs","targetPrefix":"example-logged/"}';
const OFF = 'Server access logging is not enabled.';
const LOGGED = 'Server access logs go to bucket "example-access-logs" with prefix "example-logged/".';

describe(`${RULE_ID}: recorded configuration items`, () => {
  it.each<[string, string | undefined, string, string]>([
    ['compliant-logged.json', undefined, 'COMPLIANT', LOGGED],
    ['compliant-logged.api.json', undefined, 'COMPLIANT', LOGGED],
    ['compliant-logged.json', TARGET_AND_PREFIX, 'COMPLIANT', LOGGED],
    ['compliant-logged.api.json', TARGET, 'COMPLIANT', LOGGED],
    [
      'compliant-logged.json',
      '{"targetBucket":"example-central-logs"}',
      'NON_COMPLIANT',
      'Server access logs go to bucket "example-access-logs" with prefix "example-logged/"; expected bucket "example-central-logs".',
    ],
    [
      'compliant-logged.json',
      '{"targetBucket":"example-central-logs","targetPrefix":"s3/"}',
      'NON_COMPLIANT',
      'Server access logs go to bucket "example-access-logs" with prefix "example-logged/"; expected bucket "example-central-logs" and expected prefix "s3/".',
    ],
    [
      'compliant-logged-no-prefix.json',
      undefined,
      'COMPLIANT',
      'Server access logs go to bucket "example-access-logs" with no prefix.',
    ],
    [
      'compliant-logged-no-prefix.json',
      '{"targetPrefix":"example-logged-no-prefix/"}',
      'NON_COMPLIANT',
      'Server access logs go to bucket "example-access-logs" with no prefix; expected prefix "example-logged-no-prefix/".',
    ],
    ['noncompliant-off.json', undefined, 'NON_COMPLIANT', OFF],
    ['noncompliant-off.json', TARGET_AND_PREFIX, 'NON_COMPLIANT', OFF],
    ['noncompliant-off.api.json', undefined, 'NON_COMPLIANT', OFF],
    ['noncompliant-off.query.json', undefined, 'NON_COMPLIANT', OFF],
    ['not-applicable-deleted.json', undefined, 'NOT_APPLICABLE', 'Bucket was deleted (ResourceDeleted).'],
  ])('%s (params %s) -> %s', (file, ruleParameters, compliance, annotation) => {
    const state = bucketFixture(RULE_ID, file);
    expect(evaluateBucket(rule, state, parseRuleParameters(rule, ruleParameters), context())).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: state.name,
      compliance,
      annotation,
    });
  });

  it('an advanced-query row delivered as a JSON string reads the same', () => {
    const text = readFileSync(join(__dirname, '../../../events/rules', RULE_ID, 'noncompliant-off.query.json'), 'utf8');
    const state = normalizeConfigurationItem(text);
    expect(state).toMatchObject({ kind: 'bucket', source: 'config-advanced-query', logging: known(null) });
  });
});

describe(`${RULE_ID}: states`, () => {
  const defaults = parseRuleParameters(rule, undefined);

  it('a logging setting that could not be read -> NOT_APPLICABLE with the reason', () => {
    const state = bucket({ logging: unknown('GetBucketLogging failed: AccessDenied (403)') });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Could not evaluate: server access logging unknown (GetBucketLogging failed: AccessDenied (403)).',
    });
  });

  it('a state whose source does not read logging is never taken as "off"', () => {
    const { logging: _none, ...withoutLogging } = bucket({ source: 'cloudtrail-request' });
    expect(evaluateBucket(rule, withoutLogging, defaults, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation:
        'Could not evaluate: server access logging unknown (server access logging is not read from this source (cloudtrail-request)).',
    });
  });

  it('a logging bucket that logs into itself is compliant (S3 allows it; the managed rule does not object)', () => {
    const state = bucket({ logging: known({ targetBucket: 'example-bucket', targetPrefix: 'self/' }) });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: 'Server access logs go to bucket "example-bucket" with prefix "self/".',
    });
  });

  it('the target prefix is compared exactly (case and the trailing slash count)', () => {
    const state = bucket({ logging: known({ targetBucket: 'example-access-logs', targetPrefix: 'Logs' }) });
    expect(evaluateBucket(rule, state, parseRuleParameters(rule, '{"targetPrefix":"logs/"}'), context())).toMatchObject(
      {
        compliance: 'NON_COMPLIANT',
        annotation:
          'Server access logs go to bucket "example-access-logs" with prefix "Logs"; expected prefix "logs/".',
      },
    );
  });
});

describe(`${RULE_ID}: parameters`, () => {
  it('defaults: any target bucket, any prefix', () => {
    expect(parseRuleParameters(rule, undefined)).toEqual({
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
    expect(parseRuleParameters(rule, '{"targetBucket":"  ","targetPrefix":""}')).toEqual({
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });

  it('reads a bucket name or its ARN, and a prefix as given', () => {
    expect(
      parseRuleParameters(rule, '{"targetBucket":"arn:aws:s3:::example-access-logs","targetPrefix":"logs/ "}'),
    ).toEqual({
      targetBucket: 'example-access-logs',
      targetPrefix: 'logs/ ',
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });

  it.each([
    ['{"targetBucket":"Example_Logs"}', 'targetBucket', 'Example_Logs'],
    ['{"targetBucket":"s3://example-logs"}', 'targetBucket', 's3://example-logs'],
    [`{"targetPrefix":"${'a'.repeat(1025)}"}`, 'targetPrefix', 'a'.repeat(1025)],
    ['{"targetbucket":"example-logs"}', 'targetbucket', 'example-logs'],
  ])('rejects %s with a clear error', (raw, key, value) => {
    let error: unknown;
    try {
      parseRuleParameters(rule, raw);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error).toMatchObject({ parameter: key, received: value });
  });

  it('says what a bad target bucket should look like', () => {
    expect(() => parseRuleParameters(rule, '{"targetBucket":"Example_Logs"}')).toThrow(
      'Invalid rule parameter "targetBucket": received "Example_Logs"; expected an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens) or its arn:aws:s3:::name ARN, or empty for any bucket.',
    );
  });
});

describe(`${RULE_ID}: metadata`, () => {
  it('declares its scope and parameters', () => {
    expect(rule).toMatchObject({
      id: RULE_ID,
      target: 'bucket',
      resourceTypes: ['AWS::S3::Bucket'],
      triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
      permissions: [],
      needs: { accountBpa: false, ownership: false },
    });
    expect(rule.remediation).toBeUndefined();
    expect(Object.keys(rule.parameters)).toEqual([
      'targetBucket',
      'targetPrefix',
      'exemptionTag',
      'exemptions',
      'exemptionsParameter',
      'maxExemptionDays',
    ]);
  });
});
