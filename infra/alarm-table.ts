/**
 * CloudTrail -> CloudWatch Logs metric filters and their alarms, as one data table (DESIGN.md "Infra from data").
 * Each pattern is a CloudWatch Logs JSON filter pattern matched against the bare CloudTrail record.
 * CIS / Security Hub patterns are copied character for character: Security Hub's CloudWatch.x controls only pass on an
 * exact match, so they must not be "improved" here. The S3-specific filters are ours and always pin the eventSource,
 * because several event names (DeletePublicAccessBlock, CreatePolicy...) also exist in other services.
 */

export interface CloudTrailAlarmSpec {
  /** Kebab-case; the alarm is named `<alarmPrefix><id>` and the metric filter `<alarmPrefix><id>`. */
  readonly id: string;
  /** CloudWatch metric name in the `bucketguard` namespace. */
  readonly metricName: string;
  readonly pattern: string;
  /** Alarm fires when the 5-minute Sum is >= threshold. */
  readonly threshold: number;
  readonly description: string;
  /** Where the pattern comes from, for the reader and the report. */
  readonly source: string;
}

export const METRIC_NAMESPACE = 'bucketguard';
export const ALARM_PERIOD_SECONDS = 300;

export const CLOUDTRAIL_ALARMS: readonly CloudTrailAlarmSpec[] = [
  {
    id: 's3-bucket-created',
    metricName: 'S3BucketCreated',
    pattern: '{ ($.eventSource = s3.amazonaws.com) && ($.eventName = CreateBucket) }',
    threshold: 1,
    description: 'An S3 bucket was created (or a creation was attempted).',
    source: 'bucketguard',
  },
  {
    id: 's3-bucket-public-access-block-changed',
    metricName: 'S3BucketPublicAccessBlockChanged',
    pattern:
      '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketPublicAccessBlock) || ($.eventName = DeleteBucketPublicAccessBlock) || ($.eventName = DeletePublicAccessBlock)) }',
    threshold: 1,
    description: 'A bucket-level S3 Block Public Access configuration was put or deleted.',
    source: 'bucketguard (both delete names: CloudTrail naming of the bucket-level delete is not documented)',
  },
  {
    id: 's3-account-public-access-block-changed',
    metricName: 'S3AccountPublicAccessBlockChanged',
    pattern:
      '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutAccountPublicAccessBlock) || ($.eventName = DeleteAccountPublicAccessBlock)) }',
    threshold: 1,
    description: 'The account-level S3 Block Public Access configuration was put or deleted.',
    source: 'bucketguard',
  },
  {
    id: 's3-bucket-policy-changed',
    metricName: 'S3BucketPolicyChanges',
    pattern:
      '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
    threshold: 1,
    description:
      'A bucket policy, ACL, CORS, lifecycle or replication configuration changed (CIS, Security Hub CloudWatch.8).',
    source: 'Security Hub CloudWatch.8 (exact CIS pattern)',
  },
  {
    id: 's3-bucket-ownership-controls-changed',
    metricName: 'S3BucketOwnershipControlsChanged',
    pattern:
      '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketOwnershipControls) || ($.eventName = DeleteBucketOwnershipControls)) }',
    threshold: 1,
    description: 'Bucket ownership controls changed: this is what turns bucket ACLs back on.',
    source: 'bucketguard',
  },
  {
    id: 's3-bucket-versioning-changed',
    metricName: 'S3BucketVersioningChanged',
    pattern: '{ ($.eventSource = s3.amazonaws.com) && ($.eventName = PutBucketVersioning) }',
    threshold: 1,
    description: 'Bucket versioning (or MFA delete) was changed.',
    source: 'bucketguard',
  },
  {
    id: 's3-bucket-deleted',
    metricName: 'S3BucketDeleted',
    pattern: '{ ($.eventSource = s3.amazonaws.com) && ($.eventName = DeleteBucket) }',
    threshold: 1,
    description: 'An S3 bucket was deleted (or a deletion was attempted).',
    source: 'bucketguard',
  },
  {
    id: 'console-sign-in-without-mfa',
    metricName: 'ConsoleSignInWithoutMfa',
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    threshold: 1,
    description: 'An IAM user signed in to the console without MFA (CIS, Security Hub CloudWatch.3).',
    source: 'Security Hub CloudWatch.3 (exact pattern)',
  },
  {
    id: 'root-account-usage',
    metricName: 'RootAccountUsage',
    pattern: '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    threshold: 1,
    description: 'The root user made an API call or signed in (CIS, Security Hub CloudWatch.1).',
    source: 'Security Hub CloudWatch.1 (exact CIS pattern)',
  },
  {
    id: 'iam-changes',
    metricName: 'IamChanges',
    pattern:
      '{ ($.eventSource = iam.amazonaws.com) && (($.eventName = CreateAccessKey) || ($.eventName = CreateUser) || ($.eventName = CreateLoginProfile) || ($.eventName = AddUserToGroup) || ($.eventName = PutUserPolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = CreateRole) || ($.eventName = CreatePolicyVersion)) }',
    threshold: 1,
    description:
      'An IAM identity, credential or permission was created or granted (access keys, users, roles, policies).',
    source: 'bucketguard (seed list)',
  },
  {
    id: 'iam-policy-changed',
    metricName: 'IamPolicyChanges',
    pattern:
      '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
    threshold: 1,
    description: 'An IAM policy was created, changed, attached or detached (CIS, Security Hub CloudWatch.4).',
    source: 'Security Hub CloudWatch.4 (exact CIS pattern)',
  },
];
