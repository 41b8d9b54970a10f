/**
 * normalizeConfigurationItem on malformed input: a malformed whole item throws MalformedInputError, a malformed part
 * becomes an unknown fact with the reason and the other facts still evaluate.
 */
import { MalformedInputError, normalizeConfigurationItem, REASON_OWNERSHIP_NOT_RECORDED } from '../../model/normalize';
import { type BucketState, known, unknown } from '../../model/types';
import { fixtureObject, groupGrant, jsonError, OWNER, ownerGrant } from './normalize-fixtures';

describe('malformed whole items throw MalformedInputError', () => {
  const bucketItem = () => fixtureObject('bucket-invocation-private-full-bpa.json');
  const cases: readonly [string, () => unknown, string][] = [
    ['a number', () => 42, 'configurationItem: expected a configuration item object, received a number (42)'],
    ['null', () => null, 'configurationItem: expected a configuration item object, received null'],
    ['undefined', () => undefined, 'configurationItem: expected a configuration item object, received nothing'],
    ['an array', () => [], 'configurationItem: expected a configuration item object, received an array'],
    ['a non-JSON string', () => 'not json', `configurationItem: not valid JSON (${jsonError('not json')})`],
    ['a JSON string of an array', () => '[1,2]', 'configurationItem: expected an object, received an array'],
    [
      'no resourceType',
      () => ({ ...bucketItem(), resourceType: undefined }),
      'configurationItem.resourceType: missing',
    ],
    [
      'a numeric resourceType',
      () => ({ ...bucketItem(), resourceType: 5 }),
      'configurationItem.resourceType: expected a non-empty string, received a number (5)',
    ],
    ['no resourceId', () => ({ ...bucketItem(), resourceId: null }), 'configurationItem.resourceId: missing'],
    [
      'an empty resourceId',
      () => ({ ...bucketItem(), resourceId: ' ' }),
      'configurationItem.resourceId: expected a non-empty string, received a string (" ")',
    ],
    [
      'an unknown status',
      () => ({ ...bucketItem(), configurationItemStatus: 'Bogus' }),
      'configurationItem.configurationItemStatus: expected one of OK, ResourceDiscovered, ResourceNotRecorded, ' +
        'ResourceDeleted, ResourceDeletedNotRecorded, received a string ("Bogus")',
    ],
    [
      'an unparseable bucket configuration',
      () => ({ ...bucketItem(), configuration: '{bad' }),
      `configurationItem.configuration: not valid JSON (${jsonError('{bad')})`,
    ],
    [
      'a bucket configuration that is an array',
      () => ({ ...bucketItem(), configuration: [] }),
      'configurationItem.configuration: expected an object, received an array',
    ],
    [
      'a null bucket configuration with status OK',
      () => ({ ...bucketItem(), configuration: null }),
      'configurationItem.configuration: missing (a bucket item with status OK must carry its configuration)',
    ],
    [
      'a throwing getter',
      () =>
        Object.defineProperty({ resourceId: 'b' }, 'resourceType', {
          enumerable: true,
          get() {
            throw new Error('boom');
          },
        }),
      'configurationItem: could not be normalised (boom)',
    ],
  ];

  it.each(cases)('%s', (_label, build, message) => {
    const run = () => normalizeConfigurationItem(build());
    expect(run).toThrow(MalformedInputError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      const typed = error as MalformedInputError;
      expect(typed.name).toBe('MalformedInputError');
      expect(`${typed.path}: ${typed.problem}`).toBe(message);
      expect(typed.message).toBe(message);
    }
  });
});

describe('malformed parts become unknown facts; the other facts still evaluate', () => {
  const SUPP = 'configurationItem.supplementaryConfiguration';

  function withSupplementary(key: string, value: unknown): BucketState {
    const item = fixtureObject('bucket-invocation-private-full-bpa.json');
    const supplementary = item.supplementaryConfiguration as Record<string, unknown>;
    if (value === undefined) delete supplementary[key];
    else supplementary[key] = value;
    return normalizeConfigurationItem(item) as BucketState;
  }

  const aclJson = (acl: unknown) => JSON.stringify(acl);
  const owner = { displayName: null, id: OWNER };
  const policyText = (policy: unknown) => ({ policyText: JSON.stringify(policy) });

  const cases: readonly [string, string, unknown, keyof BucketState, string][] = [
    [
      'ACL not JSON',
      'AccessControlList',
      'not json{',
      'acl',
      `${SUPP}.AccessControlList: not valid JSON (${jsonError('not json{')})`,
    ],
    [
      'ACL grantList not a list',
      'AccessControlList',
      aclJson({ grantList: 'x', owner }),
      'acl',
      `${SUPP}.AccessControlList.grantList: expected a list of grants, received a string ("x")`,
    ],
    [
      'ACL without any grant list',
      'AccessControlList',
      aclJson({ grantSet: null, grantList: null, owner }),
      'acl',
      `${SUPP}.AccessControlList: no grant list (expected grantList or grantSet)`,
    ],
    [
      'ACL grant with an unknown permission',
      'AccessControlList',
      aclJson({ grantList: [{ grantee: 'AllUsers', permission: 'Admin' }], owner }),
      'acl',
      `${SUPP}.AccessControlList.grantList[0].permission: expected FullControl, Read, Write, ReadAcp or WriteAcp, received a string ("Admin")`,
    ],
    [
      'ACL grant without a grantee',
      'AccessControlList',
      aclJson({ grantList: [{ permission: 'Read' }], owner }),
      'acl',
      `${SUPP}.AccessControlList.grantList[0].grantee: missing`,
    ],
    [
      'ACL grant that is a string',
      'AccessControlList',
      aclJson({ grantList: ['AllUsers:Read'], owner }),
      'acl',
      `${SUPP}.AccessControlList.grantList[0]: expected a grant object, received a string ("AllUsers:Read")`,
    ],
    [
      'policy text not JSON',
      'BucketPolicy',
      { policyText: '{"Version":' },
      'policy',
      `${SUPP}.BucketPolicy.policyText: not valid JSON (${jsonError('{"Version":')})`,
    ],
    [
      'policy Effect in the wrong case',
      'BucketPolicy',
      policyText({ Statement: [{ Effect: 'allow', Principal: '*', Action: 's3:GetObject' }] }),
      'policy',
      `${SUPP}.BucketPolicy.policyText.Statement[0].Effect: expected "Allow" or "Deny", received a string ("allow")`,
    ],
    [
      'policy without Statement',
      'BucketPolicy',
      policyText({ Version: '2012-10-17' }),
      'policy',
      `${SUPP}.BucketPolicy.policyText.Statement: missing`,
    ],
    [
      'policy statement that is a string',
      'BucketPolicy',
      policyText({ Statement: ['Allow everything'] }),
      'policy',
      `${SUPP}.BucketPolicy.policyText.Statement[0]: expected a statement object, received a string ("Allow everything")`,
    ],
    [
      'policy with a bare ARN principal',
      'BucketPolicy',
      policyText({ Statement: { Effect: 'Allow', Principal: 'arn:aws:iam::123456789012:root', Action: 's3:*' } }),
      'policy',
      `${SUPP}.BucketPolicy.policyText.Statement[0].Principal: expected "*" or an object such as {"AWS": [...]}, received a string ("arn:aws:iam::123456789012:root")`,
    ],
    [
      'policy principal list holding a number',
      'BucketPolicy',
      policyText({ Statement: { Effect: 'Allow', Principal: { AWS: [123456789012] }, Action: 's3:*' } }),
      'policy',
      `${SUPP}.BucketPolicy.policyText.Statement[0].Principal.AWS: expected a string or a list of strings, received an array`,
    ],
    [
      'policy Action that is a number',
      'BucketPolicy',
      policyText({ Statement: { Effect: 'Allow', Principal: '*', Action: 7 } }),
      'policy',
      `${SUPP}.BucketPolicy.policyText.Statement[0].Action: expected a string or a list of strings, received a number (7)`,
    ],
    [
      'policy Condition operator that is not an object',
      'BucketPolicy',
      policyText({ Statement: { Effect: 'Allow', Principal: '*', Action: 's3:*', Condition: { IpAddress: 'x' } } }),
      'policy',
      `${SUPP}.BucketPolicy.policyText.Statement[0].Condition.IpAddress: expected an object, received a string ("x")`,
    ],
    [
      'policy Condition value that is an object',
      'BucketPolicy',
      policyText({
        Statement: {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:*',
          Condition: { IpAddress: { 'aws:SourceIp': {} } },
        },
      }),
      'policy',
      `${SUPP}.BucketPolicy.policyText.Statement[0].Condition.IpAddress.aws:SourceIp: expected a value or a list of values, received an object`,
    ],
    [
      'BucketPolicy with unexpected keys',
      'BucketPolicy',
      { text: '{}' },
      'policy',
      `${SUPP}.BucketPolicy: expected {"policyText": …}, received keys "text"`,
    ],
    [
      'versioning status Disabled',
      'BucketVersioningConfiguration',
      { status: 'Disabled', isMfaDeleteEnabled: null },
      'versioning',
      `${SUPP}.BucketVersioningConfiguration.status: expected "Off", "Enabled" or "Suspended", received a string ("Disabled")`,
    ],
    [
      'versioning without status',
      'BucketVersioningConfiguration',
      { isMfaDeleteEnabled: null },
      'versioning',
      `${SUPP}.BucketVersioningConfiguration.status: missing`,
    ],
    [
      'versioning MFA delete not a boolean',
      'BucketVersioningConfiguration',
      { status: 'Enabled', isMfaDeleteEnabled: 'maybe' },
      'versioning',
      `${SUPP}.BucketVersioningConfiguration.isMfaDeleteEnabled: expected true or false, received a string ("maybe")`,
    ],
    [
      'BPA flag "yes"',
      'PublicAccessBlockConfiguration',
      { blockPublicAcls: 'yes', ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      'publicAccessBlock',
      `${SUPP}.PublicAccessBlockConfiguration.blockPublicAcls: expected true or false, received a string ("yes")`,
    ],
    [
      'BPA flag 1',
      'PublicAccessBlockConfiguration',
      { blockPublicAcls: true, ignorePublicAcls: 1, blockPublicPolicy: true, restrictPublicBuckets: true },
      'publicAccessBlock',
      `${SUPP}.PublicAccessBlockConfiguration.ignorePublicAcls: expected true or false, received a number (1)`,
    ],
    [
      'BPA not JSON',
      'PublicAccessBlockConfiguration',
      'blockPublicAcls=true',
      'publicAccessBlock',
      `${SUPP}.PublicAccessBlockConfiguration: not valid JSON (${jsonError('blockPublicAcls=true')})`,
    ],
    [
      'BPA a number',
      'PublicAccessBlockConfiguration',
      42,
      'publicAccessBlock',
      `${SUPP}.PublicAccessBlockConfiguration: expected an object, received a number (42)`,
    ],
    [
      'BPA a list',
      'PublicAccessBlockConfiguration',
      [true, true, true, true],
      'publicAccessBlock',
      `${SUPP}.PublicAccessBlockConfiguration: expected an object, received an array`,
    ],
  ];

  it.each(cases)('%s', (_label, key, value, fact, reason) => {
    const state = withSupplementary(key, value);
    expect(state[fact]).toEqual(unknown(reason));
    // Everything else in the item still reads.
    expect(state.tags).toEqual(known({ team: 'platform', 'data-class': 'internal' }));
    if (fact !== 'acl') expect(state.acl).toEqual(known({ ownerId: OWNER, grants: [ownerGrant] }));
    if (fact !== 'versioning') expect(state.versioning).toEqual(known({ status: 'Enabled', mfaDelete: null }));
  });

  it('never turns a malformed BPA into "no BPA" or into all-true', () => {
    for (const value of ['{', 42, 'null-ish', { blockPublicAcls: 'on' }]) {
      const fact = withSupplementary('PublicAccessBlockConfiguration', value).publicAccessBlock;
      expect(fact.known).toBe(false);
    }
  });

  it('reads "true"/"false" strings in an API-model BPA', () => {
    const value = JSON.stringify({
      blockPublicAcls: 'true',
      ignorePublicAcls: 'false',
      blockPublicPolicy: 'TRUE',
      restrictPublicBuckets: 'False',
    });
    expect(withSupplementary('PublicAccessBlockConfiguration', value).publicAccessBlock).toEqual(
      known({ blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false }),
    );
  });

  it.each([
    ['null', null],
    ['"null" (API model)', 'null'],
  ])('a BPA value of %s means no bucket-level BPA', (_label, value) => {
    expect(withSupplementary('PublicAccessBlockConfiguration', value).publicAccessBlock).toEqual(known(null));
  });

  it('reads an absent PublicAccessBlockConfiguration as "none" when the item carries supplementary data', () => {
    expect(withSupplementary('PublicAccessBlockConfiguration', undefined).publicAccessBlock).toEqual(known(null));
  });

  it.each([
    ['is missing', undefined],
    ['is empty', {}],
    ['is null', null],
  ])('when supplementaryConfiguration %s, every supplementary fact is unknown', (_label, value) => {
    const item = fixtureObject('bucket-invocation-private-full-bpa.json');
    if (value === undefined) delete item.supplementaryConfiguration;
    else item.supplementaryConfiguration = value;
    const state = normalizeConfigurationItem(item) as BucketState;
    expect([state.policy, state.acl, state.publicAccessBlock, state.versioning]).toEqual([
      unknown('BucketPolicy not in the configuration item'),
      unknown('AccessControlList not in the configuration item'),
      unknown('PublicAccessBlockConfiguration not in the configuration item'),
      unknown('BucketVersioningConfiguration not in the configuration item'),
    ]);
    expect(state.ownership).toEqual(unknown(REASON_OWNERSHIP_NOT_RECORDED));
    expect(state.tags).toEqual(known({ team: 'platform', 'data-class': 'internal' }));
  });

  it('when supplementaryConfiguration is not JSON, every supplementary fact carries that reason', () => {
    const item = fixtureObject('bucket-invocation-private-full-bpa.json');
    item.supplementaryConfiguration = '{nope';
    const state = normalizeConfigurationItem(item) as BucketState;
    const reason = `${SUPP}: not valid JSON (${jsonError('{nope')})`;
    expect([state.policy, state.acl, state.publicAccessBlock, state.versioning]).toEqual(
      Array(4).fill(unknown(reason)),
    );
    expect(state.tags).toEqual(known({ team: 'platform', 'data-class': 'internal' }));
  });

  it.each([
    ['{policyText: null}', { policyText: null }],
    ['{} (advanced query omits nulls)', {}],
    ['the API-model string', '{"policyText":null}'],
  ])('BucketPolicy %s means no policy', (_label, value) => {
    expect(withSupplementary('BucketPolicy', value).policy).toEqual(known(null));
  });

  it('BucketPolicy null (no Config shape records it) is unknown, not "no policy"', () => {
    // Found by the fuzz suite: a damaged null hid a public policy and made the bucket COMPLIANT.
    expect(withSupplementary('BucketPolicy', null).policy).toEqual(
      unknown(`${SUPP}.BucketPolicy: null; Config records "no bucket policy" as {"policyText": null}`),
    );
  });

  it('reads a double-encoded policyText and a single statement object', () => {
    const policy = { Version: '2012-10-17', Statement: { Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket' } };
    const state = withSupplementary('BucketPolicy', { policyText: JSON.stringify(JSON.stringify(policy)) });
    expect(state.policy).toEqual(
      known({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket' }] }),
    );
  });

  it('reads a BucketPolicy that holds the document itself', () => {
    const state = withSupplementary('BucketPolicy', {
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*' }],
    });
    expect(state.policy).toEqual(known({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*' }] }));
  });

  it('falls back to grantSet when grantList is absent', () => {
    const acl = { grantSet: [{ grantee: 'AllUsers', permission: 'Write' }], owner };
    expect(withSupplementary('AccessControlList', JSON.stringify(acl)).acl).toEqual(
      known({ ownerId: OWNER, grants: [groupGrant('AllUsers', 'WRITE')] }),
    );
  });

  it('reads an email grantee', () => {
    const acl = { grantList: [{ grantee: { emailAddress: 'security@example.com' }, permission: 'ReadAcp' }], owner };
    expect(withSupplementary('AccessControlList', JSON.stringify(acl)).acl).toEqual(
      known({
        ownerId: OWNER,
        grants: [{ grantee: { kind: 'email', email: 'security@example.com' }, permission: 'READ_ACP' }],
      }),
    );
  });
});
