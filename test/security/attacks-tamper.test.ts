/**
 * Attacks on bucketguard itself (issue 13 "Tampering with bucketguard itself raises an alarm"), against the
 * synthesized template as written:
 * - a forged "[bucketguard] FIXED" email: Publish to bucketguard's topic by anyone but its roles and its alarms;
 * - tampering calls on bucketguard's own resources, named as the template names them, against the deployed
 *   metric-filter patterns;
 * - a broken notifier hiding its own failure.
 */
import { compileFilterPattern } from '../infra/filter-pattern';
import { logicalId, type SynthResult, synthBucketGuard } from '../infra/helpers';
import { ACCOUNT, evaluate, REGION, type Request, resolveTemplate, type Statement } from './policy-evaluation';

let result: SynthResult;
let topicArn: string;
let statements: Statement[];
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:BucketGuard-Topic-EXAMPLE`;

beforeAll(() => {
  result = synthBucketGuard({ props: { notificationEmails: ['security@example.com'] } });
  topicArn = TOPIC_ARN;
  const refs = { [logicalId(result, result.guard.topic)]: TOPIC_ARN };
  const policies = Object.values(result.json.Resources).filter((r) => r.Type === 'AWS::SNS::TopicPolicy');
  expect(policies).toHaveLength(1);
  const document = resolveTemplate(policies[0].Properties?.PolicyDocument, result.json.Resources, refs) as {
    Statement: Statement[];
  };
  statements = document.Statement;
});

const publish = (principal: Request['principal'], context: Record<string, string> = {}): Request => ({
  principal,
  action: 'sns:Publish',
  resource: topicArn,
  context: { 'aws:SecureTransport': 'true', ...context },
});
const roleOf = (fn: { role: { node: { defaultChild?: unknown } } }) => logicalId(result, fn.role);
const session = (role: string, name = 'session') =>
  ({ kind: 'aws', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${name}` }) as const;

describe('attack: a forged "[bucketguard] FIXED" email published to the topic', () => {
  it.each([
    ['an IAM user of this account', { kind: 'aws', arn: `arn:aws:iam::${ACCOUNT}:user/mallory` } as const],
    ['an administrator role session of this account', session('Admin', 'mallory')],
    ['the account root user', { kind: 'aws', arn: `arn:aws:iam::${ACCOUNT}:root` } as const],
    ['a role of another account', { kind: 'aws', arn: 'arn:aws:sts::123456789012:assumed-role/Partner/eve' } as const],
  ])('is explicitly denied to %s (identity policies cannot override a Deny)', (_who, principal) => {
    expect(evaluate(statements, publish(principal))).toEqual({
      decision: 'explicit-deny',
      by: 'DenyPublishExceptBucketGuard',
    });
  });

  it("is denied to another account's CloudWatch alarm, and not allowed for an alarm outside the prefix", () => {
    const cloudwatch = { kind: 'service', service: 'cloudwatch.amazonaws.com' } as const;
    expect(
      evaluate(
        statements,
        publish(cloudwatch, {
          'aws:SourceAccount': '123456789012',
          'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:123456789012:alarm:bucketguard-dead-letters`,
        }),
      ),
    ).toEqual({ decision: 'explicit-deny', by: 'DenyPublishExceptBucketGuard' });
    expect(
      evaluate(
        statements,
        publish(cloudwatch, {
          'aws:SourceAccount': ACCOUNT,
          'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:team-cpu-high`,
        }),
      ),
    ).toEqual({ decision: 'implicit-deny' });
  });

  it("lets bucketguard's own alarms of this account publish (the direct alarm actions)", () => {
    expect(
      evaluate(
        statements,
        publish(
          { kind: 'service', service: 'cloudwatch.amazonaws.com' },
          {
            'aws:SourceAccount': ACCOUNT,
            'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:bucketguard-lambda-errors-notify`,
          },
        ),
      ),
    ).toEqual({ decision: 'allow', by: 'AllowBucketGuardAlarmsToPublish' });
  });

  it("does not deny bucketguard's publishing roles (their identity policies allow them)", () => {
    expect(evaluate(statements, publish(session(roleOf(result.guard.notify))))).toEqual({ decision: 'implicit-deny' });
    // Every role the topic policy exempts is a bucketguard Lambda role granted sns:Publish on the topic.
    const deny = statements.find((s) => s.Sid === 'DenyPublishExceptBucketGuard')!;
    const exempt = (deny.Condition!.ArnNotEquals['aws:PrincipalArn'] as string[]).map((arn) => arn.split('/').pop());
    expect(exempt).toContain(roleOf(result.guard.notify));
    const functions = [...result.guard.rules.map((r) => r.function), result.guard.notify, result.guard.remediation];
    for (const role of exempt) expect(functions.map(roleOf)).toContain(role);
  });

  it('the Deny is what stops them: without it the publish would rest on identity policies alone', () => {
    const withoutDeny = statements.filter((s) => s.Sid !== 'DenyPublishExceptBucketGuard');
    const mallory = { kind: 'aws', arn: `arn:aws:iam::${ACCOUNT}:user/mallory` } as const;
    expect(evaluate(withoutDeny, publish(mallory))).toEqual({ decision: 'implicit-deny' });
  });

  it('denies even a bucketguard role over plain HTTP', () => {
    const request = publish(session(roleOf(result.guard.notify)), { 'aws:SecureTransport': 'false' });
    expect(evaluate(statements, request).decision).toBe('explicit-deny');
  });
});

describe('attack: tampering calls on bucketguard resources, named as deployed, against the deployed patterns', () => {
  const filter = (id: string) => {
    const resource = Object.values(result.json.Resources).find(
      (r) => r.Type === 'AWS::Logs::MetricFilter' && r.Properties?.FilterName === `bucketguard-${id}`,
    );
    const refs = { [logicalId(result, result.guard.topic)]: TOPIC_ARN };
    return compileFilterPattern(
      String(resolveTemplate(resource!.Properties!.FilterPattern, result.json.Resources, refs)),
    );
  };
  const ofType = (type: string) => Object.values(result.json.Resources).filter((r) => r.Type === type);
  const record = (eventSource: string, eventName: string, requestParameters: Record<string, unknown>) => ({
    eventVersion: '1.09',
    eventSource,
    eventName,
    awsRegion: REGION,
    recipientAccountId: ACCOUNT,
    eventType: 'AwsApiCall',
    requestParameters,
  });

  it('every bucketguard function has a fixed name, and changing it (by name or ARN) counts', () => {
    const names = ofType('AWS::Lambda::Function').map((f) => String(f.Properties?.FunctionName));
    expect(names).toHaveLength(result.guard.rules.length + 2);
    const lambda = filter('lambda-functions-changed');
    for (const name of names) {
      expect(name).toMatch(/^bucketguard-/);
      for (const [eventName, functionName] of [
        ['UpdateFunctionCode20150331v2', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`],
        ['UpdateFunctionConfiguration20150331v2', name],
        ['PutFunctionConcurrency20171031', name],
        ['DeleteFunction20150331', name],
      ]) {
        expect({
          eventName,
          name,
          counted: lambda.matches(record('lambda.amazonaws.com', eventName, { functionName })),
        }).toEqual({
          eventName,
          name,
          counted: true,
        });
      }
    }
  });

  it('every bucketguard EventBridge rule has a fixed name, and disabling it or removing its targets counts', () => {
    const names = ofType('AWS::Events::Rule').map((r) => r.Properties?.Name);
    expect(names.length).toBeGreaterThanOrEqual(4);
    const rules = filter('eventbridge-rules-changed');
    for (const name of names) {
      expect(typeof name).toBe('string');
      expect(rules.matches(record('events.amazonaws.com', 'DisableRule', { name }))).toBe(true);
      expect(rules.matches(record('events.amazonaws.com', 'RemoveTargets', { rule: name, ids: ['Target0'] }))).toBe(
        true,
      );
    }
  });

  it('changing or deleting any bucketguard Config rule counts', () => {
    const config = filter('config-rules-changed');
    for (const rule of ofType('AWS::Config::ConfigRule')) {
      const configRuleName = rule.Properties?.ConfigRuleName;
      expect(config.matches(record('config.amazonaws.com', 'DeleteConfigRule', { configRuleName }))).toBe(true);
      expect(config.matches(record('config.amazonaws.com', 'PutConfigRule', { configRule: { configRuleName } }))).toBe(
        true,
      );
    }
  });

  it("changing the topic's policy or subscriptions counts; another topic's does not", () => {
    const sns = filter('sns-topic-changed');
    expect(
      sns.matches(record('sns.amazonaws.com', 'SetTopicAttributes', { topicArn: TOPIC_ARN, attributeName: 'Policy' })),
    ).toBe(true);
    expect(sns.matches(record('sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: `${TOPIC_ARN}:0f1e2d3c` }))).toBe(
      true,
    );
    expect(sns.matches(record('sns.amazonaws.com', 'SetTopicAttributes', { topicArn: `${TOPIC_ARN}-other` }))).toBe(
      false,
    );
  });
});

describe('attack: a broken notifier hiding its own failure', () => {
  it('every function has a Lambda Errors alarm that notifies the topic directly, as does the dead-letter alarm', () => {
    const topic = { Ref: logicalId(result, result.guard.topic) };
    const alarms = Object.values(result.json.Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => r.Properties!);
    for (const fn of [...result.guard.rules.map((r) => r.function), result.guard.notify, result.guard.remediation]) {
      const alarm = alarms.find(
        (a) =>
          a.MetricName === 'Errors' &&
          JSON.stringify(a.Dimensions) ===
            JSON.stringify([{ Name: 'FunctionName', Value: { Ref: logicalId(result, fn.function) } }]),
      );
      expect(alarm).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topic],
      });
      expect(String(alarm!.AlarmName)).toMatch(/^bucketguard-lambda-errors-/);
    }
    expect(alarms.find((a) => a.AlarmName === 'bucketguard-dead-letters')!.AlarmActions).toEqual([topic]);
    expect(alarms.find((a) => a.AlarmName === 'bucketguard-lambda-errors-notify')).toBeDefined();
  });
});
