/**
 * The organization deployment (`-c deployment=organization`), synthesized offline: StackSets (targets,
 * auto-deployment, CallAs, preferences, one per mode group), the central bus admitting only the organization, the
 * security account's read-only stance, the aggregator, and how the Lambda code reaches every Region.
 */
import { HOME_REGION_CONDITION } from '../../infra/organization/home-region';
import { CENTRAL_BUS_PARAMETER, INVOCATION_RESULT_DETAIL_TYPE } from '../../infra/organization/member';
import { PENDING_TEMPLATE_URL } from '../../infra/organization/synthesizers';
import {
  allowedActions,
  identityActions,
  ORG_CONTEXT,
  type OrgSynth,
  ofType,
  propsOf,
  synthOrganization,
} from './organization-helpers';

const PREFIX = `bucketguard-assets-${ORG_CONTEXT.organizationId}`;
let org: OrgSynth;

beforeAll(() => {
  org = synthOrganization({
    ouModes: 'ou-ab12-22222222=remediate',
    callAs: 'DELEGATED_ADMIN',
    email: 'security@example.com',
    failureTolerancePercentage: '5',
    maxConcurrentPercentage: '50',
  });
});

describe('StackSets', () => {
  it('one service-managed StackSet per mode group, auto-deployed, removed from leaving accounts, as DELEGATED_ADMIN', () => {
    const stackSets = ofType(org.security, 'AWS::CloudFormation::StackSet').map(([, r]) => r.Properties ?? {});
    expect(stackSets.map((p) => p.StackSetName)).toEqual(['BucketGuard-notify', 'BucketGuard-remediate']);
    for (const props of stackSets) {
      expect(props.PermissionModel).toBe('SERVICE_MANAGED');
      expect(props.AutoDeployment).toEqual({ Enabled: true, RetainStacksOnAccountRemoval: false });
      expect(props.CallAs).toBe('DELEGATED_ADMIN');
      expect(props.Capabilities).toEqual(['CAPABILITY_IAM']);
      expect(props.OperationPreferences).toEqual({
        FailureTolerancePercentage: 5,
        MaxConcurrentPercentage: 50,
        RegionConcurrencyType: 'PARALLEL',
        RegionOrder: ['eu-west-1', 'us-east-1'],
      });
      expect(props.Parameters).toEqual([
        { ParameterKey: CENTRAL_BUS_PARAMETER, ParameterValue: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
      ]);
    }
    expect(stackSets.map((p) => p.StackInstancesGroup)).toEqual([
      [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-11111111'] }, Regions: ['eu-west-1', 'us-east-1'] }],
      [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-22222222'] }, Regions: ['eu-west-1', 'us-east-1'] }],
    ]);
  });

  it('each StackSet takes its own member template from the home Region asset bucket (never the placeholder)', () => {
    const urls = ofType(org.security, 'AWS::CloudFormation::StackSet').map(([, r]) =>
      JSON.stringify(r.Properties?.TemplateURL),
    );
    expect(new Set(urls).size).toBe(2);
    for (const url of urls) {
      expect(url).toContain(`https://${PREFIX}-eu-west-1.s3.eu-west-1.`);
      expect(url).toMatch(/[0-9a-f]{64}\.json/);
      expect(url).not.toContain(PENDING_TEMPLATE_URL);
    }
  });

  it('mode per OU: only the remediate group template lets remediation write bucket settings', () => {
    const writes = (mode: string) => identityActions(org.members[mode]).filter((a) => /^s3:(Put|Delete)/.test(a));
    expect(writes('notify')).toEqual([]);
    expect(writes('remediate')).toEqual(expect.arrayContaining(['s3:PutBucketPublicAccessBlock']));
    const modeOf = (mode: string) =>
      ofType(org.members[mode], 'AWS::Lambda::Function')
        .map(([, r]) => (propsOf(r).Environment as { Variables: Record<string, string> }).Variables.BUCKETGUARD_MODE)
        .filter(Boolean);
    expect(new Set(modeOf('notify'))).toEqual(new Set(['notify']));
    expect(new Set(modeOf('remediate'))).toEqual(new Set(['remediate']));
  });

  it('member stacks are no deployable stacks of their own', () => {
    const artifacts = org.app.synth().stacks.map((s) => s.stackName);
    expect(artifacts.sort()).toEqual([
      'BucketGuard-Assets-eu-west-1',
      'BucketGuard-Assets-us-east-1',
      'BucketGuard-Security',
    ]);
  });
});

describe('central bus', () => {
  it('admits events:PutEvents from principals of the organization only', () => {
    const policies = ofType(org.security, 'AWS::Events::EventBusPolicy').map(([, r]) => r.Properties ?? {});
    expect(policies).toHaveLength(1);
    expect(policies[0].Statement).toEqual({
      Sid: 'cdk-OrganizationMembersPutEvents',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_CONTEXT.organizationId } },
    });
    expect(ofType(org.security, 'AWS::Events::EventBus')[0][1].Properties).toEqual({
      Name: 'bucketguard-organization',
    });
  });

  it('sends member results to one notifier on one KMS-encrypted topic with the central addresses', () => {
    const [[, rule]] = ofType(org.security, 'AWS::Events::Rule');
    expect(rule.Properties?.EventPattern).toEqual({
      source: ['lambda'],
      'detail-type': [INVOCATION_RESULT_DETAIL_TYPE],
    });
    const [[, topic]] = ofType(org.security, 'AWS::SNS::Topic');
    expect(topic.Properties?.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expect(ofType(org.security, 'AWS::SNS::Subscription').map(([, s]) => s.Properties?.Endpoint)).toEqual([
      'security@example.com',
    ]);
    const functions = ofType(org.security, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(1);
    const env = (propsOf(functions[0][1]).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({ BUCKETGUARD_RELAY: 'organization', BUCKETGUARD_ACTIONS: 'none' });
  });

  it('member stacks forward both responders’ results to the bus of the StackSet parameter, with a role', () => {
    for (const member of Object.values(org.members)) {
      expect(member.Parameters?.[CENTRAL_BUS_PARAMETER]).toMatchObject({ Type: 'String' });
      const forward = ofType(member, 'AWS::Events::Rule').find(([id]) => id.startsWith('ForwardResults'));
      expect(forward).toBeDefined();
      const props = forward?.[1].Properties ?? {};
      expect(props.EventPattern).toEqual({
        source: ['lambda'],
        'detail-type': [INVOCATION_RESULT_DETAIL_TYPE],
        detail: { requestContext: { functionArn: [{ prefix: expect.anything() }, { prefix: expect.anything() }] } },
      });
      expect(props.Targets).toEqual([
        expect.objectContaining({
          Arn: { Ref: CENTRAL_BUS_PARAMETER },
          RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^ForwardRole/), 'Arn'] },
        }),
      ]);
      const onSuccess = ofType(member, 'AWS::Lambda::EventInvokeConfig')
        .map(([, r]) => (propsOf(r).DestinationConfig as { OnSuccess?: { Destination: unknown } }).OnSuccess)
        .filter(Boolean);
      expect(onSuccess).toHaveLength(2);
      expect(JSON.stringify(onSuccess)).toContain('event-bus/default');
      // No local email unless memberEmail is set.
      expect(ofType(member, 'AWS::SNS::Subscription')).toEqual([]);
    }
  });
});

describe('the security account reads, never writes', () => {
  it('no s3 write (Put*, Delete*, s3:*, *) in the security and asset stacks', () => {
    const outside = [org.security, ...Object.values(org.assets)].flatMap(allowedActions);
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter((a) => /^(s3:(Put|Delete|\*)|\*$)/i.test(a))).toEqual([]);
    const managed = ofType(org.security, 'AWS::IAM::Role').flatMap(([, r]) =>
      ((r.Properties?.ManagedPolicyArns as unknown[]) ?? []).map((arn) => JSON.stringify(arn)),
    );
    expect(managed).toEqual([expect.stringContaining('service-role/AWSConfigRoleForOrganizations')]);
  });

  it('an organization Config aggregator over the chosen Regions, with its own role', () => {
    const [[, aggregator]] = ofType(org.security, 'AWS::Config::ConfigurationAggregator');
    expect(aggregator.Properties).toEqual({
      ConfigurationAggregatorName: 'bucketguard-organization',
      OrganizationAggregationSource: {
        RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^AggregatorRole/), 'Arn'] },
        AwsRegions: ['eu-west-1', 'us-east-1'],
        AllAwsRegions: false,
      },
    });
  });

  it('the notifier may read account names from Organizations, in this organization only', () => {
    expect(allowedActions(org.security)).toContain('organizations:DescribeAccount');
    expect(JSON.stringify(org.security)).toContain(`:account/${ORG_CONTEXT.organizationId}/*`);
  });
});

describe('Lambda code in every account and Region', () => {
  it('member functions load their code from <prefix>-<AWS::Region>', () => {
    for (const member of Object.values(org.members)) {
      const codes = ofType(member, 'AWS::Lambda::Function').map(([, r]) => r.Properties?.Code);
      expect(codes.length).toBeGreaterThan(5);
      for (const code of codes) {
        expect(code).toEqual({
          S3Bucket: { 'Fn::Join': ['-', [PREFIX, { Ref: 'AWS::Region' }]] },
          S3Key: expect.stringMatching(/^[0-9a-f]{64}\.zip$/),
        });
      }
    }
  });

  it('cdk deploy publishes each member asset to every Region’s bucket, with the deployer’s credentials', () => {
    const memberKeys = new Set(
      Object.values(org.members).flatMap((m) =>
        ofType(m, 'AWS::Lambda::Function').map(([, r]) => (propsOf(r).Code as { S3Key: string }).S3Key),
      ),
    );
    for (const file of Object.values(org.assetManifest.files)) {
      const destinations = Object.values(file.destinations);
      const key = destinations[0].objectKey;
      if (!memberKeys.has(key)) continue;
      expect(destinations.map((d) => [d.bucketName, d.region]).sort()).toEqual([
        [`${PREFIX}-eu-west-1`, 'eu-west-1'],
        [`${PREFIX}-us-east-1`, 'us-east-1'],
      ]);
      for (const d of destinations) expect(d.assumeRoleArn).toBeUndefined();
    }
    expect(memberKeys.size).toBeGreaterThan(5);
  });

  it('one asset bucket per Region, readable (GetObject only) by the organization', () => {
    expect(Object.keys(org.assets).sort()).toEqual(['BucketGuard-Assets-eu-west-1', 'BucketGuard-Assets-us-east-1']);
    for (const [name, template] of Object.entries(org.assets)) {
      const [[, bucket]] = ofType(template, 'AWS::S3::Bucket');
      expect(bucket.Properties?.BucketName).toBe(`${PREFIX}-${name.replace('BucketGuard-Assets-', '')}`);
      const [[, policy]] = ofType(template, 'AWS::S3::BucketPolicy');
      const statements = (propsOf(policy).PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
      const allows = statements.filter((s) => s.Effect === 'Allow');
      expect(allows).toEqual([
        expect.objectContaining({
          Action: 's3:GetObject',
          Principal: { AWS: '*' },
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_CONTEXT.organizationId } },
        }),
      ]);
      // enforceSSL: the only other statement denies non-TLS requests.
      expect(statements.filter((s) => s.Effect === 'Deny')).toHaveLength(1);
    }
  });
});

describe('home Region in the member template', () => {
  it('has the IsHomeRegion condition on AWS::Region', () => {
    for (const member of Object.values(org.members)) {
      expect(member.Conditions).toEqual({
        [HOME_REGION_CONDITION]: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
      });
    }
  });
});
