/**
 * The CloudTrail path: optionally a multi-Region trail (KMS-encrypted, log file validation, CloudWatch Logs
 * delivery to a log group encrypted with the same customer-managed key), then one metric filter + alarm per row of
 * the alarm table (infra/alarm-table.ts cloudTrailAlarms: the S3 / CIS rows and the tamper rows) on whichever log
 * group receives the trail.
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
import { ALARM_PERIOD_SECONDS, type CloudTrailAlarmSpec, METRIC_NAMESPACE } from './alarm-table';
import type { TrailOption } from './props';

export interface TrailAlarmsProps {
  readonly trail: Exclude<TrailOption, { kind: 'none' }>;
  readonly alarmPrefix: string;
  /** The rows to generate a metric filter + alarm for (cloudTrailAlarms of this deployment). */
  readonly specs: readonly CloudTrailAlarmSpec[];
  /** Name of the trail created (kind "create"): fixed, so the bucket and key policies can name its ARN. */
  readonly trailName: string;
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
  /** The trail's ARN (kind "create"), as the bucket and key policies pin it. */
  readonly trailArn?: string;
  readonly specs: readonly CloudTrailAlarmSpec[];
  readonly metricFilters = new Map<string, logs.MetricFilter>();
  readonly alarms = new Map<string, cloudwatch.Alarm>();

  constructor(scope: Construct, id: string, props: TrailAlarmsProps) {
    super(scope, id);
    this.specs = props.specs;

    if (props.trail.kind === 'existing-log-group') {
      this.logGroup = props.trail.logGroup;
    } else {
      this.trailArn = `arn:${Aws.PARTITION}:cloudtrail:${Aws.REGION}:${Aws.ACCOUNT_ID}:trail/${props.trailName}`;
      const created = this.createTrail(props.logRetention, props.accessLogsBucket, props.trailName, this.trailArn);
      this.logGroup = created.logGroup;
      this.trail = created.trail;
      this.trailBucket = created.bucket;
      this.trailKey = created.key;
    }

    for (const spec of props.specs) {
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
    trailName: string,
    trailArn: string,
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
    // CloudTrail encrypts log files with this key, only for this trail (AWS's documented key policy: aws:SourceArn
    // names the trail, the encryption context any trail of this account).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToEncryptLogs',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account, 'aws:SourceArn': trailArn },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${account}:trail/*`,
          },
        },
      }),
    );
    // CloudWatch Logs encrypts the trail's log group with this key too, for log groups of this account and Region
    // only (the log group's own ARN would make the key depend on the group that depends on the key).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsToEncryptTheTrailLogGroup',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${Aws.REGION}:${account}:log-group:*`,
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
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const trail = new cloudtrail.Trail(this, 'Trail', {
      trailName,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      encryptionKey: key,
      bucket,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: logGroup,
      managementEvents: cloudtrail.ReadWriteType.ALL,
    });
    pinCloudTrailStatementsToTrail(bucket, trailArn);
    return { key, bucket, logGroup, trail };
  }
}

const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';

/**
 * cloudtrail.Trail grants cloudtrail.amazonaws.com s3:GetBucketAcl and s3:PutObject on the trail bucket with no
 * aws:SourceAccount / aws:SourceArn condition, so any account's trail could deliver into it (the confused deputy
 * AWS's CloudTrail bucket-policy guidance warns about; bucketguard's own cross-account rule reports it). Each such
 * statement gets `aws:SourceAccount` = this account and `aws:SourceArn` = this trail, at synth, whatever CDK added.
 * The trail's ARN is built from its fixed name, not read from the trail (which depends on the bucket policy).
 */
function pinCloudTrailStatementsToTrail(bucket: s3.Bucket, trailArn: string): void {
  const policy = bucket.policy?.node.defaultChild as s3.CfnBucketPolicy | undefined;
  if (!policy) return;
  const original: unknown = policy.policyDocument;
  const pinned: IResolvable = {
    creationStack: [],
    toString: () => 'bucketguard: trail bucket policy, CloudTrail statements pinned to this trail',
    resolve: (context: IResolveContext) => {
      const document = context.resolve(original) as { Statement?: Record<string, unknown>[] };
      for (const statement of document.Statement ?? []) {
        const principal = statement.Principal as { Service?: unknown } | undefined;
        if (statement.Effect !== 'Allow' || principal?.Service !== CLOUDTRAIL_PRINCIPAL) continue;
        const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
        statement.Condition = {
          ...condition,
          StringEquals: {
            ...condition.StringEquals,
            'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            'aws:SourceArn': context.resolve(trailArn),
          },
        };
      }
      return document;
    },
  };
  policy.policyDocument = pinned;
}
