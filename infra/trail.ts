/**
 * The CloudTrail path: optionally a multi-Region trail (KMS-encrypted, log file validation, CloudWatch Logs
 * delivery), then one metric filter + alarm per row of CLOUDTRAIL_ALARMS on whichever log group receives the trail.
 */
import { Aws, Duration, type IResolvable, type IResolveContext, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { logAccessTo } from './access-logs';
import { ALARM_PERIOD_SECONDS, CLOUDTRAIL_ALARMS, METRIC_NAMESPACE } from './alarm-table';
import type { TrailOption } from './props';

export interface TrailAlarmsProps {
  readonly trail: Exclude<TrailOption, { kind: 'none' }>;
  readonly alarmPrefix: string;
  readonly logRetention: logs.RetentionDays;
  /** Server access logs for the trail bucket. */
  readonly accessLogsBucket?: s3.Bucket;
}

export class TrailAlarms extends Construct {
  /** The log group the metric filters read (created here, or imported by name). */
  readonly logGroup: logs.ILogGroup;
  readonly trail?: cloudtrail.Trail;
  readonly trailBucket?: s3.Bucket;
  readonly trailKey?: kms.Key;
  readonly metricFilters = new Map<string, logs.MetricFilter>();
  readonly alarms = new Map<string, cloudwatch.Alarm>();

  constructor(scope: Construct, id: string, props: TrailAlarmsProps) {
    super(scope, id);

    if (props.trail.kind === 'existing-log-group') {
      this.logGroup = props.trail.logGroup;
    } else {
      const created = this.createTrail(props.logRetention, props.accessLogsBucket);
      this.logGroup = created.logGroup;
      this.trail = created.trail;
      this.trailBucket = created.bucket;
      this.trailKey = created.key;
    }

    for (const spec of CLOUDTRAIL_ALARMS) {
      const name = `${props.alarmPrefix}${spec.id}`;
      const filter = new logs.MetricFilter(this, `Filter-${spec.id}`, {
        logGroup: this.logGroup,
        filterName: name,
        filterPattern: logs.FilterPattern.literal(spec.pattern),
        metricNamespace: METRIC_NAMESPACE,
        metricName: spec.metricName,
        metricValue: '1',
      });
      const alarm = new cloudwatch.Alarm(this, `Alarm-${spec.id}`, {
        alarmName: name,
        alarmDescription: spec.description,
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.seconds(ALARM_PERIOD_SECONDS) }),
        threshold: spec.threshold,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.metricFilters.set(spec.id, filter);
      this.alarms.set(spec.id, alarm);
    }
  }

  private createTrail(
    logRetention: logs.RetentionDays,
    accessLogs: s3.Bucket | undefined,
  ): {
    key: kms.Key;
    bucket: s3.Bucket;
    logGroup: logs.LogGroup;
    trail: cloudtrail.Trail;
  } {
    const account = Aws.ACCOUNT_ID;
    const partition = Aws.PARTITION;

    const key = new kms.Key(this, 'TrailKey', {
      enableKeyRotation: true,
      description: 'bucketguard: CloudTrail log files',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudTrail encrypts log files with this key, only for trails of this account (AWS's documented key policy).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToEncryptLogs',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${account}:trail/*`,
          },
        },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToDescribeKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );

    const bucket = new s3.Bucket(this, 'TrailBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (accessLogs) logAccessTo(bucket, accessLogs, 'trail-bucket/');

    const logGroup = new logs.LogGroup(this, 'TrailLogGroup', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const trail = new cloudtrail.Trail(this, 'Trail', {
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      encryptionKey: key,
      bucket,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: logGroup,
      managementEvents: cloudtrail.ReadWriteType.ALL,
    });
    pinCloudTrailStatementsToAccount(bucket);
    return { key, bucket, logGroup, trail };
  }
}

const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';

/**
 * cloudtrail.Trail grants cloudtrail.amazonaws.com s3:GetBucketAcl and s3:PutObject on the trail bucket with no
 * aws:SourceAccount / aws:SourceArn condition, so any account's trail could deliver into it (the confused deputy
 * AWS's CloudTrail bucket-policy guidance warns about; bucketguard's own cross-account rule reports it). Each such
 * statement gets `aws:SourceAccount` = this account, at synth, whatever CDK added. (aws:SourceArn would name the
 * trail, whose ARN depends on the bucket policy: a cycle.)
 */
function pinCloudTrailStatementsToAccount(bucket: s3.Bucket): void {
  const policy = bucket.policy?.node.defaultChild as s3.CfnBucketPolicy | undefined;
  if (!policy) return;
  const original: unknown = policy.policyDocument;
  const pinned: IResolvable = {
    creationStack: [],
    toString: () => 'bucketguard: trail bucket policy, CloudTrail statements pinned to this account',
    resolve: (context: IResolveContext) => {
      const document = context.resolve(original) as { Statement?: Record<string, unknown>[] };
      for (const statement of document.Statement ?? []) {
        const principal = statement.Principal as { Service?: unknown } | undefined;
        if (statement.Effect !== 'Allow' || principal?.Service !== CLOUDTRAIL_PRINCIPAL) continue;
        const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
        statement.Condition = {
          ...condition,
          StringEquals: { ...condition.StringEquals, 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        };
      }
      return document;
    },
  };
  policy.policyDocument = pinned;
}
