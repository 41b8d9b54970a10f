/**
 * One custom Lambda Config rule per registry entry: name, scope, triggers and parameters come from the registry;
 * the Lambda may be invoked by Config of this account only; the rule is created after that permission.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { RULES } from '../../rules';
import { resourcesOfType, type SynthResult, synthBucketGuard } from './helpers';

const CONFIG_SOURCE_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':config:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':config-rule/config-rule-*',
    ],
  ],
};

let result: SynthResult;
beforeAll(() => {
  result = synthBucketGuard();
});

function configRuleNamed(name: string): { id: string; props: Record<string, unknown>; dependsOn: string[] } {
  const rules = resourcesOfType(result, 'AWS::Config::ConfigRule');
  const found = Object.entries(rules).find(([, r]) => r.Properties.ConfigRuleName === name);
  if (!found)
    throw new Error(
      `No Config rule named ${name}; have ${Object.values(rules).map((r) => r.Properties.ConfigRuleName)}`,
    );
  const dependsOn = found[1].DependsOn;
  return { id: found[0], props: found[1].Properties, dependsOn: Array.isArray(dependsOn) ? dependsOn : [] };
}

/** Logical id of the Lambda a Config rule invokes. */
function functionOf(rule: { props: Record<string, unknown> }): string {
  const source = rule.props.Source as { SourceIdentifier: { 'Fn::GetAtt': [string, string] } };
  return source.SourceIdentifier['Fn::GetAtt'][0];
}

it('deploys exactly one Config rule per registry entry', () => {
  const names = Object.values(resourcesOfType(result, 'AWS::Config::ConfigRule'))
    .map((r) => r.Properties.ConfigRuleName)
    .sort();
  expect(names).toEqual(RULES.map((r) => `bucketguard-${r.id}`).sort());
});

describe.each(RULES.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
  it('is a custom Lambda rule with the triggers the registry declares', () => {
    const deployed = configRuleNamed(`bucketguard-${rule.id}`);
    const expectedDetails = [
      ...(rule.triggers.configurationChanges
        ? [
            { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
            { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
          ]
        : []),
      ...(rule.triggers.periodic
        ? [
            {
              EventSource: 'aws.config',
              MessageType: 'ScheduledNotification',
              MaximumExecutionFrequency: rule.triggers.periodic,
            },
          ]
        : []),
    ];
    expect(deployed.props.Source).toEqual({
      Owner: 'CUSTOM_LAMBDA',
      SourceIdentifier: { 'Fn::GetAtt': [functionOf(deployed), 'Arn'] },
      SourceDetails: expectedDetails,
    });
    expect(deployed.props.MaximumExecutionFrequency).toBe(rule.triggers.periodic);
  });

  it('is scoped to the registry resource types (change-triggered rules only)', () => {
    const deployed = configRuleNamed(`bucketguard-${rule.id}`);
    const expected = rule.resourceTypes.filter((t) => t !== 'AWS::::Account');
    if (rule.triggers.configurationChanges && expected.length > 0) {
      expect(deployed.props.Scope).toEqual({ ComplianceResourceTypes: expected });
    } else {
      expect(deployed.props.Scope).toBeUndefined();
    }
  });

  it('deploys every declared parameter with its default', () => {
    const deployed = configRuleNamed(`bucketguard-${rule.id}`);
    const defaults: Record<string, string> = Object.fromEntries(
      Object.entries(rule.parameters).map(([k, spec]) => [k, spec.default]),
    );
    // The deployment's approved list (the stack's SSM parameter) replaces the rule's `none`.
    if ('exemptionsParameter' in defaults) defaults.exemptionsParameter = '/bucketguard/bucketguard/exemptions';
    expect(deployed.props.InputParameters).toEqual(Object.keys(defaults).length ? defaults : undefined);
    expect(() => rule.parseParameters(defaults)).not.toThrow();
  });

  it('runs on Node.js 24, arm64, with its own handler and log group', () => {
    const deployed = configRuleNamed(`bucketguard-${rule.id}`);
    const fn = result.json.Resources[functionOf(deployed)];
    expect(fn.Type).toBe('AWS::Lambda::Function');
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/Logs/) } },
      Environment: { Variables: expect.objectContaining({ POWERTOOLS_SERVICE_NAME: `bucketguard-${rule.id}` }) },
    });
  });

  it('may be invoked by AWS Config of this account only, and the rule waits for that permission', () => {
    const deployed = configRuleNamed(`bucketguard-${rule.id}`);
    const fnId = functionOf(deployed);
    const permissions = Object.entries(resourcesOfType(result, 'AWS::Lambda::Permission')).filter(
      ([, p]) => (p.Properties.FunctionName as { 'Fn::GetAtt': string[] })['Fn::GetAtt']?.[0] === fnId,
    );
    expect(permissions).toHaveLength(1);
    const [permissionId, permission] = permissions[0];
    expect(permission.Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'config.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: CONFIG_SOURCE_ARN,
    });
    expect(deployed.dependsOn).toContain(permissionId);
  });
});

it('names rules with the configured prefix and applies parameter overrides, validated by the rule', () => {
  const custom = synthBucketGuard({
    props: {
      rulePrefix: 'acme-',
      exemptionTag: 'acme:public-ok',
      ruleParameters: { 's3-bucket-public-access-prohibited': { accessTypes: 'read,write' } },
    },
  });
  const rules = Object.values(resourcesOfType(custom, 'AWS::Config::ConfigRule')).map((r) => r.Properties);
  expect(rules.map((r) => r.ConfigRuleName)).toEqual(
    expect.arrayContaining(['acme-s3-bucket-public-access-prohibited']),
  );
  const publicRule = rules.find((r) => r.ConfigRuleName === 'acme-s3-bucket-public-access-prohibited');
  expect(publicRule?.InputParameters).toEqual({
    accessTypes: 'read,write',
    exemptionTag: 'acme:public-ok',
    exemptions: 'on',
    exemptionsParameter: '/bucketguard/acme/exemptions',
    maxExemptionDays: '90',
  });
  // Every rule that takes an exemption tag gets the deployment's tag; no other rule gets one.
  const tagged = RULES.filter((r) => 'exemptionTag' in r.parameters);
  expect(tagged.length).toBeGreaterThan(1);
  expect(
    Object.fromEntries(
      rules.map((r) => [r.ConfigRuleName, (r.InputParameters as Record<string, string> | undefined)?.exemptionTag]),
    ),
  ).toEqual(Object.fromEntries(tagged.map((r) => [`acme-${r.id}`, 'acme:public-ok'])));
});

it('creates the optional recorder before the rules, recording only the S3 types continuously', () => {
  const withRecorder = synthBucketGuard({ props: { configRecorder: true } });
  withRecorder.template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
    RecordingGroup: {
      AllSupported: false,
      IncludeGlobalResourceTypes: false,
      ResourceTypes: ['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock'],
    },
    RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
  });
  withRecorder.template.resourceCountIs('AWS::Config::DeliveryChannel', 1);
  const recorderId = Object.keys(resourcesOfType(withRecorder, 'AWS::Config::ConfigurationRecorder'))[0];
  const channelId = Object.keys(resourcesOfType(withRecorder, 'AWS::Config::DeliveryChannel'))[0];
  for (const rule of Object.values(resourcesOfType(withRecorder, 'AWS::Config::ConfigRule'))) {
    expect(rule.DependsOn).toEqual(expect.arrayContaining([recorderId, channelId]));
  }
  withRecorder.template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'config.amazonaws.com' } })],
    }),
  });
});

it('creates no recorder by default', () => {
  result.template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
  result.template.resourceCountIs('AWS::Config::DeliveryChannel', 0);
});
