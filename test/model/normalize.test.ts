/**
 * normalizeConfigurationItem over the recorded configuration items (events/config-items): the exact state of each,
 * shape detection and labels, deleted and not-recorded items.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NormalizedItem, normalizeConfigurationItem } from '../../model/normalize';
import { type AccountBpaState, type BucketState, known, unknown } from '../../model/types';
import {
  ACL_FLAGS_ONLY,
  ALL_TRUE,
  aclWith,
  bucket,
  FIXTURES,
  fixture,
  fixtureObject,
  groupGrant,
  policyFact,
} from './normalize-fixtures';

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
    logging: unknown('resource deleted'),
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
      state.logging,
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
