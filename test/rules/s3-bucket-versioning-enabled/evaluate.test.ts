import { known, unknown } from '../../../model/types';
import { parseRuleParameters } from '../../../rules/parameters';
import { evaluateBucket } from '../../../rules/run-rule';
import { rule } from '../../../rules/s3-bucket-versioning-enabled';
import { bucket, bucketFixture, context } from '../builders';

const RULE_ID = 's3-bucket-versioning-enabled';
const MFA = '{"mfaDeleteRequired":"true"}';

describe(`${RULE_ID}: recorded configuration items`, () => {
  it.each<[string, string | undefined, string, string]>([
    ['compliant-enabled.json', undefined, 'COMPLIANT', 'Versioning is enabled.'],
    [
      'compliant-enabled.json',
      MFA,
      'NON_COMPLIANT',
      'Versioning is enabled, but MFA delete is not enabled (not recorded as enabled).',
    ],
    ['compliant-enabled-mfa-delete.json', MFA, 'COMPLIANT', 'Versioning is enabled with MFA delete.'],
    ['noncompliant-off.json', undefined, 'NON_COMPLIANT', 'Versioning has never been enabled on this bucket.'],
    ['noncompliant-off.api.json', undefined, 'NON_COMPLIANT', 'Versioning has never been enabled on this bucket.'],
    [
      'noncompliant-suspended.json',
      undefined,
      'NON_COMPLIANT',
      'Versioning is suspended: new object versions are no longer kept.',
    ],
    [
      'compliant-exempt.json',
      undefined,
      'NON_COMPLIANT',
      'Versioning has never been enabled on this bucket. Exemption requested, not approved.',
    ],
    [
      'noncompliant-exemption-expired.json',
      undefined,
      'NON_COMPLIANT',
      'Versioning has never been enabled on this bucket. Exemption requested, not approved.',
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

describe(`${RULE_ID}: states`, () => {
  const mfaRequired = parseRuleParameters(rule, MFA);

  it('MFA delete recorded as disabled is said plainly', () => {
    const state = bucket({ versioning: known({ status: 'Enabled', mfaDelete: false }) });
    expect(evaluateBucket(rule, state, mfaRequired, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Versioning is enabled, but MFA delete is not enabled.',
    });
  });

  it('suspended stays suspended even with MFA delete on', () => {
    const state = bucket({ versioning: known({ status: 'Suspended', mfaDelete: true }) });
    expect(evaluateBucket(rule, state, mfaRequired, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Versioning is suspended: new object versions are no longer kept.',
    });
  });

  it('unknown versioning -> NOT_APPLICABLE with the reason', () => {
    const state = bucket({ versioning: unknown('GetBucketVersioning failed: AccessDenied (403)') });
    expect(evaluateBucket(rule, state, mfaRequired, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Could not evaluate: versioning unknown (GetBucketVersioning failed: AccessDenied (403)).',
    });
  });
});

describe(`${RULE_ID}: metadata`, () => {
  it('declares its scope, remediation and parameters', () => {
    expect(rule).toMatchObject({
      id: RULE_ID,
      target: 'bucket',
      resourceTypes: ['AWS::S3::Bucket'],
      triggers: { configurationChanges: true },
      permissions: [],
      needs: { accountBpa: false, ownership: false },
      remediation: 'enable-versioning',
    });
    expect(parseRuleParameters(rule, undefined)).toEqual({
      mfaDeleteRequired: false,
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });
});
