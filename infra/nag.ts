/**
 * cdk-nag AwsSolutions findings bucketguard accepts, each with the reason it is right for this system. Every
 * suppression is attached to the one resource it is about and, for IAM4/IAM5, names the exact policy or wildcard
 * (`appliesTo`), so a new wildcard or a finding anywhere else still fails the synth.
 */
import { type CfnResource, Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
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
  deadLetterQueue: {
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue (EventBridge target failures and Lambda async failures).',
  },
  accessLogsBucket: {
    id: 'AwsSolutions-S1',
    reason: 'This is the server access log bucket of the trail and Config buckets; logging it into itself would loop.',
  },
} as const satisfies Record<string, AcceptedFinding>;

function suppress(construct: IConstruct, findings: readonly AcceptedFinding[]): void {
  NagSuppressions.addResourceSuppressions(
    construct,
    findings.map((f) => ({ id: f.id, reason: f.reason, ...(f.appliesTo ? { appliesTo: [...f.appliesTo] } : {}) })),
    true,
  );
}

/** Every suppression bucketguard adds, by construct path, for the report and the tests. */
export function suppressAcceptedFindings(guard: BucketGuard): void {
  const functions = [...guard.rules.map((r) => r.function), guard.notify, guard.remediation];
  for (const fn of functions) suppress(fn.role, [ACCEPTED.lambdaBucketConfiguration, ACCEPTED.lambdaNoResourceLevel]);
  suppress(guard.deadLetterQueue, [ACCEPTED.deadLetterQueue]);
  if (guard.accessLogsBucket) suppress(guard.accessLogsBucket, [ACCEPTED.accessLogsBucket]);
  if (guard.recorder) {
    const bucket = Stack.of(guard).getLogicalId(guard.recorder.bucket.node.defaultChild as CfnResource);
    suppress(guard.recorder.role, [
      ACCEPTED.recorderManagedPolicy,
      { ...ACCEPTED.recorderDelivery, appliesTo: [`Resource::<${bucket}.Arn>/AWSLogs/<AWS::AccountId>/Config/*`] },
    ]);
  }
}
