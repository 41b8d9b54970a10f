/**
 * Test vectors for exposure/policy.ts and s3-actions.ts: §1.2 policy-level verdicts and refs, §3.3 access types,
 * recorded configuration items and robustness. Section numbers (§1.2, ...) refer to public-semantics.md.
 */
import fc from 'fast-check';
import { analysePolicy, analysePolicyInDetail, analyseStatement } from '../../exposure/policy';
import { accessTypesOfActions, KNOWN_S3_ACTIONS, matchesIamWildcard } from '../../exposure/s3-actions';
import type { BucketPolicy, PolicyStatement } from '../../model/types';
import { bucketFromFixture, statement, verdictOf } from './policy-statements';

describe('§1.2 policy-level verdict, refs and §3.3 access types', () => {
  it('"policyIsPublic = any(statementIsPublic)"; a Deny does not cancel a public Allow [derived]', () => {
    const result = analysePolicy({
      Statement: [
        statement({ Sid: 'PublicRead' }),
        statement({
          Sid: undefined,
          Effect: 'Deny',
          Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        }),
      ],
    });
    expect(result.public).toBe(true);
    expect(result.statements.map((s) => [s.ref, s.public])).toEqual([
      ['statement "PublicRead"', true],
      ['statement #2', false],
    ]);
  });

  it('refs: Sid, else #N (1-based); an empty Sid counts as none', () => {
    const result = analysePolicy({
      Statement: [statement({ Sid: '' }), statement({ Sid: 'Named' }), statement({ Sid: undefined })],
    });
    expect(result.statements.map((s) => s.ref)).toEqual(['statement #1', 'statement "Named"', 'statement #3']);
  });

  it('a policy with only fixed or limited statements is not public', () => {
    const result = analysePolicy({
      Statement: [
        statement({ Principal: { AWS: 'arn:aws:iam::123456789012:root' } }),
        statement({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }),
      ],
    });
    expect(result).toMatchObject({ public: false, caveats: [] });
  });

  it('"ignore Action and NotAction when you decide whether a policy is public": a public non-S3 action is still public', () => {
    expect(verdictOf({ Action: 'sqs:SendMessage' })).toMatchObject({ public: true, accessTypes: [] });
  });

  it('a statement with neither Action nor NotAction is assumed to grant every access type', () => {
    const verdict = verdictOf({ Action: undefined });
    expect(verdict.accessTypes).toEqual(['read', 'write', 'list', 'readAcp', 'writeAcp']);
    expect(verdict.caveats).toEqual(['statement "S" has neither Action nor NotAction; every access type assumed.']);
  });

  it('collects statement caveats in order and tolerates a malformed Statement', () => {
    expect(analysePolicy({ Statement: 'x' as unknown as PolicyStatement[] })).toEqual({
      public: false,
      statements: [],
      caveats: ['The bucket policy has no Statement list; treated as granting nothing.'],
    });
  });

  it("skips a statement that is not an object, with a caveat, keeping the others' indices", () => {
    const result = analysePolicy({ Statement: [null as unknown as PolicyStatement, statement({ Sid: undefined })] });
    expect(result.statements.map((s) => [s.index, s.ref, s.public])).toEqual([[1, 'statement #2', true]]);
    expect(result.caveats).toEqual(['statement #1 is not an object; ignored.']);
  });

  it.each<[string, string | string[] | undefined, string | string[] | undefined, string[]]>([
    ['read = s3:GetObject*', 's3:GetObject', undefined, ['read']],
    ['list = s3:ListBucket', 's3:ListBucket', undefined, ['list']],
    ['list = ListMultipartUploadParts', 's3:ListMultipartUploadParts', undefined, ['list']],
    ['write = PutObject', 's3:PutObject', undefined, ['write']],
    ['write = DeleteObject*', 's3:DeleteObjectVersion', undefined, ['write']],
    ['write = AbortMultipartUpload', 's3:AbortMultipartUpload', undefined, ['write']],
    [
      'write = RestoreObject / PutObjectRetention / PutObjectLegalHold',
      ['s3:RestoreObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'],
      undefined,
      ['write'],
    ],
    [
      'write = bucket configuration that can destroy data (PutLifecycleConfiguration)',
      's3:PutLifecycleConfiguration',
      undefined,
      ['write'],
    ],
    ['readAcp = GetBucketAcl', 's3:GetBucketAcl', undefined, ['readAcp']],
    ['readAcp = GetObjectAcl', 's3:GetObjectAcl', undefined, ['readAcp']],
    ['writeAcp = PutBucketAcl / PutObjectAcl', ['s3:PutBucketAcl', 's3:PutObjectAcl'], undefined, ['writeAcp']],
    ['writeAcp = PutBucketPolicy (changes who has access)', 's3:PutBucketPolicy', undefined, ['writeAcp']],
    ['writeAcp = DeleteBucketPolicy', 's3:DeleteBucketPolicy', undefined, ['writeAcp']],
    ['writeAcp = PutBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock', undefined, ['writeAcp']],
    ['"*" = every action', '*', undefined, ['read', 'write', 'list', 'readAcp', 'writeAcp']],
    ['"s3:*" = every S3 action', 's3:*', undefined, ['read', 'write', 'list', 'readAcp', 'writeAcp']],
    ['"s3:Get*", case-insensitive', 'S3:get*', undefined, ['read', 'readAcp']],
    ['"s3:*Object*"', 's3:*Object*', undefined, ['read', 'write', 'readAcp', 'writeAcp']],
    ['"?" matches one character', 's3:Get?bject', undefined, ['read']],
    ['"s3:List*"', 's3:List*', undefined, ['list']],
    ['non-S3 actions grant nothing here', ['ec2:*', 'sqs:SendMessage'], undefined, []],
    ['bucket-configuration reads grant none of the five', 's3:GetBucketTagging', undefined, []],
    [
      'NotAction = every S3 action not matched',
      undefined,
      's3:GetObject',
      ['read', 'write', 'list', 'readAcp', 'writeAcp'],
    ],
    ['NotAction Get* and List*', undefined, ['s3:Get*', 's3:List*'], ['write', 'writeAcp']],
    ['NotAction s3:* leaves nothing', undefined, 's3:*', []],
    [
      'NotAction of a non-S3 action leaves every S3 action',
      undefined,
      'ec2:*',
      ['read', 'write', 'list', 'readAcp', 'writeAcp'],
    ],
    ['neither element: empty', undefined, undefined, []],
  ])('§3.3 %s', (_rule, action, notAction, expected) => {
    expect(accessTypesOfActions(action, notAction)).toEqual(expected);
  });

  it('IAM wildcard matcher', () => {
    expect(matchesIamWildcard('s3:*object*', 's3:getobjectacl')).toBe(true);
    expect(matchesIamWildcard('s3:get?', 's3:getxx')).toBe(false);
    expect(matchesIamWildcard('*', '')).toBe(true);
    expect(matchesIamWildcard('a*b*c', 'axxbyyc')).toBe(true);
    expect(matchesIamWildcard('a*b*c', 'axxbyy')).toBe(false);
    expect(KNOWN_S3_ACTIONS).toContain('s3:PutBucketPolicy');
  });
});

describe('recorded-shape configuration items (events/config-items)', () => {
  it('bucket-invocation-public-policy.json: "Principal":"*" s3:GetObject is public', () => {
    const bucket = bucketFromFixture('bucket-invocation-public-policy.json');
    if (!bucket.policy.known || !bucket.policy.value) throw new Error('fixture has no policy');
    expect(analysePolicy(bucket.policy.value)).toEqual({
      public: true,
      statements: [
        {
          index: 0,
          sid: 'PublicReadGetObject',
          ref: 'statement "PublicReadGetObject"',
          public: true,
          principal: '*',
          reason: 'no Condition',
          accessTypes: ['read'],
          caveats: [],
        },
      ],
      caveats: [],
    });
  });

  it('bucket-invocation-policy-source-ip.json: fixed aws:SourceIp plus a Deny is not public', () => {
    const bucket = bucketFromFixture('bucket-invocation-policy-source-ip.json');
    if (!bucket.policy.known || !bucket.policy.value) throw new Error('fixture has no policy');
    const result = analysePolicy(bucket.policy.value);
    expect(result.public).toBe(false);
    expect(result.statements.map((s) => [s.ref, s.reason, s.accessTypes])).toEqual([
      ['statement "AllowOfficeRange"', 'limited by aws:SourceIp 203.0.113.0/24, 198.51.100.17/32', ['read', 'list']],
      ['statement "DenyInsecureTransport"', 'Deny grants no access', []],
    ]);
  });
});

describe('robustness (fast-check)', () => {
  const principalArb = fc.oneof(
    fc.constant('*'),
    fc.dictionary(
      fc.constantFrom('AWS', 'Service', 'Federated', 'CanonicalUser', 'Other'),
      fc.oneof(
        fc.constantFrom(
          '*',
          '111122223333',
          'arn:aws:iam::123456789012:root',
          'graph.facebook.com',
          'arn:aws:iam::*:root',
        ),
        fc.array(fc.string(), { maxLength: 3 }),
      ),
    ),
    fc.anything(),
  );
  const conditionArb = fc.oneof(
    fc.dictionary(
      fc.constantFrom('StringEquals', 'StringLike', 'IpAddress', 'NotIpAddress', 'ForAnyValue:StringLike', 'Bool', 'x'),
      fc.dictionary(
        fc.constantFrom(
          'aws:SourceIp',
          'aws:SourceVpce',
          'aws:userid',
          'aws:PrincipalArn',
          'aws:Referer',
          'AWS:SOURCEVPC',
        ),
        fc.oneof(
          fc.constantFrom('203.0.113.0/24', '0.0.0.0/1', 'vpce-1', 'vpc-*', '::/0', 'AROAX:*'),
          fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxLength: 4 }),
        ),
      ),
    ),
    fc.anything(),
  );
  const statementArb = fc.record(
    {
      Sid: fc.string(),
      Effect: fc.constantFrom('Allow', 'Deny', 'allow'),
      Principal: principalArb,
      NotPrincipal: principalArb,
      Action: fc.oneof(fc.constantFrom('*', 's3:Get*', 'ec2:*'), fc.array(fc.string(), { maxLength: 3 })),
      NotAction: fc.oneof(fc.constantFrom('s3:*', 's3:List*'), fc.anything()),
      Condition: conditionArb,
    },
    { requiredKeys: ['Effect'] },
  );

  it('never throws; Deny is never public; removing the Condition never turns a public statement non-public', () => {
    fc.assert(
      fc.property(statementArb, (raw) => {
        const s = raw as unknown as PolicyStatement;
        const withCond = analyseStatement(s, 0);
        if (s.Effect === 'Deny') expect(withCond.public).toBe(false);
        if (withCond.public) expect(analyseStatement({ ...s, Condition: undefined }, 0).public).toBe(true);
        expect(analysePolicy({ Statement: [s, s] }).public).toBe(withCond.public);
      }),
      { numRuns: 1500, seed: 20240501 },
    );
  });
});

describe('analysePolicyInDetail keeps the last analysis', () => {
  it('answers the same policy object with the same analysis, and another policy afresh', () => {
    const open: BucketPolicy = { Version: '2012-10-17', Statement: [statement()] };
    const fixed: BucketPolicy = {
      Version: '2012-10-17',
      Statement: [statement({ Principal: { AWS: '111122223333' } })],
    };
    const first = analysePolicyInDetail(open);
    expect(analysePolicyInDetail(open)).toBe(first);
    expect(analysePolicyInDetail(fixed).analysis.public).toBe(false);
    expect(analysePolicyInDetail(open).analysis.public).toBe(true);
  });
});
