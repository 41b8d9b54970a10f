/**
 * The app's one stack: a BucketGuard plus its cdk-nag suppressions. Environment-agnostic on purpose (no env, no
 * lookups): it synthesizes offline with no credentials and deploys to whatever account/Region the CLI targets.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BucketGuard } from './bucketguard';
import { suppressAcceptedFindings } from './nag';
import type { BucketGuardProps } from './props';

export interface BucketGuardStackProps extends StackProps {
  readonly bucketGuard: BucketGuardProps;
}

export class BucketGuardStack extends Stack {
  readonly bucketGuard: BucketGuard;

  constructor(scope: Construct, id: string, props: BucketGuardStackProps) {
    super(scope, id, {
      description: 'bucketguard: keeps S3 buckets from silently becoming public, losing versioning or being shared',
      ...props,
    });
    this.bucketGuard = new BucketGuard(this, 'BucketGuard', props.bucketGuard);
    suppressAcceptedFindings(this.bucketGuard);
  }
}
