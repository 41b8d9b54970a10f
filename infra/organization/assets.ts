/**
 * One asset bucket per target Region in the deploying account, `<assetBucketPrefix>-<region>`: `cdk deploy`
 * publishes the Lambda code and the member templates there (infra/organization/synthesizers.ts), and CloudFormation
 * in every member account reads them (a Lambda's code must be in its own Region). Read-only to the organization
 * (aws:PrincipalOrgID), nothing else; TLS only; versioned; kept on stack removal (empty it, then delete it).
 */
import { BootstraplessSynthesizer, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { suppress } from '../nag';
import { assetBucketName } from './synthesizers';

export interface AssetBucketStackProps extends StackProps {
  readonly organizationId: string;
  readonly assetBucketPrefix: string;
  readonly region: string;
}

export class AssetBucketStack extends Stack {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AssetBucketStackProps) {
    super(scope, id, {
      description: `bucketguard: Lambda code and templates for the organization's member stacks in ${props.region}`,
      synthesizer: new BootstraplessSynthesizer(),
      env: { region: props.region },
      ...props,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: assetBucketName(props.assetBucketPrefix, props.region),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // Each deploy uploads new objects; a replaced one is kept 90 days (a StackSet operation may still read it).
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationReadsAssets',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      }),
    );
    // bucketguard's own check of its buckets (infra/checks.ts) flags exactly this statement: it is the point.
    Validations.of(this.bucket).acknowledge({
      id: 'bucketguard::bucketguard-s3-bucket-cross-account-access-prohibited',
      reason:
        "Read-only (s3:GetObject) to this organization's principals: CloudFormation in every member account reads the Lambda code from the bucket of its own Region.",
    });
    const noAccessLogs =
      'Build artefacts only (Lambda zips and templates, published by cdk deploy, readable by the organization): reads are CloudFormation creating functions; writes are recorded by CloudTrail management and S3 data events where enabled.';
    suppress(this.bucket, [{ id: 'AwsSolutions-S1', reason: noAccessLogs }]);
    // The same finding from bucketguard's own logging rule (issue 17), with the same reason.
    Validations.of(this.bucket).acknowledge({
      id: 'bucketguard::bucketguard-s3-bucket-logging-enabled',
      reason: noAccessLogs,
    });
  }
}
