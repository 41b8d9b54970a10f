/**
 * The home-Region switch: account-wide parts (account-level BPA rule, the trail, its S3/console sign-in/IAM
 * alarms, and what shows them) exist only where AWS::Region is the home Region; bucket rules and the S3 fast path
 * everywhere. The same in the organization's member template and in a single account's stack.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_REGISTRY } from '../../infra/default-registry';
import { applyHomeRegion, HOME_REGION_CONDITION } from '../../infra/organization/home-region';
import { BucketGuardStack } from '../../infra/stack';
import { cdkJsonContext } from './helpers';
import { ofType, synthOrganization, type TemplateJson } from './organization-helpers';

/** Logical-id prefixes of the account-wide resources of the default member stack. */
const ACCOUNT_WIDE = [
  /^BucketGuardCloudTrail/, // trail, its bucket, key, log group, role, metric filters and alarms
  /^BucketGuardRules3accountlevelpublicaccessblocked/, // the account BPA rule's function, role, logs, permission
  /^BucketGuardConfigRules3accountlevelpublicaccessblocked/, // its Config rule
  /^BucketGuardAccessLogsBucket/, // server access logs of the trail bucket (no recorder)
  /^BucketGuardDashboard/, // shows the trail alarms
  /^BucketGuardQueries(WhoChangedVisibility|BucketPermissionChanges)/, // Logs Insights queries on the trail
];

function conditional(template: TemplateJson): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Condition === HOME_REGION_CONDITION)
    .map(([id]) => id)
    .sort();
}

/** What CloudFormation creates in `region`: resources without a condition, or whose condition holds there. */
function createdIn(template: TemplateJson, region: string, home: string): [string, { Type: string }][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Condition === undefined || region === home);
}

describe('member template', () => {
  const org = synthOrganization({ trail: 'create' });
  const member = org.members.notify;

  it('puts exactly the account-wide resources under IsHomeRegion', () => {
    const expected = Object.keys(member.Resources)
      .filter((id) => ACCOUNT_WIDE.some((pattern) => pattern.test(id)))
      .sort();
    expect(expected.length).toBeGreaterThan(30);
    expect(conditional(member)).toEqual(expected);
  });

  it('keeps bucket rules, the S3 fast path and the responders in every Region', () => {
    const always = (type: string) => ofType(member, type).filter(([, r]) => r.Condition === undefined);
    expect(always('AWS::Config::ConfigRule')).toHaveLength(ofType(member, 'AWS::Config::ConfigRule').length - 1);
    expect(ofType(member, 'AWS::Events::Rule').every(([, r]) => r.Condition === undefined)).toBe(true);
    const functions = ofType(member, 'AWS::Lambda::Function');
    expect(functions.filter(([, r]) => r.Condition !== undefined)).toHaveLength(1);
  });

  it('makes account-wide parts exactly once per account across the chosen Regions', () => {
    const count = (type: string) =>
      ['eu-west-1', 'us-east-1'].map(
        (region) => createdIn(member, region, 'eu-west-1').filter(([, r]) => r.Type === type).length,
      );
    expect(count('AWS::CloudTrail::Trail')).toEqual([1, 0]);
    expect(count('AWS::CloudWatch::Alarm').map((n) => n > 0)).toEqual([true, true]); // dead-letter alarm in both
    const accountRule = (region: string) =>
      createdIn(member, region, 'eu-west-1').filter(
        ([, r]) =>
          r.Type === 'AWS::Config::ConfigRule' &&
          (r as { Properties?: { ConfigRuleName?: string } }).Properties?.ConfigRuleName ===
            'bucketguard-s3-account-level-public-access-blocked',
      ).length;
    expect([accountRule('eu-west-1'), accountRule('us-east-1')]).toEqual([1, 0]);
  });

  it('no resource created everywhere refers to a home-only one', () => {
    const homeOnly = new Set(conditional(member));
    for (const [id, resource] of Object.entries(member.Resources)) {
      if (resource.Condition !== undefined) continue;
      const text = JSON.stringify(resource);
      const refs = [
        ...text.matchAll(/"(?:Ref|Fn::GetAtt)":\["?([A-Za-z0-9]+)/g),
        ...text.matchAll(/"Ref":"([A-Za-z0-9]+)"/g),
      ];
      const deps = [resource.DependsOn ?? []].flat();
      const bad = [...refs.map((m) => m[1]), ...deps].filter((ref) => homeOnly.has(ref));
      expect({ id, bad }).toEqual({ id, bad: [] });
    }
  });
});

describe('single account in several Regions (-c homeRegion)', () => {
  function single(homeRegion?: string): TemplateJson {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const stack = new BucketGuardStack(app, 'BucketGuard', {
      bucketGuard: { registry: DEFAULT_REGISTRY },
      ...(homeRegion ? { homeRegion } : {}),
    });
    return Template.fromStack(stack).toJSON() as TemplateJson;
  }

  it("without homeRegion, no condition (today's stack unchanged)", () => {
    const template = single();
    expect(template.Conditions).toBeUndefined();
    expect(conditional(template)).toEqual([]);
  });

  it('with homeRegion, exactly the account-wide resources carry IsHomeRegion, as in the member template', () => {
    const template = single('eu-west-1');
    expect(template.Conditions).toEqual({
      [HOME_REGION_CONDITION]: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
    });
    const expected = Object.keys(template.Resources)
      .filter((id) => ACCOUNT_WIDE.some((pattern) => pattern.test(id)))
      .sort();
    expect(conditional(template)).toEqual(expected);
  });
});

describe('applyHomeRegion', () => {
  const template = (): TemplateJson & { Outputs?: Record<string, { Value: unknown; Condition?: string }> } => ({
    Resources: {
      Trail: { Type: 'AWS::CloudTrail::Trail' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Name: { 'Fn::Sub': '${Trail.Arn}-x' } } },
      After: { Type: 'AWS::SNS::Topic', DependsOn: ['Alarm'] },
      Bucket: { Type: 'AWS::S3::Bucket' },
    },
    Outputs: { TrailArn: { Value: { 'Fn::GetAtt': ['Trail', 'Arn'] } }, BucketName: { Value: { Ref: 'Bucket' } } },
  });

  it('follows Ref, GetAtt, Fn::Sub and DependsOn, and conditions outputs', () => {
    const t = template();
    const { conditional: ids } = applyHomeRegion(t as never, 'eu-west-1', ['Trail']);
    expect(ids).toEqual(['After', 'Alarm', 'Trail']);
    expect(t.Resources.Bucket.Condition).toBeUndefined();
    expect(t.Outputs?.TrailArn.Condition).toBe(HOME_REGION_CONDITION);
    expect(t.Outputs?.BucketName.Condition).toBeUndefined();
  });

  it('fails on a seed that is not in the template', () => {
    expect(() => applyHomeRegion(template() as never, 'eu-west-1', ['Renamed'])).toThrow(
      'home Region: no resource Renamed in the template',
    );
  });
});
