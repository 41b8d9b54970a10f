/**
 * Generated AWS Config configuration items: bucket parts (ACL, policy, BPA, versioning, tags), whole bucket,
 * account-BPA and other-type items, in the invocation model and (toApiModel) the API model.
 */
import fc from 'fast-check';
import {
  ACCOUNT_ID,
  bucketNameArb,
  exoticNameArb,
  isoTimeArb,
  type Json,
  OTHER_ACCOUNT_ID,
  OTHER_CANONICAL_ID,
  OWNER_CANONICAL_ID,
  REGION,
} from './basics';

export const GROUP_GRANTEES = ['AllUsers', 'AuthenticatedUsers', 'LogDelivery'] as const;
export const JAVA_PERMISSIONS = ['FullControl', 'Read', 'Write', 'ReadAcp', 'WriteAcp'] as const;

const granteeArb: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(...GROUP_GRANTEES),
  fc.constantFrom<Json>(
    { id: OWNER_CANONICAL_ID, displayName: null },
    { id: OTHER_CANONICAL_ID, displayName: 'partner' },
  ),
);

export const aclGrantsArb: fc.Arbitrary<{ grantee: Json; permission: string }[]> = fc.array(
  fc.record({ grantee: granteeArb, permission: fc.constantFrom<string>(...JAVA_PERMISSIONS) }),
  { maxLength: 5 },
);

/** The Java-SDK-v1 AccessControlList serialisation Config stores, as the JSON string Config sends. */
export function aclJson(grants: readonly { grantee: Json; permission: string }[]): string {
  return JSON.stringify({
    grantSet: null,
    grantList: [{ grantee: { id: OWNER_CANONICAL_ID, displayName: null }, permission: 'FullControl' }, ...grants],
    owner: { displayName: null, id: OWNER_CANONICAL_ID },
    isRequesterCharged: false,
  });
}

const principalArb: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  '*',
  { AWS: '*' },
  { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
  { AWS: [OTHER_ACCOUNT_ID, `arn:aws:iam::${ACCOUNT_ID}:role/reader`] },
  { Service: 'cloudtrail.amazonaws.com' },
  { Federated: 'graph.facebook.com' },
  { CanonicalUser: OTHER_CANONICAL_ID },
);

const actionArb: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  's3:GetObject',
  's3:*',
  '*',
  ['s3:GetObject', 's3:ListBucket'],
  's3:PutObject',
  ['s3:PutBucketAcl', 's3:PutBucketPolicy'],
  's3:GetBucketAcl',
  's3:Get*',
);

const conditionArb: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } },
  { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
  { StringLike: { 'aws:SourceVpc': 'vpc-*' } },
  { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
  { Bool: { 'aws:SecureTransport': 'false' } },
  { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT_ID } },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, literally
  { StringEquals: { 'aws:username': '${aws:username}' } },
);

export const policyStatementArb = (bucket: string): fc.Arbitrary<Record<string, Json>> =>
  fc
    .record(
      {
        Sid: fc.constantFrom('PublicRead', 'AllowPartner', 'DenyInsecure', 'Stmt1', ''),
        Effect: fc.constantFrom('Allow', 'Deny'),
        principal: principalArb,
        useNotPrincipal: fc.boolean(),
        Action: actionArb,
        Condition: conditionArb,
      },
      { requiredKeys: ['Effect', 'principal', 'Action'] },
    )
    .map(({ principal, useNotPrincipal, ...rest }) => {
      const statement: Record<string, Json> = {
        ...rest,
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      };
      if (useNotPrincipal === true) statement.NotPrincipal = principal;
      else statement.Principal = principal;
      return statement;
    });

export const policyDocumentArb = (bucket: string): fc.Arbitrary<Record<string, Json>> =>
  fc
    .array(policyStatementArb(bucket), { minLength: 1, maxLength: 4 })
    .map((Statement) => ({ Version: '2012-10-17', Statement }));

/** A 10,000-statement policy (far over S3's 20 KB limit, which Config would never deliver, but nothing may crash). */
export function hugePolicy(bucket: string, statements = 10_000, publicAt = statements - 1): Record<string, Json> {
  const Statement: Json[] = [];
  for (let i = 0; i < statements; i++) {
    Statement.push({
      Sid: `S${i}`,
      Effect: 'Allow',
      Principal: i === publicAt ? '*' : { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/r${i}` },
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
    });
  }
  return { Version: '2012-10-17', Statement };
}

export const bpaFlagsArb: fc.Arbitrary<Record<string, boolean>> = fc.record({
  blockPublicAcls: fc.boolean(),
  ignorePublicAcls: fc.boolean(),
  blockPublicPolicy: fc.boolean(),
  restrictPublicBuckets: fc.boolean(),
});

export const versioningArb: fc.Arbitrary<Record<string, Json>> = fc.record({
  status: fc.constantFrom('Off', 'Enabled', 'Suspended'),
  isMfaDeleteEnabled: fc.constantFrom<Json>(null, true, false),
});

export const EXEMPTION_TAG = 'bucketguard:exempt';

export const tagsArb: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 4 },
  { arbitrary: fc.constant({ team: 'storage', env: 'prod' }), weight: 2 },
  {
    arbitrary: fc.record(
      {
        [EXEMPTION_TAG]: fc.constantFrom('public website', '', 'ticket SEC-123'),
        [`${EXEMPTION_TAG}-until`]: fc.constantFrom('2020-01-01', '2099-12-31', 'next tuesday', '2030-02-30'),
      },
      { requiredKeys: [EXEMPTION_TAG] },
    ),
    weight: 2,
  },
);

export const STATUSES = [
  'OK',
  'ResourceDiscovered',
  'ResourceNotRecorded',
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
];

export interface BucketItemOptions {
  readonly name?: fc.Arbitrary<string>;
  readonly account?: string;
}

export interface BucketItemParts {
  readonly name: string;
  readonly account: string;
  readonly status: string;
  readonly captureTime: string;
  readonly grants: { grantee: Json; permission: string }[];
  readonly policy: Record<string, Json> | null;
  readonly bpa: Record<string, boolean> | null;
  readonly versioning: Record<string, Json>;
  readonly tags: Record<string, string>;
}

export const bucketItemPartsArb = (options: BucketItemOptions = {}): fc.Arbitrary<BucketItemParts> =>
  (options.name ?? bucketNameArb).chain((name) =>
    fc.record({
      name: fc.constant(name),
      account: fc.constant(options.account ?? ACCOUNT_ID),
      status: fc.oneof(
        { arbitrary: fc.constantFrom('OK', 'ResourceDiscovered'), weight: 9 },
        { arbitrary: fc.constantFrom(...STATUSES), weight: 1 },
      ),
      captureTime: isoTimeArb,
      grants: aclGrantsArb,
      policy: fc.option(policyDocumentArb(name), { nil: null }),
      bpa: fc.option(bpaFlagsArb, { nil: null }),
      versioning: versioningArb,
      tags: tagsArb,
    }),
  );

/** AWS::S3::Bucket configuration item, invocation model (what invokingEvent.configurationItem carries). */
export function bucketItem(parts: BucketItemParts): Record<string, Json> {
  const deleted = parts.status === 'ResourceDeleted' || parts.status === 'ResourceDeletedNotRecorded';
  const supplementary: Record<string, Json> = deleted
    ? {}
    : {
        AccessControlList: aclJson(parts.grants),
        BucketAccelerateConfiguration: { status: null },
        BucketLoggingConfiguration: { destinationBucketName: null, logFilePrefix: null },
        BucketNotificationConfiguration: { configurations: {} },
        BucketPolicy: { policyText: parts.policy === null ? null : JSON.stringify(parts.policy) },
        BucketVersioningConfiguration: parts.versioning,
        IsRequesterPaysEnabled: false,
        ...(parts.bpa === null ? {} : { PublicAccessBlockConfiguration: parts.bpa }),
      };
  return {
    relatedEvents: [],
    relationships: [],
    configuration: deleted
      ? null
      : {
          name: parts.name,
          owner: { displayName: null, id: OWNER_CANONICAL_ID },
          creationDate: '2019-02-12T07:21:45.000Z',
        },
    supplementaryConfiguration: supplementary,
    tags: parts.tags,
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: parts.captureTime,
    configurationStateId: 1549956556288,
    awsAccountId: parts.account,
    configurationItemStatus: parts.status,
    resourceType: 'AWS::S3::Bucket',
    resourceId: parts.name,
    resourceName: parts.name,
    ARN: `arn:aws:s3:::${parts.name}`,
    awsRegion: REGION,
    availabilityZone: deleted ? null : 'Regional',
    configurationStateMd5Hash: '',
    resourceCreationTime: deleted ? null : '2019-02-12T07:21:45.000Z',
  };
}

/** The same item in the API model (GetResourceConfigHistory): strings inside, ACL double-encoded, other names. */
export function toApiModel(item: Record<string, Json>): Record<string, unknown> {
  const supplementary = (item.supplementaryConfiguration ?? {}) as Record<string, Json>;
  const encoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(supplementary)) encoded[key] = JSON.stringify(value);
  const capture =
    typeof item.configurationItemCaptureTime === 'string' ? new Date(item.configurationItemCaptureTime) : undefined;
  return {
    version: item.configurationItemVersion,
    accountId: item.awsAccountId,
    configurationItemCaptureTime: capture,
    configurationItemStatus: item.configurationItemStatus,
    configurationStateId: String(item.configurationStateId),
    configurationItemMD5Hash: '',
    arn: item.ARN,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone,
    tags: item.tags,
    relatedEvents: [],
    relationships: [],
    configuration: item.configuration === null ? null : JSON.stringify(item.configuration),
    supplementaryConfiguration: encoded,
  };
}

export const accountBpaItemArb = (account: string = ACCOUNT_ID): fc.Arbitrary<Record<string, Json>> =>
  fc
    .record({
      flags: bpaFlagsArb,
      status: fc.oneof(
        { arbitrary: fc.constantFrom('OK', 'ResourceDiscovered'), weight: 9 },
        { arbitrary: fc.constantFrom(...STATUSES), weight: 1 },
      ),
      captureTime: isoTimeArb,
    })
    .map(({ flags, status, captureTime }) => ({
      relatedEvents: [],
      relationships: [],
      configuration: status.startsWith('ResourceDeleted') ? null : flags,
      supplementaryConfiguration: {},
      tags: {},
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: captureTime,
      configurationStateId: 1549956556288,
      awsAccountId: account,
      configurationItemStatus: status,
      resourceType: 'AWS::S3::AccountPublicAccessBlock',
      resourceId: account,
      resourceName: null,
      ARN: null,
      awsRegion: REGION,
      availabilityZone: 'Not Applicable',
      configurationStateMd5Hash: '',
      resourceCreationTime: null,
    }));

/** A configuration item of a type no rule evaluates (wrong resource types are part of the brief). */
export const otherItemArb: fc.Arbitrary<Record<string, Json>> = fc
  .record({
    resourceType: fc.constantFrom(
      'AWS::EC2::Instance',
      'AWS::S3::AccessPoint',
      'AWS::::Account',
      'AWS::S3::bucket',
      'Custom::Thing',
    ),
    resourceId: fc.oneof(fc.constantFrom('i-0123456789abcdef0', ACCOUNT_ID), exoticNameArb),
    captureTime: isoTimeArb,
  })
  .map(({ resourceType, resourceId, captureTime }) => ({
    configuration: { instanceId: resourceId },
    supplementaryConfiguration: {},
    tags: {},
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: captureTime,
    awsAccountId: ACCOUNT_ID,
    configurationItemStatus: 'OK',
    resourceType,
    resourceId,
    ARN: `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:instance/${resourceId}`,
    awsRegion: REGION,
  }));

export const configurationItemArb: fc.Arbitrary<Record<string, Json>> = fc.oneof(
  { arbitrary: bucketItemPartsArb().map(bucketItem), weight: 7 },
  { arbitrary: accountBpaItemArb(), weight: 2 },
  { arbitrary: otherItemArb, weight: 1 },
);

// ---------------------------------------------------------------------------------------------------------------
