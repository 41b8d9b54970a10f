import { type AclGrant, type Fact, known, type ObjectOwnership, unknown } from '../../../model/types';
import { parseRuleParameters } from '../../../rules/parameters';
import { evaluateBucket } from '../../../rules/run-rule';
import { rule } from '../../../rules/s3-bucket-acl-prohibited';
import { bucket, bucketFixture, context, OTHER_CANONICAL_ID, OWNER_CANONICAL_ID, OWNER_GRANT } from '../builders';

const RULE_ID = 's3-bucket-acl-prohibited';
const defaults = parseRuleParameters(rule, undefined);
const NOT_RECORDED =
  ' Object Ownership unknown (Object Ownership is not recorded in AWS Config configuration items): ACL assumed in effect.';

describe(`${RULE_ID}: recorded configuration items`, () => {
  it.each<[string, Fact<ObjectOwnership | null> | undefined, string | undefined, string, string]>([
    // As recorded: Config items carry no Object Ownership, so the annotation says it was unknown.
    [
      'compliant-owner-only.json',
      undefined,
      undefined,
      'COMPLIANT',
      `ACL grants access only to the bucket owner.${NOT_RECORDED}`,
    ],
    // As the adapter passes it after reading ownership live.
    ['compliant-owner-only.json', known(null), undefined, 'COMPLIANT', 'ACL grants access only to the bucket owner.'],
    [
      'noncompliant-public-and-canonical.json',
      undefined,
      undefined,
      'NON_COMPLIANT',
      `ACL grants access beyond the bucket owner: AllUsers READ; canonical user 9e8d7c6b… FULL_CONTROL.${NOT_RECORDED}`,
    ],
    [
      'noncompliant-public-and-canonical.api.json',
      known('BucketOwnerPreferred'),
      undefined,
      'NON_COMPLIANT',
      'ACL grants access beyond the bucket owner: AllUsers READ; canonical user 9e8d7c6b… FULL_CONTROL.',
    ],
    [
      'noncompliant-public-and-canonical.json',
      known('BucketOwnerEnforced'),
      undefined,
      'COMPLIANT',
      'ACLs are disabled (Object Ownership: BucketOwnerEnforced).',
    ],
    [
      'noncompliant-public-and-canonical.json',
      unknown('Object Ownership is not recorded in AWS Config configuration items; live read: AccessDenied (403)'),
      undefined,
      'NON_COMPLIANT',
      'ACL grants access beyond the bucket owner: AllUsers READ; canonical user 9e8d7c6b… FULL_CONTROL. Object Ownership unknown (Object Ownership is not recorded in AWS Config configuration items; live read: AccessDenied (403)): ACL assumed in effect.',
    ],
    [
      'log-delivery.json',
      known('ObjectWriter'),
      undefined,
      'NON_COMPLIANT',
      'ACL grants access beyond the bucket owner: LogDelivery WRITE, READ_ACP.',
    ],
    [
      'log-delivery.json',
      known('ObjectWriter'),
      '{"allowLogDelivery":"true"}',
      'COMPLIANT',
      'ACL grants access only to the bucket owner and the S3 log delivery group (allowLogDelivery).',
    ],
    ['not-applicable-deleted.json', undefined, undefined, 'NOT_APPLICABLE', 'Bucket was deleted (ResourceDeleted).'],
  ])('%s (ownership %j, params %s) -> %s', (file, ownership, ruleParameters, compliance, annotation) => {
    const recorded = bucketFixture(RULE_ID, file);
    const state = ownership ? { ...recorded, ownership } : recorded;
    expect(evaluateBucket(rule, state, parseRuleParameters(rule, ruleParameters), context())).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: state.name,
      compliance,
      annotation,
    });
  });
});

describe(`${RULE_ID}: grants`, () => {
  /** `ownerId: null` builds an ACL that does not name its owner. */
  const withGrants = (grants: AclGrant[], ownerId: string | null = OWNER_CANONICAL_ID) =>
    bucket({ acl: known(ownerId === null ? { grants } : { ownerId, grants }) });
  const allowLogs = parseRuleParameters(rule, '{"allowLogDelivery":"true"}');

  it('allowLogDelivery accepts only what log delivery needs (WRITE, READ_ACP)', () => {
    const state = withGrants([
      OWNER_GRANT,
      { grantee: { kind: 'group', group: 'LogDelivery' }, permission: 'FULL_CONTROL' },
    ]);
    expect(evaluateBucket(rule, state, allowLogs, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'ACL grants access beyond the bucket owner: LogDelivery FULL_CONTROL.',
    });
  });

  it('names email and unrecognised grantees', () => {
    const state = withGrants([
      OWNER_GRANT,
      { grantee: { kind: 'email', email: 'ops@example.com' }, permission: 'READ' },
      { grantee: { kind: 'unrecognised', raw: '{"odd":true}' }, permission: 'WRITE_ACP' },
    ]);
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation:
        'ACL grants access beyond the bucket owner: email ops@example.com READ; unrecognised grantee WRITE_ACP.',
    });
  });

  it('the owner with several permissions is still only the owner', () => {
    const state = withGrants([OWNER_GRANT, { ...OWNER_GRANT, permission: 'READ_ACP' }]);
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: 'ACL grants access only to the bucket owner.',
    });
  });

  it('an ACL that does not name its owner: canonical-user grants cannot be judged -> NOT_APPLICABLE', () => {
    expect(evaluateBucket(rule, withGrants([OWNER_GRANT], null), defaults, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation:
        'Could not evaluate: the ACL does not name the bucket owner, so its canonical-user grants (canonical user 3f7a2c9e… FULL_CONTROL) cannot be checked.',
    });
  });

  it('an ACL that does not name its owner but grants AllUsers is proven NON_COMPLIANT', () => {
    const state = withGrants(
      [
        { grantee: { kind: 'canonicalUser', id: OTHER_CANONICAL_ID }, permission: 'FULL_CONTROL' },
        { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' },
      ],
      null,
    );
    expect(evaluateBucket(rule, state, defaults, context())).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'ACL grants access beyond the bucket owner: AllUsers READ.',
    });
  });

  it('an unreadable ACL -> NOT_APPLICABLE, unless ACLs are disabled', () => {
    const acl = unknown<never>('GetBucketAcl failed: AccessDenied (403)');
    expect(evaluateBucket(rule, bucket({ acl }), defaults, context())).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Could not evaluate: bucket ACL unknown (GetBucketAcl failed: AccessDenied (403)).',
    });
    expect(
      evaluateBucket(rule, bucket({ acl, ownership: known('BucketOwnerEnforced') }), defaults, context()),
    ).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: 'ACLs are disabled (Object Ownership: BucketOwnerEnforced).',
    });
  });
});

describe(`${RULE_ID}: metadata`, () => {
  it('needs Object Ownership, read live by the adapter', () => {
    expect(rule).toMatchObject({
      id: RULE_ID,
      target: 'bucket',
      resourceTypes: ['AWS::S3::Bucket'],
      triggers: { configurationChanges: true },
      permissions: ['s3:GetBucketOwnershipControls'],
      needs: { accountBpa: false, ownership: true },
    });
    expect(rule.remediation).toBeUndefined();
    expect(defaults).toEqual({
      allowLogDelivery: false,
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });
});
