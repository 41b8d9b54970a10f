/**
 * The security account's stack (deployed once, in the home Region, from the management account or the delegated
 * administrator): the central event bus only the organization may put to, one notifier and one KMS-encrypted topic
 * for the whole organization's emails, an organization Config aggregator, and the StackSets that roll the member
 * stack out. It reads, it never writes: no role here holds any S3 write permission (test/infra/organization*).
 */
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { NOTIFY_HANDLER } from '../bundling';
import { BucketGuardFunction, NOTIFY_MEMORY_MB } from '../function';
import { ACCEPTED, type AcceptedFinding, suppress } from '../nag';
import { resolveSettings } from '../props';
import { CENTRAL_BUS_PARAMETER, INVOCATION_RESULT_DETAIL_TYPE, MemberStack } from './member';
import type { OrganizationSettings } from './settings';
import { MemberStackSynthesizer, type OrganizationSynthesizer } from './synthesizers';

/** The central notifier's environment switch: relay member results (remediation/notify/relay.ts). */
export const RELAY_ENVIRONMENT = { BUCKETGUARD_RELAY: 'organization' } as const;
export const CENTRAL_BUS_NAME = 'bucketguard-organization';
export const AGGREGATOR_NAME = 'bucketguard-organization';

const ORGANIZATION_READS: AcceptedFinding = {
  id: 'AwsSolutions-IAM5',
  reason:
    "organizations:DescribeAccount names the account in each email; the account ARN holds the management account's id, unknown at synth, so the resource is every account of this organization (read-only).",
};
const AGGREGATOR_MANAGED_POLICY: AcceptedFinding = {
  id: 'AwsSolutions-IAM4',
  reason:
    'AWSConfigRoleForOrganizations is the AWS-maintained policy an organization aggregator role needs (organizations:List*/Describe*, read-only).',
  appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations'],
};

export interface SecurityStackProps extends StackProps {
  readonly settings: OrganizationSettings;
  readonly synthesizer: OrganizationSynthesizer;
}

export class SecurityStack extends Stack {
  readonly bus: events.EventBus;
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  readonly notifier: BucketGuardFunction;
  readonly aggregator: config.CfnConfigurationAggregator;
  readonly aggregatorRole: iam.Role;
  readonly members: readonly { readonly stack: MemberStack; readonly stackSet: cloudformation.CfnStackSet }[];

  constructor(scope: Construct, id: string, props: SecurityStackProps) {
    super(scope, id, {
      description: 'bucketguard security account: central bus, one email stream, organization Config aggregator',
      ...props,
    });
    const { settings } = props;
    const orgOnly = { StringEquals: { 'aws:PrincipalOrgID': settings.organizationId } };
    const resolved = resolveSettings({ notificationEmails: [...settings.centralEmails] });

    // ---- Central bus: only principals of this organization may put events.
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: CENTRAL_BUS_NAME });
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationMembersPutEvents',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: orgOnly,
      }),
    );

    // ---- One topic, one key, one notifier for the whole organization.
    this.key = new kms.Key(this, 'NotificationKey', {
      enableKeyRotation: true,
      description: 'bucketguard organization: notification topic and dead-letter queue',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeDeadLetters',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'bucketguard', masterKey: this.key, enforceSSL: true });
    for (const email of resolved.notificationEmails)
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.notifier = new BucketGuardFunction(this, 'Notify', {
      bundle: NOTIFY_HANDLER,
      description: "bucketguard organization: one email per member account's finding or outcome, naming the account",
      serviceName: 'bucketguard-notify',
      environment: {
        ...RELAY_ENVIRONMENT,
        BUCKETGUARD_MODE: 'notify',
        BUCKETGUARD_ACTIONS: 'none',
        BUCKETGUARD_TOPIC_ARN: this.topic.topicArn,
      },
      timeout: Duration.seconds(30),
      memorySize: NOTIFY_MEMORY_MB,
      logRetention: resolved.logRetentionDays,
      deadLetterQueue,
    });
    this.notifier.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    this.notifier.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] }),
    );
    this.notifier.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['organizations:DescribeAccount'],
        resources: [`arn:${Aws.PARTITION}:organizations::*:account/${settings.organizationId}/*`],
      }),
    );
    new events.Rule(this, 'MemberResults', {
      eventBus: this.bus,
      description: "bucketguard: member accounts' notify and remediation results to the central notifier",
      eventPattern: { source: ['lambda'], detailType: [INVOCATION_RESULT_DETAIL_TYPE] },
      targets: [
        new targets.LambdaFunction(this.notifier.function, {
          deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    // ---- Organization Config aggregator: every account's compliance in one Config console.
    this.aggregatorRole = new iam.Role(this, 'AggregatorRole', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
      description: 'bucketguard: organization Config aggregator (read-only)',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSConfigRoleForOrganizations')],
    });
    this.aggregator = new config.CfnConfigurationAggregator(this, 'Aggregator', {
      configurationAggregatorName: AGGREGATOR_NAME,
      organizationAggregationSource: {
        roleArn: this.aggregatorRole.roleArn,
        awsRegions: [...settings.regions],
        allAwsRegions: false,
      },
    });

    // ---- The member stacks: one template and one StackSet per mode group (mode per OU).
    this.members = settings.groups.map((group) => {
      const memberSynthesizer = new MemberStackSynthesizer(props.synthesizer, settings.regions);
      const stack = new MemberStack(this, `Member-${group.mode}`, {
        settings: settings.member,
        mode: group.mode,
        homeRegion: settings.homeRegion,
        synthesizer: memberSynthesizer,
      });
      const stackSet = new cloudformation.CfnStackSet(this, `StackSet-${group.mode}`, {
        stackSetName: `${settings.member.stackName}-${group.mode}`,
        description: `bucketguard member stacks in ${group.mode} mode`,
        permissionModel: 'SERVICE_MANAGED',
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        callAs: settings.callAs,
        capabilities: ['CAPABILITY_IAM'],
        managedExecution: { Active: true },
        operationPreferences: {
          failureTolerancePercentage: settings.failureTolerancePercentage,
          maxConcurrentPercentage: settings.maxConcurrentPercentage,
          regionConcurrencyType: 'PARALLEL',
          regionOrder: [settings.homeRegion, ...settings.regions.filter((r) => r !== settings.homeRegion)],
        },
        parameters: [{ parameterKey: CENTRAL_BUS_PARAMETER, parameterValue: this.bus.eventBusArn }],
        stackInstancesGroup: [
          {
            deploymentTargets: { organizationalUnitIds: [...group.organizationalUnits] },
            regions: [...settings.regions],
          },
        ],
        templateUrl: memberSynthesizer.memberTemplateUrl,
      });
      return { stack, stackSet };
    });

    new CfnOutput(this, 'CentralEventBusArn', { value: this.bus.eventBusArn });
    new CfnOutput(this, 'TopicArn', { value: this.topic.topicArn });

    suppress(this.notifier.role, [
      {
        ...ORGANIZATION_READS,
        appliesTo: [`Resource::arn:<AWS::Partition>:organizations::*:account/${settings.organizationId}/*`],
      },
    ]);
    suppress(this.notifier.function, [ACCEPTED.lambdaRuntime]);
    suppress(deadLetterQueue, [ACCEPTED.deadLetterQueue]);
    suppress(this.aggregatorRole, [AGGREGATOR_MANAGED_POLICY]);
  }
}
