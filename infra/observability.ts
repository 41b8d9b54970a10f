/**
 * What an operator looks at: the compliance-change archive (and the metric it feeds), the dashboard, and the saved
 * Logs Insights queries.
 *
 * AWS Config publishes no per-rule compliance metric, so bucketguard archives its rules' compliance-change events
 * to a log group (an EventBridge target) and counts them with a metric filter whose dimensions come from the event.
 */
import { ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_PERIOD_SECONDS, METRIC_NAMESPACE } from './alarm-table';
import {
  complianceArchivePattern,
  S3_ACCOUNT_PERMISSION_EVENT_NAMES,
  S3_BUCKET_PERMISSION_EVENT_NAMES,
} from './event-patterns';

export const COMPLIANCE_METRIC_NAME = 'ComplianceChanges';
export const COMPLIANCE_METRIC_PATTERN =
  '{ ($.detail.messageType = "ComplianceChangeNotification") && ($.detail.configRuleName = *) && ($.detail.newEvaluationResult.complianceType = *) }';
export const COMPLIANCE_METRIC_DIMENSIONS = {
  Rule: '$.detail.configRuleName',
  Compliance: '$.detail.newEvaluationResult.complianceType',
} as const;

/** Emitted by the remediation Lambda through Powertools (EMF), which adds the `service` dimension. */
export const REMEDIATION_METRIC_NAME = 'RemediationOutcome';
export const REMEDIATION_METRIC_DIMENSIONS = ['Action', 'Status', 'service'] as const;

export interface ComplianceArchiveProps {
  readonly rulePrefix: string;
  /** The archive rule's fixed name (infra/names.ts). */
  readonly ruleName?: string;
  readonly logRetention: logs.RetentionDays;
  readonly deadLetterQueue: sqs.IQueue;
}

export class ComplianceArchive extends Construct {
  readonly logGroup: logs.LogGroup;
  readonly rule: events.Rule;
  readonly metricFilter: logs.MetricFilter;

  constructor(scope: Construct, id: string, props: ComplianceArchiveProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    // EventBridge wants the log group ARN without the trailing ":*" that logGroupArn carries.
    const targetArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: this.logGroup.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: props.ruleName,
      description: 'bucketguard: archive every compliance change of bucketguard Config rules (dashboard counts).',
      eventPattern: complianceArchivePattern(props.rulePrefix),
    });
    const deadLetterQueue = props.deadLetterQueue;
    this.rule.addTarget({
      bind: () => ({
        arn: targetArn,
        deadLetterConfig: { arn: deadLetterQueue.queueArn },
        retryPolicy: { maximumEventAgeInSeconds: Duration.hours(24).toSeconds(), maximumRetryAttempts: 185 },
      }),
    });
    deadLetterQueue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowComplianceArchiveRuleDeadLetters',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [deadLetterQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );
    // The resource policy CloudWatch Logs needs before EventBridge may write (the console adds it silently;
    // CloudFormation does not). Scoped to this log group and this rule.
    new logs.ResourcePolicy(this, 'DeliveryPolicy', {
      // Resource policy names are per account and Region: the unique name includes the stack name, so two
      // deployments never clash (the default would be the stack-relative logical id).
      resourcePolicyName: Names.uniqueResourceName(this, { maxLength: 255 }),
      policyStatements: [
        new iam.PolicyStatement({
          principals: [
            new iam.ServicePrincipal('events.amazonaws.com'),
            new iam.ServicePrincipal('delivery.logs.amazonaws.com'),
          ],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
          conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
        }),
      ],
    });
    this.metricFilter = new logs.MetricFilter(this, 'Metric', {
      logGroup: this.logGroup,
      filterName: `${props.rulePrefix}compliance-changes`,
      filterPattern: logs.FilterPattern.literal(COMPLIANCE_METRIC_PATTERN),
      metricNamespace: METRIC_NAMESPACE,
      metricName: COMPLIANCE_METRIC_NAME,
      metricValue: '1',
      dimensions: { ...COMPLIANCE_METRIC_DIMENSIONS },
    });
  }
}

export interface BucketGuardDashboardProps {
  readonly rulePrefix: string;
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The CloudTrail metric-filter counts, one series each. */
  readonly filterMetrics: readonly cloudwatch.IMetric[];
  readonly complianceLogGroup: logs.ILogGroup;
  readonly deadLetterQueue: sqs.IQueue;
}

const PERIOD = Duration.seconds(ALARM_PERIOD_SECONDS);

/**
 * `SEARCH` with the exact dimension set, so it finds only bucketguard's series; each series is labelled with its
 * dimension values (rule + result, action + status).
 */
function searchExpression(metricName: string, dimensions: readonly string[]): cloudwatch.IMetric {
  const schema = [METRIC_NAMESPACE, ...dimensions].join(',');
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${schema}} MetricName="${metricName}"', 'Sum', ${ALARM_PERIOD_SECONDS})`,
    usingMetrics: {},
    // '' keeps only the per-series labels (CDK would otherwise label every series with the expression text).
    label: '',
    period: PERIOD,
  });
}

export class BucketGuardDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BucketGuardDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# bucketguard\nConfig rules \`${props.rulePrefix}*\`, CloudTrail alarms, remediation outcomes.`,
        width: 24,
        height: 2,
      }),
    );
    if (props.alarms.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
      );
    }
    if (props.filterMetrics.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'CloudTrail metric filters (events per 5 minutes)',
          left: [...props.filterMetrics],
          width: 24,
          height: 6,
          period: PERIOD,
        }),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Config compliance changes by rule and result',
        period: PERIOD,
        left: [searchExpression(COMPLIANCE_METRIC_NAME, ['Compliance', 'Rule'])],
        width: 12,
        height: 6,
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Latest compliance per rule and resource',
        logGroupNames: [props.complianceLogGroup.logGroupName],
        queryLines: [
          'fields detail.configRuleName as rule, detail.resourceType as type, detail.resourceId as resource, detail.newEvaluationResult.complianceType as compliance',
          'stats latest(compliance) as current, latest(@timestamp) as since by rule, type, resource',
          'sort current asc, rule asc',
          'limit 200',
        ],
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: 12,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Remediation outcomes by action and status',
        period: PERIOD,
        left: [searchExpression(REMEDIATION_METRIC_NAME, REMEDIATION_METRIC_DIMENSIONS)],
        width: 12,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead letters (failed deliveries and invocations)',
        period: PERIOD,
        left: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            statistic: cloudwatch.Stats.MAXIMUM,
            period: PERIOD,
          }),
        ],
        width: 12,
        height: 6,
      }),
    );
  }
}

export interface SavedQueriesProps {
  readonly prefix: string;
  /** CloudTrail log group; without it only the remediation query is saved. */
  readonly trailLogGroup?: logs.ILogGroup;
  readonly remediationLogGroup: logs.ILogGroup;
}

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

export const VISIBILITY_EVENT_NAMES = [...S3_BUCKET_PERMISSION_EVENT_NAMES, ...S3_ACCOUNT_PERMISSION_EVENT_NAMES];

export const QUERY_WHO_CHANGED_VISIBILITY = [
  'fields @timestamp as time, eventName, requestParameters.bucketName as bucket,',
  '  coalesce(userIdentity.arn, userIdentity.invokedBy, userIdentity.type) as actor, sourceIPAddress as sourceIp, errorCode',
  `| filter eventSource = "s3.amazonaws.com" and eventName in [${quoted(VISIBILITY_EVENT_NAMES)}]`,
  '| sort @timestamp desc',
  '| limit 1000',
].join('\n');

export const QUERY_BUCKET_PERMISSION_CHANGES = [
  '# Replace example-bucket with the bucket to investigate.',
  'fields @timestamp as time, eventName, coalesce(userIdentity.arn, userIdentity.invokedBy, userIdentity.type) as actor,',
  '  sourceIPAddress as sourceIp, userAgent, errorCode, requestParameters',
  '| filter eventSource = "s3.amazonaws.com" and requestParameters.bucketName = "example-bucket"',
  `| filter eventName in [${quoted(S3_BUCKET_PERMISSION_EVENT_NAMES)}]`,
  '| sort @timestamp desc',
  '| limit 1000',
].join('\n');

export const QUERY_REMEDIATION_HISTORY = [
  // One "Remediation outcome" line per action and target (remediation/response/respond.ts logs the Outcome).
  'fields @timestamp as time, action, targetKind, target, mode, status, reason',
  '| filter message = "Remediation outcome"',
  '| sort @timestamp desc',
  '| limit 1000',
].join('\n');

export class SavedQueries extends Construct {
  readonly queries: logs.CfnQueryDefinition[] = [];
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    this.prefix = props.prefix;
    if (props.trailLogGroup) {
      this.add('WhoChangedVisibility', 'who-changed-bucket-visibility', QUERY_WHO_CHANGED_VISIBILITY, [
        props.trailLogGroup,
      ]);
      this.add('BucketPermissionChanges', 's3-permission-changes-for-a-bucket', QUERY_BUCKET_PERMISSION_CHANGES, [
        props.trailLogGroup,
      ]);
    }
    this.add('RemediationHistory', 'remediation-history', QUERY_REMEDIATION_HISTORY, [props.remediationLogGroup]);
  }

  private add(id: string, slug: string, queryString: string, logGroups: logs.ILogGroup[]): void {
    // "<folder>/<slug>": the slash files the queries in one folder in the Logs Insights console.
    const folder = this.prefix.replace(/[-_]+$/, '') || 'bucketguard';
    this.queries.push(
      new logs.CfnQueryDefinition(this, id, {
        name: `${folder}/${slug}`,
        queryString,
        logGroupNames: logGroups.map((g) => g.logGroupName),
      }),
    );
  }
}
