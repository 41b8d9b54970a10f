/**
 * IAM, checked on the synthesized template (no bundling) of every deployment shape: no wildcard action, no
 * NotAction / NotResource, `Resource: "*"` only for actions the Service Authorization Reference gives no resource type,
 * and no permission a role's code does not declare (rulePermissions / remediationPermissions / notifyPermissions)
 * beyond the plumbing listed below.
 */

import type { BucketGuardProps } from '../../infra/props';
import { ACTIONS, notifyPermissions, remediationPermissions } from '../../remediation';
import type { ActionId } from '../../remediation/actions/action-definition';
import { RULES } from '../../rules';
import { rulePermissions, ruleSweeps, SWEEP_CONTINUATION_ACTION } from '../../rules/config-protocol/permissions';
import { synthBucketGuard } from '../infra/helpers';

/**
 * Actions that IAM only accepts with `Resource: "*"`: the Service Authorization Reference lists no resource type for
 * them (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html,
 * .../list_amazons3.html, .../list_amazoncloudwatch.html, .../list_awsx-ray.html). Anything else must be scoped.
 */
const ACTIONS_WITHOUT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'config:PutEvaluations',
  'config:GetResourceConfigHistory',
  'config:BatchGetResourceConfig',
  'config:ListDiscoveredResources',
  'config:SelectResourceConfig',
  's3:ListAllMyBuckets',
  's3:GetAccountPublicAccessBlock',
  's3:PutAccountPublicAccessBlock',
  'cloudwatch:PutMetricData',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);

/**
 * What infra and CDK add to a Lambda role beyond the code's own declared calls, each on one named resource:
 * its own log group (logs:CreateLogStream, logs:PutLogEvents), the dead-letter queue (sqs:SendMessage), and the
 * customer-managed key that encrypts that queue and the topic (kms:Decrypt, kms:GenerateDataKey). X-Ray write
 * actions would be added with active tracing (not enabled today).
 */
const LAMBDA_PLUMBING: ReadonlySet<string> = new Set([
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'sqs:SendMessage',
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);

/** The role EventBridge Scheduler assumes for a re-check after a stopped fix: it invokes the remediation function. */
const RECHECK_ROLE_ACTIONS: ReadonlySet<string> = new Set(['lambda:InvokeFunction']);
const isRecheckRole = (roleId: string): boolean => roleId.includes('RecheckSchedulerRole');

/** CloudTrail's own role, which writes the trail into its log group. */
const CLOUDTRAIL_ROLE_ACTIONS: ReadonlySet<string> = new Set(['logs:CreateLogStream', 'logs:PutLogEvents']);

type Json = Record<string, unknown>;
interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function refOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Json;
  if (typeof record.Ref === 'string') return record.Ref;
  const getAtt = record['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

interface Shape {
  readonly label: string;
  readonly props: Partial<BucketGuardProps>;
}

const ALL_ACTIONS = ACTIONS.map((action) => action.id);
const SHAPES: readonly Shape[] = [
  { label: 'default (dry run)', props: {} },
  {
    label: 'remediate, every action, new trail, email',
    props: {
      mode: 'remediate',
      enabledActions: ALL_ACTIONS,
      createTrail: true,
      notificationEmails: ['security@example.com'],
    },
  },
  { label: 'no trail, no actions', props: { createTrail: false, enabledActions: [] } },
];

interface Findings {
  readonly managedPolicies: string[];
  readonly wildcards: string[];
  readonly starResources: string[];
  readonly badScopes: string[];
  readonly foreignInvokes: string[];
  readonly recheckInvokes: string[];
  readonly selfInvokers: string[];
  readonly undeclared: string[];
  readonly assumers: string[];
  readonly lambdaRoles: string[];
}

/** Walks every IAM resource of a synthesized template; each list names what breaks one rule (empty = fine). */
function iamFindings(
  json: { Resources: Record<string, { Type: string; Properties?: Json }> },
  props: Partial<BucketGuardProps>,
): Findings {
  const resources = json.Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  /** Role logical id -> every identity-policy statement attached to it (inline, AWS::IAM::Policy, managed). */
  const statementsByRole = new Map<string, Statement[]>();
  for (const [id, role] of ofType('AWS::IAM::Role')) {
    const inline = list(role.Properties?.Policies as { PolicyDocument: { Statement: Statement[] } }[]);
    statementsByRole.set(
      id,
      inline.flatMap((p) => p.PolicyDocument.Statement),
    );
  }
  for (const [, policy] of [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')]) {
    const statements = list(
      (policy.Properties?.PolicyDocument as { Statement: Statement | Statement[] } | undefined)?.Statement,
    );
    for (const role of list(policy.Properties?.Roles)) {
      const id = refOf(role);
      if (id) statementsByRole.set(id, [...(statementsByRole.get(id) ?? []), ...statements]);
    }
  }
  const allows = [...statementsByRole.values()].flat().filter((s) => s.Effect === 'Allow');

  /** What each Lambda role may hold: its code's declared actions plus the plumbing. */
  const declaredByRole = new Map<string, { who: string; actions: Set<string> }>();
  const configRules = ofType('AWS::Config::ConfigRule');
  for (const [fnId, fn] of ofType('AWS::Lambda::Function')) {
    const roleId = refOf(fn.Properties?.Role);
    if (!roleId) continue;
    const env = ((fn.Properties?.Environment as Json | undefined)?.Variables ?? {}) as Json;
    const configRule = configRules.find(
      ([, r]) => refOf((r.Properties?.Source as Json | undefined)?.SourceIdentifier) === fnId,
    );
    let who: string;
    let actions: string[];
    if (configRule) {
      const name = String(configRule[1].Properties?.ConfigRuleName);
      const rule = RULES.find((r) => name.endsWith(r.id));
      if (!rule) throw new Error(`Config rule ${name} maps to no registered rule`);
      who = `rule ${rule.id}`;
      // Plus its own continuation (granted on its own ARN only: checked below).
      actions = [
        ...rulePermissions(rule),
        ...(ruleSweeps(rule) ? [SWEEP_CONTINUATION_ACTION] : []),
        // The approved exemption list (issue 13), granted on that one parameter's ARN (test/infra/iam.test.ts).
        ...('exemptionsParameter' in rule.parameters ? ['ssm:GetParameter'] : []),
      ];
    } else if ('BUCKETGUARD_FLAP_TABLE' in env || fnId.includes('Remediation')) {
      who = 'remediation';
      actions = [
        ...remediationPermissions(
          (props.enabledActions ?? ['block-public-access', 'block-account-public-access']) as ActionId[],
        ),
        'ssm:GetParameter',
      ];
    } else if ('BUCKETGUARD_TOPIC_ARN' in env) {
      who = 'notify';
      // Plus the approved exemption list, read for tagging emails (granted on that one parameter, like remediation).
      actions = [...notifyPermissions(), 'ssm:GetParameter'];
    } else {
      who = `function ${fnId}`;
      actions = [];
    }
    declaredByRole.set(roleId, { who, actions: new Set([...actions, ...LAMBDA_PLUMBING]) });
  }

  const badScopes: string[] = [];
  for (const s of allows) {
    for (const resource of list(s.Resource)) {
      if (resource === '*') continue;
      const text = JSON.stringify(resource);
      if (text.includes(':s3:::') && (text.includes('/*') || list(s.Action).some((a) => !a.startsWith('s3:')))) {
        badScopes.push(`${list(s.Action).join(',')} on ${text}`);
      }
      if (!text.includes(':s3:::') && text.includes('*') && !text.includes('Fn::GetAtt') && !text.includes('"Ref"')) {
        badScopes.push(`${list(s.Action).join(',')} on a wildcard resource ${text}`);
      }
    }
  }
  // lambda:InvokeFunction (a sweep's continuation) only on the role's own function.
  const functionOfRole = new Map(
    ofType('AWS::Lambda::Function').map(([fnId, fn]) => [refOf(fn.Properties?.Role) ?? '', fnId] as const),
  );
  const foreignInvokes: string[] = [];
  const recheckInvokes: string[] = [];
  const remediationFn = ofType('AWS::Lambda::Function').find(
    ([, fn]) =>
      'BUCKETGUARD_FLAP_TABLE' in (((fn.Properties?.Environment as Json | undefined)?.Variables ?? {}) as Json),
  )?.[0];
  for (const [roleId, statements] of statementsByRole) {
    for (const s of statements.filter(
      (st) => st.Effect === 'Allow' && list(st.Action).includes('lambda:InvokeFunction'),
    )) {
      // The Scheduler role invokes the remediation function (the re-check), and nothing else.
      const recheck = isRecheckRole(roleId);
      const own = JSON.stringify({ 'Fn::GetAtt': [recheck ? remediationFn : functionOfRole.get(roleId), 'Arn'] });
      for (const resource of list(s.Resource)) {
        if (JSON.stringify(resource) !== own) foreignInvokes.push(`${roleId} may invoke ${JSON.stringify(resource)}`);
        else if (recheck) recheckInvokes.push(`scheduler role invokes ${remediationFn}`);
      }
    }
  }
  const undeclared: string[] = [];
  for (const [roleId, statements] of statementsByRole) {
    const declared = declaredByRole.get(roleId);
    const allowed =
      declared?.actions ??
      (roleId.includes('CloudTrail')
        ? CLOUDTRAIL_ROLE_ACTIONS
        : isRecheckRole(roleId)
          ? RECHECK_ROLE_ACTIONS
          : new Set<string>());
    for (const action of statements.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action))) {
      if (!allowed.has(action)) undeclared.push(`${declared?.who ?? roleId} holds undeclared ${action}`);
    }
  }
  return {
    managedPolicies: ofType('AWS::IAM::Role')
      .filter(([, r]) => list(r.Properties?.ManagedPolicyArns).length > 0)
      .map(([id]) => id),
    wildcards: allows.flatMap((s) => [
      ...list(s.Action).filter((a) => a.includes('*')),
      ...(s.NotAction !== undefined ? ['NotAction'] : []),
      ...(s.NotResource !== undefined ? ['NotResource'] : []),
    ]),
    starResources: allows
      .filter((s) => list(s.Resource).includes('*'))
      .flatMap((s) => list(s.Action).filter((a) => !ACTIONS_WITHOUT_RESOURCE_TYPES.has(a))),
    badScopes,
    foreignInvokes,
    recheckInvokes,
    selfInvokers: [...statementsByRole.entries()]
      .filter(([roleId]) => !isRecheckRole(roleId))
      .filter(([, statements]) => statements.some((st) => list(st.Action).includes('lambda:InvokeFunction')))
      .map(([roleId]) => declaredByRole.get(roleId)?.who ?? roleId)
      .sort(),
    undeclared,
    assumers: ofType('AWS::IAM::Role')
      .flatMap(([, r]) =>
        list((r.Properties?.AssumeRolePolicyDocument as { Statement: Statement[] } | undefined)?.Statement),
      )
      .map((s) => JSON.stringify(s.Principal))
      .filter(
        (p) =>
          p !== '{"Service":"lambda.amazonaws.com"}' &&
          p !== '{"Service":"cloudtrail.amazonaws.com"}' &&
          p !== '{"Service":"scheduler.amazonaws.com"}',
      ),
    lambdaRoles: [...declaredByRole.values()].map((d) => d.who).sort(),
  };
}

describe.each(SHAPES)('IAM of the synthesized template: $label', ({ props }) => {
  const findings = iamFindings(synthBucketGuard({ props }).json, props);

  it('attaches no AWS managed policy to any role', () => expect(findings.managedPolicies).toEqual([]));
  it('grants no wildcard action and uses no NotAction / NotResource in an Allow', () =>
    expect(findings.wildcards).toEqual([]));
  it('uses Resource "*" only for actions with no resource type in the Service Authorization Reference', () =>
    expect(findings.starResources).toEqual([]));
  it('scopes bucket actions to bucket ARNs (never objects) and every other action to named resources', () =>
    expect(findings.badScopes).toEqual([]));
  it('gives every Lambda role only what its code declares, plus the listed plumbing', () => {
    expect(findings.undeclared).toEqual([]);
    expect(findings.lambdaRoles).toEqual([...RULES.map((r) => `rule ${r.id}`), 'notify', 'remediation'].sort());
  });
  it('lets only Lambda, CloudTrail and (for the re-check) EventBridge Scheduler assume the roles', () =>
    expect(findings.assumers).toEqual([]));
  it("lets the re-check's Scheduler role invoke the remediation function only", () =>
    expect(findings.recheckInvokes).toEqual([expect.stringMatching(/^scheduler role invokes BucketGuardRemediation/)]));
  it('lets each sweeping bucket rule invoke itself (a sweep continuing), and nothing else', () => {
    expect(findings.foreignInvokes).toEqual([]);
    expect(findings.selfInvokers).toEqual(
      RULES.filter((r) => ruleSweeps(r))
        .map((r) => `rule ${r.id}`)
        .sort(),
    );
  });
});

it('catches each kind of violation when one is planted in the template', () => {
  const props: Partial<BucketGuardProps> = {};
  const { json } = synthBucketGuard({ props });
  const remediationPolicy = Object.entries(json.Resources).find(
    ([id, r]) => r.Type === 'AWS::IAM::Policy' && id.includes('Remediation'),
  );
  if (!remediationPolicy) throw new Error('no remediation policy in the template');
  const document = remediationPolicy[1].Properties?.PolicyDocument as { Statement: Statement[] };
  document.Statement.push(
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*' },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    { Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: '*' },
  );
  const findings = iamFindings(json, props);
  expect(findings.wildcards).toEqual(['s3:*', 'NotAction']);
  expect(findings.starResources).toEqual(['s3:*', 'iam:CreateRole']);
  expect(findings.badScopes).toEqual(['s3:GetObject on "arn:aws:s3:::b/*"']);
  expect(findings.undeclared).toEqual([
    'remediation holds undeclared s3:*',
    'remediation holds undeclared iam:CreateRole',
    'remediation holds undeclared s3:GetObject',
  ]);
});

it('in the default dry-run deployment the remediation role cannot write to S3', () => {
  const { json } = synthBucketGuard({ props: {} });
  const writes = Object.values(json.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((r) =>
      ((r.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? []).flatMap((s) =>
        list(s.Action),
      ),
    )
    .filter((action) => /^s3:(Put|Delete|Create)/.test(action));
  expect(writes).toEqual([]);
});
