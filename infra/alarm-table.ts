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
  /**
   * Tampering with bucketguard's own path (issue 13): the alarm also notifies the topic directly (an SNS alarm
   * action, whatever `alarmTopicActions` says), so disabling the EventBridge rule or breaking the notify Lambda
   * cannot hide it.
   */
  readonly direct?: boolean;
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

/** What the tamper filters pin their resources to: the names bucketguard gives its own resources (infra/names.ts). */
export interface TamperTargets {
  /** Config rules, Lambda functions and EventBridge rules are all named `<rulePrefix>...`. */
  readonly rulePrefix: string;
  /** Alarms and metric filters are named `<alarmPrefix>...`. */
  readonly alarmPrefix: string;
  /** The notification topic (a token at synth). */
  readonly topicArn: string;
  /** The SSM path of bucketguard's parameters (model/approved-exemptions.ts BUCKETGUARD_PARAMETER_PATH). */
  readonly parameterPath: string;
}

const or = (terms: readonly string[]): string => (terms.length === 1 ? terms[0] : `(${terms.join(' || ')})`);
const names = (names: readonly string[]): string => or(names.map((n) => `($.eventName = ${n})`));

/**
 * Tampering with bucketguard itself: the CIS CloudWatch.5 / .7 / .9 filters (exact) and ours, pinned to
 * bucketguard's own resources by name. Event names of Lambda carry API-version suffixes
 * (`UpdateFunctionCode20150331v2`, `PutFunctionConcurrency20171031`: "the eventName might include date and version
 * information", Lambda developer guide, logging-using-cloudtrail), so they are matched as prefixes. Names and ARNs
 * are both accepted where an API takes either (`*<name>*`). A deployment of bucketguard itself (CloudFormation
 * calling these APIs) raises them too: that is a change to the guard, and the email says who made it.
 */
export function tamperAlarms(t: TamperTargets): CloudTrailAlarmSpec[] {
  const rules = `"${t.rulePrefix}*"`;
  const anyForm = `"*${t.rulePrefix}*"`;
  return [
    {
      id: 'cloudtrail-changed',
      metricName: 'CloudTrailChanges',
      pattern:
        '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
      threshold: 1,
      description: 'A trail was created, updated, deleted, started or stopped (CIS, Security Hub CloudWatch.5).',
      source: 'Security Hub CloudWatch.5 (exact CIS pattern)',
      direct: true,
    },
    {
      id: 'cloudtrail-event-selectors-changed',
      metricName: 'CloudTrailEventSelectorsChanged',
      pattern: '{ ($.eventSource = cloudtrail.amazonaws.com) && ($.eventName = PutEventSelectors) }',
      threshold: 1,
      description:
        "A trail's event selectors changed: a trail can keep logging while no longer recording management events.",
      source: 'bucketguard (CloudWatch.5 does not include PutEventSelectors)',
      direct: true,
    },
    {
      id: 'kms-key-disabled-or-deletion-scheduled',
      metricName: 'KmsKeyDisabledOrDeletionScheduled',
      pattern: '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
      threshold: 1,
      description:
        "A KMS key was disabled or scheduled for deletion (CIS, Security Hub CloudWatch.7): bucketguard's topic, queue and trail keys included.",
      source: 'Security Hub CloudWatch.7 (exact CIS pattern)',
      direct: true,
    },
    {
      id: 'config-changed',
      metricName: 'ConfigChanges',
      pattern:
        '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
      threshold: 1,
      description:
        'The Config recorder was stopped or changed, or a delivery channel put or deleted (CIS, Security Hub CloudWatch.9).',
      source: 'Security Hub CloudWatch.9 (exact CIS pattern)',
      direct: true,
    },
    {
      id: 'config-recorder-deleted',
      metricName: 'ConfigRecorderDeleted',
      pattern: `{ ($.eventSource = config.amazonaws.com) && ${names(['DeleteConfigurationRecorder', 'DisassociateResourceTypes'])} }`,
      threshold: 1,
      description:
        "The Config recorder was deleted, or resource types were removed from it: bucketguard's rules stop seeing changes.",
      source: 'bucketguard (CloudWatch.9 does not include the recorder delete)',
      direct: true,
    },
    {
      id: 'config-rules-changed',
      metricName: 'BucketGuardConfigRulesChanged',
      pattern:
        `{ ($.eventSource = config.amazonaws.com) && ((${names(['DeleteConfigRule', 'DeleteEvaluationResults'])} && ($.requestParameters.configRuleName = ${rules})) || ` +
        `(($.eventName = PutConfigRule) && (($.requestParameters.configRule.configRuleName = ${rules}) || ($.requestParameters.configRule.configRuleName NOT EXISTS)))) }`,
      threshold: 1,
      description: `One of bucketguard's Config rules (${t.rulePrefix}*) was changed or deleted, or its results deleted.`,
      source: 'bucketguard (a PutConfigRule naming its rule only by ARN or id counts too)',
      direct: true,
    },
    {
      id: 'eventbridge-rules-changed',
      metricName: 'BucketGuardEventRulesChanged',
      pattern:
        `{ ($.eventSource = events.amazonaws.com) && ((${names(['DisableRule', 'DeleteRule', 'PutRule'])} && ($.requestParameters.name = ${rules})) || ` +
        `(${names(['RemoveTargets', 'PutTargets'])} && ($.requestParameters.rule = ${rules}))) }`,
      threshold: 1,
      description: `One of bucketguard's EventBridge rules (${t.rulePrefix}*) was disabled, deleted or changed, or its targets.`,
      source: 'bucketguard',
      direct: true,
    },
    {
      id: 'lambda-functions-changed',
      metricName: 'BucketGuardFunctionsChanged',
      pattern:
        `{ ($.eventSource = lambda.amazonaws.com) && ${names(['"UpdateFunction*"', '"PutFunction*"', '"DeleteFunction*"', '"AddPermission*"', '"RemovePermission*"'])} && ` +
        `($.requestParameters.functionName = ${anyForm}) }`,
      threshold: 1,
      description: `The code, configuration, concurrency or permissions of a bucketguard function (${t.rulePrefix}*) changed, or it was deleted.`,
      source: 'bucketguard (event names are matched as prefixes: CloudTrail adds API-version suffixes)',
      direct: true,
    },
    {
      id: 'sns-topic-changed',
      metricName: 'BucketGuardTopicChanged',
      pattern:
        `{ ($.eventSource = sns.amazonaws.com) && ((${names(['SetTopicAttributes', 'Subscribe', 'DeleteTopic', 'AddPermission', 'RemovePermission'])} && ($.requestParameters.topicArn = "${t.topicArn}")) || ` +
        `(${names(['Unsubscribe', 'SetSubscriptionAttributes'])} && ($.requestParameters.subscriptionArn = "${t.topicArn}:*"))) }`,
      threshold: 1,
      description:
        "bucketguard's topic changed: its policy or attributes, a subscription added, removed or filtered, or the topic deleted.",
      source: 'bucketguard',
      direct: true,
    },
    {
      id: 'ssm-parameters-changed',
      metricName: 'BucketGuardParametersChanged',
      pattern:
        `{ ($.eventSource = ssm.amazonaws.com) && ((${names(['PutParameter', 'DeleteParameter', 'LabelParameterVersion'])} && ($.requestParameters.name = "*${t.parameterPath}*")) || ` +
        '($.eventName = DeleteParameters)) }',
      threshold: 1,
      description: `A bucketguard parameter (${t.parameterPath}*, e.g. the approved exemptions) was put or deleted, or parameters were deleted in bulk.`,
      source: 'bucketguard (DeleteParameters names a list, so any bulk delete counts)',
      direct: true,
    },
    {
      id: 'alarms-changed',
      metricName: 'BucketGuardAlarmsChanged',
      pattern:
        `{ ($.eventSource = monitoring.amazonaws.com) && (${names(['DeleteAlarms', 'DisableAlarmActions'])} || ` +
        `(${names(['PutMetricAlarm', 'SetAlarmState'])} && ($.requestParameters.alarmName = "${t.alarmPrefix}*"))) }`,
      threshold: 1,
      description: `Alarms were deleted or their actions disabled, or a bucketguard alarm (${t.alarmPrefix}*) was changed or its state set by hand.`,
      source: 'bucketguard (DeleteAlarms and DisableAlarmActions name a list, so any counts)',
      direct: true,
    },
    {
      id: 'metric-filters-changed',
      metricName: 'BucketGuardMetricFiltersChanged',
      pattern: `{ ($.eventSource = logs.amazonaws.com) && ${names(['DeleteMetricFilter', 'PutMetricFilter'])} && ($.requestParameters.filterName = "${t.alarmPrefix}*") }`,
      threshold: 1,
      description: `A bucketguard metric filter (${t.alarmPrefix}*) on the trail's log group was changed or deleted.`,
      source: 'bucketguard',
      direct: true,
    },
  ];
}

/** Every metric filter + alarm of a deployment: the S3/CIS table, then the tamper filters for its own resources. */
export function cloudTrailAlarms(targets: TamperTargets): CloudTrailAlarmSpec[] {
  return [...CLOUDTRAIL_ALARMS, ...tamperAlarms(targets)];
}
