/**
 * Generated events of the response path (config-formats.md §5-7): compliance changes, CloudTrail S3 calls, alarm
 * state changes and their SNS wrapping.
 */
import fc from 'fast-check';
import { ACCOUNT_ID, bucketNameArb, exoticNameArb, type Json, REGION } from './basics';
import { bpaFlagsArb, policyDocumentArb } from './config-item-arbitraries';

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
