/**
 * The app's one stack: a BucketGuard (its cdk-nag suppressions are its own, infra/nag.ts). Environment-agnostic on purpose (no env, no
 * lookups): it synthesizes offline with no credentials and deploys to whatever account/Region the CLI targets.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BucketGuard } from './bucketguard';
import { accountWideSeeds, applyHomeRegion, type CfnTemplate } from './organization/home-region';
import type { BucketGuardProps } from './props';

export interface BucketGuardStackProps extends StackProps {
  readonly bucketGuard: BucketGuardProps;
  /** An existing trail's CloudWatch Logs group, by name (the app's `trail=log-group:<name>`). */
  readonly trailLogGroupName?: string;
  /** Props that need this stack as their scope (imported topics, keys, log groups), merged over bucketGuard. */
  readonly scopedProps?: (stack: Stack) => Partial<BucketGuardProps>;
  /**
   * The home Region: account-wide parts (account-level BPA rule, trail and its alarms) are created only where
   * AWS::Region equals it (Condition IsHomeRegion), so one template serves every Region of an account
   * (infra/organization/home-region.ts). Default: every part in every Region the stack is deployed to.
   */
  readonly homeRegion?: string;
}

export class BucketGuardStack extends Stack {
  readonly bucketGuard: BucketGuard;
  readonly homeRegion?: string;

  constructor(scope: Construct, id: string, props: BucketGuardStackProps) {
    super(scope, id, {
      description: 'bucketguard: keeps S3 buckets from silently becoming public, losing versioning or being shared',
      ...props,
    });
    const trailLogGroup = props.trailLogGroupName
      ? logs.LogGroup.fromLogGroupName(this, 'TrailLogGroup', props.trailLogGroupName)
      : undefined;
    this.bucketGuard = new BucketGuard(this, 'BucketGuard', {
      ...props.bucketGuard,
      ...(trailLogGroup ? { trailLogGroup } : {}),
      ...props.scopedProps?.(this),
    });
    this.homeRegion = props.homeRegion;
  }

  protected override _toCloudFormation(): CfnTemplate {
    const template = super._toCloudFormation() as CfnTemplate;
    if (this.homeRegion === undefined) return template;
    return applyHomeRegion(template, this.homeRegion, accountWideSeeds(this.bucketGuard)).template;
  }
}
