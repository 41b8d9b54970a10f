/**
 * normalizeConfigurationItem: ownership controls, tags, account BPA items, robustness properties, and repeating
 * supplementary values read once per distinct text.
 */
import fc from 'fast-check';
import { MalformedInputError, normalizeConfigurationItem } from '../../model/normalize';
import { type AccountBpaState, type BucketState, known, unknown } from '../../model/types';
import { aclWith, fixtureObject, groupGrant, OWNER } from './normalize-fixtures';

describe('ownership controls and tags', () => {
  function withSupplementary(key: string, value: unknown): BucketState {
    const item = fixtureObject('bucket-invocation-private-full-bpa.json');
    (item.supplementaryConfiguration as Record<string, unknown>)[key] = value;
    return normalizeConfigurationItem(item) as BucketState;
  }

  it.each([
    ['BucketOwnershipControls', { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] }, known('BucketOwnerEnforced')],
    ['OwnershipControls', { Rules: [{ ObjectOwnership: 'ObjectWriter' }] }, known('ObjectWriter')],
    [
      'bucketOwnershipControls',
      '{"rules":[{"objectOwnership":"BucketOwnerPreferred"}]}',
      known('BucketOwnerPreferred'),
    ],
    [
      'BucketOwnershipControls',
      { ownershipControls: { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] } },
      known('BucketOwnerEnforced'),
    ],
    ['BucketOwnershipControls', null, known(null)],
    [
      'BucketOwnershipControls',
      { rules: [{ objectOwnership: 'Everyone' }] },
      unknown(
        'configurationItem.supplementaryConfiguration.BucketOwnershipControls.rules[0].objectOwnership: expected BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, received a string ("Everyone")',
      ),
    ],
    [
      'BucketOwnershipControls',
      { rules: [] },
      unknown(
        'configurationItem.supplementaryConfiguration.BucketOwnershipControls.rules: expected a non-empty list of rules, received an array',
      ),
    ],
  ])('%s = %j', (key, value, expected) => {
    expect(withSupplementary(key, value).ownership).toEqual(expected);
  });

  it('falls back to BucketTaggingConfiguration when the item has no tags map', () => {
    const item = fixtureObject('bucket-invocation-exempt-tagged.json');
    delete item.tags;
    expect((normalizeConfigurationItem(item) as BucketState).tags).toEqual(
      known({ 'bucketguard:exempt': 'Public product images served by CloudFront; approved in SEC-1234', team: 'web' }),
    );
  });

  it('says tags are unknown when neither source is present', () => {
    const item = fixtureObject('bucket-invocation-public-read-acl.json');
    delete item.tags;
    expect((normalizeConfigurationItem(item) as BucketState).tags).toEqual(
      unknown('tags not in the configuration item'),
    );
  });

  it('says why malformed tags are unknown', () => {
    const item = fixtureObject('bucket-invocation-public-read-acl.json');
    item.tags = 5;
    expect((normalizeConfigurationItem(item) as BucketState).tags).toEqual(
      unknown('configurationItem.tags: expected a map of tags, received a number (5)'),
    );
  });
});

describe('account BPA items', () => {
  const base = () => fixtureObject('account-bpa-invocation-all-true.json');

  it('reads "true"/"false" strings in the API model', () => {
    const item = fixtureObject('account-bpa-api-partial.json');
    item.configuration = JSON.stringify({
      blockPublicAcls: 'true',
      ignorePublicAcls: 'true',
      blockPublicPolicy: 'false',
      restrictPublicBuckets: 'true',
    });
    expect((normalizeConfigurationItem(item) as AccountBpaState).publicAccessBlock).toEqual(
      known({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true }),
    );
  });

  it('makes a malformed configuration unknown, never "no BPA"', () => {
    const item = { ...base(), configuration: { blockPublicAcls: 'sure' } };
    expect((normalizeConfigurationItem(item) as AccountBpaState).publicAccessBlock).toEqual(
      unknown('configurationItem.configuration.blockPublicAcls: expected true or false, received a string ("sure")'),
    );
  });

  it('makes a missing configuration on a current item unknown', () => {
    const item = { ...base(), configuration: null };
    expect((normalizeConfigurationItem(item) as AccountBpaState).publicAccessBlock).toEqual(
      unknown(
        'configurationItem.configuration: missing (an account BPA item with status OK must carry the four flags)',
      ),
    );
  });

  it('takes the account id from the resource id when the item has no account field', () => {
    const item = base();
    delete item.awsAccountId;
    expect((normalizeConfigurationItem(item) as AccountBpaState).accountId).toBe('111122223333');
  });
});

describe('robustness (property-based)', () => {
  const supplementaryKeys = [
    'AccessControlList',
    'BucketPolicy',
    'BucketVersioningConfiguration',
    'PublicAccessBlockConfiguration',
    'BucketOwnershipControls',
    'BucketTaggingConfiguration',
  ];

  it('throws nothing but MalformedInputError for arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json(), fc.object()), (input) => {
        try {
          normalizeConfigurationItem(input);
        } catch (error) {
          if (!(error instanceof MalformedInputError)) throw error;
        }
      }),
      { numRuns: 500, seed: 20240305 },
    );
  });

  it('turns any value in any supplementary key into a known or an unknown fact, never an exception', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...supplementaryKeys),
        fc.oneof(
          fc.jsonValue(),
          fc.json(),
          fc.jsonValue().map((value) => JSON.stringify(JSON.stringify(value))),
        ),
        (key, value) => {
          const item = fixtureObject('bucket-invocation-public-read-acl.json');
          (item.supplementaryConfiguration as Record<string, unknown>)[key] = value;
          const state = normalizeConfigurationItem(item) as BucketState;
          for (const fact of [state.policy, state.acl, state.publicAccessBlock, state.versioning, state.ownership]) {
            expect(fact.known ? 'value' in fact : typeof fact.reason === 'string' && fact.reason !== '').toBe(true);
          }
          // A part that was not touched keeps its value.
          if (key !== 'AccessControlList') expect(state.acl).toEqual(aclWith(groupGrant('AllUsers', 'READ')));
        },
      ),
      { numRuns: 400, seed: 20240306 },
    );
  });
});

describe('repeating supplementary values are read once per distinct text', () => {
  const apiBucket = (name: string, acl: string, versioning: string): Record<string, unknown> => ({
    version: '1.3',
    accountId: '111122223333',
    configurationItemStatus: 'OK',
    configurationItemCaptureTime: '2024-09-10T12:00:00.000Z',
    resourceType: 'AWS::S3::Bucket',
    resourceId: name,
    configuration: JSON.stringify({ name }),
    supplementaryConfiguration: { AccessControlList: acl, BucketVersioningConfiguration: versioning },
  });
  const ownerOnlyAcl = JSON.stringify(
    JSON.stringify({
      grantList: [{ grantee: { id: OWNER, displayName: null }, permission: 'FullControl' }],
      owner: { id: OWNER, displayName: null },
    }),
  );
  const versioningOff = JSON.stringify({ status: 'Off', isMfaDeleteEnabled: null });

  it('gives two buckets with the same ACL text one shared value equal to a fresh read', () => {
    const first = normalizeConfigurationItem(apiBucket('bucket-one', ownerOnlyAcl, versioningOff)) as BucketState;
    // A copy of the text (not the same string object) still finds the remembered value.
    const copy = JSON.parse(JSON.stringify(ownerOnlyAcl)) as string;
    const second = normalizeConfigurationItem(apiBucket('bucket-two', copy, versioningOff)) as BucketState;
    expect(second.acl).toBe(first.acl);
    expect(second.versioning).toBe(first.versioning);
    expect(first.acl).toStrictEqual(
      known({
        ownerId: OWNER,
        grants: [{ grantee: { kind: 'canonicalUser', id: OWNER }, permission: 'FULL_CONTROL' }],
      }),
    );
  });

  it('remembers an unreadable value with its reason, and a different text is read afresh', () => {
    const damaged = ownerOnlyAcl.slice(0, -5);
    const first = normalizeConfigurationItem(apiBucket('bucket-one', damaged, versioningOff)) as BucketState;
    const again = normalizeConfigurationItem(apiBucket('bucket-two', damaged, versioningOff)) as BucketState;
    expect(first.acl.known).toBe(false);
    expect(again.acl).toStrictEqual(first.acl);
    const enabled = JSON.stringify({ status: 'Enabled', isMfaDeleteEnabled: null });
    const other = normalizeConfigurationItem(apiBucket('bucket-three', ownerOnlyAcl, enabled)) as BucketState;
    expect(other.versioning).toStrictEqual(known({ status: 'Enabled', mfaDelete: null }));
  });

  it("remembers the API model's no-policy wrapper, never a policy", () => {
    const withPolicy = (name: string, wrapper: string) => ({
      ...apiBucket(name, ownerOnlyAcl, versioningOff),
      supplementaryConfiguration: { AccessControlList: ownerOnlyAcl, BucketPolicy: wrapper },
    });
    const none = JSON.stringify({ policyText: null });
    const first = normalizeConfigurationItem(withPolicy('bucket-one', none)) as BucketState;
    const second = normalizeConfigurationItem(withPolicy('bucket-two', `${none}`)) as BucketState;
    expect(first.policy).toStrictEqual(known(null));
    expect(second.policy).toBe(first.policy);
    const policy = JSON.stringify({
      policyText: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*' }],
      }),
    });
    const read = normalizeConfigurationItem(withPolicy('bucket-one', policy)) as BucketState;
    const readAgain = normalizeConfigurationItem(withPolicy('bucket-two', policy)) as BucketState;
    expect(readAgain.policy).toStrictEqual(read.policy);
    expect(readAgain.policy).not.toBe(read.policy);
  });

  it('still reports where a damaged part is, without a stack trace', () => {
    const error = new MalformedInputError('configurationItem.configuration', 'missing');
    expect(error.message).toBe('configurationItem.configuration: missing');
    expect(error).toBeInstanceOf(Error);
    expect(error.stack?.split('\n').filter((line) => line.trim().startsWith('at '))).toEqual([]);
  });
});
