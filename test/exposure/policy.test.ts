/**
 * Test vectors for exposure/policy.ts and s3-actions.ts, each tied to the sentence (or [derived]/[open] rule) of
 * reference notes (public-semantics.md) it relies on. Section numbers (§1.3, ...) refer to that document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { conditionEntries } from '../../exposure/conditions';
import { analysePolicy, analyseStatement } from '../../exposure/policy';
import { parsePrincipals } from '../../exposure/principals';
import { accessTypesOfActions, KNOWN_S3_ACTIONS, matchesIamWildcard } from '../../exposure/s3-actions';
import { normalizeConfigurationItem } from '../../model/normalize';
import type { BucketState, ConditionBlock, PolicyPrincipal, PolicyStatement } from '../../model/types';

const EVENTS = join(__dirname, '../../events/config-items');

function bucketFromFixture(file: string): BucketState {
  const state = normalizeConfigurationItem(JSON.parse(readFileSync(join(EVENTS, file), 'utf8')));
  if (state.kind !== 'bucket') throw new Error(`${file} is not a bucket item`);
  return state;
}

function statement(overrides: Partial<PolicyStatement> = {}): PolicyStatement {
  return {
    Sid: 'S',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::b/*',
    ...overrides,
  };
}

const verdictOf = (overrides: Partial<PolicyStatement>) => analyseStatement(statement(overrides), 0);
const withCondition = (Condition: ConditionBlock) => verdictOf({ Condition });

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
const POLICY_VARIABLE = '${aws:PrincipalAccount}';
const OWNER_CANONICAL = '3f1c5a7e9b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5f7';

describe('§1.3 principals', () => {
  it.each<[string, PolicyPrincipal, boolean, string, string]>([
    ['[PRINC] "For anonymous users, the following elements are equivalent": "*"', '*', true, '*', 'no Condition'],
    ['[PRINC] anonymous equivalent: {"AWS":"*"}', { AWS: '*' }, true, '*', 'no Condition'],
    ['[PRINC] anonymous equivalent in a list: {"AWS":["*"]}', { AWS: ['*'] }, true, '*', 'no Condition'],
    [
      '[doc BPA example 1] {"Federated":"graph.facebook.com"} is public',
      { Federated: 'graph.facebook.com' },
      true,
      'Federated graph.facebook.com',
      'no Condition',
    ],
    [
      '[derived] other public web IdP: accounts.google.com',
      { Federated: 'accounts.google.com' },
      true,
      'Federated accounts.google.com',
      'no Condition',
    ],
    [
      '[derived] other public web IdP: www.amazon.com',
      { Federated: 'www.amazon.com' },
      true,
      'Federated www.amazon.com',
      'no Condition',
    ],
    [
      '[derived] other public web IdP: cognito-identity.amazonaws.com',
      { Federated: 'cognito-identity.amazonaws.com' },
      true,
      'Federated cognito-identity.amazonaws.com',
      'no Condition',
    ],
    [
      '[doc] "An AWS principal" as a bare account id is fixed',
      { AWS: '111122223333' },
      false,
      'AWS 111122223333',
      'fixed principals only',
    ],
    [
      '[doc] account root ARN is fixed',
      { AWS: 'arn:aws:iam::111122223333:root' },
      false,
      'AWS arn:aws:iam::111122223333:root',
      'fixed principals only',
    ],
    [
      '[doc] "user" ARN is fixed',
      { AWS: 'arn:aws:iam::111122223333:user/alice' },
      false,
      'AWS arn:aws:iam::111122223333:user/alice',
      'fixed principals only',
    ],
    [
      '[doc] "role" ARN is fixed',
      { AWS: 'arn:aws:iam::123456789012:role/reader' },
      false,
      'AWS arn:aws:iam::123456789012:role/reader',
      'fixed principals only',
    ],
    [
      '[doc] assumed-role session ARN is fixed',
      { AWS: 'arn:aws:sts::123456789012:assumed-role/reader/session' },
      false,
      'AWS arn:aws:sts::123456789012:assumed-role/reader/session',
      'fixed principals only',
    ],
    [
      '[doc] CloudFront OAI user ARN is fixed',
      { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE1' },
      false,
      'AWS arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE1',
      'fixed principals only',
    ],
    [
      '[doc] CanonicalUser is fixed',
      { CanonicalUser: OWNER_CANONICAL },
      false,
      `CanonicalUser ${OWNER_CANONICAL}`,
      'fixed principals only',
    ],
    [
      '[doc] "...or service principal" is fixed',
      { Service: 'cloudtrail.amazonaws.com' },
      false,
      'Service cloudtrail.amazonaws.com',
      'fixed principals only',
    ],
    [
      '[derived] an IAM unique id (deleted principal) is fixed',
      { AWS: 'AIDAJQABLZS4A3QDU576Q' },
      false,
      'AWS AIDAJQABLZS4A3QDU576Q',
      'fixed principals only',
    ],
    [
      '"fixed only if all of them are fixed": several fixed principals',
      { AWS: ['111122223333', 'arn:aws:iam::123456789012:root'], Service: 'logging.s3.amazonaws.com' },
      false,
      'AWS 111122223333, AWS arn:aws:iam::123456789012:root, Service logging.s3.amazonaws.com',
      'fixed principals only',
    ],
    [
      '"fixed only if all of them are fixed": a fixed account next to "*"',
      { AWS: ['111122223333', '*'] },
      true,
      '*',
      'no Condition',
    ],
    [
      '"fixed only if all of them are fixed": a fixed account next to a public IdP',
      { AWS: '111122223333', Federated: 'graph.facebook.com' },
      true,
      'Federated graph.facebook.com',
      'no Condition',
    ],
  ])('%s', (_rule, Principal, expectedPublic, principal, reason) => {
    const verdict = verdictOf({ Principal });
    expect(verdict).toMatchObject({ public: expectedPublic, principal, reason, ref: 'statement "S"' });
    expect(verdict.caveats).toEqual([]);
  });

  it('[derived][NOTP] NotPrincipal with Allow "allows all principals except..." is public', () => {
    expect(verdictOf({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } })).toEqual({
      index: 0,
      sid: 'S',
      ref: 'statement "S"',
      public: true,
      principal: 'NotPrincipal',
      reason: 'NotPrincipal with Allow grants everyone not listed',
      accessTypes: ['read'],
      caveats: [],
    });
  });

  it('[derived] NotPrincipal stays public under a limiting condition (§1.2 as written), with a caveat', () => {
    const verdict = verdictOf({
      Principal: undefined,
      NotPrincipal: { AWS: '111122223333' },
      Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
    });
    expect(verdict.public).toBe(true);
    expect(verdict.caveats).toEqual([
      'statement "S": NotPrincipal with Allow is treated as public although it is limited by aws:SourceVpce ' +
        'vpce-1a2b3c4d, which may make it non-public (unverified).',
    ]);
  });

  it.each<[string, PolicyPrincipal]>([
    ['[open] SAML provider ARN belongs to one account', { Federated: 'arn:aws:iam::111122223333:saml-provider/Corp' }],
    [
      '[open] OIDC provider ARN belongs to one account',
      { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
    ],
  ])('%s: fixed, with a caveat', (_rule, Principal) => {
    const verdict = verdictOf({ Principal });
    expect(verdict.public).toBe(false);
    expect(verdict.caveats).toEqual([
      `statement "S": federated principal ${(Principal as { Federated: string }).Federated} belongs to one account and was treated as fixed (unverified).`,
    ]);
  });

  it('[PRINC] "You cannot use a wildcard to match part of a principal name or ARN": treated as public', () => {
    const verdict = verdictOf({ Principal: { AWS: 'arn:aws:iam::*:root' } });
    expect(verdict).toMatchObject({ public: true, principal: 'AWS arn:aws:iam::*:root', reason: 'no Condition' });
    expect(verdict.caveats).toEqual([
      'statement "S": principal AWS arn:aws:iam::*:root contains a wildcard, which IAM does not allow; treated as public.',
    ]);
  });

  it('an unrecognised principal type is treated as public (fail safe)', () => {
    const verdict = verdictOf({ Principal: { Unknown: 'someone' } });
    expect(verdict.public).toBe(true);
    expect(verdict.caveats).toEqual([
      'statement "S": principal Unknown someone is not a recognised principal type; treated as public.',
    ]);
  });

  it('an AWS principal string of no known form is fixed (it names no one in particular), with a caveat', () => {
    const verdict = verdictOf({ Principal: { AWS: 'alice' } });
    expect(verdict).toMatchObject({ public: false, principal: 'AWS alice', reason: 'fixed principals only' });
    expect(verdict.caveats).toEqual([
      'statement "S": principal AWS alice is not a recognised form; treated as a fixed principal.',
    ]);
  });

  it('[derived] "Deny grants nothing": a Deny statement for "*" is never public', () => {
    expect(verdictOf({ Effect: 'Deny', Action: 's3:*' })).toEqual({
      index: 0,
      sid: 'S',
      ref: 'statement "S"',
      public: false,
      principal: '*',
      reason: 'Deny grants no access',
      accessTypes: [],
      caveats: [],
    });
  });

  it('[derived] Deny with NotPrincipal is never public', () => {
    expect(verdictOf({ Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: '111122223333' } })).toMatchObject({
      public: false,
      principal: 'NotPrincipal',
    });
  });

  it('a statement without Principal grants nothing in a bucket policy, with a caveat', () => {
    const verdict = verdictOf({ Principal: undefined });
    expect(verdict).toMatchObject({
      public: false,
      principal: '(none)',
      reason: 'no Principal: grants nothing in a bucket policy',
    });
    expect(verdict.caveats).toEqual([
      'statement "S" has no Principal; a bucket policy statement needs one, so it was treated as granting nothing.',
    ]);
  });

  it('an Effect other than Allow/Deny is evaluated as Allow (fail safe)', () => {
    const verdict = analyseStatement({ ...statement(), Effect: 'allow' as 'Allow' }, 0);
    expect(verdict.public).toBe(true);
    expect(verdict.caveats).toEqual(['statement "S": Effect "allow" is not Allow or Deny; evaluated as Allow.']);
  });

  it('parsePrincipals classifies every form', () => {
    expect(
      parsePrincipals({
        AWS: ['111122223333', 'arn:aws:iam::123456789012:role/r'],
        Service: 's3.amazonaws.com',
        CanonicalUser: OWNER_CANONICAL,
      }).map((p) => [p.kind, p.account, p.fixed]),
    ).toEqual([
      ['account', '111122223333', true],
      ['iamPrincipal', '123456789012', true],
      ['service', undefined, true],
      ['canonicalUser', undefined, true],
    ]);
    expect(parsePrincipals(undefined)).toEqual([]);
    expect(parsePrincipals({})).toEqual([]);
  });
});

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

describe('§1.5 aws:SourceIp CIDR width', () => {
  const ip = (values: string | string[], operator = 'IpAddress') =>
    withCondition({ [operator]: { 'aws:SourceIp': values } });

  it.each<[string, string | string[], string]>([
    [
      '§1.5.2 "Which addresses are public does not matter": 203.0.113.0/24 is non-public',
      '203.0.113.0/24',
      'limited by aws:SourceIp 203.0.113.0/24',
    ],
    ['§1.5.2 "a /8 is not broader than /8"', '198.0.0.0/8', 'limited by aws:SourceIp 198.0.0.0/8'],
    ['§1.5.1 a bare IPv4 address means /32', '198.51.100.17', 'limited by aws:SourceIp 198.51.100.17'],
    ['§1.5.1 a bare IPv6 address means /128', '2001:db8::1', 'limited by aws:SourceIp 2001:db8::1'],
    ['§1.5.2 IPv6 /32 is not broader than /32', '2001:db8::/32', 'limited by aws:SourceIp 2001:db8::/32'],
    ['§1.5.2 RFC1918 10.0.0.0/8 never counts as broad', '10.0.0.0/8', 'limited by aws:SourceIp 10.0.0.0/8'],
    [
      '§1.5.3 RFC1918 ranges are left out of the union count',
      ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '203.0.113.0/24'],
      'limited by aws:SourceIp 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 1 more',
    ],
    [
      '§1.5.3 exactly 2^24 non-RFC1918 addresses does not exceed the threshold',
      ['198.0.0.0/9', '198.128.0.0/9'],
      'limited by aws:SourceIp 198.0.0.0/9, 198.128.0.0/9',
    ],
  ])('%s', (_rule, values, reason) => {
    expect(ip(values)).toMatchObject({ public: false, reason, caveats: [] });
  });

  it.each<[string, string | string[], string]>([
    [
      '[doc] "very broad IP ranges (for example, 0.0.0.0/1) are evaluated as public"',
      '0.0.0.0/1',
      'no limiting condition: aws:SourceIp 0.0.0.0/1 is broader than /8',
    ],
    ['[doc] 0.0.0.0/0', '0.0.0.0/0', 'no limiting condition: aws:SourceIp 0.0.0.0/0 is broader than /8'],
    [
      '[doc] "values broader than /8 for IPv4": /7',
      '198.0.0.0/7',
      'no limiting condition: aws:SourceIp 198.0.0.0/7 is broader than /8',
    ],
    [
      '[doc] "...and /32 for IPv6": /31',
      '2001:db8::/31',
      'no limiting condition: aws:SourceIp 2001:db8::/31 is broader than /32',
    ],
    ['[doc] IPv6 ::/0', '::/0', 'no limiting condition: aws:SourceIp ::/0 is broader than /32'],
    [
      '§1.5.4 "every listed CIDR must pass"',
      ['203.0.113.0/24', '0.0.0.0/1'],
      'no limiting condition: aws:SourceIp 0.0.0.0/1 is broader than /8',
    ],
    [
      'an unparseable value proves no limit',
      'not-an-ip',
      'no limiting condition: aws:SourceIp value "not-an-ip" is not an IP address or CIDR',
    ],
  ])('%s: public', (_rule, values, reason) => {
    expect(ip(values)).toMatchObject({ public: true, reason, caveats: [] });
  });

  it.each<[string, string, string]>([
    [
      '§1.5.1 "NotIpAddress ... on their own are public"',
      'NotIpAddress',
      'no limiting condition: NotIpAddress on aws:SourceIp is a negated operator',
    ],
    [
      '§1.5.1 "IpAddressIfExists on their own are public"',
      'IpAddressIfExists',
      'no limiting condition: IpAddressIfExists holds when aws:SourceIp is absent',
    ],
    [
      '§1.5.1 "Only IpAddress ... limits": StringEquals does not',
      'StringEquals',
      'no limiting condition: aws:SourceIp limits only with IpAddress',
    ],
  ])('%s', (_rule, operator, reason) => {
    expect(ip('203.0.113.0/24', operator)).toMatchObject({ public: true, reason });
  });

  it('§1.5.1 "including ForAnyValue:IpAddress" limits', () => {
    expect(ip('203.0.113.0/24', 'ForAnyValue:IpAddress')).toMatchObject({
      public: false,
      reason: 'limited by aws:SourceIp 203.0.113.0/24',
    });
  });

  it('§1.5.3 [open] narrow CIDRs whose union exceeds 2^24: public, marked unverified', () => {
    const verdict = ip(['198.0.0.0/8', '199.0.0.0/8']);
    expect(verdict).toMatchObject({
      public: true,
      reason:
        'no limiting condition: aws:SourceIp ranges together cover 33554432 non-RFC1918 IPv4 addresses (more than a /8 or /32)',
    });
    expect(verdict.caveats).toEqual([
      'statement "S": for aws:SourceIp the per-CIDR rule says not public but the address-count rule says public ' +
        '(33554432 non-RFC1918 IPv4 addresses); treated as public (unverified).',
    ]);
  });

  it('§1.5.3 [open] a /7 that is half RFC1918: per-CIDR public, union not; public, marked unverified', () => {
    const verdict = ip('10.0.0.0/7');
    expect(verdict).toMatchObject({
      public: true,
      reason: 'no limiting condition: aws:SourceIp 10.0.0.0/7 is broader than /8',
    });
    expect(verdict.caveats).toEqual([
      'statement "S": for aws:SourceIp the per-CIDR rule says public but the address-count rule says not public ' +
        '(16777216 non-RFC1918 IPv4 addresses); treated as public (unverified).',
    ]);
  });

  it('§1.5.3 [open] IPv6 union beyond 2^96', () => {
    const verdict = ip(['2001:db8::/32', '2001:db9::/32']);
    expect(verdict.public).toBe(true);
    expect(verdict.caveats).toEqual([
      'statement "S": for aws:SourceIp the per-CIDR rule says not public but the address-count rule says public ' +
        '(158456325028528675187087900672 IPv6 addresses); treated as public (unverified).',
    ]);
  });

  it('a union caveat is dropped when another key limits the statement', () => {
    const verdict = withCondition({
      IpAddress: { 'aws:SourceIp': ['198.0.0.0/8', '199.0.0.0/8'] },
      StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
    });
    expect(verdict).toMatchObject({ public: false, caveats: [] });
  });
});

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
