/**
 * Dashboard, compliance archive and saved Logs Insights queries.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CLOUDTRAIL_ALARMS } from '../../infra/alarm-table';
import { S3_BUCKET_PERMISSION_EVENT_NAMES } from '../../infra/event-patterns';
import {
  COMPLIANCE_METRIC_DIMENSIONS,
  COMPLIANCE_METRIC_PATTERN,
  REMEDIATION_METRIC_DIMENSIONS,
} from '../../infra/observability';
import { outcomeMetricRecorder } from '../../remediation/runtime/runtime';
import { logicalId, resourcesOfType, type SynthResult, synthBucketGuard } from './helpers';

let result: SynthResult;
let dashboard: { widgets: { type: string; properties: Record<string, unknown> }[] };
beforeAll(() => {
  result = synthBucketGuard();
  const body = Object.values(resourcesOfType(result, 'AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody as {
    'Fn::Join': [string, unknown[]];
  };
  // Tokens (alarm ARNs, log group names) become placeholders; the layout is what is checked here.
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  dashboard = JSON.parse(text);
});

const id = (construct: { node: { defaultChild?: unknown } }): string => logicalId(result, construct);

function widgetTitled(title: string): { type: string; properties: Record<string, unknown> } {
  const widget = dashboard.widgets.find((w) => w.properties.title === title);
  if (!widget) throw new Error(`No widget "${title}"; have ${dashboard.widgets.map((w) => w.properties.title)}`);
  return widget;
}

describe('dashboard', () => {
  it('shows every alarm', () => {
    const alarms = widgetTitled('Alarms').properties.alarms as string[];
    // The CloudTrail alarms (S3 / CIS and tamper), the dead-letter alarm, one Lambda Errors alarm per function.
    expect(alarms).toHaveLength(result.guard.trailAlarms!.specs.length + 1 + result.guard.rules.length + 2);
    expect(result.guard.errorAlarms.size).toBe(result.guard.rules.length + 2);
  });

  it('graphs every metric-filter count (Sum per 5 minutes)', () => {
    const widget = widgetTitled('CloudTrail metric filters (events per 5 minutes)');
    const metrics = widget.properties.metrics as unknown[][];
    expect(metrics.map((m) => [m[0], m[1]])).toEqual(
      result.guard.trailAlarms!.specs.map((spec) => ['bucketguard', spec.metricName]),
    );
    expect(result.guard.trailAlarms!.specs.slice(0, CLOUDTRAIL_ALARMS.length)).toEqual(CLOUDTRAIL_ALARMS);
    for (const metric of metrics) expect(metric[2]).toMatchObject({ stat: 'Sum' });
    expect(widget.properties.period).toBe(300);
  });

  it('graphs Config compliance changes and remediation outcomes with exact-dimension SEARCH expressions', () => {
    const compliance = widgetTitled('Config compliance changes by rule and result').properties.metrics as unknown[][];
    expect(compliance).toEqual([
      [{ expression: `SEARCH('{bucketguard,Compliance,Rule} MetricName="ComplianceChanges"', 'Sum', 300)` }],
    ]);
    const remediation = widgetTitled('Remediation outcomes by action and status').properties.metrics as unknown[][];
    expect(remediation).toEqual([
      [{ expression: `SEARCH('{bucketguard,Action,Status,service} MetricName="RemediationOutcome"', 'Sum', 300)` }],
    ]);
  });

  it('tables the latest compliance per rule and resource from the archive', () => {
    const widget = widgetTitled('Latest compliance per rule and resource');
    expect(widget.type).toBe('log');
    expect(widget.properties.query).toContain(
      'stats latest(compliance) as current, latest(@timestamp) as since by rule, type, resource',
    );
  });
});

describe('compliance archive', () => {
  it('archives compliance changes of bucketguard rules to a log group, via a resource policy scoped to the rule', () => {
    const archive = result.guard.complianceArchive;
    result.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        detail: { messageType: ['ComplianceChangeNotification'], configRuleName: [{ prefix: 'bucketguard-' }] },
      },
      Targets: [
        {
          Arn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':logs:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':log-group:',
                { Ref: id(archive.logGroup) },
              ],
            ],
          },
          Id: 'Target0',
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(result.guard.deadLetterQueue), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        },
      ],
    });
    const policies = Object.values(resourcesOfType(result, 'AWS::Logs::ResourcePolicy'));
    expect(policies).toHaveLength(1);
    // The document is a JSON string with the rule and log group ARNs spliced in: substitute them and parse.
    const join = policies[0].Properties.PolicyDocument as { 'Fn::Join': [string, unknown[]] };
    const document = JSON.parse(
      join['Fn::Join'][1]
        .map((part) =>
          typeof part === 'string' ? part : `GETATT:${(part as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]}`,
        )
        .join(''),
    );
    expect(document.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `GETATT:${id(archive.logGroup)}`,
        Condition: { ArnEquals: { 'aws:SourceArn': `GETATT:${id(archive.rule)}` } },
      },
    ]);
  });

  it('counts changes with Rule and Compliance dimensions taken from the event', () => {
    result.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterName: 'bucketguard-compliance-changes',
      FilterPattern: COMPLIANCE_METRIC_PATTERN,
      LogGroupName: { Ref: id(result.guard.complianceArchive.logGroup) },
      MetricTransformations: [
        {
          MetricName: 'ComplianceChanges',
          MetricNamespace: 'bucketguard',
          MetricValue: '1',
          Dimensions: Object.entries(COMPLIANCE_METRIC_DIMENSIONS).map(([Key, Value]) => ({ Key, Value })),
        },
      ],
    });
  });
});

describe('saved queries', () => {
  const queries = () =>
    Object.values(resourcesOfType(result, 'AWS::Logs::QueryDefinition')).map((q) => q.Properties) as {
      Name: string;
      QueryString: string;
      LogGroupNames: unknown[];
    }[];

  it('saves the three investigations in one folder', () => {
    expect(
      queries()
        .map((q) => q.Name)
        .sort(),
    ).toEqual([
      'bucketguard/remediation-history',
      'bucketguard/s3-permission-changes-for-a-bucket',
      'bucketguard/who-changed-bucket-visibility',
    ]);
  });

  it('who changed bucket visibility: event, bucket, actor, source IP and time from the trail log group', () => {
    const query = queries().find((q) => q.Name === 'bucketguard/who-changed-bucket-visibility')!;
    expect(query.LogGroupNames).toEqual([{ Ref: id(result.guard.trailAlarms!.logGroup as never) }]);
    for (const field of [
      '@timestamp as time',
      'eventName',
      'requestParameters.bucketName as bucket',
      'as actor',
      'sourceIPAddress as sourceIp',
    ]) {
      expect(query.QueryString).toContain(field);
    }
    for (const name of [
      ...S3_BUCKET_PERMISSION_EVENT_NAMES,
      'PutAccountPublicAccessBlock',
      'DeleteAccountPublicAccessBlock',
    ]) {
      expect(query.QueryString).toContain(`"${name}"`);
    }
  });

  it('permission changes for a bucket: filtered on the bucket name placeholder', () => {
    const query = queries().find((q) => q.Name === 'bucketguard/s3-permission-changes-for-a-bucket')!;
    expect(query.QueryString).toContain('requestParameters.bucketName = "example-bucket"');
    expect(query.QueryString.split('\n')[0]).toBe('# Replace example-bucket with the bucket to investigate.');
  });

  it('remediation history reads the remediation Lambda log group', () => {
    const query = queries().find((q) => q.Name === 'bucketguard/remediation-history')!;
    expect(query.LogGroupNames).toEqual([{ Ref: id(result.guard.remediation.logGroup) }]);
  });
});

describe('the dashboard reads what the Lambdas write', () => {
  it('RemediationOutcome carries exactly the dimensions the SEARCH schema names', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const previous = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    try {
      const record = outcomeMetricRecorder(
        new Metrics({ namespace: 'bucketguard', serviceName: 'bucketguard-remediation' }),
      );
      record({ action: 'block-public-access', status: 'changed' } as never);
    } finally {
      process.env.POWERTOOLS_METRICS_DISABLED = previous;
      spy.mockRestore();
    }
    const emf = written.map((line) => JSON.parse(line)).find((entry) => entry._aws);
    const directive = emf._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('bucketguard');
    expect(directive.Metrics).toEqual([{ Name: 'RemediationOutcome', Unit: 'Count' }]);
    expect([...directive.Dimensions[0]].sort()).toEqual([...REMEDIATION_METRIC_DIMENSIONS].sort());
  });
});

it('names the log resource policy after the stack, so two deployments in one account never clash', () => {
  const other = synthBucketGuard({ stackName: 'BucketGuardStaging' });
  const name = (r: SynthResult) =>
    Object.values(resourcesOfType(r, 'AWS::Logs::ResourcePolicy'))[0].Properties.PolicyName as string;
  expect(name(result)).toMatch(/^BucketGuardComplianceArchive[0-9A-F]{8}$/);
  expect(name(other)).toMatch(/^BucketGuardStagingBucketGuardComplianceArchive[0-9A-F]{8}$/);
});
