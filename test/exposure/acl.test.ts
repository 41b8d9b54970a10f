/** §2 of public-semantics.md: which ACL grants are public and which access types each permission gives. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseAcl, grantRef } from '../../exposure/acl';
import { normalizeConfigurationItem } from '../../model/normalize';
import type { AccessType, AclGrant, AclPermission, BucketAcl, Grantee } from '../../model/types';

const EVENTS = join(__dirname, '../../events/config-items');
const OWNER = '3f1c5a7e9b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5f7';
const OTHER = '9a8b7c6d5e4f30211f2e3d4c5b6a79881726354453627180a9b8c7d6e5f4a3b2';

const ownerGrant: AclGrant = { grantee: { kind: 'canonicalUser', id: OWNER }, permission: 'FULL_CONTROL' };
const group = (name: 'AllUsers' | 'AuthenticatedUsers' | 'LogDelivery'): Grantee => ({ kind: 'group', group: name });

function aclFromFixture(file: string): BucketAcl {
  const state = normalizeConfigurationItem(JSON.parse(readFileSync(join(EVENTS, file), 'utf8')));
  if (state.kind !== 'bucket' || !state.acl.known) throw new Error(`${file}: no known ACL`);
  return state.acl.value;
}

describe('§2 ACL grants', () => {
  it.each<[string, Grantee, AclPermission, boolean, string, AccessType[]]>([
    [
      '[doc] "grants any permissions to ... AllUsers": READ (lists objects; Config counts it as public read)',
      group('AllUsers'),
      'READ',
      true,
      'grant AllUsers READ',
      ['read', 'list'],
    ],
    [
      '[doc] AllUsers WRITE: "create, overwrite, and delete any object"',
      group('AllUsers'),
      'WRITE',
      true,
      'grant AllUsers WRITE',
      ['write'],
    ],
    [
      '[doc] AllUsers READ_ACP maps to GetBucketAcl',
      group('AllUsers'),
      'READ_ACP',
      true,
      'grant AllUsers READ_ACP',
      ['readAcp'],
    ],
    [
      '[doc] AllUsers WRITE_ACP maps to PutBucketAcl',
      group('AllUsers'),
      'WRITE_ACP',
      true,
      'grant AllUsers WRITE_ACP',
      ['writeAcp'],
    ],
    [
      '[doc] FULL_CONTROL = READ + WRITE + READ_ACP + WRITE_ACP',
      group('AllUsers'),
      'FULL_CONTROL',
      true,
      'grant AllUsers FULL_CONTROL',
      ['read', 'write', 'list', 'readAcp', 'writeAcp'],
    ],
    [
      '[doc] "...or AuthenticatedUsers" ("any AWS account")',
      group('AuthenticatedUsers'),
      'READ',
      true,
      'grant AuthenticatedUsers READ',
      ['read', 'list'],
    ],
    ['[doc] LogDelivery is not public', group('LogDelivery'), 'WRITE', false, 'grant LogDelivery WRITE', ['write']],
    [
      '[doc] canonical-user grants are not public',
      { kind: 'canonicalUser', id: OTHER },
      'READ',
      false,
      'grant CanonicalUser 9a8b7c6d5e4f… READ',
      ['read', 'list'],
    ],
    [
      'email grantees are stored as canonical users: not public',
      { kind: 'email', email: 'partner@example.com' },
      'READ',
      false,
      'grant email partner@example.com READ',
      ['read', 'list'],
    ],
    [
      'an unrecognised grantee naming the AllUsers URI is still public (fail safe)',
      { kind: 'unrecognised', raw: 'http://acs.amazonaws.com/groups/global/AllUsers' },
      'READ',
      true,
      'grant unrecognised grantee http://acs.amazonaws.com/groups/global/AllUsers READ',
      ['read', 'list'],
    ],
    [
      'an unrecognised grantee naming nothing public is not public',
      { kind: 'unrecognised', raw: 'mystery' },
      'READ',
      false,
      'grant unrecognised grantee mystery READ',
      ['read', 'list'],
    ],
  ])('%s', (_rule, grantee, permission, expectedPublic, ref, accessTypes) => {
    const grant: AclGrant = { grantee, permission };
    const result = analyseAcl({ ownerId: OWNER, grants: [ownerGrant, grant] });
    expect(result.public).toBe(expectedPublic);
    expect(result.grants[1]).toEqual({ grant, ref, public: expectedPublic, accessTypes });
    expect(grantRef(grant)).toBe(ref);
  });

  it('the owner-only ACL is not public', () => {
    expect(analyseAcl({ ownerId: OWNER, grants: [ownerGrant] })).toEqual({
      public: false,
      grants: [
        {
          grant: ownerGrant,
          ref: 'grant CanonicalUser 3f1c5a7e9b2d… FULL_CONTROL',
          public: false,
          accessTypes: ['read', 'write', 'list', 'readAcp', 'writeAcp'],
        },
      ],
    });
  });

  it('an empty or malformed grant list is not public and does not throw', () => {
    expect(analyseAcl({ grants: [] })).toEqual({ public: false, grants: [] });
    expect(analyseAcl({ grants: null as unknown as AclGrant[] })).toEqual({ public: false, grants: [] });
  });
});

describe('§2 canned ACLs, as recorded in events/config-items', () => {
  it.each<[string, string, string[]]>([
    ['[doc] "public-read gives AllUsers READ"', 'bucket-invocation-public-read-acl.json', ['grant AllUsers READ']],
    [
      '[doc] AuthenticatedUsers READ and WRITE',
      'bucket-invocation-authenticated-users-acl.json',
      ['grant AuthenticatedUsers READ', 'grant AuthenticatedUsers WRITE'],
    ],
    ['[doc] LogDelivery grants are not public', 'bucket-invocation-log-delivery-acl.json', []],
    [
      'API shape: AllUsers READ + READ_ACP',
      'bucket-api-public.json',
      ['grant AllUsers READ', 'grant AllUsers READ_ACP'],
    ],
    ['private owner-only ACL', 'bucket-invocation-private-full-bpa.json', []],
  ])('%s (%s)', (_rule, file, publicRefs) => {
    const result = analyseAcl(aclFromFixture(file));
    expect(result.public).toBe(publicRefs.length > 0);
    expect(result.grants.filter((g) => g.public).map((g) => g.ref)).toEqual(publicRefs);
  });
});
