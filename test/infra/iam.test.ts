/**
 * Least privilege, checked on the synthesized template: every Lambda role holds exactly the actions its rule or
 * action declares plus the plumbing infra adds (own log group, dead-letter queue, notification key), each on the
 * narrowest resource; no IAM policy anywhere grants a wildcard action; notify mode cannot write to S3.
 */

import { remediationGrants } from '../../infra/bucketguard';
import { DEFAULT_REGISTRY } from '../../infra/default-registry';
import { InvalidPermissionError, resourceScopeOf, statementsFor } from '../../infra/iam';
import { ACTIONS, notifyPermissions, remediationPermissions } from '../../remediation';
import { RULES } from '../../rules';
import { rulePermissions, ruleSweeps, SWEEP_CONTINUATION_ACTION } from '../../rules/config-protocol/permissions';
import { logicalId, resourcesOfType, type SynthResult, synthBucketGuard } from './helpers';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** What infra adds to every function: its log group, the DLQ, and the key that encrypts the DLQ (and topic). */
const PLUMBING = ['kms:Decrypt', 'kms:GenerateDataKey', 'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage'];

/** Rules and remediation read the approved exemption list (issue 13), exactly that one parameter. */
const EXEMPTIONS_READ = 'ssm:GetParameter';
const exemptionsParameterArn = (r: SynthResult) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ssm:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':parameter',
      { Ref: logicalId(r, r.guard.exemptionsParameter) },
    ],
  ],
});

const asList = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
const BUCKET_ARNS = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*']] };

function roleStatements(result: SynthResult, roleLogicalId: string): Statement[] {
  return Object.values(resourcesOfType(result, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleLogicalId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function roleOfFunction(result: SynthResult, fnLogicalId: string): string {
  const role = result.json.Resources[fnLogicalId].Properties?.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}

function actionsOf(statements: Statement[]): string[] {
  return [...new Set(statements.flatMap((s) => asList(s.Action)))].sort();
}

function resourceOf(statements: Statement[], action: string): unknown[] {
  return statements.filter((s) => asList(s.Action).includes(action)).map((s) => s.Resource);
}

let result: SynthResult;
beforeAll(() => {
  result = synthBucketGuard();
});

describe.each(RULES.map((rule) => [rule.id, rule] as const))('rule Lambda %s', (_id, rule) => {
  it('holds exactly the declared actions plus the plumbing, all Allow', () => {
    const deployed = result.guard.rules.find((r) => r.rule.id === rule.id)!;
    const statements = roleStatements(result, roleOfFunction(result, logicalId(result, deployed.function.function)));
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    const continuation = ruleSweeps(rule) ? [SWEEP_CONTINUATION_ACTION] : [];
    const exemptions = 'exemptionsParameter' in rule.parameters ? [EXEMPTIONS_READ] : [];
    expect(actionsOf(statements)).toEqual(
      [...new Set([...rulePermissions(rule), ...PLUMBING, ...continuation, ...exemptions])].sort(),
    );
    // The approved exemption list, and nothing else of SSM.
    expect(resourceOf(statements, EXEMPTIONS_READ)).toEqual(exemptions.length ? [exemptionsParameterArn(result)] : []);
  });

  it('scopes each action to the narrowest resource IAM supports', () => {
    const deployed = result.guard.rules.find((r) => r.rule.id === rule.id)!;
    const statements = roleStatements(result, roleOfFunction(result, logicalId(result, deployed.function.function)));
    const logGroup = { 'Fn::GetAtt': [logicalId(result, deployed.function.logGroup), 'Arn'] };
    expect(resourceOf(statements, 'logs:PutLogEvents')).toEqual([logGroup]);
    expect(resourceOf(statements, 'sqs:SendMessage')).toEqual([
      { 'Fn::GetAtt': [logicalId(result, result.guard.deadLetterQueue), 'Arn'] },
    ]);
    expect(resourceOf(statements, 'config:PutEvaluations')).toEqual(['*']);
    const self = { 'Fn::GetAtt': [logicalId(result, deployed.function.function), 'Arn'] };
    expect(resourceOf(statements, SWEEP_CONTINUATION_ACTION)).toEqual(ruleSweeps(rule) ? [self] : []);
    for (const action of rulePermissions(rule).filter((a) => a.startsWith('s3:'))) {
      expect(resourceOf(statements, action)).toEqual([action === 's3:GetAccountPublicAccessBlock' ? '*' : BUCKET_ARNS]);
    }
  });
});

describe('notify Lambda', () => {
  it('may only publish to the topic (and use its key, and the dead-letter key) and read the approved list', () => {
    const statements = roleStatements(result, roleOfFunction(result, logicalId(result, result.guard.notify.function)));
    expect(actionsOf(statements)).toEqual(
      [...new Set([...notifyPermissions(), 'ssm:GetParameter', ...PLUMBING])].sort(),
    );
    expect(resourceOf(statements, 'sns:Publish')).toEqual([{ Ref: logicalId(result, result.guard.topic) }]);
    // For tagging emails: whether the approved list exempts the bucket; that one parameter only.
    expect(JSON.stringify(resourceOf(statements, 'ssm:GetParameter'))).toContain(
      logicalId(result, result.guard.exemptionsParameter),
    );
    // The dead-letter queue's key for its on-failure destination, the topic's key for publishing.
    expect(resourceOf(statements, 'kms:GenerateDataKey')).toEqual([
      [
        { 'Fn::GetAtt': [logicalId(result, result.guard.deadLetterKey), 'Arn'] },
        { 'Fn::GetAtt': [logicalId(result, result.guard.key), 'Arn'] },
      ],
    ]);
  });
});

describe('remediation Lambda', () => {
  const defaultActions = ACTIONS.filter((a) => !a.optIn).map((a) => a.id);

  function remediationActions(r: SynthResult): string[] {
    return actionsOf(roleStatements(r, roleOfFunction(r, logicalId(r, r.guard.remediation.function))));
  }

  it('in notify mode (default) holds every declared read but no S3 write', () => {
    const declared = remediationPermissions(defaultActions);
    const writes = declared.filter((a) => /^s3:(Put|Delete)/.test(a));
    expect(writes).toEqual(['s3:PutAccountPublicAccessBlock', 's3:PutBucketPublicAccessBlock']);
    expect(remediationActions(result)).toEqual(
      [...new Set([...declared.filter((a) => !writes.includes(a)), ...PLUMBING, EXEMPTIONS_READ])].sort(),
    );
    const statements = roleStatements(
      result,
      roleOfFunction(result, logicalId(result, result.guard.remediation.function)),
    );
    expect(resourceOf(statements, EXEMPTIONS_READ)).toEqual([exemptionsParameterArn(result)]);
  });

  it("in remediate mode holds exactly the enabled actions' declared permissions plus the plumbing", () => {
    const remediate = synthBucketGuard({ props: { mode: 'remediate' } });
    expect(remediationActions(remediate)).toEqual(
      [...new Set([...remediationPermissions(defaultActions), ...PLUMBING, EXEMPTIONS_READ])].sort(),
    );
  });

  it('grants S3 writes only to actions whose own mode is remediate', () => {
    const mixed = synthBucketGuard({
      props: {
        mode: 'remediate',
        enabledActions: ['block-public-access', 'enable-versioning'],
        actionModes: { 'block-public-access': 'notify' },
      },
    });
    const actions = remediationActions(mixed);
    expect(actions).toContain('s3:PutBucketVersioning');
    expect(actions).toContain('s3:GetBucketPublicAccessBlock');
    expect(actions).not.toContain('s3:PutBucketPublicAccessBlock');
    expect(actions).not.toContain('s3:PutAccountPublicAccessBlock');
  });

  it('scopes the flap-table write to the table and the topic publish to the topic', () => {
    const statements = roleStatements(
      result,
      roleOfFunction(result, logicalId(result, result.guard.remediation.function)),
    );
    expect(resourceOf(statements, 'dynamodb:UpdateItem')).toEqual([
      { 'Fn::GetAtt': [logicalId(result, result.guard.flapTable), 'Arn'] },
    ]);
    expect(resourceOf(statements, 'sns:Publish')).toEqual([{ Ref: logicalId(result, result.guard.topic) }]);
  });

  it('remediationGrants keeps reads for every enabled action and writes only where remediating', () => {
    expect(
      remediationGrants(DEFAULT_REGISTRY, {
        mode: 'notify',
        actionModes: { 'enable-versioning': 'remediate' },
        enabledActions: ['block-public-access', 'enable-versioning'],
      }),
    ).toEqual([
      'dynamodb:UpdateItem',
      // A fix stopped by the flap limit schedules its re-check (remediating actions only).
      'iam:PassRole',
      's3:GetBucketPublicAccessBlock',
      's3:GetBucketTagging',
      's3:GetBucketVersioning',
      's3:PutBucketVersioning',
      'scheduler:CreateSchedule',
      'sns:Publish',
    ]);
  });
});

it('no IAM policy in the template grants a wildcard action or NotAction', () => {
  const everywhere = synthBucketGuard({ props: { configRecorder: true, mode: 'remediate' } });
  const documents = [
    ...Object.values(resourcesOfType(everywhere, 'AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument),
    ...Object.values(resourcesOfType(everywhere, 'AWS::IAM::Role')).flatMap((r) =>
      ((r.Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument),
    ),
    ...Object.values(resourcesOfType(everywhere, 'AWS::IAM::ManagedPolicy')).map((p) => p.Properties.PolicyDocument),
  ] as { Statement: (Statement & { NotAction?: unknown })[] }[];
  expect(documents.length).toBeGreaterThan(8);
  for (const document of documents) {
    for (const statement of document.Statement) {
      expect(statement.NotAction).toBeUndefined();
      for (const action of asList(statement.Action)) expect(action).not.toContain('*');
    }
  }
});

describe('infra/iam', () => {
  it('refuses wildcard or malformed actions with a message naming the declarer', () => {
    expect(() => statementsFor(['s3:*'], 'rule x', {})).toThrow(
      new InvalidPermissionError('s3:*', 'rule x', 'expected "service:Action" with no wildcard.'),
    );
    expect(() => statementsFor(['s3:Get*'], 'rule x', {})).toThrow(InvalidPermissionError);
    expect(() => statementsFor(['GetObject'], 'rule x', {})).toThrow(InvalidPermissionError);
  });

  it('refuses a service it has no resource scope for, rather than granting it on "*"', () => {
    expect(() => resourceScopeOf('iam:PassRole', 'action y', {})).toThrow(
      'Refusing to grant IAM action "iam:PassRole" declared by action y: service "iam" has no resource scoping in infra/iam.ts; add one before granting it.',
    );
  });

  it('refuses topic or table actions when the deployment has no such resource', () => {
    expect(() => resourceScopeOf('sns:Publish', 'notify', {})).toThrow('no SNS topic in this deployment.');
    expect(() => resourceScopeOf('dynamodb:UpdateItem', 'remediation', {})).toThrow(
      'no DynamoDB table in this deployment.',
    );
  });
});
