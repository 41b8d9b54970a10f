import { InvalidParameterError } from '../../../model/rule-definition';
import { type BucketPolicy, known, type PolicyStatement, unknown } from '../../../model/types';
import { parseRuleParameters } from '../../../rules/parameters';
import { evaluateBucket } from '../../../rules/run-rule';
import { rule } from '../../../rules/s3-bucket-ssl-requests-only';
import { bucket, bucketFixture, context } from '../builders';

const RULE_ID = 's3-bucket-ssl-requests-only';
const TLS12 = '{"minimumTlsVersion":"1.2"}';
const covered = (refs: string) =>
  `The bucket policy denies plain HTTP to every principal and S3 action on the bucket and its objects (${refs}).`;
const NO_TLS_DENY =
  'The bucket policy has no Deny statement for s3:TlsVersion below 1.2: requests with TLS below 1.2 are not refused.';
const NOT_DENIED = 'Requests over plain HTTP are not denied on the bucket and its objects: ';

describe(`${RULE_ID}: recorded configuration items`, () => {
  it.each<[string, string | undefined, string, string]>([
    ['compliant-deny-http.json', undefined, 'COMPLIANT', covered('statement "AllowSSLRequestsOnly"')],
    ['compliant-deny-http.api.json', undefined, 'COMPLIANT', covered('statement "AllowSSLRequestsOnly"')],
    ['compliant-cdk-enforce-ssl.json', undefined, 'COMPLIANT', covered('statement #1')],
    [
      'compliant-split-statements.json',
      undefined,
      'COMPLIANT',
      covered('statement "DenyHttpBucket" and statement "DenyHttpObjects"'),
    ],
    ['compliant-tls-minimum.json', undefined, 'COMPLIANT', covered('statement "AllowSSLRequestsOnly"')],
    [
      'compliant-tls-minimum.json',
      TLS12,
      'COMPLIANT',
      'The bucket policy denies plain HTTP to every principal and S3 action on the bucket and its objects (statement "AllowSSLRequestsOnly"); TLS below 1.2 too (statement "DenyOldTls").',
    ],
    ['compliant-deny-http.json', TLS12, 'NON_COMPLIANT', NO_TLS_DENY],
    [
      'noncompliant-no-policy.json',
      undefined,
      'NON_COMPLIANT',
      'No bucket policy: requests over plain HTTP (aws:SecureTransport false) are not denied.',
    ],
    [
      'noncompliant-allow-secure-only.json',
      undefined,
      'NON_COMPLIANT',
      'The bucket policy has no Deny statement for aws:SecureTransport false: requests over plain HTTP are not refused (statement "NOT-RECOMMENDED-FOR__AWSCONFIG-Rule_s3-bucket-ssl-requests-only" only allows over TLS, which refuses nothing).',
    ],
    [
      'noncompliant-objects-only.json',
      undefined,
      'NON_COMPLIANT',
      'Requests over plain HTTP are not denied on the bucket (arn:aws:s3:::example-objects-only): statement "DenyHttpObjects" covers only the objects.',
    ],
    [
      'noncompliant-some-actions.json',
      undefined,
      'NON_COMPLIANT',
      `${NOT_DENIED}statement "DenyHttpWrites" denies only s3:PutObject, s3:DeleteObject, leaving the other S3 actions open.`,
    ],
    [
      'noncompliant-one-principal.json',
      undefined,
      'NON_COMPLIANT',
      `${NOT_DENIED}statement #1 applies only to AWS arn:aws:iam::123456789012:root, not to every principal.`,
    ],
    [
      'noncompliant-extra-condition.json',
      undefined,
      'NON_COMPLIANT',
      `${NOT_DENIED}statement "DenyHttpOutsideVpce" also requires StringNotEquals aws:SourceVpce.`,
    ],
    [
      'noncompliant-not-principal.api.json',
      undefined,
      'NON_COMPLIANT',
      `${NOT_DENIED}statement "DenyHttpExceptAdmin" uses NotPrincipal, so the principals it lists are not denied.`,
    ],
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
});

const ARN = 'arn:aws:s3:::example-bucket';
const HTTP = { Bool: { 'aws:SecureTransport': 'false' } };
const denyHttp = (overrides: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Sid: 'DenyHttp',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [ARN, `${ARN}/*`],
  Condition: HTTP,
  ...overrides,
});
const withPolicy = (...statements: PolicyStatement[]) =>
  bucket({ policy: known<BucketPolicy | null>({ Version: '2012-10-17', Statement: statements }) });
const defaults = parseRuleParameters(rule, undefined);
const evaluate = (...statements: PolicyStatement[]) =>
  evaluateBucket(rule, withPolicy(...statements), defaults, context());

describe(`${RULE_ID}: statements`, () => {
  it.each<[string, Partial<PolicyStatement>]>([
    ['Action "*"', { Action: '*' }],
    ['Action in another case', { Action: 'S3:*' }],
    ['Resource "*"', { Resource: '*' }],
    ['Resource arn:aws:s3:::example-bucket*', { Resource: `${ARN}*` }],
    ['NotResource naming another bucket', { Resource: undefined, NotResource: 'arn:aws:s3:::example-other/*' }],
    ['NotAction naming only other services', { Action: undefined, NotAction: ['ec2:*', 'iam:PassRole'] }],
    ['Principal {"AWS": "*"}', { Principal: { AWS: '*' } }],
    ['Principal {"AWS": ["*"]}', { Principal: { AWS: ['*'] } }],
    ['a boolean false', { Condition: { Bool: { 'aws:SecureTransport': false } } }],
    ['BoolIfExists', { Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }],
    ['the key in another case', { Condition: { Bool: { 'AWS:SecureTransport': 'FALSE' } } }],
  ])('counts %s', (_name, overrides) => {
    expect(evaluate(denyHttp(overrides)).compliance).toBe('COMPLIANT');
  });

  it.each<[string, Partial<PolicyStatement>, string]>([
    ['an Allow', { Effect: 'Allow' }, 'The bucket policy has no Deny statement for aws:SecureTransport false'],
    ['"true"', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, 'no Deny statement'],
    ['a set qualifier', { Condition: { 'ForAnyValue:Bool': { 'aws:SecureTransport': 'false' } } }, 'no Deny statement'],
    ['a Null operator', { Condition: { Null: { 'aws:SecureTransport': 'true' } } }, 'no Deny statement'],
    [
      'a wildcard action over some S3 actions',
      { Action: 's3:Put*' },
      'statement "DenyHttp" denies only s3:Put*, leaving the other S3 actions open.',
    ],
    [
      'NotAction excepting an S3 action',
      { Action: undefined, NotAction: 's3:GetObject' },
      'statement "DenyHttp" leaves s3:GetObject open (NotAction).',
    ],
    [
      'NotResource excepting some objects',
      { Resource: undefined, NotResource: `${ARN}/public/*` },
      'Requests over plain HTTP are not denied on its objects (arn:aws:s3:::example-bucket/*): statement "DenyHttp" covers only the bucket.',
    ],
    [
      'a single object prefix',
      { Resource: [ARN, `${ARN}/private/*`] },
      'Requests over plain HTTP are not denied on its objects (arn:aws:s3:::example-bucket/*): statement "DenyHttp" covers only the bucket.',
    ],
    [
      'another bucket only',
      { Resource: ['arn:aws:s3:::example-other', 'arn:aws:s3:::example-other/*'] },
      'statement "DenyHttp" names neither the bucket nor its objects.',
    ],
  ])('does not count %s', (_name, overrides, part) => {
    const result = evaluate(denyHttp(overrides));
    expect(result.compliance).toBe('NON_COMPLIANT');
    expect(result.annotation).toContain(part);
  });

  it('partial statements are each named with what they leave open', () => {
    expect(
      evaluate(
        denyHttp({ Sid: 'Writes', Action: ['s3:PutObject'] }),
        denyHttp({ Sid: undefined, Principal: { AWS: '111122223333' } }),
      ).annotation,
    ).toBe(
      'Requests over plain HTTP are not denied on the bucket and its objects: statement "Writes" denies only s3:PutObject, leaving the other S3 actions open; statement #2 applies only to AWS 111122223333, not to every principal.',
    );
  });

  it('a full statement next to partial ones is enough', () => {
    expect(evaluate(denyHttp({ Sid: 'Writes', Action: 's3:PutObject' }), denyHttp()).annotation).toBe(
      'The bucket policy denies plain HTTP to every principal and S3 action on the bucket and its objects (statement "DenyHttp").',
    );
  });

  it('the bucket ARN follows the partition of the Region when the item has none', () => {
    const state = bucket({
      arn: undefined,
      region: 'cn-north-1',
      policy: known<BucketPolicy | null>({
        Statement: [denyHttp({ Resource: ['arn:aws-cn:s3:::example-bucket', 'arn:aws-cn:s3:::example-bucket/*'] })],
      }),
    });
    expect(evaluateBucket(rule, state, defaults, context()).compliance).toBe('COMPLIANT');
  });

  it('an unreadable policy -> NOT_APPLICABLE with the reason', () => {
    const state = bucket({ policy: unknown('BucketPolicy.policyText: not valid JSON') });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Could not evaluate: bucket policy unknown (BucketPolicy.policyText: not valid JSON).',
    });
  });
});

describe(`${RULE_ID}: minimum TLS version`, () => {
  const tls = parseRuleParameters(rule, TLS12);
  const oldTls = (value: string | string[]) =>
    denyHttp({ Sid: 'OldTls', Condition: { NumericLessThan: { 's3:TlsVersion': value } } });

  it('a Deny below 1.3 also refuses below 1.2; a Deny below 1.1 does not', () => {
    expect(evaluateBucket(rule, withPolicy(denyHttp(), oldTls('1.3')), tls, context()).compliance).toBe('COMPLIANT');
    expect(evaluateBucket(rule, withPolicy(denyHttp(), oldTls(['1.0', '1.2'])), tls, context()).compliance).toBe(
      'COMPLIANT',
    );
    expect(evaluateBucket(rule, withPolicy(denyHttp(), oldTls('1.1')), tls, context()).annotation).toBe(NO_TLS_DENY);
  });

  it.each(['1.2', ' 1.3 ', '1.0'])('accepts %j', (value) => {
    expect(parseRuleParameters(rule, JSON.stringify({ minimumTlsVersion: value }))).toEqual({
      minimumTlsVersion: Number(value),
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });

  it.each(['TLSv1.2', '2', '1.2.0', '12'])('rejects %j with a clear error', (value) => {
    expect(() => parseRuleParameters(rule, JSON.stringify({ minimumTlsVersion: value }))).toThrow(
      new InvalidParameterError('minimumTlsVersion', value, 'a TLS version such as 1.2 or 1.3, or empty'),
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
    expect(parseRuleParameters(rule, undefined)).toEqual({
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });
});
