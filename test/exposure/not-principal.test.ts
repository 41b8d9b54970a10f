/**
 * An Allow with NotPrincipal grants "all principals except" the named ones ([NOTP]); for S3's definition of public it
 * is read as `"*"`, so the same fixed-value conditions limit it (public-semantics.md §1.2-1.3, corrected 2026-12:
 * [derived], the definition counts limiting conditions "for one or more of the following" whatever the principal; the
 * documentation does not name NotPrincipal). One code path: every verdict here must equal the `"*"` verdict for the
 * same conditions. The examples follow the IAM NotPrincipal page and the S3 "meaning of public" section.
 */
import { analyseExposure } from '../../exposure/bucket-exposure';
import { analyseCrossAccount } from '../../exposure/cross-account';
import { analysePolicy, analyseStatement } from '../../exposure/policy';
import { type ConditionBlock, known, type PolicyStatement } from '../../model/types';
import { bucket } from '../rules/builders';

const OWNER = '111122223333';
const OTHER = '123456789012';
const NOT_PRINCIPAL = { AWS: [`arn:aws:iam::${OWNER}:role/Auditor`, `arn:aws:iam::${OWNER}:root`] };

function allow(
  principal: Pick<PolicyStatement, 'Principal' | 'NotPrincipal'>,
  Condition?: ConditionBlock,
): PolicyStatement {
  return {
    Sid: 'S',
    Effect: 'Allow',
    ...principal,
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::example-bucket/*',
    ...(Condition ? { Condition } : {}),
  };
}

const LIMITING: readonly [string, ConditionBlock, string][] = [
  ['aws:SourceIp /24', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, 'limited by aws:SourceIp 203.0.113.0/24'],
  ['aws:SourceVpc', { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } }, 'limited by aws:SourceVpc vpc-91237329'],
  [
    'aws:SourceVpce',
    { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
    'limited by aws:SourceVpce vpce-1a2b3c4d',
  ],
  [
    'aws:SourceArn',
    { ArnEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main' } },
    'limited by aws:SourceArn arn:aws:cloudtrail:us-east-1:111122223333:trail/main',
  ],
  ['aws:SourceAccount', { StringEquals: { 'aws:SourceAccount': OTHER } }, `limited by aws:SourceAccount ${OTHER}`],
  ['aws:SourceOwner', { StringEquals: { 'aws:SourceOwner': OWNER } }, `limited by aws:SourceOwner ${OWNER}`],
  [
    'aws:PrincipalOrgID',
    { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    'limited by aws:PrincipalOrgID o-a1b2c3d4e5',
  ],
  [
    'aws:userid',
    { StringEquals: { 'aws:userid': 'AIDAEXAMPLEUSERID1234' } },
    'limited by aws:userid AIDAEXAMPLEUSERID1234',
  ],
  [
    's3:DataAccessPointArn (name "*", account fixed)',
    { StringLike: { 's3:DataAccessPointArn': `arn:aws:s3:us-east-1:${OTHER}:accesspoint/*` } },
    `limited by s3:DataAccessPointArn arn:aws:s3:us-east-1:${OTHER}:accesspoint/*`,
  ],
  [
    's3:DataAccessPointAccount',
    { StringEquals: { 's3:DataAccessPointAccount': OTHER } },
    `limited by s3:DataAccessPointAccount ${OTHER}`,
  ],
];

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
const POLICY_VARIABLE = '${aws:PrincipalAccount}';

const NOT_LIMITING: readonly [string, ConditionBlock | undefined][] = [
  ['no Condition', undefined],
  ['a wildcard value (vpc-*)', { StringLike: { 'aws:SourceVpc': 'vpc-*' } }],
  ['a negated operator', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }],
  ['an IfExists operator', { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }],
  ['aws:SourceIp broader than /8', { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } }],
  ['a key that does not limit (aws:Referer)', { StringEquals: { 'aws:Referer': 'https://www.example.com/' } }],
  ['a policy variable', { StringEquals: { 'aws:SourceAccount': POLICY_VARIABLE } }],
];

describe('Allow with NotPrincipal is limited by fixed-value conditions, like "*"', () => {
  it.each(LIMITING)('limited by %s: not public, and the reason names the condition', (_name, condition, detail) => {
    const verdict = analyseStatement(allow({ NotPrincipal: NOT_PRINCIPAL }, condition), 0);
    expect(verdict).toMatchObject({ public: false, principal: 'NotPrincipal', reason: detail });
    expect(verdict.public).toBe(analyseStatement(allow({ Principal: '*' }, condition), 0).public);
    expect(verdict.reason).toBe(analyseStatement(allow({ Principal: '*' }, condition), 0).reason);
  });

  it.each(NOT_LIMITING)('with %s: public, as "*" is', (_name, condition) => {
    const verdict = analyseStatement(allow({ NotPrincipal: NOT_PRINCIPAL }, condition), 0);
    const star = analyseStatement(allow({ Principal: '*' }, condition), 0);
    expect(verdict).toMatchObject({ public: true, principal: 'NotPrincipal', accessTypes: ['read'] });
    expect({ public: verdict.public, reason: verdict.reason }).toEqual({ public: star.public, reason: star.reason });
  });

  it('[NOTP] Deny with NotPrincipal grants nothing (the IAM page\'s "deny everyone except" example)', () => {
    const deny: PolicyStatement = { ...allow({ NotPrincipal: NOT_PRINCIPAL }), Effect: 'Deny', Action: 's3:*' };
    expect(analyseStatement(deny, 0)).toMatchObject({
      public: false,
      principal: 'NotPrincipal',
      reason: 'Deny grants no access',
    });
    expect(analysePolicy({ Statement: [deny] }).public).toBe(false);
  });

  it('a limited NotPrincipal next to a public "*" statement: the policy is public through the "*" statement only', () => {
    const analysis = analysePolicy({
      Statement: [
        allow({ NotPrincipal: NOT_PRINCIPAL }, { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }),
        { ...allow({ Principal: '*' }), Sid: 'PublicRead' },
      ],
    });
    expect(analysis.public).toBe(true);
    expect(analysis.statements.map((s) => [s.ref, s.public])).toEqual([
      ['statement "S"', false],
      ['statement "PublicRead"', true],
    ]);
    expect(analysis.caveats).toEqual([]);
  });
});

describe('the same reading in explain and the cross-account analysis', () => {
  const limitedBucket = (condition: ConditionBlock) =>
    bucket({ policy: known({ Statement: [allow({ NotPrincipal: NOT_PRINCIPAL }, condition)] }) });

  it('explain says the statement is limited and by what', () => {
    const exposure = analyseExposure(
      limitedBucket({ StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }),
      known(null),
    );
    expect(exposure.public).toBe(false);
    expect(exposure.layers.find((layer) => layer.layer === 'policy')).toEqual({
      layer: 'policy',
      effect: 'none',
      detail:
        'no public statements; statement "S" allows everyone outside its NotPrincipal, limited by aws:SourceVpce vpce-1a2b3c4d',
    });
  });

  it('limited to another account by aws:SourceAccount: that account is reached (cross-account), not everyone', () => {
    expect(
      analyseCrossAccount(limitedBucket({ StringEquals: { 'aws:SourceAccount': OTHER } }), {
        ownerAccountId: OWNER,
        trustedAccounts: [],
      }),
    ).toEqual({
      grants: [{ layer: 'policy', ref: 'statement "S"', grantee: OTHER, public: false, accessTypes: ['read'] }],
      caveats: [],
    });
  });

  it('limited to the own organization by aws:PrincipalOrgID it is inside once the organization is trusted', () => {
    const state = limitedBucket({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    expect(analyseCrossAccount(state, { ownerAccountId: OWNER, trustedAccounts: ['o-a1b2c3d4e5'] })).toEqual({
      grants: [],
      caveats: [],
    });
  });

  it('limited by a network key only: no account named, a caveat says so', () => {
    expect(
      analyseCrossAccount(limitedBucket({ StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }), {
        ownerAccountId: OWNER,
        trustedAccounts: [],
      }),
    ).toEqual({
      grants: [],
      caveats: [
        'statement "S" allows everyone outside its NotPrincipal, limited by aws:SourceVpce vpce-1a2b3c4d; no account is named, so it was not counted as cross-account.',
      ],
    });
  });

  it('unlimited: public in the cross-account analysis too', () => {
    const state = bucket({ policy: known({ Statement: [allow({ NotPrincipal: NOT_PRINCIPAL })] }) });
    expect(analyseCrossAccount(state, { ownerAccountId: OWNER, trustedAccounts: [] }).grants).toEqual([
      { layer: 'policy', ref: 'statement "S"', grantee: 'NotPrincipal', public: true, accessTypes: ['read'] },
    ]);
  });
});
