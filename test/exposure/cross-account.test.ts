/**
 * Cross-account grants: [doc] fixed principals are non-public "(they may still be cross-account)" (§1.3); Access
 * Analyzer's zone-of-trust model (§4); service principals need aws:SourceAccount/SourceArn/SourceOwner (confused deputy).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyseCrossAccount } from '../../exposure/cross-account';
import { normalizeConfigurationItem } from '../../model/normalize';
import {
  type AclGrant,
  type BucketState,
  type ConditionBlock,
  known,
  type PolicyPrincipal,
  type PolicyStatement,
  unknown,
} from '../../model/types';
import { stateArb } from './bucket-arbitraries';

const EVENTS = join(__dirname, '../../events/config-items');
const OWNER_ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '123456789012';
const OWNER_CANONICAL = '3f1c5a7e9b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5f7';
const OTHER_CANONICAL = '9a8b7c6d5e4f30211f2e3d4c5b6a79881726354453627180a9b8c7d6e5f4a3b2';
const ownerGrant: AclGrant = { grantee: { kind: 'canonicalUser', id: OWNER_CANONICAL }, permission: 'FULL_CONTROL' };

function bucket(overrides: Partial<BucketState> = {}): BucketState {
  return {
    kind: 'bucket',
    name: 'example-bucket',
    accountId: OWNER_ACCOUNT,
    source: 'config-invocation',
    status: 'OK',
    policy: known(null),
    acl: known({ ownerId: OWNER_CANONICAL, grants: [ownerGrant] }),
    publicAccessBlock: known(null),
    versioning: known({ status: 'Enabled', mfaDelete: null }),
    ownership: known(null),
    tags: known({}),
    ...overrides,
  };
}

function withStatement(Principal: PolicyPrincipal, Condition?: ConditionBlock, extra: Partial<PolicyStatement> = {}) {
  const statement: PolicyStatement = {
    Sid: 'S',
    Effect: 'Allow',
    Principal,
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::example-bucket/*',
    ...(Condition ? { Condition } : {}),
    ...extra,
  };
  return bucket({ policy: known({ Statement: [statement] }) });
}

const run = (state: BucketState, trustedAccounts: string[] = []) =>
  analyseCrossAccount(state, { ownerAccountId: OWNER_ACCOUNT, trustedAccounts });

function bucketFromFixture(file: string): BucketState {
  const state = normalizeConfigurationItem(JSON.parse(readFileSync(join(EVENTS, file), 'utf8')));
  if (state.kind !== 'bucket') throw new Error(`${file} is not a bucket item`);
  return state;
}

describe('policy principals', () => {
  it.each<[string, PolicyPrincipal, ConditionBlock | undefined, string[], string[]]>([
    ['another account by id', { AWS: OTHER_ACCOUNT }, undefined, [], [OTHER_ACCOUNT]],
    ['another account root ARN', { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, undefined, [], [OTHER_ACCOUNT]],
    ['a role in another account', { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/reader` }, undefined, [], [OTHER_ACCOUNT]],
    ["the owner's own role", { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:role/reader` }, undefined, [], []],
    ['a trusted account', { AWS: OTHER_ACCOUNT }, undefined, [OTHER_ACCOUNT], []],
    [
      'a SAML provider in another account',
      { Federated: `arn:aws:iam::${OTHER_ACCOUNT}:saml-provider/Corp` },
      undefined,
      [],
      [OTHER_ACCOUNT],
    ],
    [
      'several principals: only the outside ones are reported',
      { AWS: [OWNER_ACCOUNT, OTHER_ACCOUNT], CanonicalUser: OTHER_CANONICAL },
      undefined,
      [OTHER_ACCOUNT],
      [OTHER_CANONICAL],
    ],
    [
      'a service principal with no restricting condition (confused deputy)',
      { Service: 'cloudtrail.amazonaws.com' },
      undefined,
      [],
      ['cloudtrail.amazonaws.com'],
    ],
    [
      'a service principal restricted by aws:SourceAccount to the owner',
      { Service: 'cloudtrail.amazonaws.com' },
      { StringEquals: { 'aws:SourceAccount': OWNER_ACCOUNT } },
      [],
      [],
    ],
    [
      'a service principal restricted by aws:SourceOwner to the owner',
      { Service: 'ses.amazonaws.com' },
      { StringEquals: { 'aws:SourceOwner': OWNER_ACCOUNT } },
      [],
      [],
    ],
    [
      'a service principal restricted by an aws:SourceArn naming the owner account',
      { Service: 'cloudtrail.amazonaws.com' },
      { ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${OWNER_ACCOUNT}:trail/*` } },
      [],
      [],
    ],
    [
      'a service principal restricted to a trusted account',
      { Service: 'delivery.logs.amazonaws.com' },
      { StringEquals: { 'aws:SourceAccount': OTHER_ACCOUNT } },
      [OTHER_ACCOUNT],
      [],
    ],
    [
      'a service principal restricted to another account',
      { Service: 'delivery.logs.amazonaws.com' },
      { StringEquals: { 'aws:SourceAccount': OTHER_ACCOUNT } },
      [],
      ['delivery.logs.amazonaws.com'],
    ],
    [
      'a service principal whose aws:SourceArn has no account field (a bucket ARN) is not confined',
      { Service: 'logging.s3.amazonaws.com' },
      { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::example-source-bucket' } },
      [],
      ['logging.s3.amazonaws.com'],
    ],
    [
      'a service principal behind StringEqualsIfExists is not confined',
      { Service: 'cloudtrail.amazonaws.com' },
      { StringEqualsIfExists: { 'aws:SourceAccount': OWNER_ACCOUNT } },
      [],
      ['cloudtrail.amazonaws.com'],
    ],
    [
      'a canonical user other than the bucket owner',
      { CanonicalUser: OTHER_CANONICAL },
      undefined,
      [],
      [OTHER_CANONICAL],
    ],
    ['the bucket owner as a canonical user', { CanonicalUser: OWNER_CANONICAL }, undefined, [], []],
    [
      '"*" limited to another account by aws:PrincipalAccount',
      '*',
      { StringEquals: { 'aws:PrincipalAccount': OTHER_ACCOUNT } },
      [],
      [OTHER_ACCOUNT],
    ],
    [
      '"*" limited to the owner by aws:PrincipalAccount',
      '*',
      { StringEquals: { 'aws:PrincipalAccount': OWNER_ACCOUNT } },
      [],
      [],
    ],
    [
      '"*" limited by aws:PrincipalArn in another account',
      '*',
      { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER_ACCOUNT}:role/*` } },
      [],
      [OTHER_ACCOUNT],
    ],
    [
      '"*" limited to an organisation (Access Analyzer: outside the zone of trust unless trusted)',
      '*',
      { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      [],
      ['o-a1b2c3d4e5'],
    ],
    [
      '"*" limited to a trusted organisation',
      '*',
      { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      ['o-a1b2c3d4e5'],
      [],
    ],
    [
      '"*" limited to an org and pinned to the owner account (blocks are ANDed)',
      '*',
      { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'aws:PrincipalAccount': OWNER_ACCOUNT } },
      [],
      [],
    ],
  ])('%s', (_rule, principal, condition, trusted, grantees) => {
    const result = run(withStatement(principal, condition), trusted);
    expect(result.grants).toEqual(
      grantees.map((grantee) => ({
        layer: 'policy',
        ref: 'statement "S"',
        grantee,
        public: false,
        accessTypes: ['read'],
      })),
    );
  });

  it('a public statement is reported with public: true and its principal', () => {
    expect(run(withStatement('*', undefined, { Action: ['s3:GetObject', 's3:PutObject'] }))).toEqual({
      grants: [{ layer: 'policy', ref: 'statement "S"', grantee: '*', public: true, accessTypes: ['read', 'write'] }],
      caveats: [],
    });
    expect(run(withStatement({ Federated: 'graph.facebook.com' })).grants[0]).toMatchObject({
      grantee: 'Federated graph.facebook.com',
      public: true,
    });
  });

  it('Deny statements grant nothing', () => {
    expect(run(withStatement({ AWS: OTHER_ACCOUNT }, undefined, { Effect: 'Deny' }))).toEqual({
      grants: [],
      caveats: [],
    });
  });

  it('"*" limited only by a network key names no account: not counted, with a caveat', () => {
    expect(run(withStatement('*', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }))).toEqual({
      grants: [],
      caveats: [
        'statement "S" allows any principal, limited by aws:SourceVpce vpce-1a2b3c4d; no account is named, so it was not counted as cross-account.',
      ],
    });
  });

  it('a CloudFront OAI cannot be tied to an account: caveat', () => {
    const oai = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE1';
    expect(run(withStatement({ AWS: oai }))).toEqual({
      grants: [],
      caveats: [`statement "S": AWS ${oai} cannot be tied to an account; not counted as cross-account.`],
    });
  });

  it('an unknown policy is reported as a caveat', () => {
    expect(run(bucket({ policy: unknown('AccessDenied') })).caveats).toEqual([
      'Bucket policy could not be read (AccessDenied); policy grants were not checked.',
    ]);
  });

  it('without an owner account every named account is outside, with a caveat', () => {
    const state = { ...withStatement({ AWS: OWNER_ACCOUNT }), accountId: undefined };
    const result = analyseCrossAccount(state, { trustedAccounts: [] });
    expect(result.grants.map((g) => g.grantee)).toEqual([OWNER_ACCOUNT]);
    expect(result.caveats).toEqual([
      'The bucket owner account is unknown; every named account was reported as outside.',
    ]);
  });

  it('the owner account defaults to the bucket state accountId', () => {
    expect(analyseCrossAccount(withStatement({ AWS: OWNER_ACCOUNT }), { trustedAccounts: [] })).toEqual({
      grants: [],
      caveats: [],
    });
  });
});

describe('ACL grantees', () => {
  const withGrants = (grants: AclGrant[], overrides: Partial<BucketState> = {}) =>
    bucket({ acl: known({ ownerId: OWNER_CANONICAL, grants: [ownerGrant, ...grants] }), ...overrides });

  it('canonical users other than the owner are cross-account; LogDelivery is not; AllUsers is public', () => {
    const state = withGrants([
      { grantee: { kind: 'canonicalUser', id: OTHER_CANONICAL }, permission: 'READ' },
      { grantee: { kind: 'group', group: 'LogDelivery' }, permission: 'WRITE' },
      { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ_ACP' },
      { grantee: { kind: 'email', email: 'partner@example.com' }, permission: 'WRITE' },
    ]);
    expect(run(state)).toEqual({
      grants: [
        {
          layer: 'acl',
          ref: 'grant CanonicalUser 9a8b7c6d5e4f… READ',
          grantee: OTHER_CANONICAL,
          public: false,
          accessTypes: ['read', 'list'],
        },
        { layer: 'acl', ref: 'grant AllUsers READ_ACP', grantee: 'AllUsers', public: true, accessTypes: ['readAcp'] },
        {
          layer: 'acl',
          ref: 'grant email partner@example.com WRITE',
          grantee: 'partner@example.com',
          public: false,
          accessTypes: ['write'],
        },
      ],
      caveats: [],
    });
  });

  it('a trusted canonical id is not reported', () => {
    const state = withGrants([{ grantee: { kind: 'canonicalUser', id: OTHER_CANONICAL }, permission: 'READ' }]);
    expect(run(state, [OTHER_CANONICAL]).grants).toEqual([]);
  });

  it('[doc OWN] BucketOwnerEnforced: ACLs "no longer affect access permissions", so ACL grants are skipped', () => {
    const state = withGrants([{ grantee: { kind: 'canonicalUser', id: OTHER_CANONICAL }, permission: 'READ' }], {
      ownership: known('BucketOwnerEnforced'),
    });
    expect(run(state)).toEqual({ grants: [], caveats: [] });
  });

  it('an unknown owner canonical id reports every canonical user, once caveated', () => {
    const state = bucket({
      acl: known({
        grants: [ownerGrant, { grantee: { kind: 'canonicalUser', id: OTHER_CANONICAL }, permission: 'READ' }],
      }),
    });
    const result = run(state);
    expect(result.grants.map((g) => g.grantee)).toEqual([OWNER_CANONICAL, OTHER_CANONICAL]);
    expect(result.caveats).toEqual([
      "The bucket owner's canonical user id is unknown; every canonical user was reported as outside.",
    ]);
  });

  it('an unknown ACL is reported as a caveat', () => {
    expect(run(bucket({ acl: unknown('AccessDenied') })).caveats).toEqual([
      'Bucket ACL could not be read (AccessDenied); ACL grants were not checked.',
    ]);
  });
});

describe('recorded-shape configuration items', () => {
  it('bucket-advanced-query-row-object.json: cross-account root ARN and a public AllUsers READ grant', () => {
    expect(run(bucketFromFixture('bucket-advanced-query-row-object.json'))).toEqual({
      grants: [
        {
          layer: 'policy',
          ref: 'statement "CrossAccountRead"',
          grantee: OTHER_ACCOUNT,
          public: false,
          accessTypes: ['read'],
        },
        { layer: 'acl', ref: 'grant AllUsers READ', grantee: 'AllUsers', public: true, accessTypes: ['read', 'list'] },
      ],
      caveats: [],
    });
  });

  it('bucket-invocation-log-delivery-acl.json: nothing outside the account', () => {
    expect(run(bucketFromFixture('bucket-invocation-log-delivery-acl.json'))).toEqual({ grants: [], caveats: [] });
  });
});

describe('robustness (fast-check)', () => {
  it('never throws on any combination of known and unknown inputs', () => {
    fc.assert(
      fc.property(stateArb, (parts) => {
        const state = bucket(parts as Partial<BucketState>);
        const result = analyseCrossAccount(state, { trustedAccounts: ['123456789012'] });
        expect(Array.isArray(result.grants)).toBe(true);
      }),
      { numRuns: 1000, seed: 20240501 },
    );
  });
});
