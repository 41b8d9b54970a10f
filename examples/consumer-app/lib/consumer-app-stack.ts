import { Stack, type StackProps } from 'aws-cdk-lib';
import { BucketGuard } from 'bucketguard';
import type { Construct } from 'constructs';

export class ConsumerAppStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    new BucketGuard(this, 'BucketGuard', {
      notificationEmails: ['security@example.com'],
      mode: 'notify', // dry run: report, change nothing; 'remediate' once the emails look right
      enabledActions: ['block-public-access', 'block-account-public-access'],
      ruleParameters: { 's3-bucket-versioning-enabled': { mfaDeleteRequired: 'false' } },
      // Bring your own (CDK interfaces): trailLogGroup (an existing trail's log group: no trail is created),
      // topic and notificationKey (your SNS topic and its KMS key).
    });
  }
}
