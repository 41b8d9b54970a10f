/**
 * Shared fast-check generators for the fuzz, fuzz-lite and fault suites: every input shape bucketguard receives, built
 * in the recorded shapes of config-formats.md (documentation account ids, made-up canonical ids, example.com only),
 * plus a JSON mutator that damages any of them the way real inputs get damaged (fields deleted, retyped, nulled,
 * oversized, double-encoded or truncated JSON strings, unicode where ASCII is expected).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------------------------
// Constants: documentation values only.

export const ACCOUNT_ID = '111122223333';
export const OTHER_ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
/** Made-up canonical user ids (64 hex characters). */
export const OWNER_CANONICAL_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
export const OTHER_CANONICAL_ID = 'be2fe74dc7e8125d8f8fcae89d90e6dfdecabf8f96e1a69d55e949b009fd95a7';
export const CONFIG_RULE_PREFIX = 'bucketguard-';
export const RESULT_TOKEN = 'eyJlbmNyeXB0ZWREYXRhIjpbMTIsMzQsNTZdLCJpdkxlbmd0aCI6MTJ9';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------------------------------------------------------
// Names and scalars

const lowerAlnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');

/** Bucket names S3 accepts (3-63 chars, lowercase letters, digits, hyphens, dots; starts/ends alphanumeric). */
export const validBucketNameArb: fc.Arbitrary<string> = fc
  .tuple(
    lowerAlnum,
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-.'), minLength: 1, maxLength: 40 }),
    lowerAlnum,
  )
  .map(([first, middle, last]) => `${first}${middle.replace(/\.\.+/g, '.')}${last}`);

/** Names nothing legitimate would carry: unicode, control characters, path tricks, huge, empty. */
export const exoticNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'ünïcödé-bücket',
    '𝕓𝕦𝕔𝕜𝕖𝕥',
    '桶-バケット',
    'bucket\u0000nul',
    'bucket\u202eevil',
    '\ud800lone-surrogate',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, literally
    '${aws:username}',
    'arn:aws:s3:::*',
    '*',
    'a'.repeat(64),
    'b'.repeat(769),
    '🪣'.repeat(200),
    'UPPER_case_Bucket',
    'bucket\nwith\nnewlines',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
);

/** Mostly valid names, sometimes exotic ones (unicode bucket names are part of the brief). */
export const bucketNameArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: validBucketNameArb, weight: 8 },
  { arbitrary: exoticNameArb, weight: 2 },
);

export const isoTimeArb: fc.Arbitrary<string> = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

// ---------------------------------------------------------------------------------------------------------------
// Bucket configuration parts (Config invocation model)

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
// AWS Config rule invocation (config-formats.md §1)

export const UNKNOWN_MESSAGE_TYPES = [
  'ConfigurationSnapshotDeliveryCompleted',
  'ComplianceChangeNotification',
  'ConfigurationHistoryDeliveryCompleted',
  '',
  'configurationitemchangenotification',
  'ScheduledNotification ',
];

export function changeInvokingEvent(
  item: Json,
  notificationCreationTime = '2024-05-01T10:00:00.000Z',
): Record<string, Json> {
  return {
    configurationItemDiff: null,
    configurationItem: item,
    notificationCreationTime,
    messageType: 'ConfigurationItemChangeNotification',
    recordVersion: '1.3',
  };
}

export function oversizedInvokingEvent(item: Record<string, Json>): Record<string, Json> {
  return {
    configurationItemSummary: {
      changeType: 'UPDATE',
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: item.configurationItemCaptureTime,
      configurationStateId: 0,
      awsAccountId: item.awsAccountId,
      configurationItemStatus: item.configurationItemStatus,
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      resourceName: item.resourceName ?? null,
      ARN: item.ARN ?? null,
      awsRegion: REGION,
      availabilityZone: item.availabilityZone ?? null,
      configurationStateMd5Hash: '',
      resourceCreationTime: item.resourceCreationTime ?? null,
    },
    s3DeliverySummary: { s3BucketLocation: 'config-bucket/AWSLogs/x.json.gz', errorCode: null, errorMessage: null },
    messageType: 'OversizedConfigurationItemChangeNotification',
    notificationCreationTime: '2024-05-01T10:00:00.000Z',
    recordVersion: '1.0',
  };
}

export function scheduledInvokingEvent(
  account: string = ACCOUNT_ID,
  time = '2024-05-01T10:00:00.000Z',
): Record<string, Json> {
  return {
    awsAccountId: account,
    notificationCreationTime: time,
    messageType: 'ScheduledNotification',
    recordVersion: '1.0',
  };
}

export interface InvocationOptions {
  readonly ruleName?: string;
  readonly ruleParameters?: Json | undefined;
  readonly resultToken?: string;
  readonly eventLeftScope?: boolean;
}

/** The Lambda event Config sends a custom rule; invokingEvent is a JSON string as on the wire. */
export function configInvocation(invokingEvent: Json, options: InvocationOptions = {}): Record<string, Json> {
  const ruleName = options.ruleName ?? `${CONFIG_RULE_PREFIX}rule`;
  const event: Record<string, Json> = {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    resultToken: options.resultToken ?? RESULT_TOKEN,
    eventLeftScope: options.eventLeftScope ?? false,
    executionRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT_ID}:config-rule/config-rule-0123456`,
    configRuleName: ruleName,
    configRuleId: 'config-rule-0123456',
    accountId: ACCOUNT_ID,
    evaluationMode: 'DETECTIVE',
  };
  if (options.ruleParameters !== undefined) event.ruleParameters = options.ruleParameters;
  return event;
}

export type InvocationKind = 'change' | 'oversized' | 'scheduled' | 'unknown';

export interface GeneratedInvocation {
  readonly kind: InvocationKind;
  readonly event: Record<string, Json>;
  /** The configuration item the event is about (change, oversized): what GetResourceConfigHistory returns. */
  readonly item?: Record<string, Json>;
}

export const ruleParametersArb: fc.Arbitrary<Json | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 6 },
  { arbitrary: fc.constant('{}'), weight: 3 },
  {
    arbitrary: fc.constantFrom<Json>(
      '{"exemptions":"off"}',
      '{"exemptionTag":"security:exception"}',
      '{"exemptions":"maybe"}',
      '{"unknownKey":"x"}',
      'not json',
      '[]',
      '{"exemptionTag":"aws:reserved"}',
      '{"exemptionTag":""}',
      { exemptions: 'on' },
      '{"exemptionTag":12}',
    ),
    weight: 1,
  },
);

export const configInvocationArb = (ruleName?: string): fc.Arbitrary<GeneratedInvocation> =>
  fc
    .record({
      kind: fc.oneof(
        { arbitrary: fc.constant<InvocationKind>('change'), weight: 7 },
        { arbitrary: fc.constant<InvocationKind>('oversized'), weight: 1 },
        { arbitrary: fc.constant<InvocationKind>('scheduled'), weight: 1 },
        { arbitrary: fc.constant<InvocationKind>('unknown'), weight: 1 },
      ),
      item: configurationItemArb,
      ruleParameters: ruleParametersArb,
      eventLeftScope: fc.oneof(
        { arbitrary: fc.constant(false), weight: 9 },
        { arbitrary: fc.constant(true), weight: 1 },
      ),
      testMode: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
      unknownType: fc.constantFrom(...UNKNOWN_MESSAGE_TYPES),
    })
    .map(({ kind, item, ruleParameters, eventLeftScope, testMode, unknownType }) => {
      const options: InvocationOptions = {
        ...(ruleName !== undefined ? { ruleName } : {}),
        ruleParameters,
        eventLeftScope,
        ...(testMode ? { resultToken: 'TESTMODE' } : {}),
      };
      switch (kind) {
        case 'change':
          return { kind, item, event: configInvocation(changeInvokingEvent(item), options) };
        case 'oversized':
          return { kind, item, event: configInvocation(oversizedInvokingEvent(item), options) };
        case 'scheduled':
          return { kind, event: configInvocation(scheduledInvokingEvent(), options) };
        default:
          return {
            kind,
            event: configInvocation({ ...changeInvokingEvent(item), messageType: unknownType }, options),
          };
      }
    });

// ---------------------------------------------------------------------------------------------------------------
// EventBridge and alarm events (config-formats.md §5-7)

export const complianceChangeEvent = (
  bucket: string,
  ruleName: string,
  compliance: string,
  resourceType = 'AWS::S3::Bucket',
  annotation?: string,
): Record<string, Json> => ({
  version: '0',
  id: 'c0bb891c-5e2f-4c2d-8a7e-0123456789ab',
  'detail-type': 'Config Rules Compliance Change',
  source: 'aws.config',
  account: ACCOUNT_ID,
  time: '2024-05-01T10:00:05Z',
  region: REGION,
  resources: [],
  detail: {
    resourceId: bucket,
    awsRegion: REGION,
    awsAccountId: ACCOUNT_ID,
    configRuleName: ruleName,
    recordVersion: '1.0',
    configRuleARN: `arn:aws:config:${REGION}:${ACCOUNT_ID}:config-rule/config-rule-eguym2`,
    messageType: 'ComplianceChangeNotification',
    newEvaluationResult: {
      evaluationResultIdentifier: {
        evaluationResultQualifier: {
          configRuleName: ruleName,
          resourceType,
          resourceId: bucket,
          evaluationMode: 'DETECTIVE',
        },
        orderingTimestamp: '2024-05-01T10:00:00.000Z',
      },
      complianceType: compliance,
      resultRecordedTime: '2024-05-01T10:00:04.000Z',
      configRuleInvokedTime: '2024-05-01T10:00:01.000Z',
      ...(annotation !== undefined ? { annotation } : {}),
    },
    oldEvaluationResult: {
      evaluationResultIdentifier: {
        evaluationResultQualifier: { configRuleName: ruleName, resourceType, resourceId: bucket },
        orderingTimestamp: '2024-04-01T10:00:00.000Z',
      },
      complianceType: 'COMPLIANT',
      resultRecordedTime: '2024-04-01T10:00:04.000Z',
      configRuleInvokedTime: '2024-04-01T10:00:01.000Z',
    },
    notificationCreationTime: '2024-05-01T10:00:05.751Z',
    resourceType,
  },
});

export const CLOUDTRAIL_EVENT_NAMES = [
  'PutBucketPublicAccessBlock',
  'DeleteBucketPublicAccessBlock',
  'DeletePublicAccessBlock',
  'PutAccountPublicAccessBlock',
  'DeleteAccountPublicAccessBlock',
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'PutBucketAcl',
  'PutBucketVersioning',
  'CreateBucket',
  'DeleteBucket',
  'GetObject',
] as const;

export function cloudTrailEvent(
  eventName: string,
  bucket: string,
  requestParameters: Json,
  errorCode?: string,
): Record<string, Json> {
  return {
    version: '0',
    id: '6f2d2c3e-1111-2222-3333-0123456789ab',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    account: ACCOUNT_ID,
    time: '2024-05-01T10:00:00Z',
    region: REGION,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEID:alice',
        arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Admin/alice`,
        accountId: ACCOUNT_ID,
        accessKeyId: 'ASIAEXAMPLEKEYID0000',
        sessionContext: {
          attributes: { creationDate: '2024-05-01T09:00:00Z', mfaAuthenticated: 'false' },
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLEID',
            arn: `arn:aws:iam::${ACCOUNT_ID}:role/Admin`,
            accountId: ACCOUNT_ID,
            userName: 'Admin',
          },
        },
      },
      eventTime: '2024-05-01T10:00:00Z',
      eventSource: 's3.amazonaws.com',
      eventName,
      awsRegion: REGION,
      sourceIPAddress: '203.0.113.10',
      userAgent: '[aws-cli/2.15.0]',
      requestParameters,
      responseElements: null,
      requestID: 'EXAMPLE123456789',
      eventID: '0d6d4d2f-aaaa-bbbb-cccc-ddddeeeeffff',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT_ID,
      // CloudTrail names the bucket a management event is about (absent for account-level calls).
      ...(bucket !== ''
        ? { resources: [{ accountId: ACCOUNT_ID, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }] }
        : {}),
      ...(errorCode !== undefined ? { errorCode, errorMessage: 'Access Denied' } : {}),
    },
  };
}

const pascalBpaArb: fc.Arbitrary<Json> = bpaFlagsArb.map((f) => ({
  xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
  BlockPublicAcls: f.blockPublicAcls,
  IgnorePublicAcls: f.ignorePublicAcls,
  BlockPublicPolicy: f.blockPublicPolicy,
  RestrictPublicBuckets: f.restrictPublicBuckets,
}));

export const cloudTrailEventArb: fc.Arbitrary<Record<string, Json>> = fc
  .record({
    eventName: fc.constantFrom(...CLOUDTRAIL_EVENT_NAMES),
    bucket: bucketNameArb,
    bpa: pascalBpaArb,
    policy: policyDocumentArb('example-bucket'),
    versioning: fc.constantFrom('Enabled', 'Suspended'),
    cannedAcl: fc.constantFrom('public-read', 'public-read-write', 'private', 'authenticated-read'),
    errorCode: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 8 },
      { arbitrary: fc.constantFrom('AccessDenied', ''), weight: 2 },
    ),
  })
  .map(({ eventName, bucket, bpa, policy, versioning, cannedAcl, errorCode }) => {
    let requestParameters: Json;
    switch (eventName) {
      case 'PutBucketPublicAccessBlock':
        requestParameters = {
          bucketName: bucket,
          publicAccessBlock: '',
          PublicAccessBlockConfiguration: bpa,
          Host: `${bucket}.s3.amazonaws.com`,
        };
        break;
      case 'PutAccountPublicAccessBlock':
        requestParameters = {
          host: `${ACCOUNT_ID}.s3-control.${REGION}.amazonaws.com`,
          PublicAccessBlockConfiguration: bpa,
        };
        break;
      case 'DeleteAccountPublicAccessBlock':
        requestParameters = { host: `${ACCOUNT_ID}.s3-control.${REGION}.amazonaws.com` };
        break;
      case 'PutBucketPolicy':
        requestParameters = { bucketName: bucket, bucketPolicy: policy, policy: '' };
        break;
      case 'PutBucketAcl':
        requestParameters = { bucketName: bucket, acl: '', 'x-amz-acl': cannedAcl };
        break;
      case 'PutBucketVersioning':
        requestParameters = {
          bucketName: bucket,
          versioning: '',
          VersioningConfiguration: { Status: versioning, xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
        };
        break;
      default:
        requestParameters = { bucketName: bucket, publicAccessBlock: '', policy: '' };
    }
    return cloudTrailEvent(eventName, bucket, requestParameters, errorCode);
  });

export function alarmEvent(alarmName: string, metricName: string, state = 'ALARM'): Record<string, Json> {
  return {
    source: 'aws.cloudwatch',
    alarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:alarm:${alarmName}`,
    accountId: ACCOUNT_ID,
    time: '2024-05-01T10:05:00.490+0000',
    region: REGION,
    alarmData: {
      alarmName,
      state: {
        value: state,
        reason:
          'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (01/05/24 10:00:00)] was greater than or equal to the threshold (1.0).',
        reasonData:
          '{"version":"1.0","queryDate":"2024-05-01T10:05:00.488+0000","statistic":"Sum","period":300,"recentDatapoints":[1.0],"threshold":1.0}',
        timestamp: '2024-05-01T10:05:00.490+0000',
      },
      previousState: {
        value: 'OK',
        reason: 'Threshold Crossed',
        reasonData: '{}',
        timestamp: '2024-05-01T09:00:00.000+0000',
      },
      configuration: {
        description: 'S3 bucket policy changed',
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: { namespace: 'CloudTrailMetrics', name: metricName, dimensions: {} },
              period: 300,
              stat: 'Sum',
            },
            returnData: true,
          },
        ],
      },
    },
  };
}

export const alarmEventArb: fc.Arbitrary<Record<string, Json>> = fc
  .record({
    name: fc.oneof(
      fc.constantFrom('bucketguard-s3-policy-changes', 'bucketguard-bpa-changes', 'other-alarm'),
      exoticNameArb,
    ),
    metric: fc.constantFrom('S3BucketPolicyChanges', 'S3PublicAccessBlockChanges', 'Unrelated'),
    state: fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA'),
  })
  .map(({ name, metric, state }) => alarmEvent(name, metric, state));

/** SNS-wrapped delivery (Records[0].Sns.Message is a JSON string). */
export function snsWrapped(message: Json, subject = 'ALARM: "x" in US East (N. Virginia)'): Record<string, Json> {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:bucketguard-alerts:0b1c2d3e-aaaa-bbbb-cccc-0123456789ab`,
        Sns: {
          Type: 'Notification',
          MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:bucketguard-alerts`,
          Subject: subject,
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: '2024-05-01T10:05:01.000Z',
          MessageAttributes: {},
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The JSON mutator

/** Marks a path step that goes inside a JSON string (decode, mutate, re-encode). */
export const ENCODED = Symbol('encoded');
export type PathStep = string | number | typeof ENCODED;
export type JsonPath = readonly PathStep[];

export const MUTATION_KINDS = [
  'delete',
  'null',
  'retype',
  'oversize',
  'huge',
  'double-encode',
  'truncate',
  'unicode',
  'rename-key',
  'duplicate',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
  readonly kind: MutationKind;
  /** Picks the target among all paths (modulo their count). */
  readonly pick: number;
  /** Picks the variant of the mutation (which type, which length, where to cut). */
  readonly variant: number;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.oneof(
    {
      arbitrary: fc.constantFrom<MutationKind>('delete', 'null', 'retype', 'truncate', 'double-encode', 'unicode'),
      weight: 48,
    },
    { arbitrary: fc.constantFrom<MutationKind>('oversize', 'rename-key', 'duplicate'), weight: 16 },
    // 1 MB values are costly to build and parse: rare, yet thousands of times in a 100,000-case run.
    { arbitrary: fc.constant<MutationKind>('huge'), weight: 1 },
  ),
  pick: fc.nat(),
  variant: fc.nat(),
});

const MAX_PARSE_DESCEND = 200_000;

function tryParseContainer(text: string): Json | undefined {
  if (text.length < 2 || text.length > MAX_PARSE_DESCEND) return undefined;
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return undefined;
  try {
    const parsed = JSON.parse(text) as Json;
    return typeof parsed === 'object' && parsed !== null ? parsed : typeof parsed === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every path in the value, including paths inside JSON-encoded strings (through ENCODED steps). */
export function collectPaths(
  value: Json,
  prefix: PathStep[] = [],
  out: PathStep[][] = [],
  limit = 5_000,
): PathStep[][] {
  if (out.length >= limit) return out;
  if (prefix.length > 0) out.push(prefix);
  if (Array.isArray(value)) {
    // Long arrays: enough elements to reach every shape, not all of them.
    const shown = Math.min(value.length, 8);
    for (let i = 0; i < shown; i++) collectPaths(value[i], [...prefix, i], out, limit);
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) collectPaths(value[key], [...prefix, key], out, limit);
  } else if (typeof value === 'string') {
    const inner = tryParseContainer(value);
    if (inner !== undefined) collectPaths(inner, [...prefix, ENCODED], out, limit);
  }
  return out;
}

const DELETE = Symbol('delete');
type Replacement = Json | typeof DELETE;

function updateAt(
  value: Json,
  path: JsonPath,
  change: (target: Json, parentIsContainer: boolean) => Replacement,
): Json {
  const [head, ...rest] = path;
  if (head === ENCODED) {
    const inner = JSON.parse(value as string) as Json;
    const replaced = rest.length === 0 ? change(inner, false) : updateAt(inner, rest, change);
    return replaced === DELETE ? '' : JSON.stringify(replaced);
  }
  if (Array.isArray(value) && typeof head === 'number') {
    const copy = value.slice();
    const replaced = rest.length === 0 ? change(copy[head], true) : updateAt(copy[head], rest, change);
    if (replaced === DELETE) copy.splice(head, 1);
    else copy[head] = replaced;
    return copy;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof head === 'string') {
    const copy: Record<string, Json> = { ...value };
    const replaced = rest.length === 0 ? change(copy[head], true) : updateAt(copy[head], rest, change);
    if (replaced === DELETE) delete copy[head];
    else copy[head] = replaced;
    return copy;
  }
  return value;
}

const RETYPES: readonly Json[] = [
  0,
  -1,
  1.5,
  1e21,
  true,
  false,
  '',
  'true',
  '123',
  [],
  {},
  [null],
  { value: null },
  'null',
];
const UNICODE_VALUES: readonly string[] = [
  'ünïcödé',
  '𝕓𝕦𝕔𝕜𝕖𝕥',
  '桶',
  '\u0000',
  '\ud800',
  '\u202e',
  'é'.normalize('NFD'),
  '🪣🪣🪣',
  '\t\n\r',
  'Ａｌｌ Ｕｓｅｒｓ',
];
/** Annotation-length strings around Config's 256-character limit, counted in UTF-16 units and in code points. */
const OVERSIZE_LENGTHS = [255, 256, 257, 300, 769, 1_025, 20_000];
const ONE_MEGABYTE = 1_048_576;

function oversizeString(variant: number): string {
  const length = OVERSIZE_LENGTHS[variant % OVERSIZE_LENGTHS.length];
  return variant % 3 === 0 ? '🪣'.repeat(Math.ceil(length / 2)) : 'x'.repeat(length);
}

function renameKey(key: string, variant: number): string {
  switch (variant % 4) {
    case 0:
      return key.charAt(0).toUpperCase() + key.slice(1);
    case 1:
      return key.charAt(0).toLowerCase() + key.slice(1);
    case 2:
      return key.toUpperCase();
    default:
      return `${key}_`;
  }
}

/** Applies one mutation; returns the value unchanged when the mutation does not apply to the chosen target. */
export function applyMutation(value: Json, mutation: Mutation): Json {
  const paths = collectPaths(value);
  if (paths.length === 0) return value;
  const path = paths[mutation.pick % paths.length];
  const { variant } = mutation;
  if (mutation.kind === 'rename-key') {
    const last = path[path.length - 1];
    if (typeof last !== 'string') return value;
    const parentPath = path.slice(0, -1);
    const rename = (parent: Json): Json => {
      if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) return parent;
      const copy: Record<string, Json> = {};
      for (const [k, v] of Object.entries(parent)) copy[k === last ? renameKey(k, variant) : k] = v;
      return copy;
    };
    return parentPath.length === 0 ? rename(value) : updateAt(value, parentPath, (p) => rename(p));
  }
  return updateAt(value, path, (target, parentIsContainer): Replacement => {
    switch (mutation.kind) {
      case 'delete':
        return parentIsContainer ? DELETE : null;
      case 'null':
        return null;
      case 'retype': {
        // Always a different JSON type: a same-type swap (false -> true) is a value change, not damage.
        const candidates = RETYPES.filter((candidate) => jsonType(candidate) !== jsonType(target));
        return candidates[variant % candidates.length];
      }
      case 'oversize':
        if (Array.isArray(target) && target.length > 0) {
          const copies = [100, 101, 1_000, 10_000][variant % 4];
          return Array.from({ length: copies }, (_, i) => target[i % target.length]);
        }
        return oversizeString(variant);
      case 'huge':
        return 'm'.repeat(ONE_MEGABYTE);
      case 'double-encode':
        return JSON.stringify(target) ?? 'null';
      case 'truncate': {
        // A Date (API-model timestamps) or undefined value has no plain JSON text of its own.
        const text = typeof target === 'string' ? target : (JSON.stringify(target) ?? '');
        if (text.length <= 1) return '';
        return text.slice(0, variant % text.length);
      }
      case 'unicode':
        return UNICODE_VALUES[variant % UNICODE_VALUES.length];
      case 'duplicate':
        return Array.isArray(target) ? [...target, ...target] : [target, target];
      default:
        return target;
    }
  });
}

export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export function jsonType(value: Json | undefined): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'boolean' | 'number' | 'string' | 'object';
}

function getAt(value: Json, path: JsonPath): Json | undefined {
  let current: Json | undefined = value;
  for (const step of path) {
    if (current === undefined) return undefined;
    if (step === ENCODED) current = typeof current === 'string' ? (JSON.parse(current) as Json) : undefined;
    else if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (typeof current === 'object' && current !== null && !Array.isArray(current) && typeof step === 'string')
      current = current[step];
    else return undefined;
  }
  return current;
}

/** Where a mutation lands: the path (ENCODED steps included), the value there, and what holds it. */
export interface MutationSite {
  readonly path: JsonPath;
  readonly target: Json | undefined;
  readonly parent: 'object' | 'array' | 'encoded';
  readonly key: string | undefined;
}

export function mutationSite(value: Json, mutation: Mutation): MutationSite | undefined {
  const paths = collectPaths(value);
  if (paths.length === 0) return undefined;
  const path = paths[mutation.pick % paths.length];
  const last = path[path.length - 1];
  return {
    path,
    target: getAt(value, path),
    parent: last === ENCODED ? 'encoded' : typeof last === 'number' ? 'array' : 'object',
    key: typeof last === 'string' ? last : undefined,
  };
}

/** Free-form maps: any key and value is legitimate there, so removing or renaming an entry is a real change. */
const FREE_FORM_KEYS = new Set(['tags', 'BucketTaggingConfiguration', 'tagSets']);
/** Keys whose null or absence has a documented meaning (no policy, no bucket BPA, item status OK). */
const DOCUMENTED_ABSENT_KEYS = new Set([
  'policyText',
  'PublicAccessBlockConfiguration',
  'configurationItemStatus',
  'isMfaDeleteEnabled',
]);

const isJsonContainerText = (target: Json | undefined): boolean =>
  typeof target === 'string' && tryParseContainer(target) !== undefined;

/**
 * Whether a mutation damages the input (the result is not something AWS would record) rather than changing it to
 * another legitimate value. Removing an array element (one grant, one statement), editing a tag, replacing one
 * plain string by another, or nulling a field whose null is documented are legitimate changes; a value of the wrong
 * type, cut or re-encoded JSON, a renamed or removed structural key, are damage.
 */
export function isDamage(site: MutationSite, mutation: Mutation): boolean {
  const inFreeForm = site.path.some((step) => typeof step === 'string' && FREE_FORM_KEYS.has(step));
  const plainString = typeof site.target === 'string' && !isJsonContainerText(site.target);
  switch (mutation.kind) {
    case 'retype':
    case 'double-encode':
    case 'duplicate':
      return true;
    case 'truncate':
    case 'unicode':
    case 'huge':
      return !plainString;
    case 'oversize':
      return Array.isArray(site.target) || !plainString;
    case 'delete':
      if (site.parent === 'array') return false;
      return !inFreeForm && !(site.key !== undefined && DOCUMENTED_ABSENT_KEYS.has(site.key));
    case 'null':
      return site.target !== null && !(site.key !== undefined && DOCUMENTED_ABSENT_KEYS.has(site.key));
    case 'rename-key':
      return (
        site.parent === 'object' && !inFreeForm && !(site.key !== undefined && DOCUMENTED_ABSENT_KEYS.has(site.key))
      );
    default:
      return false;
  }
}

export function applyMutations(value: Json, mutations: readonly Mutation[]): Json {
  return mutations.reduce<Json>((current, mutation) => applyMutation(current, mutation), value);
}

/** Whole-event damage that is not a JSON edit: wrong top-level types. */
export const garbageEventArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, 0, '', 'null', '{}', [], {}, true, '{"invokingEvent":', Number.NaN),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string(),
);

// ---------------------------------------------------------------------------------------------------------------
// Recorded fixtures (events/)

export interface Fixture {
  readonly file: string;
  readonly json: Json;
}

/** Every JSON file under events/ (recursively), parsed. Missing folder -> []. */
export function loadFixtures(root: string = join(__dirname, '..', '..', 'events')): Fixture[] {
  const out: Fixture[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json')) {
        try {
          out.push({ file: relative(root, full), json: JSON.parse(readFileSync(full, 'utf8')) as Json });
        } catch {
          // A fixture that is not JSON is some other suite's business (and would itself be a fuzz input).
        }
      }
    }
  };
  walk(root);
  return out;
}

const isRecord = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export type FixtureKind =
  | 'config-invocation'
  | 'compliance-change'
  | 'cloudtrail'
  | 'alarm'
  | 'sns'
  | 'configuration-item'
  | 'other';

export function classifyFixture(json: Json): FixtureKind {
  if (!isRecord(json)) return 'other';
  if ('invokingEvent' in json) return 'config-invocation';
  if (json['detail-type'] === 'Config Rules Compliance Change') return 'compliance-change';
  if (json['detail-type'] === 'AWS API Call via CloudTrail') return 'cloudtrail';
  if ('alarmData' in json) return 'alarm';
  if (Array.isArray(json.Records) && isRecord(json.Records[0]) && 'Sns' in json.Records[0]) return 'sns';
  if ('resourceType' in json && ('configurationItemCaptureTime' in json || 'configuration' in json))
    return 'configuration-item';
  return 'other';
}

export function fixturesOfKind(kind: FixtureKind, fixtures: readonly Fixture[] = loadFixtures()): Fixture[] {
  return fixtures.filter((f) => classifyFixture(f.json) === kind);
}

// ---------------------------------------------------------------------------------------------------------------
// Run counts

/**
 * Cases per handler: FUZZ_RUNS when set; else FUZZ_DEFAULT_RUNS (test/fuzz/setup-fuzz.ts sets 100,000 for
 * `npm run fuzz`); else `defaultRuns` (fuzz-lite in `npm test`: a few thousand).
 */
export function fuzzRuns(defaultRuns: number): number {
  for (const raw of [process.env.FUZZ_RUNS, process.env.FUZZ_DEFAULT_RUNS]) {
    const parsed = raw === undefined ? Number.NaN : Number(raw);
    if (Number.isInteger(parsed) && parsed > 0) return parsed;
  }
  return defaultRuns;
}

/** A fixed seed unless FUZZ_SEED is set, so CI failures reproduce; fast-check prints the seed and path on failure. */
export function fuzzSeed(): number {
  const raw = process.env.FUZZ_SEED;
  const parsed = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(parsed) ? parsed : 0x5eed;
}
