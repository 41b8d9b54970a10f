import { type Fact, known, type PolicyStatement, type PublicAccessBlockFlags, unknown } from '../../../model/types';
import { parseRuleParameters } from '../../../rules/parameters';
import { evaluateBucket } from '../../../rules/run-rule';
import { rule } from '../../../rules/s3-bucket-cross-account-access-prohibited';
import {
  ALL_ON,
  bucket,
  bucketFixture,
  context,
  OTHER_CANONICAL_ID,
  OWNER_CANONICAL_ID,
  OWNER_GRANT,
} from '../builders';

const RULE_ID = 's3-bucket-cross-account-access-prohibited';
const defaults = parseRuleParameters(rule, undefined);
const NONE = known<PublicAccessBlockFlags | null>(null);
const INSIDE = 'No cross-account access: the bucket policy and ACL grant access only within account 111122223333.';

describe(`${RULE_ID}: recorded configuration items`, () => {
  it.each<[string, Fact<PublicAccessBlockFlags | null>, string | undefined, string, string]>([
    ['compliant-owner-only.json', NONE, undefined, 'COMPLIANT', INSIDE],
    ['compliant-service-principal-own-account.json', NONE, undefined, 'COMPLIANT', INSIDE],
    [
      'noncompliant-other-account-policy.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Cross-account access via bucket policy: statement "PartnerRead" gives read, list to account 123456789012.',
    ],
    [
      'noncompliant-other-account-policy.json',
      NONE,
      '{"trustedAccounts":"123456789012"}',
      'COMPLIANT',
      'No cross-account access: the bucket policy and ACL grant access only within account 111122223333 and the trusted accounts.',
    ],
    [
      'noncompliant-other-canonical-acl.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Cross-account access via ACL: canonical user 9e8d7c6b… has FULL_CONTROL.',
    ],
    [
      'noncompliant-public-policy.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Cross-account access via bucket policy: statement "PublicRead" gives read to * (public).',
    ],
    [
      'noncompliant-public-policy.json',
      known(ALL_ON),
      undefined,
      'COMPLIANT',
      'No effective cross-account access: the bucket policy is public, so RestrictPublicBuckets (account) blocks its grants (statement "PublicRead").',
    ],
    [
      'noncompliant-public-policy.json',
      unknown('s3control GetPublicAccessBlock failed: AccessDenied (403)'),
      undefined,
      'NON_COMPLIANT',
      'Cross-account access via bucket policy: statement "PublicRead" gives read to * (public). Account-level Block Public Access unknown (s3control GetPublicAccessBlock failed: AccessDenied (403)); evaluated as off.',
    ],
    [
      'noncompliant-service-principal-unrestricted.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Cross-account access via bucket policy: statement "LogsWrite" gives write to service logging.s3.amazonaws.com (not restricted to this account).',
    ],
    ['not-applicable-deleted.json', NONE, undefined, 'NOT_APPLICABLE', 'Bucket was deleted (ResourceDeleted).'],
  ])('%s (account BPA %j, params %s) -> %s', (file, accountBpa, ruleParameters, compliance, annotation) => {
    const state = bucketFixture(RULE_ID, file);
    expect(evaluateBucket(rule, state, parseRuleParameters(rule, ruleParameters), context(accountBpa))).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: state.name,
      compliance,
      annotation,
    });
  });
});

const policyOf = (...Statement: PolicyStatement[]) => known({ Version: '2012-10-17', Statement });
const partner: PolicyStatement = {
  Sid: 'Partner',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:role/reader' },
  Action: 's3:GetObject',
};
const orgWide: PolicyStatement = {
  Sid: 'OrgRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
};
const otherAccountAcl = known({
  ownerId: OWNER_CANONICAL_ID,
  grants: [
    OWNER_GRANT,
    { grantee: { kind: 'canonicalUser' as const, id: OTHER_CANONICAL_ID }, permission: 'READ' as const },
  ],
});

describe(`${RULE_ID}: grantees and trust`, () => {
  it('an organization pinned by aws:PrincipalOrgID is cross-account unless trusted', () => {
    expect(evaluateBucket(rule, bucket({ policy: policyOf(orgWide) }), defaults, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation:
        'Cross-account access via bucket policy: statement "OrgRead" gives read to organization o-a1b2c3d4e5.',
    });
    const trusted = parseRuleParameters(rule, '{"trustedOrganizations":"o-a1b2c3d4e5"}');
    expect(evaluateBucket(rule, bucket({ policy: policyOf(orgWide) }), trusted, context())).toMatchObject({
      compliance: 'COMPLIANT',
      annotation:
        'No cross-account access: the bucket policy and ACL grant access only within account 111122223333 and the trusted accounts.',
    });
  });

  it('names policy and ACL grants together', () => {
    expect(
      evaluateBucket(rule, bucket({ policy: policyOf(partner), acl: otherAccountAcl }), defaults, context()),
    ).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation:
        'Cross-account access via bucket policy: statement "Partner" gives read to account 123456789012; via ACL: canonical user 9e8d7c6b… has READ.',
    });
  });

  it('ACL grants do not count when ACLs are disabled', () => {
    const state = bucket({ acl: otherAccountAcl, ownership: known('BucketOwnerEnforced') });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: INSIDE,
    });
  });

  it('rejects organization ids that are not o-...', () => {
    expect(() => parseRuleParameters(rule, '{"trustedOrganizations":"o-a1b2c3d4e5,r-abcd"}')).toThrow(
      'Invalid rule parameter "trustedOrganizations": received "o-a1b2c3d4e5,r-abcd"; expected comma-separated organization ids like o-a1b2c3d4e5 (not valid: "r-abcd").',
    );
  });
});

describe(`${RULE_ID}: unknown inputs`, () => {
  it('owner account not recorded: a named account cannot be judged -> NOT_APPLICABLE', () => {
    const state = bucket({ accountId: undefined, policy: policyOf(partner) });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Could not evaluate: the owner account id is not recorded.',
    });
  });

  it('owner account not recorded, but a public statement is proof -> NON_COMPLIANT', () => {
    const state = bucket({
      accountId: undefined,
      policy: policyOf(partner, { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:PutObject' }),
    });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Cross-account access via bucket policy: statement "Open" gives write to * (public).',
    });
  });

  it('unknown policy, but the known ACL proves it -> NON_COMPLIANT', () => {
    const state = bucket({ policy: unknown('GetBucketPolicy failed: AccessDenied (403)'), acl: otherAccountAcl });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Cross-account access via ACL: canonical user 9e8d7c6b… has READ.',
    });
  });

  it('unknown policy and ACL -> NOT_APPLICABLE naming both', () => {
    const state = bucket({ policy: unknown('GetBucketPolicy failed: AccessDenied (403)'), acl: unknown('not read') });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation:
        'Could not evaluate: bucket policy unknown (GetBucketPolicy failed: AccessDenied (403)); bucket ACL unknown (not read).',
    });
  });

  it('a public policy with unknown bucket BPA: RestrictPublicBuckets may block its grants -> NOT_APPLICABLE', () => {
    const state = bucket({
      policy: policyOf({ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }),
      publicAccessBlock: unknown('GetPublicAccessBlock failed: AccessDenied (403)'),
    });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation:
        'Could not evaluate: bucket-level Block Public Access unknown (GetPublicAccessBlock failed: AccessDenied (403)).',
    });
  });

  it("RestrictPublicBuckets blocks a public policy's grants to named accounts too (S3 docs), but not ACL grants", () => {
    const state = bucket({
      policy: policyOf(partner, { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }),
      acl: otherAccountAcl,
      publicAccessBlock: known(ALL_ON),
    });
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Cross-account access via ACL: canonical user 9e8d7c6b… has READ.',
    });
    expect(
      evaluateBucket(
        rule,
        { ...state, acl: known({ ownerId: OWNER_CANONICAL_ID, grants: [OWNER_GRANT] }) },
        defaults,
        context(),
      ),
    ).toMatchObject({
      compliance: 'COMPLIANT',
      annotation:
        'No effective cross-account access: the bucket policy is public, so RestrictPublicBuckets (bucket) blocks its grants (statement "Partner", statement "Open").',
    });
  });
});

describe(`${RULE_ID}: metadata`, () => {
  it('declares its scope and parameters', () => {
    expect(rule).toMatchObject({
      id: RULE_ID,
      target: 'bucket',
      resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock'],
      triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
      permissions: ['s3:GetAccountPublicAccessBlock'],
      needs: { accountBpa: true, ownership: false },
    });
    expect(rule.remediation).toBeUndefined();
    expect(defaults).toEqual({
      trustedAccounts: [],
      trustedOrganizations: [],
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });
});

describe(`${RULE_ID}: owner account not known (live scan without --account-id)`, () => {
  it('names no account id when the owner account is unknown and only the owner has access', () => {
    const result = evaluateBucket(rule, bucket({ accountId: undefined }), defaults, context());
    expect(result).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: "No cross-account access: the bucket policy and ACL grant access only within the owner's account.",
    });
  });
});
