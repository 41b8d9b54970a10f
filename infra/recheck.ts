/**
 * The re-check after the anti-flapping limit stopped a fix: a schedule group for the one-time schedules the
 * remediation function creates (remediation/runtime/recheck-scheduler.ts), and the role EventBridge Scheduler assumes
 * to invoke that function, and nothing else.
 *
 * The remediation role may create schedules in this group only, and pass the Scheduler role to Scheduler only
 * (iam:PassedToService), so a bug or a stolen session cannot hand the role to another service or invoke another
 * function through it.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { RECHECK_PERMISSIONS } from '../remediation';

export interface RecheckSchedulingProps {
  readonly remediation: lambda.Function;
  readonly remediationRole: iam.Role;
}

export class RecheckScheduling extends Construct {
  readonly group: scheduler.ScheduleGroup;
  /** Assumed by scheduler.amazonaws.com; lambda:InvokeFunction on the remediation function only. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RecheckSchedulingProps) {
    super(scope, id);
    // Schedules delete themselves after running (ActionAfterCompletion DELETE); the group goes with the stack.
    this.group = new scheduler.ScheduleGroup(this, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
    this.role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'bucketguard: EventBridge Scheduler invokes the remediation function for a re-check',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.remediation.functionArn] }),
    );
    const [createSchedule, passRole] = RECHECK_PERMISSIONS;
    props.remediationRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [createSchedule],
        resources: [
          `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${this.group.scheduleGroupName}/*`,
        ],
      }),
    );
    props.remediationRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [passRole],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    props.remediation.addEnvironment('BUCKETGUARD_RECHECK_GROUP', this.group.scheduleGroupName);
    props.remediation.addEnvironment('BUCKETGUARD_RECHECK_ROLE_ARN', this.role.roleArn);
  }
}
