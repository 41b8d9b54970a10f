/**
 * Lambda resource policies on the synthesized template: every invoke permission names one AWS service principal and
 * is pinned to this account and to the exact source: Config rules by SourceAccount + SourceArn, EventBridge rules and
 * CloudWatch alarms by the SourceArn of a rule / alarm in this stack. Nothing else may invoke a bucketguard Lambda.
 */
import type { BucketGuardProps } from '../../infra/props';
import { ACTIONS } from '../../remediation';
import { RULES } from '../../rules';
import { synthBucketGuard } from '../infra/helpers';

type Json = Record<string, unknown>;

const ACCOUNT_REF = JSON.stringify({ Ref: 'AWS::AccountId' });

function getAttTarget(value: unknown): string | undefined {
  const getAtt = (value as Json | undefined)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** Why one AWS::Lambda::Permission is too broad (empty = pinned). */
function permissionProblems(id: string, props: Json, resources: Record<string, { Type: string }>): string[] {
  const problems: string[] = [];
  const principal = props.Principal;
  const sourceArn = props.SourceArn;
  const sourceAccount = props.SourceAccount;
  if (props.Action !== 'lambda:InvokeFunction') problems.push(`${id}: action ${JSON.stringify(props.Action)}`);
  if (props.FunctionUrlAuthType !== undefined) problems.push(`${id}: a function URL`);
  switch (principal) {
    case 'config.amazonaws.com': {
      if (JSON.stringify(sourceAccount) !== ACCOUNT_REF)
        problems.push(`${id}: Config without SourceAccount = this account`);
      const arn = JSON.stringify(sourceArn ?? null);
      if (!arn.includes(':config:') || !arn.includes(ACCOUNT_REF) || !arn.includes('config-rule/')) {
        problems.push(`${id}: Config without a SourceArn of this account's Config rules (${arn})`);
      }
      break;
    }
    case 'events.amazonaws.com': {
      const rule = getAttTarget(sourceArn);
      if (!rule || resources[rule]?.Type !== 'AWS::Events::Rule')
        problems.push(`${id}: EventBridge without the SourceArn of a rule in this stack`);
      break;
    }
    case 'lambda.alarms.cloudwatch.amazonaws.com': {
      const alarm = getAttTarget(sourceArn);
      const pinned =
        (alarm && resources[alarm]?.Type === 'AWS::CloudWatch::Alarm') || JSON.stringify(sourceAccount) === ACCOUNT_REF;
      if (!pinned) problems.push(`${id}: CloudWatch alarms without SourceArn / SourceAccount`);
      break;
    }
    default:
      problems.push(`${id}: principal ${JSON.stringify(principal)} may invoke a bucketguard Lambda`);
  }
  return problems;
}

const SHAPES: readonly { label: string; props: Partial<BucketGuardProps> }[] = [
  { label: 'default', props: {} },
  {
    label: 'remediate, every action, alarm actions, new trail',
    props: {
      mode: 'remediate',
      enabledActions: ACTIONS.map((a) => a.id),
      createTrail: true,
      alarmTopicActions: true,
    },
  },
];

describe.each(SHAPES)('Lambda resource policies: $label', ({ props }) => {
  const { json } = synthBucketGuard({ props });
  const resources = json.Resources;
  const permissions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Permission');

  it('pins every invoke permission to this account and its exact source', () => {
    const problems = permissions.flatMap(([id, r]) => permissionProblems(id, r.Properties ?? {}, resources));
    expect(problems).toEqual([]);
  });

  it('lets Config invoke each rule Lambda, and EventBridge the responders, nothing more', () => {
    const byPrincipal = new Map<string, number>();
    for (const [, r] of permissions)
      byPrincipal.set(String(r.Properties?.Principal), (byPrincipal.get(String(r.Properties?.Principal)) ?? 0) + 1);
    const configRules = Object.values(resources).filter((r) => r.Type === 'AWS::Config::ConfigRule').length;
    expect(configRules).toBe(RULES.length);
    // Three EventBridge rules (compliance changes, S3 API calls, alarm states), each delivering to both responders.
    expect(Object.fromEntries(byPrincipal)).toEqual({
      'config.amazonaws.com': configRules,
      'events.amazonaws.com': 3 * 2,
    });
  });
});

it('flags a permission that is open to any Config rule, any account or anyone', () => {
  const resources = { Rule: { Type: 'AWS::Events::Rule' } };
  expect(
    permissionProblems('A', { Action: 'lambda:InvokeFunction', Principal: 'config.amazonaws.com' }, resources),
  ).toEqual([
    'A: Config without SourceAccount = this account',
    "A: Config without a SourceArn of this account's Config rules (null)",
  ]);
  expect(
    permissionProblems('B', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' }, resources),
  ).toEqual(['B: EventBridge without the SourceArn of a rule in this stack']);
  expect(permissionProblems('C', { Action: 'lambda:*', Principal: '*' }, resources)).toEqual([
    'C: action "lambda:*"',
    'C: principal "*" may invoke a bucketguard Lambda',
  ]);
  expect(
    permissionProblems(
      'D',
      {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['Rule', 'Arn'] },
      },
      resources,
    ),
  ).toEqual([]);
});
