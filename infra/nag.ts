/**
 * cdk-nag AwsSolutions findings bucketguard accepts, each with the reason it is right for this system. Every
 * suppression is attached to the one resource it is about and, for IAM4/IAM5, names the exact policy or wildcard
 * (`appliesTo`), so a new wildcard or a finding anywhere else still fails the synth.
 *
 * The construct applies them itself (BucketGuard's constructor), so a consumer's AwsSolutionsChecks is clean on
 * any stack that holds a BucketGuard, with either cdk-nag line and without bucketguard depending on cdk-nag:
 * - cdk-nag 2.x (an Aspect) reads the `cdk_nag` resource metadata (`rules_to_suppress`), written here in the exact
 *   shape NagSuppressions.addResourceSuppressions writes;
 * - cdk-nag 3.x (a policy validation plugin; `npm i cdk-nag` installs it) reads aws-cdk-lib's own acknowledgements
 *   (`Validations.of(construct).acknowledge`), one per rule or per `<rule>[<finding>]`, matched on the resource or
 *   any construct above it.
 */
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { BucketGuard } from './bucketguard';

export interface AcceptedFinding {
  readonly id: string;
  readonly reason: string;
  readonly appliesTo?: readonly string[];
}

export const ACCEPTED = {
  lambdaBucketConfiguration: {
    id: 'AwsSolutions-IAM5',
    reason:
      'bucketguard evaluates and remediates every bucket in the account, whose names are unknown at deploy time. The actions are exactly those the rule or action declares, on bucket ARNs only (bucket configuration, never objects).',
    appliesTo: ['Resource::arn:<AWS::Partition>:s3:::*'],
  },
  lambdaNoResourceLevel: {
    id: 'AwsSolutions-IAM5',
    reason:
      'The declared actions granted on "*" (config:PutEvaluations and the other Config reads, account-level S3 Block Public Access) have no resource-level permissions in IAM; "*" is the only valid resource.',
    appliesTo: ['Resource::*'],
  },
  recorderManagedPolicy: {
    id: 'AwsSolutions-IAM4',
    reason:
      'AWS_ConfigRole is the AWS-maintained policy for a Config recorder role; it follows new resource types without redeploying bucketguard.',
    appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole'],
  },
  recorderDelivery: {
    id: 'AwsSolutions-IAM5',
    reason:
      'AWS Config writes snapshot and history objects under generated keys; the grant is s3:PutObject below AWSLogs/<account>/Config/ of its own delivery bucket only.',
  },
  recheckSchedules: {
    id: 'AwsSolutions-IAM5',
    reason:
      "The remediation function names each one-time re-check schedule after its target and window at run time; the grant is scheduler:CreateSchedule inside bucketguard's own schedule group only.",
  },
  lambdaRuntime: {
    id: 'AwsSolutions-L1',
    reason:
      "bucketguard pins nodejs24.x, the runtime its pre-built bundles target and are tested on (infra/bundling.ts). A newer Node.js runtime known to the app's aws-cdk-lib (nodejs26.x from 2.278) is adopted in a bucketguard release, not silently.",
  },
  deadLetterQueue: {
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue (EventBridge target failures and Lambda async failures).',
  },
  accessLogsBucket: {
    id: 'AwsSolutions-S1',
    reason: 'This is the server access log bucket of the trail and Config buckets; logging it into itself would loop.',
  },
} as const satisfies Record<string, AcceptedFinding>;

/** Findings of bucketguard's own synth-time check (infra/checks.ts) it accepts on its own resources. */
export const ACCEPTED_OWN_CHECKS = {
  accessLogsBucketLogging: {
    id: 'bucketguard::bucketguard-s3-bucket-logging-enabled',
    reason: ACCEPTED.accessLogsBucket.reason,
  },
} as const;

/** cdk-nag 2's metadata entry, as its NagSuppressionHelper.toCfnFormat writes it (every reason here is ASCII). */
interface CfnSuppression {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: readonly string[];
}
const NAG_METADATA_KEY = 'cdk_nag';

export function suppress(construct: IConstruct, findings: readonly AcceptedFinding[]): void {
  const entries: CfnSuppression[] = findings.map((f) => ({
    id: f.id,
    reason: f.reason,
    ...(f.appliesTo ? { applies_to: [...f.appliesTo] } : {}),
  }));
  for (const child of construct.node.findAll()) {
    const resource = child.node.defaultChild ?? child;
    if (!CfnResource.isCfnResource(resource)) continue;
    const existing = (resource.getMetadata(NAG_METADATA_KEY) as { rules_to_suppress?: CfnSuppression[] } | undefined)
      ?.rules_to_suppress;
    const merged = [...new Set([...(existing ?? []), ...entries].map((entry) => JSON.stringify(entry)))];
    resource.addMetadata(NAG_METADATA_KEY, { rules_to_suppress: merged.map((entry) => JSON.parse(entry)) });
  }
  for (const finding of findings) {
    const ids = finding.appliesTo ? finding.appliesTo.map((target) => `${finding.id}[${target}]`) : [finding.id];
    for (const id of ids) Validations.of(construct).acknowledge({ id, reason: finding.reason });
  }
}

/** Applies every accepted finding to the guard's resources (called by the BucketGuard constructor). */
export function suppressAcceptedFindings(guard: BucketGuard): void {
  const functions = [...guard.rules.map((r) => r.function), guard.notify, guard.remediation];
  for (const fn of functions) {
    suppress(fn.role, [ACCEPTED.lambdaBucketConfiguration, ACCEPTED.lambdaNoResourceLevel]);
    suppress(fn.function, [ACCEPTED.lambdaRuntime]);
  }
  suppress(guard.remediation.role, [
    {
      ...ACCEPTED.recheckSchedules,
      appliesTo: [
        `Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${guard.recheck.group.scheduleGroupName}/*`,
      ],
    },
  ]);
  suppress(guard.deadLetterQueue, [ACCEPTED.deadLetterQueue]);
  if (guard.accessLogsBucket) {
    suppress(guard.accessLogsBucket, [ACCEPTED.accessLogsBucket]);
    // The same fact as bucketguard's own check (BucketGuardChecks) sees it: the deployed rule still reports it.
    Validations.of(guard.accessLogsBucket).acknowledge(ACCEPTED_OWN_CHECKS.accessLogsBucketLogging);
  }
  if (guard.recorder) {
    const bucket = Stack.of(guard).getLogicalId(guard.recorder.bucket.node.defaultChild as CfnResource);
    suppress(guard.recorder.role, [
      ACCEPTED.recorderManagedPolicy,
      { ...ACCEPTED.recorderDelivery, appliesTo: [`Resource::<${bucket}.Arn>/AWSLogs/<AWS::AccountId>/Config/*`] },
    ]);
  }
}
