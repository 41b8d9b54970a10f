/**
 * Server access logging of bucketguard's own buckets, set explicitly so it never depends on the consuming app's
 * feature flags: without `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`, CDK would give the target bucket the
 * LogDeliveryWrite canned ACL (and ObjectWriter ownership), which bucketguard's own ACL rule reports NON_COMPLIANT.
 * Here the target keeps ACLs disabled (BucketOwnerEnforced) and S3's logging service is granted by bucket policy,
 * for this source bucket of this account only: AWS's recommended way.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';

export function logAccessTo(source: s3.Bucket, target: s3.Bucket, prefix: string): void {
  const cfnSource = source.node.defaultChild as s3.CfnBucket;
  cfnSource.loggingConfiguration = { destinationBucketName: target.bucketName, logFilePrefix: prefix };
  target.addToResourcePolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.ALLOW,
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [target.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': source.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(source).account },
      },
    }),
  );
}
