/**
 * Optional AWS Config recorder + delivery channel for accounts where Config is not enabled yet. It records only the
 * two resource types bucketguard's rules evaluate, continuously, so the rules fire within minutes of a change.
 * An account-Region can hold one recorder: leave this off where Config (or Control Tower) already records.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { logAccessTo } from './access-logs';

export const RECORDED_RESOURCE_TYPES = ['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock'] as const;

export interface ConfigRecorderProps {
  /** Server access logs for the delivery bucket. */
  readonly accessLogsBucket?: s3.Bucket;
}

export class ConfigRecorder extends Construct {
  readonly recorder: config.CfnConfigurationRecorder;
  readonly deliveryChannel: config.CfnDeliveryChannel;
  readonly bucket: s3.Bucket;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps = {}) {
    super(scope, id);

    this.bucket = new s3.Bucket(this, 'DeliveryBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.accessLogsBucket) logAccessTo(this.bucket, props.accessLogsBucket, 'config-bucket/');

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
      description: 'bucketguard: AWS Config recorder',
      // AWS's managed policy for a Config recorder role: it follows every new resource type Config supports.
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    // Delivery with a custom role: the role itself writes snapshots/history to this bucket's AWSLogs prefix only.
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: [this.bucket.bucketArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${Aws.ACCOUNT_ID}/Config/*`)],
      }),
    );

    this.recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: this.role.roleArn,
      recordingGroup: {
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: [...RECORDED_RESOURCE_TYPES],
      },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
    });

    this.deliveryChannel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: this.bucket.bucketName,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // Config refuses a delivery channel without a recorder; CloudFormation starts recording once both exist.
    this.deliveryChannel.node.addDependency(this.recorder);
  }
}
