import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  MalformedInputError,
  type NormalizedItem,
  normalizeConfigurationItem,
  REASON_OWNERSHIP_NOT_RECORDED,
} from '../../model/normalize';
import {
  type AccountBpaState,
  type AclGrant,
  type BucketPolicy,
  type BucketState,
  known,
  type PredefinedGroup,
  type PublicAccessBlockFlags,
  unknown,
} from '../../model/types';

const FIXTURES = join(__dirname, '../../events/config-items');
const OWNER = '3f1c5a7e9b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5f7';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

/** A fixture as a mutable object, for building malformed variants. */
function fixtureObject(name: string): Record<string, unknown> {
  return fixture(name) as Record<string, unknown>;
}

/** The exact message this Node's JSON.parse gives (V8 wording differs between Node majors). */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

const ownerGrant: AclGrant = { grantee: { kind: 'canonicalUser', id: OWNER }, permission: 'FULL_CONTROL' };
const groupGrant = (group: PredefinedGroup, permission: AclGrant['permission']): AclGrant => ({
  grantee: { kind: 'group', group },
  permission,
});
const ALL_TRUE: PublicAccessBlockFlags = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const ACL_FLAGS_ONLY: PublicAccessBlockFlags = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

/** Defaults = a private invocation-model bucket in 111122223333/us-east-1 with no policy, no BPA, versioning Off. */
function bucket(name: string, captureTime: string, overrides: Partial<BucketState> = {}): BucketState {
  return {
    kind: 'bucket',
    name,
    accountId: '111122223333',
    region: 'us-east-1',
    arn: `arn:aws:s3:::${name}`,
    source: 'config-invocation',
    status: 'OK',
    captureTime,
    policy: known(null),
    acl: known({ ownerId: OWNER, grants: [ownerGrant] }),
    publicAccessBlock: known(null),
    versioning: known({ status: 'Off', mfaDelete: null }),
    ownership: unknown(REASON_OWNERSHIP_NOT_RECORDED),
    tags: known({}),
    ...overrides,
  };
}

const policyFact = (policy: BucketPolicy) => known<BucketPolicy | null>(policy);
const aclWith = (...grants: AclGrant[]) => known({ ownerId: OWNER, grants: [ownerGrant, ...grants] });

const EXPECTED: Readonly<Record<string, NormalizedItem>> = {
  'bucket-invocation-private-full-bpa.json': bucket('example-private-data', '2024-03-05T10:15:30.123Z', {
    publicAccessBlock: known(ALL_TRUE),
    versioning: known({ status: 'Enabled', mfaDelete: null }),
    tags: known({ team: 'platform', 'data-class': 'internal' }),
  }),
  'bucket-invocation-public-read-acl.json': bucket('example-public-assets', '2024-03-06T08:01:02.456Z', {
    acl: aclWith(groupGrant('AllUsers', 'READ')),
  }),
  'bucket-invocation-authenticated-users-acl.json': bucket('example-partner-drop', '2024-03-07T12:30:00.000Z', {
    acl: aclWith(groupGrant('AuthenticatedUsers', 'READ'), groupGrant('AuthenticatedUsers', 'WRITE')),
  }),
  'bucket-invocation-log-delivery-acl.json': bucket('example-access-logs', '2024-03-08T06:45:10.789Z', {
    acl: aclWith(groupGrant('LogDelivery', 'WRITE'), groupGrant('LogDelivery', 'READ_ACP')),
    versioning: known({ status: 'Enabled', mfaDelete: null }),
  }),
  'bucket-invocation-public-policy.json': bucket('example-website', '2024-03-09T14:20:05.001Z', {
    policy: policyFact({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublicReadGetObject',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::example-website/*',
        },
      ],
    }),
  }),
  'bucket-invocation-policy-source-ip.json': bucket('example-office-reports', '2024-03-10T09:00:00.500Z', {
    policy: policyFact({
      Version: '2012-10-17',
      Id: 'OfficeOnly',
      Statement: [
        {
          Sid: 'AllowOfficeRange',
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: ['arn:aws:s3:::example-office-reports', 'arn:aws:s3:::example-office-reports/*'],
          Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.17/32'] } },
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::example-office-reports', 'arn:aws:s3:::example-office-reports/*'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    }),
    publicAccessBlock: known(ACL_FLAGS_ONLY),
    versioning: known({ status: 'Enabled', mfaDelete: null }),
  }),
  'bucket-invocation-versioning-off.json': bucket('example-scratch', '2024-03-11T16:40:00.000Z', {
    publicAccessBlock: known(ALL_TRUE),
  }),
  'bucket-invocation-versioning-suspended.json': bucket('example-build-cache', '2024-03-12T07:05:33.333Z', {
    publicAccessBlock: known(ALL_TRUE),
    versioning: known({ status: 'Suspended', mfaDelete: false }),
  }),
  'bucket-invocation-versioning-mfa-delete.json': bucket('example-audit-archive', '2024-03-13T11:11:11.111Z', {
    publicAccessBlock: known(ALL_TRUE),
    versioning: known({ status: 'Enabled', mfaDelete: true }),
  }),
  'bucket-invocation-partial-bpa.json': bucket('example-legacy-downloads', '2024-03-14T13:14:15.161Z', {
    acl: aclWith(groupGrant('AllUsers', 'READ')),
    publicAccessBlock: known(ACL_FLAGS_ONLY),
  }),
  'bucket-invocation-exempt-tagged.json': bucket('example-product-images', '2024-03-15T18:00:00.000Z', {
    acl: aclWith(groupGrant('AllUsers', 'READ')),
    tags: known({
      'bucketguard:exempt': 'Public product images served by CloudFront; approved in SEC-1234',
      team: 'web',
    }),
  }),
  'bucket-invocation-deleted.json': bucket('example-decommissioned', '2024-03-16T20:21:22.232Z', {
    status: 'ResourceDeleted',
    policy: unknown('resource deleted'),
    acl: unknown('resource deleted'),
    publicAccessBlock: unknown('resource deleted'),
    versioning: unknown('resource deleted'),
    ownership: unknown('resource deleted'),
    tags: unknown('resource deleted'),
  }),
  'bucket-invocation-unknown-extra-keys.json': bucket('example-future-fields', '2025-06-01T00:00:01.000Z', {
    publicAccessBlock: known(ALL_TRUE),
    versioning: known({ status: 'Enabled', mfaDelete: null }),
  }),
  'bucket-api-public.json': bucket('example-api-public', '2024-06-01T10:00:00.456Z', {
    accountId: '123456789012',
    region: 'eu-west-1',
    source: 'config-api',
    acl: aclWith(groupGrant('AllUsers', 'READ'), groupGrant('AllUsers', 'READ_ACP')),
    policy: policyFact({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublicList',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::example-api-public',
        },
      ],
    }),
    tags: known({ owner: 'analytics' }),
  }),
  'bucket-api-epoch-timestamps.json': bucket('example-api-private', '2024-06-02T10:00:00.789Z', {
    accountId: '123456789012',
    region: 'us-west-2',
    source: 'config-api',
    publicAccessBlock: known(ALL_TRUE),
    versioning: known({ status: 'Enabled', mfaDelete: null }),
    tags: known({ env: 'prod' }),
  }),
  'bucket-advanced-query-row-string.json': bucket('example-aq-private', '2024-07-01T04:05:06.007Z', {
    source: 'config-advanced-query',
    publicAccessBlock: known(ALL_TRUE),
    tags: known({ 'cost-center': '1234' }),
  }),
  'bucket-advanced-query-row-object.json': bucket('example-aq-public', '2024-07-02T04:05:06.007Z', {
    source: 'config-advanced-query',
    acl: aclWith(groupGrant('AllUsers', 'READ')),
    policy: policyFact({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CrossAccountRead',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::example-aq-public/*',
        },
      ],
    }),
    versioning: known({ status: 'Enabled', mfaDelete: null }),
  }),
  'account-bpa-invocation-all-true.json': {
    kind: 'account',
    accountId: '111122223333',
    region: 'us-east-1',
    source: 'config-invocation',
    status: 'OK',
    captureTime: '2024-02-01T00:00:00.100Z',
    publicAccessBlock: known(ALL_TRUE),
  },
  'account-bpa-api-partial.json': {
    kind: 'account',
    accountId: '123456789012',
    region: 'us-east-1',
    source: 'config-api',
    status: 'OK',
    captureTime: '2024-02-02T09:30:00.250Z',
    publicAccessBlock: known(ACL_FLAGS_ONLY),
  },
  'account-bpa-invocation-deleted.json': {
    kind: 'account',
    accountId: '111122223333',
    region: 'us-east-1',
    source: 'config-invocation',
    status: 'ResourceDeleted',
    captureTime: '2024-02-03T17:45:00.900Z',
    publicAccessBlock: known(null),
  },
  'other-ec2-instance.json': {
    kind: 'other',
    resourceType: 'AWS::EC2::Instance',
    resourceId: 'i-0123456789abcdef0',
    accountId: '111122223333',
    region: 'us-east-1',
    status: 'OK',
    captureTime: '2024-01-10T10:05:00.000Z',
    source: 'config-invocation',
  },
};

describe('normalizeConfigurationItem over events/config-items', () => {
  const files = readdirSync(FIXTURES).filter((file) => file.endsWith('.json'));

  it('has an expectation for every fixture file, and every fixture is listed in the README', () => {
    const readme = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const file of files) expect(readme).toContain(`\`${file}\``);
  });

  it.each(Object.entries(EXPECTED))('%s', (file, expected) => {
    expect(normalizeConfigurationItem(fixture(file))).toStrictEqual(expected);
  });

  it('leaves no JSON string anywhere in a normalised state', () => {
    const jsonLike = /^\s*[[{"]/;
    const visit = (value: unknown): void => {
      if (typeof value === 'string') expect(value).not.toMatch(jsonLike);
      else if (Array.isArray(value)) value.forEach(visit);
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
    };
    for (const file of files) visit(normalizeConfigurationItem(fixture(file)));
  });

  it('reads the advanced-query string row exactly like the same row as an object', () => {
    const row = fixture('bucket-advanced-query-row-string.json');
    expect(typeof row).toBe('string');
    expect(normalizeConfigurationItem(JSON.parse(row as string))).toStrictEqual(normalizeConfigurationItem(row));
  });

  it('gives the API model and the invocation model of the same bucket the same facts', () => {
    const invocation = fixtureObject('bucket-invocation-public-policy.json');
    const supplementary = invocation.supplementaryConfiguration as Record<string, unknown>;
    const api = {
      version: '1.3',
      accountId: invocation.awsAccountId,
      arn: invocation.ARN,
      configurationItemMD5Hash: '',
      configurationItemCaptureTime: new Date(invocation.configurationItemCaptureTime as string),
      configurationItemStatus: 'OK',
      resourceType: invocation.resourceType,
      resourceId: invocation.resourceId,
      awsRegion: invocation.awsRegion,
      tags: invocation.tags,
      configuration: JSON.stringify(invocation.configuration),
      supplementaryConfiguration: Object.fromEntries(
        Object.entries(supplementary).map(([key, value]) => [key, JSON.stringify(value)]),
      ),
    };
    const fromApi = normalizeConfigurationItem(api);
    expect(fromApi).toStrictEqual({ ...normalizeConfigurationItem(invocation), source: 'config-api' });
  });
});

describe('shape detection and labels', () => {
  it('lets the caller override the source label', () => {
    const state = normalizeConfigurationItem(fixture('bucket-invocation-public-read-acl.json'), 'config-sns');
    expect(state.source).toBe('config-sns');
  });

  it('labels an item with SDK Date timestamps as the API model and converts them', () => {
    const item = fixtureObject('bucket-api-public.json');
    item.configurationItemCaptureTime = new Date('2024-06-01T10:00:00.456Z');
    const state = normalizeConfigurationItem(item) as BucketState;
    expect([state.source, state.captureTime]).toEqual(['config-api', '2024-06-01T10:00:00.456Z']);
  });

  it('labels a minimal hand-written item as the invocation model', () => {
    const item = {
      resourceType: 'AWS::EC2::Instance',
      resourceId: 'i-0123456789abcdef0',
      configuration: {},
    };
    expect(normalizeConfigurationItem(item)).toStrictEqual({
      kind: 'other',
      resourceType: 'AWS::EC2::Instance',
      resourceId: 'i-0123456789abcdef0',
      status: 'OK',
      source: 'config-invocation',
    });
  });

  it('treats a missing status as a current item and accepts any letter case of a known status', () => {
    const row = fixtureObject('bucket-advanced-query-row-object.json');
    delete row.configurationItemStatus;
    expect(normalizeConfigurationItem(row).status).toBe('OK');
    row.configurationItemStatus = 'resourcediscovered';
    expect(normalizeConfigurationItem(row).status).toBe('ResourceDiscovered');
  });

  it('leaves captureTime out when the timestamp is not a date', () => {
    const item = fixtureObject('bucket-invocation-versioning-off.json');
    item.configurationItemCaptureTime = 'yesterday';
    expect(normalizeConfigurationItem(item)).not.toHaveProperty('captureTime');
  });
});

describe('deleted and not-recorded items', () => {
  it.each([
    ['ResourceDeletedNotRecorded', 'resource deleted'],
    ['ResourceNotRecorded', 'resource not recorded'],
  ])('a bucket with status %s has every fact unknown("%s")', (status, reason) => {
    const item = fixtureObject('bucket-invocation-deleted.json');
    item.configurationItemStatus = status;
    const state = normalizeConfigurationItem(item) as BucketState;
    expect(state.status).toBe(status);
    for (const fact of [
      state.policy,
      state.acl,
      state.publicAccessBlock,
      state.versioning,
      state.ownership,
      state.tags,
    ]) {
      expect(fact).toEqual(unknown(reason));
    }
  });

  it('a deleted bucket still carrying data is not evaluated from that data', () => {
    const item = fixtureObject('bucket-invocation-public-read-acl.json');
    item.configurationItemStatus = 'ResourceDeleted';
    expect((normalizeConfigurationItem(item) as BucketState).acl).toEqual(unknown('resource deleted'));
  });

  it('a not-recorded account BPA item is unknown, not "no BPA"', () => {
    const item = fixtureObject('account-bpa-invocation-deleted.json');
    item.configurationItemStatus = 'ResourceNotRecorded';
    expect((normalizeConfigurationItem(item) as AccountBpaState).publicAccessBlock).toEqual(
      unknown('resource not recorded'),
    );
  });
});

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
