import { known, unknown } from '../../../model/types';
import { parseRuleParameters } from '../../../rules/parameters';
import { evaluateBucket } from '../../../rules/run-rule';
import { rule } from '../../../rules/s3-bucket-level-public-access-blocked';
import { ALL_OFF, ALL_ON, bucket, bucketFixture, context } from '../builders';

const RULE_ID = 's3-bucket-level-public-access-blocked';

describe(`${RULE_ID}: recorded configuration items`, () => {
  it.each<[string, string | undefined, string, string]>([
    [
      'compliant-bpa-on.json',
      undefined,
      'COMPLIANT',
      'Bucket-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
    ],
    [
      'compliant-bpa-on.api.json',
      undefined,
      'COMPLIANT',
      'Bucket-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
    ],
    [
      'noncompliant-partial.json',
      undefined,
      'NON_COMPLIANT',
      'Bucket-level Block Public Access is off for: IgnorePublicAcls, RestrictPublicBuckets.',
    ],
    [
      'noncompliant-partial.json',
      '{"flags":"BlockPublicAcls,BlockPublicPolicy"}',
      'COMPLIANT',
      'Bucket-level Block Public Access is on for: BlockPublicAcls, BlockPublicPolicy.',
    ],
    [
      'noncompliant-partial.json',
      '{"flags":"restrictPublicBuckets"}',
      'NON_COMPLIANT',
      'Bucket-level Block Public Access is off for: RestrictPublicBuckets.',
    ],
    [
      'noncompliant-no-configuration.json',
      undefined,
      'NON_COMPLIANT',
      'No bucket-level Block Public Access configuration.',
    ],
    [
      'compliant-exempt.json',
      undefined,
      'NON_COMPLIANT',
      'No bucket-level Block Public Access configuration. Exemption requested, not approved.',
    ],
    [
      'compliant-exempt.json',
      '{"exemptionTag":"security:exempt"}',
      'NON_COMPLIANT',
      'No bucket-level Block Public Access configuration.',
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

describe(`${RULE_ID}: settings only`, () => {
  const defaults = parseRuleParameters(rule, undefined);

  it('ignores account-level settings (those are the account rule)', () => {
    expect(
      evaluateBucket(rule, bucket({ publicAccessBlock: known(null) }), defaults, context(known(ALL_ON))),
    ).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: 'No bucket-level Block Public Access configuration.' });
  });

  it('all four off names all four', () => {
    expect(evaluateBucket(rule, bucket({ publicAccessBlock: known(ALL_OFF) }), defaults, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation:
        'Bucket-level Block Public Access is off for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
    });
  });

  it('unknown setting -> NOT_APPLICABLE with the reason', () => {
    const state = bucket({ publicAccessBlock: unknown('GetPublicAccessBlock failed: AccessDenied (403)') });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation:
        'Could not evaluate: bucket-level Block Public Access unknown (GetPublicAccessBlock failed: AccessDenied (403)).',
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
      remediation: 'block-public-access',
    });
    expect(parseRuleParameters(rule, undefined)).toEqual({
      flags: ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'],
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });
});
