/**
 * The notification path: KMS-encrypted topic (customer-managed key, rotation on, CloudWatch alarms may use it),
 * email subscriptions, the dead-letter queue (its own key, the only one EventBridge may use) and its alarm, the flap
 * table, the responders' settings.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { assertRemediationReady, loadResponseConfig } from '../../remediation/runtime/config';
import { logicalId, resourcesOfType, type SynthResult, synthBucketGuard } from './helpers';

let result: SynthResult;
beforeAll(() => {
  result = synthBucketGuard({ props: { notificationEmails: ['security@example.com', 'oncall@example.com'] } });
});

const id = (construct: { node: { defaultChild?: unknown } }): string => logicalId(result, construct);

it('encrypts the topic with the customer-managed key and refuses non-TLS publishing', () => {
  result.template.hasResourceProperties('AWS::SNS::Topic', {
    KmsMasterKeyId: { 'Fn::GetAtt': [id(result.guard.key), 'Arn'] },
  });
  result.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    },
  });
});

const ALARM_ARNS = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':cloudwatch:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':alarm:bucketguard-*',
    ],
  ],
};
const OWN_ALARMS = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: { 'aws:SourceArn': ALARM_ARNS },
};

const keyStatements = (r: SynthResult, key: { node: { defaultChild?: unknown } }) =>
  (
    resourcesOfType(r, 'AWS::KMS::Key')[logicalId(r, key)].Properties.KeyPolicy as {
      Statement: Record<string, unknown>[];
    }
  ).Statement;

it("rotates the topic's key and lets only bucketguard alarms of this account (not EventBridge) use it", () => {
  const key = resourcesOfType(result, 'AWS::KMS::Key')[id(result.guard.key)].Properties;
  expect(key.EnableKeyRotation).toBe(true);
  const statements = keyStatements(result, result.guard.key);
  const services = statements.map((s) => (s.Principal as { Service?: string }).Service).filter(Boolean);
  expect(services).toEqual(['cloudwatch.amazonaws.com']);
  expect(statements).toContainEqual({
    Sid: 'AllowBucketGuardAlarmsToPublish',
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: '*',
    Condition: OWN_ALARMS,
  });
});

it('gives the dead-letter queue a rotated key of its own, the only key EventBridge may use', () => {
  const key = resourcesOfType(result, 'AWS::KMS::Key')[id(result.guard.deadLetterKey)].Properties;
  expect(key.EnableKeyRotation).toBe(true);
  const statements = keyStatements(result, result.guard.deadLetterKey);
  expect(statements.filter((s) => (s.Principal as { Service?: string }).Service)).toEqual([
    {
      Sid: 'AllowEventBridgeDeadLetters',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
    },
  ]);
  // Nothing else is encrypted with it: only the queue names it.
  const users = Object.entries(result.json.Resources)
    .filter(([, r]) => JSON.stringify(r.Properties ?? {}).includes(`"${id(result.guard.deadLetterKey)}"`))
    .map(([, r]) => r.Type)
    .filter((type) => type !== 'AWS::IAM::Policy');
  expect(users).toEqual(['AWS::SQS::Queue']);
  // The queue policy is what limits EventBridge to bucketguard's own rules.
  const queuePolicy = Object.values(resourcesOfType(result, 'AWS::SQS::QueuePolicy'))[0].Properties.PolicyDocument as {
    Statement: Record<string, unknown>[];
  };
  for (const statement of queuePolicy.Statement.filter((s) => s.Effect === 'Allow')) {
    expect(statement).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': expect.anything() } },
    });
  }
});

it('lets bucketguard alarms of this account publish to the topic, with or without alarmTopicActions', () => {
  const topicPolicy = (r: SynthResult) =>
    (
      Object.values(resourcesOfType(r, 'AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument as {
        Statement: Record<string, unknown>[];
      }
    ).Statement;
  for (const direct of [result, synthBucketGuard({ props: { alarmTopicActions: true } })]) {
    const topic = { Ref: logicalId(direct, direct.guard.topic) };
    expect(topicPolicy(direct).filter((s) => s.Effect === 'Allow')).toEqual([
      {
        Sid: 'AllowBucketGuardAlarmsToPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topic,
        Condition: OWN_ALARMS,
      },
    ]);
  }
});

it('subscribes each configured address by email', () => {
  const subscriptions = Object.values(resourcesOfType(result, 'AWS::SNS::Subscription')).map((s) => s.Properties);
  expect(subscriptions).toEqual([
    { Protocol: 'email', Endpoint: 'security@example.com', TopicArn: { Ref: id(result.guard.topic) } },
    { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: id(result.guard.topic) } },
  ]);
});

it('keeps dead letters 14 days, encrypted with their own key, TLS only, and alarms on the first one, directly to SNS', () => {
  result.template.hasResourceProperties('AWS::SQS::Queue', {
    KmsMasterKeyId: { 'Fn::GetAtt': [id(result.guard.deadLetterKey), 'Arn'] },
    MessageRetentionPeriod: 1209600,
  });
  result.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });
  result.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: 'bucketguard-dead-letters',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Namespace: 'AWS/SQS',
    Statistic: 'Maximum',
    Period: 300,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: id(result.guard.topic) }],
  });
});

it('parks every Lambda async failure in the dead-letter queue after two retries', () => {
  const configs = Object.values(resourcesOfType(result, 'AWS::Lambda::EventInvokeConfig')).map((c) => c.Properties);
  expect(configs).toHaveLength(result.guard.rules.length + 2);
  for (const config of configs) {
    expect(config).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [id(result.guard.deadLetterQueue), 'Arn'] } } },
    });
  }
});

it('creates the flap table with the key and TTL attribute the remediation code uses', () => {
  result.template.hasResourceProperties('AWS::DynamoDB::Table', {
    KeySchema: [{ AttributeName: 'target', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'target', AttributeType: 'S' }],
    TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    BillingMode: 'PAY_PER_REQUEST',
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
});

describe('responder settings', () => {
  function environmentOf(r: SynthResult, fn: { node: { defaultChild?: unknown } }): Record<string, unknown> {
    const props = r.json.Resources[logicalId(r, fn)].Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    return props.Environment.Variables;
  }

  it('gives notify and remediation the same BUCKETGUARD_* values', () => {
    const notify = environmentOf(result, result.guard.notify.function);
    const remediation = environmentOf(result, result.guard.remediation.function);
    const shared = Object.keys(notify).filter((k) => k.startsWith('BUCKETGUARD_'));
    expect(shared.sort()).toEqual([
      'BUCKETGUARD_ACCOUNT_BPA_OVERRIDES_EXEMPTIONS',
      'BUCKETGUARD_ACTIONS',
      'BUCKETGUARD_ALARM_PREFIX',
      'BUCKETGUARD_BPA_FLAGS',
      'BUCKETGUARD_EXEMPTIONS_PARAMETER',
      'BUCKETGUARD_EXEMPTION_TAG',
      'BUCKETGUARD_MAX_EXEMPTION_DAYS',
      'BUCKETGUARD_MODE',
      'BUCKETGUARD_REMEDIATION_ROLE_ARN',
      'BUCKETGUARD_RULE_PREFIX',
      'BUCKETGUARD_TOPIC_ARN',
    ]);
    for (const key of shared) expect(remediation[key]).toEqual(notify[key]);
    expect(remediation).toMatchObject({
      BUCKETGUARD_FLAP_TABLE: { Ref: id(result.guard.flapTable) },
      BUCKETGUARD_FLAP_LIMIT: '3',
      BUCKETGUARD_FLAP_WINDOW_SECONDS: '3600',
    });
  });

  it("produces values the Lambdas' own configuration loader accepts, meaning what the props say", () => {
    const custom = synthBucketGuard({
      props: {
        mode: 'remediate',
        enabledActions: ['block-public-access', 'enable-versioning'],
        actionModes: { 'enable-versioning': 'notify' },
        bpaFlags: ['blockPublicPolicy', 'restrictPublicBuckets'],
        exemptionTag: 'acme:exempt',
        rulePrefix: 'acme-',
        flapLimit: 5,
        flapWindowSeconds: 7200,
      },
    });
    const env = environmentOf(custom, custom.guard.remediation.function);
    const resolvedTokens = {
      ...env,
      BUCKETGUARD_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:BucketGuard-Topic-0123456789AB',
      BUCKETGUARD_FLAP_TABLE: 'BucketGuard-FlapTable-0123456789AB',
      BUCKETGUARD_REMEDIATION_ROLE_ARN: 'arn:aws:iam::111122223333:role/BucketGuard-RemediationRole-0123456789AB',
      BUCKETGUARD_RECHECK_ROLE_ARN: 'arn:aws:iam::111122223333:role/BucketGuard-RecheckSchedulerRole-0123456789AB',
    } as Record<string, string>;
    // The remediation runtime refuses to start in remediate mode without its flap table: it must get one.
    expect(() => assertRemediationReady(loadResponseConfig(resolvedTokens))).not.toThrow();
    expect(loadResponseConfig(resolvedTokens)).toMatchObject({
      mode: 'remediate',
      actionModes: { 'enable-versioning': 'notify' },
      enabledActions: ['block-public-access', 'enable-versioning'],
      bpaFlags: ['blockPublicPolicy', 'restrictPublicBuckets'],
      exemption: { tagKey: 'acme:exempt', enabled: true },
      rulePrefix: 'acme-',
      alarmPrefix: 'acme-',
      flapLimit: 5,
      flapWindowSeconds: 7200,
      recheckGroup: expect.stringMatching(/Recheck-Group/),
      recheckRoleArn: 'arn:aws:iam::111122223333:role/BucketGuard-RecheckSchedulerRole-0123456789AB',
    });
  });

  it('says "none" rather than an empty list when no action is enabled (empty would mean the defaults)', () => {
    const none = synthBucketGuard({ props: { enabledActions: [] } });
    const env = environmentOf(none, none.guard.remediation.function);
    expect(env.BUCKETGUARD_ACTIONS).toBe('none');
    expect(loadResponseConfig({ BUCKETGUARD_ACTIONS: env.BUCKETGUARD_ACTIONS as string }).enabledActions).toEqual([]);
  });
});
