/**
 * The CloudTrail path in its three modes, and the metric filters + alarms generated from the data table.
 */
import * as logs from 'aws-cdk-lib/aws-logs';
import { CLOUDTRAIL_ALARMS, type CloudTrailAlarmSpec } from '../../infra/alarm-table';
import { logicalId, resourcesOfType, type SynthResult, synthBucketGuard } from './helpers';

describe('trail: create (default)', () => {
  let result: SynthResult;
  beforeAll(() => {
    result = synthBucketGuard();
  });
  const id = (construct: { node: { defaultChild?: unknown } }): string => logicalId(result, construct);
  const specs = (): readonly CloudTrailAlarmSpec[] => result.guard.trailAlarms!.specs;
  const TRAIL_ARN = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':cloudtrail:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ':trail/bucketguard-trail',
      ],
    ],
  };

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

  it('names the trail, so its ARN can be pinned', () => {
    result.template.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'bucketguard-trail' });
  });

  it('lets CloudTrail encrypt only for this trail of this account', () => {
    const key = resourcesOfType(result, 'AWS::KMS::Key')[id(result.guard.trailAlarms!.trailKey!)].Properties;
    expect((key.KeyPolicy as { Statement: unknown[] }).Statement).toContainEqual(
      expect.objectContaining({
        Sid: 'AllowCloudTrailToEncryptLogs',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': TRAIL_ARN },
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

  it('pins every CloudTrail statement of the trail bucket policy to this account and this trail', () => {
    const policy = Object.values(resourcesOfType(result, 'AWS::S3::BucketPolicy')).find(
      (p) =>
        JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id(result.guard.trailAlarms!.trailBucket!) }),
    )!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] };
    const cloudTrail = policy.Statement.filter(
      (s) => (s.Principal as { Service?: string }).Service === 'cloudtrail.amazonaws.com',
    );
    expect(cloudTrail.map((s) => s.Action).sort()).toEqual(['s3:GetBucketAcl', 's3:PutObject']);
    for (const statement of cloudTrail) {
      expect((statement.Condition as { StringEquals: unknown }).StringEquals).toMatchObject({
        'aws:SourceAccount': { Ref: 'AWS::AccountId' },
        'aws:SourceArn': TRAIL_ARN,
      });
    }
  });

  it("encrypts the trail's log group with the trail key, which CloudWatch Logs may use for this account's groups", () => {
    const trail = result.guard.trailAlarms!;
    result.template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [id(trail.trailKey!), 'Arn'] },
    });
    const key = resourcesOfType(result, 'AWS::KMS::Key')[id(trail.trailKey!)].Properties;
    expect((key.KeyPolicy as { Statement: unknown[] }).Statement).toContainEqual(
      expect.objectContaining({
        Sid: 'AllowCloudWatchLogsToEncryptTheTrailLogGroup',
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':logs:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':log-group:*',
                ],
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
    expect(filters).toHaveLength(specs().length);
    expect(specs().length).toBeGreaterThan(CLOUDTRAIL_ALARMS.length);
    for (const spec of specs()) {
      expect(filters).toContainEqual({
        FilterName: `bucketguard-${spec.id}`,
        FilterPattern: result.stack.resolve(spec.pattern),
        LogGroupName: { Ref: id(result.guard.trailAlarms!.logGroup as never) },
        MetricTransformations: [{ MetricName: spec.metricName, MetricNamespace: 'bucketguard', MetricValue: '1' }],
      });
    }
  });

  it('alarms on Sum >= threshold over 5 minutes, missing data not breaching, named with the prefix', () => {
    const alarms = Object.values(resourcesOfType(result, 'AWS::CloudWatch::Alarm')).map((a) => {
      const { AlarmActions: _actions, ...rest } = a.Properties;
      return rest;
    });
    for (const spec of specs()) {
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

  it('S3 / CIS alarms have no alarm action unless asked (EventBridge and notify mail them); tamper alarms always do', () => {
    const topic = { Ref: id(result.guard.topic) };
    const actions = new Map(
      Object.values(resourcesOfType(result, 'AWS::CloudWatch::Alarm')).map((a) => [
        a.Properties.AlarmName,
        a.Properties.AlarmActions,
      ]),
    );
    for (const spec of specs()) {
      expect([spec.id, actions.get(`bucketguard-${spec.id}`)]).toEqual([spec.id, spec.direct ? [topic] : undefined]);
    }
    const direct = synthBucketGuard({ props: { alarmTopicActions: true } });
    for (const spec of direct.guard.trailAlarms!.specs) {
      direct.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `bucketguard-${spec.id}`,
        AlarmActions: [{ Ref: logicalId(direct, direct.guard.topic) }],
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
  // The topic's key and the dead-letter queue's.
  existing.template.resourceCountIs('AWS::KMS::Key', 2);
  const filters = Object.values(resourcesOfType(existing, 'AWS::Logs::MetricFilter')).map((f) => f.Properties);
  const onTrail = filters.filter((f) => f.LogGroupName === 'aws-controltower/CloudTrailLogs');
  expect(onTrail).toHaveLength(existing.guard.trailAlarms!.specs.length);
  existing.template.hasResourceProperties('AWS::Logs::QueryDefinition', {
    Name: 'bucketguard/who-changed-bucket-visibility',
    LogGroupNames: ['aws-controltower/CloudTrailLogs'],
  });
});

it('trail: none creates no trail, filters or CloudTrail alarms, and keeps the rest', () => {
  const none = synthBucketGuard({ props: { createTrail: false } });
  none.template.resourceCountIs('AWS::CloudTrail::Trail', 0);
  const alarmNames = Object.values(resourcesOfType(none, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
  expect(alarmNames).toEqual([
    'bucketguard-dead-letters',
    ...[...none.guard.rules.map((r) => r.rule.id), 'notify', 'remediation'].map(
      (w) => `bucketguard-lambda-errors-${w}`,
    ),
  ]);
  const filterNames = Object.values(resourcesOfType(none, 'AWS::Logs::MetricFilter')).map(
    (f) => f.Properties.FilterName,
  );
  expect(filterNames).toEqual(['bucketguard-compliance-changes']);
  none.template.resourceCountIs('AWS::Config::ConfigRule', none.guard.rules.length);
  none.template.resourceCountIs('AWS::Events::Rule', 4);
});
