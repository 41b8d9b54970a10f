/**
 * bucketguard defending its own path (issue 13 "Tampering with bucketguard itself raises an alarm"):
 * - a Lambda Errors alarm per function, notifying the topic directly (an SNS alarm action) as well as through the
 *   EventBridge alarm rule and the notify Lambda, so a broken notifier cannot hide its own failure;
 * - the topic accepts Publish only from bucketguard's roles and from CloudWatch alarms of this account: anyone
 *   else's Publish is denied, so no one can send a forged "[bucketguard] FIXED" email through it.
 */
import { Aws, Duration, Lazy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ALARM_PERIOD_SECONDS } from './alarm-table';
import type { BucketGuardFunction } from './function';

export const ALLOW_ALARMS_SID = 'AllowBucketGuardAlarmsToPublish';
export const DENY_OTHER_PUBLISHERS_SID = 'DenyPublishExceptBucketGuard';

/** ARNs of the alarms bucketguard names (`<alarmPrefix>...`) in this account and Region. */
export function alarmArnPattern(alarmPrefix: string): string {
  return `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${alarmPrefix}*`;
}

/** The conditions that make a CloudWatch request one of bucketguard's own alarms of this account. */
export function ownAlarmConditions(alarmPrefix: string): Record<string, Record<string, string>> {
  return {
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: { 'aws:SourceArn': alarmArnPattern(alarmPrefix) },
  };
}

/** `<alarmPrefix>lambda-errors-<what>`: one alarm per function. */
export function lambdaErrorsAlarmName(alarmPrefix: string, what: string): string {
  return `${alarmPrefix}lambda-errors-${what}`;
}

/** Any error of the function in 5 minutes (an invocation that threw or timed out, retried or not). */
export function lambdaErrorsAlarm(
  scope: Construct,
  id: string,
  fn: BucketGuardFunction,
  name: string,
  topic: sns.ITopic,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: name,
    alarmDescription: `bucketguard function ${fn.serviceName} failed an invocation (Lambda Errors >= 1 in 5 minutes).`,
    metric: fn.function.metricErrors({
      statistic: cloudwatch.Stats.SUM,
      period: Duration.seconds(ALARM_PERIOD_SECONDS),
    }),
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  return alarm;
}

/**
 * The topic's publish policy: CloudWatch may publish for bucketguard's alarms of this account; every other publisher
 * than bucketguard's roles is denied. The Deny needs both conditions to hold: the caller is none of the roles
 * (aws:PrincipalArn, which names the role of an assumed-role session), and the request does not come from a service
 * acting for this account (aws:SourceAccount, which a service principal sends and an IAM principal cannot). A key
 * absent from the request makes a negated condition true: an IAM caller of any account matches both and is denied;
 * CloudWatch for this account does not match the second; bucketguard's roles do not match the first. The role list is
 * read at synth (`publishers()`), so a role granted sns:Publish later in the constructor is included.
 */
export function restrictTopicPublish(
  topic: sns.ITopic,
  alarmPrefix: string,
  publishers: () => readonly iam.IRole[],
): void {
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: ALLOW_ALARMS_SID,
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: ownAlarmConditions(alarmPrefix),
    }),
  );
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: DENY_OTHER_PUBLISHERS_SID,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        ArnNotEquals: {
          'aws:PrincipalArn': Lazy.list({ produce: () => publishers().map((role) => role.roleArn) }),
        },
        StringNotEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      },
    }),
  );
}
