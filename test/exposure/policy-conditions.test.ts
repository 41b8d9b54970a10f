/**
 * Test vectors for exposure/policy.ts: §1.4 limiting condition keys, each tied to the sentence (or [derived]/[open]
 * rule) of the reference notes (public-semantics.md) it relies on.
 */
import { conditionEntries } from '../../exposure/conditions';
import type { ConditionBlock } from '../../model/types';
import { POLICY_VARIABLE, withCondition } from './policy-statements';

describe('§1.4 limiting condition keys (Principal "*")', () => {
  it.each<[string, ConditionBlock, string]>([
    [
      '[doc BPA example] StringEquals aws:SourceVpc "vpc-91237329" is non-public',
      { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } },
      'limited by aws:SourceVpc vpc-91237329',
    ],
    [
      '[doc] aws:SourceVpce fixed',
      { StringEquals: { 'aws:SourceVpce': ['vpce-1a2b3c4d', 'vpce-5e6f7a8b'] } },
      'limited by aws:SourceVpce vpce-1a2b3c4d, vpce-5e6f7a8b',
    ],
    [
      '[doc] aws:SourceArn fixed; [derived] an S3 ARN without account field is fixed',
      { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::example-source-bucket' } },
      'limited by aws:SourceArn arn:aws:s3:::example-source-bucket',
    ],
    [
      '[doc] aws:SourceOwner fixed',
      { StringEquals: { 'aws:SourceOwner': '111122223333' } },
      'limited by aws:SourceOwner 111122223333',
    ],
    [
      '[doc] aws:SourceAccount fixed',
      { StringEquals: { 'aws:SourceAccount': '111122223333' } },
      'limited by aws:SourceAccount 111122223333',
    ],
    [
      '[doc] aws:PrincipalOrgID fixed ("e.g. aws:PrincipalOrgID")',
      { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      'limited by aws:PrincipalOrgID o-a1b2c3d4e5',
    ],
    [
      '[doc] aws:userid fixed id',
      { StringEquals: { 'aws:userid': 'AIDAEXAMPLEUSERID1234' } },
      'limited by aws:userid AIDAEXAMPLEUSERID1234',
    ],
    [
      '[doc] s3:DataAccessPointArn: the name may be "*" "as long as the account id is fixed"',
      { StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:123456789012:accesspoint/*' } },
      'limited by s3:DataAccessPointArn arn:aws:s3:us-west-2:123456789012:accesspoint/*',
    ],
    [
      '[doc] s3:DataAccessPointAccount fixed',
      { StringEquals: { 's3:DataAccessPointAccount': '123456789012' } },
      'limited by s3:DataAccessPointAccount 123456789012',
    ],
    [
      '[derived] ForAnyValue: forms count',
      { 'ForAnyValue:StringEquals': { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      'limited by aws:SourceVpce vpce-1a2b3c4d',
    ],
    [
      '[derived] StringEqualsIgnoreCase counts',
      { StringEqualsIgnoreCase: { 'aws:SourceVpc': 'vpc-91237329' } },
      'limited by aws:SourceVpc vpc-91237329',
    ],
    [
      '[derived] StringLike without * or ? counts',
      { StringLike: { 'aws:SourceVpc': 'vpc-91237329' } },
      'limited by aws:SourceVpc vpc-91237329',
    ],
    [
      '[derived] ArnLike without wildcard counts',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main' } },
      'limited by aws:SourceArn arn:aws:cloudtrail:us-east-1:111122223333:trail/main',
    ],
    [
      '[COND] "Condition key names are not case-sensitive"',
      { StringEquals: { 'AWS:SOURCEVPCE': 'vpce-1a2b3c4d' } },
      'limited by aws:SourceVpce vpce-1a2b3c4d',
    ],
    [
      '"one or more": one limiting key is enough (condition blocks are ANDed)',
      { StringLike: { 'aws:Referer': 'https://example.com/*' }, StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      'limited by aws:SourceVpce vpce-1a2b3c4d',
    ],
    [
      'a numeric condition value is read as its string form',
      { StringEquals: { 'aws:SourceAccount': 111122223333 } },
      'limited by aws:SourceAccount 111122223333',
    ],
  ])('%s', (_rule, condition, reason) => {
    expect(withCondition(condition)).toMatchObject({ public: false, principal: '*', reason, caveats: [] });
  });

  it.each<[string, ConditionBlock, string]>([
    [
      '[doc BPA example] StringLike aws:SourceVpc "vpc-*" is public',
      { StringLike: { 'aws:SourceVpc': 'vpc-*' } },
      'no limiting condition: aws:SourceVpc value "vpc-*" contains a wildcard',
    ],
    [
      '[doc] aws:PrincipalOrgID "o-*" is public',
      { StringLike: { 'aws:PrincipalOrgID': 'o-*' } },
      'no limiting condition: aws:PrincipalOrgID value "o-*" contains a wildcard',
    ],
    [
      '[doc] wildcard in aws:SourceArn',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/*' } },
      'no limiting condition: aws:SourceArn value "arn:aws:cloudtrail:us-east-1:111122223333:trail/*" contains a wildcard',
    ],
    [
      '[doc] "?" is a wildcard too',
      { StringLike: { 'aws:SourceVpce': 'vpce-1a2b3c4?' } },
      'no limiting condition: aws:SourceVpce value "vpce-1a2b3c4?" contains a wildcard',
    ],
    [
      '[doc] "every listed value" must be fixed: one wildcard among several is public',
      { StringLike: { 'aws:SourceVpce': ['vpce-1a2b3c4d', 'vpce-*'] } },
      'no limiting condition: aws:SourceVpce value "vpce-*" contains a wildcard',
    ],
    [
      '[doc] "values that don\'t contain ... a Policy Variable" is public',
      { StringEquals: { 'aws:SourceAccount': POLICY_VARIABLE } },
      `no limiting condition: aws:SourceAccount value "${POLICY_VARIABLE}" contains a policy variable`,
    ],
    [
      '[doc] aws:userid "*" is public',
      { StringLike: { 'aws:userid': '*' } },
      'no limiting condition: aws:userid value "*" contains a wildcard',
    ],
    [
      '[doc] s3:DataAccessPointArn with a wildcard account is public',
      { StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:*:accesspoint/*' } },
      'no limiting condition: s3:DataAccessPointArn value "arn:aws:s3:us-west-2:*:accesspoint/*" contains a wildcard',
    ],
    [
      '[derived] negated operators grant to everyone except the listed values',
      { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      'no limiting condition: StringNotEquals on aws:SourceVpce is a negated operator',
    ],
    [
      '[derived] ArnNotLike is negated',
      { ArnNotLike: { 'aws:SourceArn': 'arn:aws:s3:::example-source-bucket' } },
      'no limiting condition: ArnNotLike on aws:SourceArn is a negated operator',
    ],
    [
      '[IFEX] "If the key is not present, evaluate the condition element as true"',
      { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      'no limiting condition: StringEqualsIfExists holds when aws:SourceVpce is absent',
    ],
    [
      '[derived] ForAllValues: is vacuously true when the key is absent',
      { 'ForAllValues:StringEquals': { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      'no limiting condition: ForAllValues:StringEquals holds when aws:SourceVpce is absent',
    ],
    [
      '[derived] Null only tests presence',
      { Null: { 'aws:SourceVpce': 'false' } },
      'no limiting condition: Null only tests whether aws:SourceVpce is present',
    ],
    [
      '"do not limit" row: aws:Referer ([EX] warns it can be forged)',
      { StringLike: { 'aws:Referer': 'https://www.example.com/*' } },
      'no limiting condition: aws:Referer does not limit who can call',
    ],
    [
      '"do not limit" row: aws:SecureTransport',
      { Bool: { 'aws:SecureTransport': 'true' } },
      'no limiting condition: aws:SecureTransport does not limit who can call',
    ],
    [
      '"do not limit" row: aws:UserAgent',
      { StringEquals: { 'aws:UserAgent': 'example-agent' } },
      'no limiting condition: aws:UserAgent does not limit who can call',
    ],
    [
      '"do not limit" row: aws:username ([BLOG] "everybody whose first name is Andrew")',
      { StringEquals: { 'aws:username': 'andrew' } },
      'no limiting condition: aws:username does not limit who can call',
    ],
    [
      '"do not limit" row: aws:PrincipalTag/*',
      { StringEquals: { 'aws:PrincipalTag/team': 'data' } },
      'no limiting condition: aws:PrincipalTag/team does not limit who can call',
    ],
    [
      '"do not limit" row: aws:PrincipalType',
      { StringEquals: { 'aws:PrincipalType': 'User' } },
      'no limiting condition: aws:PrincipalType does not limit who can call',
    ],
    [
      '"do not limit" row: aws:MultiFactorAuth*',
      { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      'no limiting condition: aws:MultiFactorAuthPresent does not limit who can call',
    ],
    [
      '"do not limit" row: aws:CurrentTime',
      { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
      'no limiting condition: aws:CurrentTime does not limit who can call',
    ],
    [
      '"do not limit" row: s3:x-amz-acl',
      { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      'no limiting condition: s3:x-amz-acl does not limit who can call',
    ],
    [
      '"do not limit" row: s3:ExistingObjectTag/*',
      { StringEquals: { 's3:ExistingObjectTag/public': 'yes' } },
      'no limiting condition: s3:ExistingObjectTag/public does not limit who can call',
    ],
    [
      'a key that cannot be pinned by the operator used',
      { NumericEquals: { 'aws:SourceAccount': '111122223333' } },
      'no limiting condition: NumericEquals cannot pin aws:SourceAccount to fixed values',
    ],
  ])('%s', (_rule, condition, reason) => {
    expect(withCondition(condition)).toMatchObject({ public: true, principal: '*', reason, caveats: [] });
  });

  it.each<[string, ConditionBlock, string, string]>([
    [
      '[open] aws:userid "AROLEID:*" read as one role, any session',
      { StringLike: { 'aws:userid': 'AROAEXAMPLEROLEID1234:*' } },
      'limited by aws:userid AROAEXAMPLEROLEID1234:*',
      'statement "S" is non-public only because aws:userid AROAEXAMPLEROLEID1234:* is read as one role (any session); ' +
        'AWS\'s "AROLEID:*" wording is ambiguous (unverified).',
    ],
    [
      '[open] s3:x-amz-server-side-encryption-aws-kms-key-id (dropped from the live page)',
      {
        StringEquals: {
          's3:x-amz-server-side-encryption-aws-kms-key-id':
            'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
      },
      'limited by s3:x-amz-server-side-encryption-aws-kms-key-id arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'statement "S" is non-public only because of s3:x-amz-server-side-encryption-aws-kms-key-id, which AWS does not document as limiting (unverified).',
    ],
    [
      '[derived/open] aws:PrincipalAccount',
      { StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
      'limited by aws:PrincipalAccount 111122223333',
      'statement "S" is non-public only because of aws:PrincipalAccount, which AWS does not document as limiting (unverified).',
    ],
    [
      '[derived/open] aws:PrincipalArn with the account part fixed',
      { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } },
      'limited by aws:PrincipalArn arn:aws:iam::111122223333:role/*',
      'statement "S" is non-public only because of aws:PrincipalArn, which AWS does not document as limiting (unverified).',
    ],
    [
      '[derived/open] aws:PrincipalOrgPaths with a fixed o-…/r-…/ou-… prefix',
      { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*' } },
      'limited by aws:PrincipalOrgPaths o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*',
      'statement "S" is non-public only because of aws:PrincipalOrgPaths, which AWS does not document as limiting (unverified).',
    ],
  ])('%s: non-public with a caveat', (_rule, condition, reason, caveat) => {
    expect(withCondition(condition)).toMatchObject({ public: false, reason, caveats: [caveat] });
  });

  it('[doc] a documented key wins over an [open] one: no caveat needed', () => {
    const verdict = withCondition({
      StringEquals: { 'aws:PrincipalAccount': '111122223333', 'aws:SourceVpce': 'vpce-1a2b3c4d' },
    });
    expect(verdict).toMatchObject({ public: false, reason: 'limited by aws:SourceVpce vpce-1a2b3c4d', caveats: [] });
  });

  it.each<[string, ConditionBlock, string]>([
    [
      '[derived/open] aws:PrincipalArn with a wildcard account is public',
      { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin' } },
      'no limiting condition: aws:PrincipalArn value "arn:aws:iam::*:role/admin" contains a wildcard',
    ],
    [
      '[derived/open] aws:PrincipalOrgPaths without a fixed org id is public',
      { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-*/*' } },
      'no limiting condition: aws:PrincipalOrgPaths value "o-*/*" contains a wildcard',
    ],
  ])('%s', (_rule, condition, reason) => {
    expect(withCondition(condition)).toMatchObject({ public: true, reason, caveats: [] });
  });

  it.each<[string, string]>([
    ['aws:SourceVpcArn', 'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-91237329'],
    ['aws:VpceOrgID', 'o-a1b2c3d4e5'],
    ['aws:PrincipalIsAWSService', 'true'],
    ['aws:SourceOrgID', 'o-a1b2c3d4e5'],
  ])('[open] %s is not in any AWS doc list: not limiting, with a caveat', (key, value) => {
    const verdict = withCondition({ StringEquals: { [key]: value } });
    expect(verdict).toMatchObject({
      public: true,
      reason: `no limiting condition: ${key} is not a documented limiting key`,
    });
    expect(verdict.caveats).toEqual([
      `statement "S": ${key} is not in AWS's documented list of limiting keys and was not counted as limiting (unverified).`,
    ]);
  });

  it('operator names are case-sensitive in IAM ("Invalid Condition type : stringEquals"): not counted, with a caveat', () => {
    const verdict = withCondition({ stringequals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } });
    expect(verdict).toMatchObject({
      public: true,
      reason: 'no limiting condition: operator "stringequals" is not recognised',
    });
    expect(verdict.caveats).toEqual([
      'statement "S": condition operator "stringequals" is not a recognised IAM operator (operator names are ' +
        'case-sensitive) and was not counted as limiting.',
    ]);
  });

  it('lists at most three reasons', () => {
    const verdict = withCondition({
      StringEquals: { 'aws:UserAgent': 'a', 'aws:username': 'b', 'aws:PrincipalType': 'User', 's3:x-amz-acl': 'x' },
    });
    expect(verdict.reason).toBe(
      'no limiting condition: aws:UserAgent does not limit who can call; aws:username does not limit who can call; ' +
        'aws:PrincipalType does not limit who can call (and 1 more)',
    );
  });

  it('conditionEntries flattens operators, qualifiers, IfExists and scalar values', () => {
    expect(
      conditionEntries({ 'ForAnyValue:StringLikeIfExists': { 'AWS:SourceVpc': ['vpc-1', 7, true] } }).map((e) => ({
        base: e.base,
        qualifier: e.qualifier,
        ifExists: e.ifExists,
        keyLower: e.keyLower,
        values: e.values,
      })),
    ).toEqual([
      {
        base: 'StringLike',
        qualifier: 'ForAnyValue',
        ifExists: true,
        keyLower: 'aws:sourcevpc',
        values: ['vpc-1', '7', 'true'],
      },
    ]);
    expect(conditionEntries(undefined)).toEqual([]);
    expect(conditionEntries('junk')).toEqual([]);
  });
});
