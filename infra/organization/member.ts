/**
 * The member stack: today's BucketGuard stack, one template for every account and Region of the StackSet, with
 * the home-Region switch on (account-wide parts in the home Region only) and each responder's result forwarded to
 * the security account's bus: every notify and remediation invocation's result (its findings, outcomes and the
 * email it sent) goes to this account's default bus (Lambda destination), and one rule forwards it to the central
 * bus with a role of its own. Remediation stays here: nothing in the security account can change these buckets.
 */
import { CfnParameter } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { RemediationMode } from '../../remediation/actions/action-definition';
import { INVOCATION_RESULT_DETAIL_TYPE } from '../../remediation/notify/relay';
import type { ContextSettings } from '../context';
import { DEFAULT_REGISTRY } from '../default-registry';
import { BucketGuardStack } from '../stack';
import type { MemberStackSynthesizer } from './synthesizers';

export const CENTRAL_BUS_PARAMETER = 'CentralEventBusArn';
export { INVOCATION_RESULT_DETAIL_TYPE };

export interface MemberStackProps {
  readonly settings: ContextSettings;
  readonly mode: RemediationMode;
  readonly homeRegion: string;
  readonly synthesizer: MemberStackSynthesizer;
}

export class MemberStack extends BucketGuardStack {
  readonly centralBusArn: CfnParameter;
  readonly forwardRule: events.Rule;
  readonly forwardRole: iam.Role;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    const { stackName: _name, nag: _nag, trailLogGroupName, homeRegion: _home, ...settings } = props.settings;
    super(scope, id, {
      synthesizer: props.synthesizer,
      description: `bucketguard member stack (StackSet, mode ${props.mode}): guards this account's S3 buckets and reports to the security account`,
      bucketGuard: { ...settings, mode: props.mode, registry: DEFAULT_REGISTRY },
      ...(trailLogGroupName ? { trailLogGroupName } : {}),
      homeRegion: props.homeRegion,
      scopedProps: (stack) => ({ responderResults: events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default') }),
    });
    this.centralBusArn = new CfnParameter(this, CENTRAL_BUS_PARAMETER, {
      type: 'String',
      description: "The security account's bucketguard event bus (set by the StackSet)",
      allowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]+$',
    });
    const centralBus = events.EventBus.fromEventBusArn(this, 'CentralBus', this.centralBusArn.valueAsString);
    this.forwardRole = new iam.Role(this, 'ForwardRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: "bucketguard: forwards responder results to the security account's bus",
    });
    this.forwardRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.centralBusArn.valueAsString] }),
    );
    const guard = this.bucketGuard;
    this.forwardRule = new events.Rule(this, 'ForwardResults', {
      description: "bucketguard: notify and remediation results to the security account's bus",
      eventPattern: {
        source: ['lambda'],
        detailType: [INVOCATION_RESULT_DETAIL_TYPE],
        detail: {
          requestContext: {
            // `<function ARN>:$LATEST`: only bucketguard's own two responders.
            functionArn: [guard.notify, guard.remediation].map((fn) => ({ prefix: `${fn.function.functionArn}:` })),
          },
        },
      },
      targets: [new targets.EventBus(centralBus, { role: this.forwardRole, deadLetterQueue: guard.deadLetterQueue })],
    });
  }
}
