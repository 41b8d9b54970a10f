import {
  type AclGrant,
  type Fact,
  known,
  type PolicyStatement,
  type PublicAccessBlockFlags,
  unknown,
} from '../../../model/types';
import { parseRuleParameters } from '../../../rules/parameters';
import { evaluateBucket } from '../../../rules/run-rule';
import { rule } from '../../../rules/s3-bucket-public-access-prohibited';
import { ALL_OFF, ALL_ON, bucket, bucketFixture, context, OWNER_CANONICAL_ID, OWNER_GRANT } from '../builders';

const RULE_ID = 's3-bucket-public-access-prohibited';
const defaults = parseRuleParameters(rule, undefined);
const NONE = known<PublicAccessBlockFlags | null>(null);
const ACCOUNT_ON = known<PublicAccessBlockFlags | null>(ALL_ON);
const ACCOUNT_UNREADABLE = unknown<PublicAccessBlockFlags | null>(
  's3control GetPublicAccessBlock failed: AccessDenied (403)',
);

describe(`${RULE_ID}: recorded configuration items`, () => {
  it.each<[string, Fact<PublicAccessBlockFlags | null>, string | undefined, string, string]>([
    ['compliant-private.json', NONE, undefined, 'COMPLIANT', 'Not public: no public policy statement or ACL grant.'],
    [
      'noncompliant-public-read-acl.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
    ],
    [
      'noncompliant-public-read-acl.api.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
    ],
    [
      'noncompliant-public-read-acl.json',
      ACCOUNT_ON,
      undefined,
      'COMPLIANT',
      'Not public: public ACL grant neutralised by IgnorePublicAcls (account).',
    ],
    [
      'noncompliant-public-read-acl.json',
      known(ALL_OFF),
      undefined,
      'NON_COMPLIANT',
      'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
    ],
    [
      'noncompliant-public-read-acl.json',
      ACCOUNT_UNREADABLE,
      undefined,
      'NON_COMPLIANT',
      'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket level. Account-level Block Public Access unknown (s3control GetPublicAccessBlock failed: AccessDenied (403)); evaluated as off.',
    ],
    [
      'noncompliant-public-read-acl.json',
      NONE,
      '{"accessTypes":"write,writeAcp"}',
      'COMPLIANT',
      'Not public: public read, list via ACL is not checked (accessTypes: write, writeAcp).',
    ],
    [
      'noncompliant-public-read-acl.json',
      NONE,
      '{"accessTypes":"list"}',
      'NON_COMPLIANT',
      'Public list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
    ],
    [
      'noncompliant-public-policy.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Public read via bucket policy: statement "PublicRead" allows * (no limiting condition); RestrictPublicBuckets is off at bucket and account level.',
    ],
    [
      'noncompliant-policy-referer-condition.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Public read via bucket policy: statement #1 allows * (its Condition does not limit it); RestrictPublicBuckets is off at bucket and account level.',
    ],
    [
      'noncompliant-policy-and-acl.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Public read via bucket policy: statement "PublicRead" allows * (no limiting condition); RestrictPublicBuckets is off at bucket and account level. Public write via ACL: AuthenticatedUsers has WRITE; IgnorePublicAcls is off at bucket and account level.',
    ],
    [
      'noncompliant-policy-and-acl.json',
      ACCOUNT_UNREADABLE,
      undefined,
      'NON_COMPLIANT',
      // Full wording plus the full note would pass 256 characters: short clauses and the short note.
      'Public read via bucket policy (statement "PublicRead"); write via ACL (AuthenticatedUsers WRITE); RestrictPublicBuckets and IgnorePublicAcls are off at bucket level. Account-level Block Public Access unknown; evaluated as off.',
    ],
    [
      'compliant-bpa-on.json',
      NONE,
      undefined,
      'COMPLIANT',
      'Not public: public policy statement neutralised by RestrictPublicBuckets (bucket).',
    ],
    [
      'compliant-bpa-on.json',
      ACCOUNT_ON,
      undefined,
      'COMPLIANT',
      'Not public: public policy statement neutralised by RestrictPublicBuckets (bucket and account).',
    ],
    [
      'compliant-bpa-on.json',
      ACCOUNT_UNREADABLE,
      undefined,
      'COMPLIANT',
      'Not public: public policy statement neutralised by RestrictPublicBuckets (bucket). Account-level Block Public Access unknown (s3control GetPublicAccessBlock failed: AccessDenied (403)); evaluated as off.',
    ],
    [
      'compliant-policy-limited-by-vpce.json',
      NONE,
      undefined,
      'COMPLIANT',
      'Not public: no public policy statement or ACL grant (statement "VpceOnly" allows any principal, limited by aws:SourceVpce vpce-1a2b3c4d).',
    ],
    [
      'compliant-notprincipal-limited-by-vpce.json',
      NONE,
      undefined,
      'COMPLIANT',
      'Not public: no public policy statement or ACL grant (statement "AllButAuditorViaVpce" allows everyone outside its NotPrincipal, limited by aws:SourceVpce vpce-1a2b3c4d).',
    ],
    [
      'noncompliant-notprincipal-next-to-public.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Public read via bucket policy: statement "PublicRead" allows * (no limiting condition); RestrictPublicBuckets is off at bucket and account level.',
    ],
    [
      'not-applicable-policy-unreadable.json',
      NONE,
      undefined,
      'NOT_APPLICABLE',
      'Could not evaluate: bucket policy unknown (configurationItem.supplementaryConfiguration.BucketPolicy.policyText: not valid JSON (Unexpected end of JSON input)).',
    ],
    [
      'not-applicable-policy-unreadable.json',
      ACCOUNT_ON,
      undefined,
      'COMPLIANT',
      'Not public: unreadable bucket policy neutralised by RestrictPublicBuckets (account).',
    ],
    [
      'compliant-exempt.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level. Exemption requested, not approved.',
    ],
    [
      'compliant-exempt.json',
      NONE,
      '{"exemptions":"off"}',
      'NON_COMPLIANT',
      'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
    ],
    [
      'noncompliant-exemption-expired.json',
      NONE,
      undefined,
      'NON_COMPLIANT',
      'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level. Exemption requested, not approved.',
    ],
    ['not-applicable-deleted.json', NONE, undefined, 'NOT_APPLICABLE', 'Bucket was deleted (ResourceDeleted).'],
  ])('%s (account BPA %j, params %s) -> %s', (file, accountBpa, ruleParameters, compliance, annotation) => {
    const state = bucketFixture(RULE_ID, file);
    const params = parseRuleParameters(rule, ruleParameters);
    expect(evaluateBucket(rule, state, params, context(accountBpa))).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: state.name,
      compliance,
      annotation,
    });
  });
});

const allUsers = (permission: AclGrant['permission']): AclGrant => ({
  grantee: { kind: 'group', group: 'AllUsers' },
  permission,
});
const publicAcl = (...grants: AclGrant[]) => known({ ownerId: OWNER_CANONICAL_ID, grants: [OWNER_GRANT, ...grants] });
const policyOf = (...Statement: PolicyStatement[]) => known({ Version: '2012-10-17', Statement });
const publicStatement: PolicyStatement = { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' };

describe(`${RULE_ID}: unknown inputs`, () => {
  const evaluate = (overrides: Parameters<typeof bucket>[0], accountBpa = NONE) =>
    evaluateBucket(rule, bucket(overrides), defaults, context(accountBpa));

  it('unknown bucket BPA with a public grant: any bucket setting could neutralise it -> NOT_APPLICABLE', () => {
    expect(
      evaluate({
        acl: publicAcl(allUsers('READ')),
        publicAccessBlock: unknown('GetPublicAccessBlock failed: AccessDenied (403)'),
      }),
    ).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation:
        'Could not evaluate: bucket-level Block Public Access unknown (GetPublicAccessBlock failed: AccessDenied (403)).',
    });
  });

  it('unknown bucket BPA, but the account setting neutralises the grant -> COMPLIANT', () => {
    expect(
      evaluate({ acl: publicAcl(allUsers('READ')), publicAccessBlock: unknown('not read') }, ACCOUNT_ON),
    ).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: 'Not public: public ACL grant neutralised by IgnorePublicAcls (account).',
    });
  });

  it('unknown bucket BPA and nothing public -> COMPLIANT', () => {
    expect(evaluate({ publicAccessBlock: unknown('not read') })).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: 'Not public: no public policy statement or ACL grant.',
    });
  });

  it('unknown policy, but the known ACL already proves it public -> NON_COMPLIANT', () => {
    expect(
      evaluate({ acl: publicAcl(allUsers('WRITE')), policy: unknown('GetBucketPolicy failed: AccessDenied (403)') }),
    ).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Public write via ACL: AllUsers has WRITE; IgnorePublicAcls is off at bucket and account level.',
    });
  });

  it('unknown policy and ACL -> NOT_APPLICABLE naming both', () => {
    expect(
      evaluate({
        acl: unknown('GetBucketAcl failed: AccessDenied (403)'),
        policy: unknown('GetBucketPolicy failed: SlowDown (503)'),
      }),
    ).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation:
        'Could not evaluate: bucket policy unknown (GetBucketPolicy failed: SlowDown (503)); bucket ACL unknown (GetBucketAcl failed: AccessDenied (403)).',
    });
  });

  it('unknown policy under RestrictPublicBuckets cannot matter -> COMPLIANT', () => {
    expect(
      evaluate({ policy: unknown('GetBucketPolicy failed: AccessDenied (403)'), publicAccessBlock: known(ALL_ON) }),
    ).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: 'Not public: unreadable bucket policy neutralised by RestrictPublicBuckets (bucket).',
    });
  });

  it('unknown ACL with ACLs disabled cannot matter -> COMPLIANT', () => {
    expect(evaluate({ acl: unknown('not read'), ownership: known('BucketOwnerEnforced') })).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: 'Not public: unreadable ACL neutralised by ACLs disabled (BucketOwnerEnforced).',
    });
  });

  it('unknown ACL under IgnorePublicAcls, with a public policy neutralised too -> COMPLIANT naming both', () => {
    expect(
      evaluate(
        {
          acl: unknown('not read'),
          policy: policyOf(publicStatement),
          publicAccessBlock: known({ ...ALL_OFF, ignorePublicAcls: true }),
        },
        known({ ...ALL_OFF, restrictPublicBuckets: true }),
      ),
    ).toMatchObject({
      compliance: 'COMPLIANT',
      annotation:
        'Not public: unreadable ACL neutralised by IgnorePublicAcls (bucket); public policy statement neutralised by RestrictPublicBuckets (account).',
    });
  });

  it('unknown Object Ownership does not stop a public ACL from counting (S3 refuses enforcement with public grants)', () => {
    expect(
      evaluate({ acl: publicAcl(allUsers('READ')), ownership: unknown('Object Ownership is not recorded') }),
    ).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
    });
  });
});

describe(`${RULE_ID}: wording`, () => {
  const evaluate = (overrides: Parameters<typeof bucket>[0], accountBpa = NONE) =>
    evaluateBucket(rule, bucket(overrides), defaults, context(accountBpa));

  it('merges the permissions of one grantee and names ACL read/write access', () => {
    expect(evaluate({ acl: publicAcl(allUsers('READ'), allUsers('READ_ACP'), allUsers('WRITE_ACP')) })).toMatchObject({
      annotation:
        'Public read, list, ACL read, ACL write via ACL: AllUsers has READ, READ_ACP, WRITE_ACP; IgnorePublicAcls is off at bucket and account level.',
    });
  });

  it('ACLs disabled by Object Ownership neutralise a public grant', () => {
    expect(evaluate({ acl: publicAcl(allUsers('READ')), ownership: known('BucketOwnerEnforced') })).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: 'Not public: public ACL grant neutralised by ACLs disabled (BucketOwnerEnforced).',
    });
  });

  it('NotPrincipal with Allow reads as everyone outside it', () => {
    const statement: PolicyStatement = {
      Effect: 'Allow',
      NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 's3:PutObject',
    };
    expect(evaluate({ policy: policyOf(statement) })).toMatchObject({
      annotation:
        'Public write via bucket policy: statement #1 allows everyone outside its NotPrincipal (no limiting condition); RestrictPublicBuckets is off at bucket and account level.',
    });
  });

  it('several public statements and grants: short clauses within 256 characters, every layer named', () => {
    const statements = ['ReadAll', 'WriteAll', 'ListAll'].map((Sid) => ({ ...publicStatement, Sid, Action: 's3:*' }));
    const result = evaluate({
      policy: policyOf(...statements),
      acl: publicAcl(allUsers('FULL_CONTROL'), {
        grantee: { kind: 'group', group: 'AuthenticatedUsers' },
        permission: 'READ',
      }),
    });
    expect(result).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation:
        'Public read, write, list, ACL read, ACL write via bucket policy (statement "ReadAll", statement "WriteAll" and 1 more) and ACL (AllUsers FULL_CONTROL, AuthenticatedUsers READ); RestrictPublicBuckets and IgnorePublicAcls are off at bucket and account level.',
    });
    expect(result.annotation.length).toBeLessThanOrEqual(256);
  });

  it('both layers neutralised are both named', () => {
    expect(
      evaluate({
        policy: policyOf(publicStatement),
        acl: publicAcl(allUsers('READ')),
        publicAccessBlock: known(ALL_ON),
      }),
    ).toMatchObject({
      compliance: 'COMPLIANT',
      annotation:
        'Not public: public policy statement neutralised by RestrictPublicBuckets (bucket); public ACL grant neutralised by IgnorePublicAcls (bucket).',
    });
  });
});

describe(`${RULE_ID}: metadata`, () => {
  it('declares what the adapter and infra need', () => {
    expect(rule).toMatchObject({
      id: RULE_ID,
      target: 'bucket',
      resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock'],
      triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
      permissions: ['s3:GetAccountPublicAccessBlock'],
      needs: { accountBpa: true, ownership: false },
      remediation: 'block-public-access',
    });
    expect(Object.keys(rule.parameters)).toEqual([
      'accessTypes',
      'exemptionTag',
      'exemptions',
      'exemptionsParameter',
      'maxExemptionDays',
    ]);
  });

  it('defaults: all five access types, exemptions on', () => {
    expect(defaults).toEqual({
      accessTypes: ['read', 'write', 'list', 'readAcp', 'writeAcp'],
      exemption: { tagKey: 'bucketguard:exempt', enabled: true, maxDays: 90 },
    });
  });
});
