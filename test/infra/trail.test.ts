/**
 * The CloudTrail path in its three modes, and the metric filters + alarms generated from the data table.
 */
import * as logs from 'aws-cdk-lib/aws-logs';
import { CLOUDTRAIL_ALARMS } from '../../infra/alarm-table';
import { logicalId, resourcesOfType, type SynthResult, synthBucketGuard } from './helpers';

describe('trail: create (default)', () => {
  let result: SynthResult;
  beforeAll(() => {
    result = synthBucketGuard();
  });
  const id = (construct: { node: { defaultChild?: unknown } }): string => logicalId(result, construct);

  it('is multi-Region, validates log files, encrypts with its own rotated key and delivers to CloudWatch Logs', () => {
    const trail = result.guard.trailAlarms!;
    result.template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    result.template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      KMSKeyId: { 'Fn::GetAtt': [id(trail.trailKey!), 'Arn'] },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [id(trail.logGroup as never), 'Arn'] },
      S3BucketName: { Ref: id(trail.trailBucket!) },
    });
    expect(resourcesOfType(result, 'AWS::KMS::Key')[id(trail.trailKey!)].Properties.EnableKeyRotation).toBe(true);
  });

  it('lets CloudTrail encrypt only for trails of this account', () => {
    const key = resourcesOfType(result, 'AWS::KMS::Key')[id(result.guard.trailAlarms!.trailKey!)].Properties;
    expect((key.KeyPolicy as { Statement: unknown[] }).Statement).toContainEqual(
      expect.objectContaining({
        Sid: 'AllowCloudTrailToEncryptLogs',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:', { Ref: 'AWS::AccountId' }, ':trail/*'],
              ],
            },
          },
        },
      }),
    );
  });

  it('keeps the trail bucket private, TLS-only, versioned and access-logged', () => {
    result.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: id(result.guard.accessLogsBucket!) },
        LogFilePrefix: 'trail-bucket/',
      },
    });
  });

  it('generates one metric filter per table row, pattern verbatim, counting 1 per match', () => {
    const filters = Object.values(resourcesOfType(result, 'AWS::Logs::MetricFilter'))
      .map((f) => f.Properties)
      .filter(
        (f) => String(f.FilterName).startsWith('bucketguard-') && f.FilterName !== 'bucketguard-compliance-changes',
      );
    expect(filters).toHaveLength(CLOUDTRAIL_ALARMS.length);
    for (const spec of CLOUDTRAIL_ALARMS) {
      expect(filters).toContainEqual({
        FilterName: `bucketguard-${spec.id}`,
        FilterPattern: spec.pattern,
        LogGroupName: { Ref: id(result.guard.trailAlarms!.logGroup as never) },
        MetricTransformations: [{ MetricName: spec.metricName, MetricNamespace: 'bucketguard', MetricValue: '1' }],
      });
    }
  });

  it('alarms on Sum >= threshold over 5 minutes, missing data not breaching, named with the prefix', () => {
    const alarms = Object.values(resourcesOfType(result, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    for (const spec of CLOUDTRAIL_ALARMS) {
      expect(alarms).toContainEqual({
        AlarmName: `bucketguard-${spec.id}`,
        AlarmDescription: spec.description,
        MetricName: spec.metricName,
        Namespace: 'bucketguard',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: spec.threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('has no alarm actions unless asked: alarms reach people through EventBridge and the notify Lambda', () => {
    for (const alarm of Object.values(resourcesOfType(result, 'AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
    const direct = synthBucketGuard({ props: { alarmTopicActions: true } });
    const topic = { Ref: logicalId(direct, direct.guard.topic) };
    for (const spec of CLOUDTRAIL_ALARMS) {
      direct.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `bucketguard-${spec.id}`,
        AlarmActions: [topic],
      });
    }
  });
});

it('trail: log-group:<name> puts the filters on the existing group and creates no trail, key or bucket', () => {
  const existing = synthBucketGuard({
    beforeProps: (scope) => ({
      trailLogGroup: logs.LogGroup.fromLogGroupName(scope, 'OrgTrail', 'aws-controltower/CloudTrailLogs'),
    }),
  });
  existing.template.resourceCountIs('AWS::CloudTrail::Trail', 0);
  existing.template.resourceCountIs('AWS::S3::Bucket', 0);
  existing.template.resourceCountIs('AWS::KMS::Key', 1);
  const filters = Object.values(resourcesOfType(existing, 'AWS::Logs::MetricFilter')).map((f) => f.Properties);
  const onTrail = filters.filter((f) => f.LogGroupName === 'aws-controltower/CloudTrailLogs');
  expect(onTrail).toHaveLength(CLOUDTRAIL_ALARMS.length);
  existing.template.hasResourceProperties('AWS::Logs::QueryDefinition', {
    Name: 'bucketguard/who-changed-bucket-visibility',
    LogGroupNames: ['aws-controltower/CloudTrailLogs'],
  });
});

it('trail: none creates no trail, filters or CloudTrail alarms, and keeps the rest', () => {
  const none = synthBucketGuard({ props: { createTrail: false } });
  none.template.resourceCountIs('AWS::CloudTrail::Trail', 0);
  const alarmNames = Object.values(resourcesOfType(none, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
  expect(alarmNames).toEqual(['bucketguard-dead-letters']);
  const filterNames = Object.values(resourcesOfType(none, 'AWS::Logs::MetricFilter')).map(
    (f) => f.Properties.FilterName,
  );
  expect(filterNames).toEqual(['bucketguard-compliance-changes']);
  none.template.resourceCountIs('AWS::Config::ConfigRule', none.guard.rules.length);
  none.template.resourceCountIs('AWS::Events::Rule', 4);
});
