/** §3.1 of public-semantics.md: effective Block Public Access, ownership, and the combined "effectively public". */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  analyseExposure,
  effectiveBlockPublicAccess,
  uncertainLayers,
  unknownLayers,
} from '../../exposure/bucket-exposure';
import { normalizeConfigurationItem } from '../../model/normalize';
import {
  type AclGrant,
  type BucketPolicy,
  type BucketState,
  type Fact,
  known,
  type ObjectOwnership,
  type PublicAccessBlockFlags,
  unknown,
} from '../../model/types';
import { factArb, flagsArb, stateArb } from './bucket-arbitraries';

const EVENTS = join(__dirname, '../../events/config-items');
const OWNER = '3f1c5a7e9b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5f7';
const ownerGrant: AclGrant = { grantee: { kind: 'canonicalUser', id: OWNER }, permission: 'FULL_CONTROL' };
const allUsersRead: AclGrant = { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' };

const OFF: PublicAccessBlockFlags = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};
const ALL_ON: PublicAccessBlockFlags = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const flags = (on: Partial<PublicAccessBlockFlags>): PublicAccessBlockFlags => ({ ...OFF, ...on });

const PUBLIC_POLICY: BucketPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
  ],
};

function bucket(overrides: Partial<BucketState> = {}): BucketState {
  return {
    kind: 'bucket',
    name: 'example-bucket',
    accountId: '111122223333',
    source: 'config-invocation',
    status: 'OK',
    policy: known(null),
    acl: known({ ownerId: OWNER, grants: [ownerGrant] }),
    publicAccessBlock: known(null),
    versioning: known({ status: 'Enabled', mfaDelete: null }),
    ownership: known(null),
    tags: known({}),
    ...overrides,
  };
}

const publicAcl = () => known({ ownerId: OWNER, grants: [ownerGrant, allUsersRead] });
const NO_ACCOUNT_BPA: Fact<PublicAccessBlockFlags | null> = known(null);

function bucketFromFixture(file: string): BucketState {
  const state = normalizeConfigurationItem(JSON.parse(readFileSync(join(EVENTS, file), 'utf8')));
  if (state.kind !== 'bucket') throw new Error(`${file} is not a bucket item`);
  return state;
}

describe('§3.1 effectiveBlockPublicAccess: "the most restrictive combination"', () => {
  it.each<[string, Fact<PublicAccessBlockFlags | null>, Fact<PublicAccessBlockFlags | null>, object, object]>([
    [
      'missing configuration at both levels = all false',
      known(null),
      known(null),
      OFF,
      { blockPublicAcls: 'none', ignorePublicAcls: 'none', blockPublicPolicy: 'none', restrictPublicBuckets: 'none' },
    ],
    [
      'bucket only',
      known(flags({ ignorePublicAcls: true })),
      known(null),
      flags({ ignorePublicAcls: true }),
      { blockPublicAcls: 'none', ignorePublicAcls: 'bucket', blockPublicPolicy: 'none', restrictPublicBuckets: 'none' },
    ],
    [
      'account only',
      known(OFF),
      known(flags({ restrictPublicBuckets: true })),
      flags({ restrictPublicBuckets: true }),
      {
        blockPublicAcls: 'none',
        ignorePublicAcls: 'none',
        blockPublicPolicy: 'none',
        restrictPublicBuckets: 'account',
      },
    ],
    [
      'both, per flag: bucket[x] || account[x]',
      known(flags({ blockPublicAcls: true, ignorePublicAcls: true })),
      known(flags({ ignorePublicAcls: true, blockPublicPolicy: true })),
      flags({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true }),
      {
        blockPublicAcls: 'bucket',
        ignorePublicAcls: 'both',
        blockPublicPolicy: 'account',
        restrictPublicBuckets: 'none',
      },
    ],
  ])('%s', (_rule, bucketBpa, accountBpa, expectedFlags, expectedFrom) => {
    expect(effectiveBlockPublicAccess(bucketBpa, accountBpa)).toEqual({
      flags: expectedFlags,
      from: expectedFrom,
      caveats: [],
    });
  });

  it('an unknown account BPA is evaluated as if absent, with the caveat', () => {
    const result = effectiveBlockPublicAccess(known(flags({ ignorePublicAcls: true })), unknown('AccessDenied'));
    expect(result.flags).toEqual(flags({ ignorePublicAcls: true }));
    expect(result.caveats).toEqual([
      'Account-level Block Public Access could not be read (AccessDenied); evaluated as if not set.',
    ]);
  });

  it('an unknown bucket BPA is evaluated as if absent, with a caveat', () => {
    expect(effectiveBlockPublicAccess(unknown('throttled'), known(ALL_ON))).toEqual({
      flags: ALL_ON,
      from: {
        blockPublicAcls: 'account',
        ignorePublicAcls: 'account',
        blockPublicPolicy: 'account',
        restrictPublicBuckets: 'account',
      },
      caveats: ['Bucket-level Block Public Access could not be read (throttled); evaluated as if not set.'],
    });
  });
});

describe('§3.1 analyseExposure: (policy ∧ ¬RestrictPublicBuckets) ∨ (ACL ∧ ¬IgnorePublicAcls ∧ ownership ≠ BucketOwnerEnforced)', () => {
  it('a public-read ACL with no BPA and no ownership controls: the full Exposure', () => {
    const source = {
      layer: 'acl',
      ref: 'grant AllUsers READ',
      principal: 'AllUsers',
      accessTypes: ['read', 'list'],
    };
    expect(analyseExposure(bucket({ acl: publicAcl() }), NO_ACCOUNT_BPA)).toEqual({
      public: true,
      access: {
        read: { public: true, via: [source] },
        write: { public: false, via: [] },
        list: { public: true, via: [source] },
        readAcp: { public: false, via: [] },
        writeAcp: { public: false, via: [] },
      },
      sources: [source],
      effectiveBpa: {
        flags: OFF,
        from: {
          blockPublicAcls: 'none',
          ignorePublicAcls: 'none',
          blockPublicPolicy: 'none',
          restrictPublicBuckets: 'none',
        },
      },
      layers: [
        { layer: 'account-bpa', effect: 'none', detail: 'not configured' },
        { layer: 'bucket-bpa', effect: 'none', detail: 'not configured' },
        { layer: 'ownership', effect: 'none', detail: 'no ownership controls: ACLs active' },
        { layer: 'acl', effect: 'exposes', detail: 'public: grant AllUsers READ (read, list)' },
        { layer: 'policy', effect: 'none', detail: 'no bucket policy' },
      ],
      caveats: [],
    });
  });

  it.each<[string, Fact<PublicAccessBlockFlags | null>, Fact<PublicAccessBlockFlags | null>, string]>([
    [
      'IgnorePublicAcls on the bucket',
      known(flags({ ignorePublicAcls: true })),
      known(null),
      'IgnorePublicAcls (bucket)',
    ],
    [
      'IgnorePublicAcls on the account',
      known(null),
      known(flags({ ignorePublicAcls: true })),
      'IgnorePublicAcls (account)',
    ],
    [
      'IgnorePublicAcls on both',
      known(flags({ ignorePublicAcls: true })),
      known(ALL_ON),
      'IgnorePublicAcls (bucket and account)',
    ],
  ])('[doc] "IgnorePublicAcls ... ignore all public ACLs": %s', (_rule, bucketBpa, accountBpa, neutralisedBy) => {
    const exposure = analyseExposure(bucket({ acl: publicAcl(), publicAccessBlock: bucketBpa }), accountBpa);
    expect(exposure.public).toBe(false);
    expect(exposure.access.read).toEqual({ public: false, via: [] });
    expect(exposure.sources).toEqual([
      { layer: 'acl', ref: 'grant AllUsers READ', principal: 'AllUsers', accessTypes: ['read', 'list'], neutralisedBy },
    ]);
    expect(exposure.layers[3]).toEqual({
      layer: 'acl',
      effect: 'none',
      detail: `grant AllUsers READ is public but neutralised by ${neutralisedBy}`,
    });
  });

  it('[doc] BlockPublicAcls "does not make an existing public ACL non-public"', () => {
    const exposure = analyseExposure(
      bucket({ acl: publicAcl(), publicAccessBlock: known(flags({ blockPublicAcls: true })) }),
      NO_ACCOUNT_BPA,
    );
    expect(exposure.public).toBe(true);
    expect(exposure.layers[1]).toEqual({
      layer: 'bucket-bpa',
      effect: 'none',
      detail: 'on: BlockPublicAcls; off: IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets',
    });
  });

  it('[doc OWN] BucketOwnerEnforced: "ACLs are disabled and no longer affect access permissions"', () => {
    const exposure = analyseExposure(
      bucket({ acl: publicAcl(), ownership: known('BucketOwnerEnforced') }),
      NO_ACCOUNT_BPA,
    );
    expect(exposure.public).toBe(false);
    expect(exposure.sources[0]?.neutralisedBy).toBe('ACLs disabled (BucketOwnerEnforced)');
    expect(exposure.layers[2]).toEqual({
      layer: 'ownership',
      effect: 'neutralises',
      detail: 'BucketOwnerEnforced: ACLs disabled; neutralises grant AllUsers READ',
    });
  });

  it('IgnorePublicAcls and BucketOwnerEnforced together are both named', () => {
    const exposure = analyseExposure(
      bucket({ acl: publicAcl(), ownership: known('BucketOwnerEnforced') }),
      known(flags({ ignorePublicAcls: true })),
    );
    expect(exposure.sources[0]?.neutralisedBy).toBe('IgnorePublicAcls (account); ACLs disabled (BucketOwnerEnforced)');
    expect(exposure.layers.map((layer) => layer.effect)).toEqual([
      'neutralises',
      'none',
      'neutralises',
      'none',
      'none',
    ]);
  });

  it.each<[ObjectOwnership]>([['BucketOwnerPreferred'], ['ObjectWriter']])(
    '[doc] %s keeps ACLs active',
    (ownership) => {
      const exposure = analyseExposure(bucket({ acl: publicAcl(), ownership: known(ownership) }), NO_ACCOUNT_BPA);
      expect(exposure.public).toBe(true);
      expect(exposure.layers[2]).toEqual({ layer: 'ownership', effect: 'none', detail: `${ownership}: ACLs active` });
    },
  );

  it('unknown ownership with a public ACL grant: ACLs assumed active, caveat, layer unknown', () => {
    const exposure = analyseExposure(
      bucket({
        acl: publicAcl(),
        ownership: unknown('Object Ownership is not recorded in AWS Config configuration items'),
      }),
      NO_ACCOUNT_BPA,
    );
    expect(exposure.public).toBe(true);
    expect(exposure.caveats).toEqual([
      'Object Ownership could not be read (Object Ownership is not recorded in AWS Config configuration items); ACLs assumed active.',
    ]);
    expect(unknownLayers(exposure)).toEqual(['ownership']);
    expect(uncertainLayers(exposure)).toEqual(['ownership']);
  });

  it('unknown ownership does not matter (and is not reported) when no public ACL grant depends on it', () => {
    const exposure = analyseExposure(bucket({ ownership: unknown('not recorded') }), NO_ACCOUNT_BPA);
    expect(exposure.caveats).toEqual([]);
    expect(exposure.layers[2]).toEqual({
      layer: 'ownership',
      effect: 'none',
      detail: 'could not be read (not recorded); no effect on this verdict',
    });
  });

  it('[doc] a public policy is neutralised by RestrictPublicBuckets ("restricts access ... to only AWS service principals and authorized users within the bucket owner\'s account")', () => {
    const exposure = analyseExposure(
      bucket({ policy: known(PUBLIC_POLICY) }),
      known(flags({ restrictPublicBuckets: true })),
    );
    expect(exposure.public).toBe(false);
    expect(exposure.sources).toEqual([
      {
        layer: 'policy',
        ref: 'statement "PublicRead"',
        principal: '*',
        accessTypes: ['read'],
        neutralisedBy: 'RestrictPublicBuckets (account)',
      },
    ]);
    expect(exposure.layers[0]).toEqual({
      layer: 'account-bpa',
      effect: 'neutralises',
      detail:
        'on: RestrictPublicBuckets; off: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy; neutralises statement "PublicRead"',
    });
  });

  it('[doc] BlockPublicPolicy only prevents future changes: an existing public policy stays public', () => {
    const exposure = analyseExposure(
      bucket({ policy: known(PUBLIC_POLICY), publicAccessBlock: known(flags({ blockPublicPolicy: true })) }),
      NO_ACCOUNT_BPA,
    );
    expect(exposure.public).toBe(true);
    expect(exposure.access.read.via.map((s) => s.ref)).toEqual(['statement "PublicRead"']);
    expect(exposure.layers[4]).toEqual({
      layer: 'policy',
      effect: 'exposes',
      detail: 'public: statement "PublicRead" (read)',
    });
  });

  it('public ACL and public policy: sources in layer order, each access lists its own sources', () => {
    const policy: BucketPolicy = {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: ['s3:PutObject', 's3:GetObject'], Resource: '*' },
      ],
    };
    const exposure = analyseExposure(bucket({ acl: publicAcl(), policy: known(policy) }), NO_ACCOUNT_BPA);
    expect(exposure.sources.map((s) => s.ref)).toEqual(['grant AllUsers READ', 'statement #1']);
    expect(exposure.access.read.via.map((s) => s.ref)).toEqual(['grant AllUsers READ', 'statement #1']);
    expect(exposure.access.write.via.map((s) => s.ref)).toEqual(['statement #1']);
    expect(exposure.access.list.via.map((s) => s.ref)).toEqual(['grant AllUsers READ']);
  });

  it('a public statement granting none of the five access types still makes the bucket public', () => {
    const policy: BucketPolicy = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetBucketTagging' }] };
    const exposure = analyseExposure(bucket({ policy: known(policy) }), NO_ACCOUNT_BPA);
    expect(exposure.public).toBe(true);
    expect(exposure.layers[4]?.detail).toBe('public: statement #1 (no bucket access type)');
  });

  it('unknown account BPA: evaluated as if absent, caveat, and it could neutralise a public verdict', () => {
    const exposure = analyseExposure(bucket({ policy: known(PUBLIC_POLICY) }), unknown('AccessDenied'));
    expect(exposure.public).toBe(true);
    expect(exposure.caveats).toEqual([
      'Account-level Block Public Access could not be read (AccessDenied); evaluated as if not set.',
    ]);
    expect(exposure.layers[0]).toEqual({
      layer: 'account-bpa',
      effect: 'unknown',
      detail: 'could not be read (AccessDenied); evaluated as if not set',
    });
    expect(uncertainLayers(exposure)).toEqual(['account-bpa']);
  });

  it('unknown account BPA cannot flip a non-public verdict', () => {
    const exposure = analyseExposure(bucket(), unknown('AccessDenied'));
    expect(exposure.public).toBe(false);
    expect(unknownLayers(exposure)).toEqual(['account-bpa']);
    expect(uncertainLayers(exposure)).toEqual([]);
  });

  it('unknown ACL: layer unknown, caveat, verdict from the known policy layer', () => {
    const exposure = analyseExposure(
      bucket({ acl: unknown('AccessDenied'), policy: known(PUBLIC_POLICY) }),
      NO_ACCOUNT_BPA,
    );
    expect(exposure.public).toBe(true);
    expect(exposure.layers[3]).toEqual({
      layer: 'acl',
      effect: 'unknown',
      detail: 'could not be read (AccessDenied); not evaluated',
    });
    expect(exposure.caveats).toEqual(['Bucket ACL could not be read (AccessDenied); the ACL layer was not evaluated.']);
    expect(uncertainLayers(exposure, 'write')).toEqual(['acl']);
    expect(uncertainLayers(exposure, 'read')).toEqual([]);
  });

  it('unknown ACL does not matter when IgnorePublicAcls is in force', () => {
    const exposure = analyseExposure(
      bucket({ acl: unknown('AccessDenied') }),
      known(flags({ ignorePublicAcls: true })),
    );
    expect(exposure.caveats).toEqual([]);
    expect(exposure.layers[3]).toEqual({
      layer: 'acl',
      effect: 'none',
      detail: 'could not be read (AccessDenied); no effect: IgnorePublicAcls (account)',
    });
    expect(unknownLayers(exposure)).toEqual([]);
  });

  it('unknown policy: layer unknown and uncertain; not when RestrictPublicBuckets is in force', () => {
    const open = analyseExposure(bucket({ policy: unknown('throttled') }), NO_ACCOUNT_BPA);
    expect(open.layers[4]).toEqual({
      layer: 'policy',
      effect: 'unknown',
      detail: 'could not be read (throttled); not evaluated',
    });
    expect(open.caveats).toEqual(['Bucket policy could not be read (throttled); the policy layer was not evaluated.']);
    expect(uncertainLayers(open)).toEqual(['policy']);
    const restricted = analyseExposure(bucket({ policy: unknown('throttled') }), known(ALL_ON));
    expect(restricted.layers[4]).toEqual({
      layer: 'policy',
      effect: 'none',
      detail: 'could not be read (throttled); no effect: RestrictPublicBuckets (account)',
    });
    expect(restricted.caveats).toEqual([]);
  });

  it('policy caveats are carried, except when RestrictPublicBuckets makes them moot', () => {
    const policy: BucketPolicy = {
      Statement: [
        {
          Sid: 'Org',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
        },
      ],
    };
    const caveat =
      'statement "Org" is non-public only because of aws:PrincipalAccount, which AWS does not document as limiting (unverified).';
    expect(analyseExposure(bucket({ policy: known(policy) }), NO_ACCOUNT_BPA).caveats).toEqual([caveat]);
    expect(analyseExposure(bucket({ policy: known(policy) }), known(ALL_ON)).caveats).toEqual([]);
  });

  it('a deleted item (every fact unknown) does not throw', () => {
    const exposure = analyseExposure(bucketFromFixture('bucket-invocation-deleted.json'), NO_ACCOUNT_BPA);
    expect(exposure.public).toBe(false);
    expect(unknownLayers(exposure)).toEqual(['bucket-bpa', 'acl', 'policy']);
  });
});

describe('§3.1 over recorded-shape configuration items (account BPA not configured unless stated)', () => {
  it.each<[string, Fact<PublicAccessBlockFlags | null>, boolean, string[], string[]]>([
    ['bucket-invocation-public-read-acl.json', NO_ACCOUNT_BPA, true, ['grant AllUsers READ'], []],
    ['bucket-invocation-public-read-acl.json', known(ALL_ON), false, [], []],
    [
      'bucket-invocation-authenticated-users-acl.json',
      NO_ACCOUNT_BPA,
      true,
      ['grant AuthenticatedUsers READ'],
      ['grant AuthenticatedUsers WRITE'],
    ],
    ['bucket-invocation-log-delivery-acl.json', NO_ACCOUNT_BPA, false, [], []],
    ['bucket-invocation-public-policy.json', NO_ACCOUNT_BPA, true, ['statement "PublicReadGetObject"'], []],
    ['bucket-invocation-policy-source-ip.json', NO_ACCOUNT_BPA, false, [], []],
    ['bucket-invocation-partial-bpa.json', NO_ACCOUNT_BPA, false, [], []],
    ['bucket-invocation-private-full-bpa.json', NO_ACCOUNT_BPA, false, [], []],
    ['bucket-api-public.json', NO_ACCOUNT_BPA, true, ['grant AllUsers READ', 'statement "PublicList"'], []],
    ['bucket-api-public.json', known(flags({ ignorePublicAcls: true })), true, ['statement "PublicList"'], []],
    ['bucket-advanced-query-row-object.json', NO_ACCOUNT_BPA, true, ['grant AllUsers READ'], []],
  ])('%s (account BPA %j): public=%s', (file, accountBpa, expectedPublic, readOrListVia, writeVia) => {
    const exposure = analyseExposure(bucketFromFixture(file), accountBpa);
    expect(exposure.public).toBe(expectedPublic);
    const readOrList = [...new Set([...exposure.access.read.via, ...exposure.access.list.via].map((s) => s.ref))];
    expect(readOrList).toEqual(readOrListVia);
    expect(exposure.access.write.via.map((s) => s.ref)).toEqual(writeVia);
    expect(exposure.layers.map((layer) => layer.layer)).toEqual([
      'account-bpa',
      'bucket-bpa',
      'ownership',
      'acl',
      'policy',
    ]);
  });

  it('bucket-api-public.json: Config items carry no ownership, so the caveat names it', () => {
    const exposure = analyseExposure(bucketFromFixture('bucket-api-public.json'), NO_ACCOUNT_BPA);
    expect(exposure.caveats).toEqual([
      'Object Ownership could not be read (Object Ownership is not recorded in AWS Config configuration items); ACLs assumed active.',
    ]);
    expect(exposure.layers[3]).toEqual({
      layer: 'acl',
      effect: 'exposes',
      detail: 'public: grant AllUsers READ (read, list), grant AllUsers READ_ACP (readAcp)',
    });
  });
});

describe('robustness (fast-check)', () => {
  it('never throws on any combination of known and unknown inputs', () => {
    fc.assert(
      fc.property(stateArb, factArb(fc.option(flagsArb, { nil: null })), (parts, accountBpa) => {
        const state = bucket(parts as Partial<BucketState>);
        const result = analyseExposure(state, accountBpa);
        expect(typeof result.public).toBe('boolean');
      }),
      { numRuns: 1000, seed: 20240501 },
    );
  });
});
