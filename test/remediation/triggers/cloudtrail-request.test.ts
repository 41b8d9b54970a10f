import { known, unknown } from '../../../model/types';
import {
  aclFromRequest,
  bpaFromRequest,
  changeEffect,
  ownershipFromRequest,
  policyFromRequest,
  versioningFromRequest,
} from '../../../remediation/triggers/cloudtrail-request';
import type { ApiCallFinding } from '../../../remediation/triggers/finding';
import { ALL_OFF, ALL_ON, findingOf } from '../helpers';

const OWNER = 'c0ffee00d15ea5e5ba5eba11c0ffee00d15ea5e5ba5eba11c0ffee00d15ea5e5';
const PARTNER = 'fa11ba11fa11ba11fa11ba11fa11ba11fa11ba11fa11ba11fa11ba11fa11ba11';

function apiCall(path: string): ApiCallFinding {
  const finding = findingOf(path);
  if (finding.kind !== 'api-call') throw new Error(path);
  return finding;
}

describe('bpaFromRequest', () => {
  it.each([
    [{ PublicAccessBlockConfiguration: { BlockPublicAcls: true } }, { ...ALL_OFF, blockPublicAcls: true }],
    [
      { PublicAccessBlockConfiguration: { BlockPublicAcls: 'true', RestrictPublicBuckets: 'FALSE' } },
      { ...ALL_OFF, blockPublicAcls: true },
    ],
    [
      {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
      ALL_ON,
    ],
  ])('%j -> %j (omitted flags are false)', (parameters, flags) => {
    expect(bpaFromRequest(parameters)).toEqual(known(flags));
  });

  it('says what is wrong with a non-boolean flag', () => {
    expect(bpaFromRequest({ PublicAccessBlockConfiguration: { BlockPublicAcls: 'yes' } })).toEqual(
      unknown('BlockPublicAcls in the request is not a boolean ("yes")'),
    );
  });
});

describe('aclFromRequest', () => {
  it.each([
    ['private', []],
    ['authenticated-read', [{ grantee: { kind: 'group', group: 'AuthenticatedUsers' }, permission: 'READ' }]],
    [
      'log-delivery-write',
      [
        { grantee: { kind: 'group', group: 'LogDelivery' }, permission: 'WRITE' },
        { grantee: { kind: 'group', group: 'LogDelivery' }, permission: 'READ_ACP' },
      ],
    ],
  ])('canned %s', (canned, grants) => {
    expect(aclFromRequest({ 'x-amz-acl': canned })).toEqual({ acl: known({ grants }), canned });
  });

  it('keeps an unknown canned ACL unknown rather than guessing', () => {
    expect(aclFromRequest({ 'x-amz-acl': 'aws-exec-read' })).toEqual({
      acl: unknown('canned ACL "aws-exec-read" is not one bucketguard can expand'),
      canned: 'aws-exec-read',
    });
  });

  it('reads x-amz-grant-* headers with several grantees', () => {
    expect(
      aclFromRequest({
        'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers", id="abc123"',
        'x-amz-grant-write-acp': 'emailAddress="security@example.com"',
      }),
    ).toEqual({
      acl: known({
        grants: [
          { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' },
          { grantee: { kind: 'canonicalUser', id: 'abc123' }, permission: 'READ' },
          { grantee: { kind: 'email', email: 'security@example.com' }, permission: 'WRITE_ACP' },
        ],
      }),
    });
  });

  it('reads a single Grant object and a Grant array alike', () => {
    expect(apiCall('cloudtrail/put-bucket-acl-single-grant.json').change).toEqual({
      setting: 'acl',
      acl: known({ ownerId: OWNER, grants: [{ grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' }] }),
    });
    expect(apiCall('cloudtrail/put-bucket-acl-grant-array.json').change).toEqual({
      setting: 'acl',
      acl: known({
        ownerId: OWNER,
        grants: [
          { grantee: { kind: 'canonicalUser', id: OWNER }, permission: 'FULL_CONTROL' },
          { grantee: { kind: 'group', group: 'AuthenticatedUsers' }, permission: 'READ' },
          { grantee: { kind: 'canonicalUser', id: PARTNER }, permission: 'WRITE' },
          { grantee: { kind: 'group', group: 'LogDelivery' }, permission: 'READ_ACP' },
        ],
      }),
    });
  });

  it('fails a whole ACL with an unreadable grant (never a partial, more permissive list)', () => {
    expect(
      aclFromRequest({
        AccessControlPolicy: {
          AccessControlList: {
            Grant: [
              { Grantee: { URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
              { Permission: 'WRITE' },
            ],
          },
        },
      }),
    ).toEqual({ acl: unknown('grant #2 of the AccessControlPolicy in the request cannot be read') });
  });

  it('returns undefined when the request sets no ACL at all', () => {
    expect(aclFromRequest({ bucketName: 'b' })).toBeUndefined();
  });
});

describe('policy, versioning and ownership requests', () => {
  it('accepts a policy sent as a string and explains an unreadable one', () => {
    expect(
      policyFromRequest({ bucketPolicy: '{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*"}}' }),
    ).toEqual(known({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*' }] }));
    const bad = policyFromRequest({ bucketPolicy: { Version: '2012-10-17' } });
    expect(bad).toEqual(
      unknown('the policy in the request cannot be read: requestParameters.bucketPolicy.Statement: missing'),
    );
  });

  it.each([
    [{ Status: 'Suspended' }, known({ status: 'Suspended', mfaDelete: null })],
    [{ Status: 'Enabled', MfaDelete: 'Disabled' }, known({ status: 'Enabled', mfaDelete: false })],
    [{ MfaDelete: 'Enabled' }, unknown('the request does not carry a versioning Status bucketguard can read (null)')],
  ])('versioning %j', (configuration, expected) => {
    expect(versioningFromRequest({ VersioningConfiguration: configuration })).toEqual(expected);
  });

  it('reads Rule as an object or an array', () => {
    expect(ownershipFromRequest({ OwnershipControls: { Rule: { ObjectOwnership: 'ObjectWriter' } } })).toEqual(
      known('ObjectWriter'),
    );
    expect(ownershipFromRequest({ OwnershipControls: { Rule: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })).toEqual(
      known('BucketOwnerEnforced'),
    );
  });

  it('classifies MFA delete turned off alongside Enabled as a change worth mailing, not a tightening', () => {
    expect(changeEffect({ setting: 'versioning', versioning: known({ status: 'Enabled', mfaDelete: false }) })).toBe(
      'changes',
    );
  });
});
