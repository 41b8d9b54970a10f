/**
 * BucketGuard: the whole system as one reusable construct, generated from the rule and action registries.
 *
 *   Config rules (one custom Lambda rule per registry entry)
 *   EventBridge: compliance changes, CloudTrail S3 calls, alarm state changes -> notify + remediation Lambdas
 *   Notify -> SNS topic (customer-managed KMS key) -> email
 *   CloudTrail -> CloudWatch Logs -> metric filters -> alarms -> (EventBridge) -> notify
 *   Tampering with any of it (tamper filters), Lambda errors, dead letters -> alarms -> also SNS directly
 *   Dashboard, Logs Insights saved queries, dead-letter queue (its own key) + alarm
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as config from 'aws-cdk-lib/aws-config';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { BUCKETGUARD_PARAMETER_PATH } from '../model/approved-exemptions';
import { RECHECK_PERMISSIONS } from '../remediation';
import { FLAP_TABLE_PARTITION_KEY, FLAP_TABLE_TTL_ATTRIBUTE } from '../remediation/flap-store/flap-store';
import { modeFor } from '../remediation/runtime/config';
import { ruleSweeps, SWEEP_CONTINUATION_ACTION } from '../rules/config-protocol/permissions';
import { cloudTrailAlarms } from './alarm-table';
import { TrailAthena } from './athena';
import { NOTIFY_HANDLER, REMEDIATION_HANDLER, ruleHandler } from './bundling';
import { DEFAULT_REGISTRY } from './default-registry';
import { alarmStatePattern, complianceChangePattern, s3ApiCallPattern } from './event-patterns';
import { BucketGuardFunction, NOTIFY_MEMORY_MB, REMEDIATION_MEMORY_MB, RULE_MEMORY_MB } from './function';
import { isS3WriteAction, type PermissionScopes, statementsFor } from './iam';
import { suppressAcceptedFindings } from './nag';
import { type PhysicalNames, physicalNames } from './names';
import { BucketGuardDashboard, ComplianceArchive, SavedQueries } from './observability';
import {
  type BucketGuardProps,
  type ResolvedSettings,
  resolveSettings,
  ruleParametersFor,
  validateRuleParameterKeys,
} from './props';
import { RecheckScheduling } from './recheck';
import { ConfigRecorder, RECORDED_RESOURCE_TYPES } from './recorder';
import type { BucketGuardRegistry, RegisteredRule } from './registry';
import {
  alarmArnPattern,
  lambdaErrorsAlarm,
  lambdaErrorsAlarmName,
  ownAlarmConditions,
  restrictTopicPublish,
} from './self-protection';
import { TrailAlarms } from './trail';

export { alarmArnPattern };

/** Config rule descriptions are limited to 256 characters. */
const MAX_RULE_DESCRIPTION = 256;

/**
 * Config accepts a Lambda permission only if it exists before the rule, and the rule's ARN carries a random id,
 * so the permission cannot name the exact rule (aws-cdk#16617). This pins it to Config rules of this account and
 * Region, on top of the SourceAccount condition.
 */
export function configRuleSourceArnPattern(): string {
  return `arn:${Aws.PARTITION}:config:${Aws.REGION}:${Aws.ACCOUNT_ID}:config-rule/config-rule-*`;
}

export interface RuleDeployment {
  readonly rule: RegisteredRule;
  readonly configRuleName: string;
  readonly function: BucketGuardFunction;
  readonly configRule: config.CfnConfigRule;
  readonly parameters: Readonly<Record<string, string>>;
}

export class BucketGuard extends Construct {
  readonly settings: ResolvedSettings;
  /** The key of the topic (when bucketguard creates it): props.notificationKey or a new one. */
  readonly key: kms.IKey;
  /** The dead-letter queue's own key: the only key EventBridge may use (issue 13). */
  readonly deadLetterKey: kms.Key;
  /** The notification topic: props.topic or a new one. */
  readonly topic: sns.ITopic;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** One Lambda Errors alarm per function, by function (rule id, `notify`, `remediation`). */
  readonly errorAlarms = new Map<string, cloudwatch.Alarm>();
  /** The names of the functions and EventBridge rules (infra/names.ts). */
  readonly names: PhysicalNames;
  readonly flapTable: dynamodb.Table;
  /** The approved exemption list (SSM String parameter `/bucketguard/<prefix>/exemptions`). */
  readonly exemptionsParameter: ssm.StringParameter;
  readonly rules: readonly RuleDeployment[];
  readonly notify: BucketGuardFunction;
  readonly remediation: BucketGuardFunction;
  /** The schedule group and Scheduler role of the re-check after a stopped fix. */
  readonly recheck: RecheckScheduling;
  readonly eventRules: {
    readonly compliance: events.Rule;
    readonly s3ApiCalls: events.Rule;
    readonly alarms: events.Rule;
  };
  readonly complianceArchive: ComplianceArchive;
  readonly trailAlarms?: TrailAlarms;
  /** Athena over the trail (prop `athena`). */
  readonly athena?: TrailAthena;
  readonly recorder?: ConfigRecorder;
  /** Server access logs of the trail and Config buckets (only when bucketguard creates one of them). */
  readonly accessLogsBucket?: s3.Bucket;
  readonly dashboard: BucketGuardDashboard;
  readonly queries: SavedQueries;
  /** The roles granted sns:Publish on the topic: the only IAM principals the topic policy lets publish. */
  private readonly publishers: iam.IRole[] = [];

  constructor(scope: Construct, id: string, props: BucketGuardProps) {
    super(scope, id);
    const settings = resolveSettings(props);
    validateRuleParameterKeys(props);
    this.settings = settings;
    const registry = props.registry ?? DEFAULT_REGISTRY;
    const names = physicalNames(
      settings.rulePrefix,
      registry.rules.map((rule) => rule.id),
    );
    this.names = names;

    // ---- Notification plumbing: a customer-managed key for the topic (either may be brought: an imported key's or
    // topic's policy is the owner's to set; addToResourcePolicy leaves it unchanged).
    this.key =
      props.notificationKey ??
      new kms.Key(this, 'NotificationKey', {
        enableKeyRotation: true,
        description: 'bucketguard: notification topic',
        removalPolicy: RemovalPolicy.RETAIN,
      });
    // The dead-letter queue has a key of its own. EventBridge writes undeliverable events to it, and the KMS requests
    // SQS makes for such a delivery are not documented to carry aws:SourceAccount / aws:SourceArn: rather than a
    // condition that might drop the dead letters, events.amazonaws.com may use this key only, which encrypts nothing
    // but the queue, and the queue policy limits SendMessage to bucketguard's own rules. The topic's key grants
    // EventBridge nothing.
    this.deadLetterKey = new kms.Key(this, 'DeadLetterKey', {
      enableKeyRotation: true,
      description: 'bucketguard: dead-letter queue',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deadLetterKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeDeadLetters',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    // CloudWatch alarm actions may publish to the encrypted topic, for bucketguard's own alarms only.
    const ownAlarms = ownAlarmConditions(settings.alarmPrefix);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowBucketGuardAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: ownAlarms,
      }),
    );
    this.topic =
      props.topic ??
      new sns.Topic(this, 'Topic', {
        displayName: 'bucketguard',
        masterKey: this.key,
        enforceSSL: true,
      });
    // Publish: bucketguard's roles and its alarms of this account only; anyone else's is denied (no forged emails).
    restrictTopicPublish(this.topic, settings.alarmPrefix, () => this.publishers);
    for (const email of settings.notificationEmails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.deadLetterKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmName: `${settings.alarmPrefix}dead-letters`,
      alarmDescription:
        'A bucketguard event or invocation failed after every retry and was parked in the dead-letter queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Directly to the topic too: dead letters may be the notify Lambda's own failures.
    this.deadLetterAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));

    this.flapTable = new dynamodb.Table(this, 'FlapTable', {
      partitionKey: { name: FLAP_TABLE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: FLAP_TABLE_TTL_ATTRIBUTE,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Short-lived counters only (TTL); nothing to keep after removal.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const logRetention = settings.logRetentionDays;
    const scopes = { topicArn: this.topic.topicArn, flapTableArn: this.flapTable.tableArn };

    // ---- Buckets bucketguard creates (trail, Config delivery) log their access to one access-log bucket.
    if (settings.trail.kind === 'create' || settings.configRecorder) {
      // ACLs disabled and log delivery granted by bucket policy (infra/access-logs.ts), whatever the app's flags.
      this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        versioned: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }

    // ---- Optional recorder (before the rules, which cannot be created without one).
    if (settings.configRecorder) {
      this.recorder = new ConfigRecorder(this, 'ConfigRecorder', { accessLogsBucket: this.accessLogsBucket });
    }

    // ---- The approved exemption list (issue 13): owned by the deployment, held where member principals cannot
    // write. Only this stack's deployers change it (an SCP can deny ssm:PutParameter on /bucketguard/* to everyone
    // but the security team); bucketguard's roles may only read this one parameter.
    this.exemptionsParameter = new ssm.StringParameter(this, 'ExemptionsParameter', {
      parameterName: settings.exemptionsParameterName,
      description: 'bucketguard: approved exemptions (JSON list); change it by redeploying, not by hand',
      stringValue: JSON.stringify(settings.exemptions),
      tier: ssm.ParameterTier.STANDARD,
    });

    // ---- Config rules, one per registry entry.
    this.rules = registry.rules.map((rule) => this.deployRule(rule, registry, props, settings, scopes, names));

    // ---- Responders: notify (always reports) and remediation (plans; applies only in remediate mode).
    // Both responders get the same BUCKETGUARD_* values: they route every finding alike so exactly one mails.
    const actionModes = Object.entries(settings.actionModes).map(([action, mode]) => `${action}=${mode}`);
    // The remediation role exists before both functions so each can be told its ARN (its own CloudTrail events
    // are already reported in the remediation email and are not mailed twice).
    const remediationRole = new iam.Role(this, 'RemediationRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'bucketguard remediation',
    });
    const onSuccess = props.responderResults
      ? { onSuccess: new destinations.EventBridgeDestination(props.responderResults) }
      : {};
    const commonEnvironment: Record<string, string> = {
      BUCKETGUARD_MODE: settings.mode,
      // An empty value would mean "defaults" to the Lambdas; "none" is the explicit empty list.
      BUCKETGUARD_ACTIONS: settings.enabledActions.length > 0 ? settings.enabledActions.join(',') : 'none',
      ...(actionModes.length > 0 ? { BUCKETGUARD_ACTION_MODES: actionModes.join(',') } : {}),
      BUCKETGUARD_BPA_FLAGS: settings.bpaFlags.join(','),
      BUCKETGUARD_EXEMPTION_TAG: settings.exemptionTag,
      BUCKETGUARD_EXEMPTIONS_PARAMETER: settings.exemptionsParameterName,
      BUCKETGUARD_MAX_EXEMPTION_DAYS: String(settings.maxExemptionDays),
      BUCKETGUARD_ACCOUNT_BPA_OVERRIDES_EXEMPTIONS: String(settings.accountBpaOverridesExemptions),
      BUCKETGUARD_TOPIC_ARN: this.topic.topicArn,
      BUCKETGUARD_RULE_PREFIX: settings.rulePrefix,
      BUCKETGUARD_ALARM_PREFIX: settings.alarmPrefix,
      BUCKETGUARD_REMEDIATION_ROLE_ARN: remediationRole.roleArn,
    };

    this.notify = new BucketGuardFunction(this, 'Notify', {
      bundle: NOTIFY_HANDLER,
      functionName: names.notifyFunction,
      description: 'bucketguard: formats findings, alarms and outcomes into readable emails',
      serviceName: 'bucketguard-notify',
      environment: commonEnvironment,
      timeout: Duration.seconds(30),
      memorySize: NOTIFY_MEMORY_MB,
      logRetention,
      deadLetterQueue: this.deadLetterQueue,
      ...onSuccess,
    });
    this.grant(this.notify, registry.notifyPermissions(), 'the notify Lambda', scopes);

    this.remediation = new BucketGuardFunction(this, 'Remediation', {
      bundle: REMEDIATION_HANDLER,
      functionName: names.remediationFunction,
      // Capacity of its own (another workload cannot starve it) and a ceiling (a loop cannot run away).
      reservedConcurrentExecutions: settings.remediationReservedConcurrency,
      description: `bucketguard: remediation (${settings.enabledActions.map((a) => `${a}=${modeFor(settings, a)}`).join(', ') || 'no actions enabled'})`,
      serviceName: 'bucketguard-remediation',
      environment: {
        ...commonEnvironment,
        BUCKETGUARD_FLAP_TABLE: this.flapTable.tableName,
        BUCKETGUARD_FLAP_LIMIT: String(settings.flapLimit),
        BUCKETGUARD_FLAP_WINDOW_SECONDS: String(settings.flapWindowSeconds),
      },
      timeout: Duration.seconds(60),
      memorySize: REMEDIATION_MEMORY_MB,
      logRetention,
      deadLetterQueue: this.deadLetterQueue,
      role: remediationRole,
      ...onSuccess,
    });
    // The re-check's scheduler actions are granted by RecheckScheduling, with their resources and condition.
    const recheckActions: readonly string[] = RECHECK_PERMISSIONS;
    this.grant(
      this.remediation,
      remediationGrants(registry, settings).filter((action) => !recheckActions.includes(action)),
      'the remediation Lambda',
      scopes,
    );
    this.recheck = new RecheckScheduling(this, 'Recheck', {
      remediation: this.remediation.function,
      remediationRole,
    });
    this.grantExemptionsRead(this.remediation);
    // The notify Lambda mails tagging calls and says whether the list approves the bucket (it reads, never writes).
    this.grantExemptionsRead(this.notify);

    // ---- EventBridge: three rules, each delivering to both responders with retries and a dead-letter queue.
    const responderTargets = (): targets.LambdaFunction[] =>
      [this.notify, this.remediation].map(
        (fn) =>
          new targets.LambdaFunction(fn.function, {
            deadLetterQueue: this.deadLetterQueue,
            retryAttempts: 185,
            maxEventAge: Duration.hours(24),
          }),
      );
    this.eventRules = {
      compliance: new events.Rule(this, 'ComplianceChangeRule', {
        ruleName: names.eventRule('compliance'),
        description: `bucketguard: NON_COMPLIANT results of Config rules ${settings.rulePrefix}*`,
        eventPattern: complianceChangePattern(settings.rulePrefix),
        targets: responderTargets(),
      }),
      s3ApiCalls: new events.Rule(this, 'S3ApiCallRule', {
        ruleName: names.eventRule('s3ApiCalls'),
        description: 'bucketguard: S3 API calls that change bucket exposure or versioning (via CloudTrail)',
        eventPattern: s3ApiCallPattern(),
        targets: responderTargets(),
      }),
      alarms: new events.Rule(this, 'AlarmStateRule', {
        ruleName: names.eventRule('alarms'),
        description: `bucketguard: alarms ${settings.alarmPrefix}* entering ALARM`,
        eventPattern: alarmStatePattern(settings.alarmPrefix),
        targets: responderTargets(),
      }),
    };

    this.complianceArchive = new ComplianceArchive(this, 'ComplianceArchive', {
      rulePrefix: settings.rulePrefix,
      ruleName: names.eventRule('complianceArchive'),
      logRetention,
      deadLetterQueue: this.deadLetterQueue,
    });

    // ---- CloudTrail path.
    if (settings.trail.kind !== 'none') {
      const specs = cloudTrailAlarms({
        rulePrefix: settings.rulePrefix,
        alarmPrefix: settings.alarmPrefix,
        topicArn: this.topic.topicArn,
        parameterPath: BUCKETGUARD_PARAMETER_PATH,
      });
      this.trailAlarms = new TrailAlarms(this, 'CloudTrail', {
        trail: settings.trail,
        accessLogsBucket: this.accessLogsBucket,
        alarmPrefix: settings.alarmPrefix,
        specs,
        trailName: names.trail,
        logRetention,
      });
      // Tamper alarms always notify the topic directly; the others with alarmTopicActions.
      for (const spec of specs) {
        if (spec.direct || settings.alarmTopicActions) {
          this.trailAlarms.alarms.get(spec.id)?.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));
        }
      }
    }

    // ---- A Lambda Errors alarm per function, notifying the topic directly as well.
    const functions: [string, BucketGuardFunction][] = [
      ...this.rules.map((r) => [r.rule.id, r.function] as [string, BucketGuardFunction]),
      ['notify', this.notify],
      ['remediation', this.remediation],
    ];
    for (const [what, fn] of functions) {
      this.errorAlarms.set(
        what,
        lambdaErrorsAlarm(fn, 'ErrorsAlarm', fn, lambdaErrorsAlarmName(settings.alarmPrefix, what), this.topic),
      );
    }

    if (settings.athena && this.trailAlarms?.trailBucket && this.trailAlarms.trailKey) {
      this.athena = new TrailAthena(this, 'Athena', {
        prefix: settings.alarmPrefix,
        trailBucket: this.trailAlarms.trailBucket,
        trailKey: this.trailAlarms.trailKey,
        accessLogsBucket: this.accessLogsBucket,
        remediationRoleArn: this.remediation.role.roleArn,
        bytesScannedCutoffPerQuery: settings.athena.bytesScannedCutoff,
      });
    }

    // ---- What an operator looks at.
    const trailAlarms = [...(this.trailAlarms?.alarms.values() ?? [])];
    this.dashboard = new BucketGuardDashboard(this, 'Dashboard', {
      rulePrefix: settings.rulePrefix,
      alarms: [...trailAlarms, this.deadLetterAlarm, ...this.errorAlarms.values()],
      filterMetrics: trailAlarms.map((alarm) => alarm.metric),
      complianceLogGroup: this.complianceArchive.logGroup,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.queries = new SavedQueries(this, 'Queries', {
      prefix: settings.alarmPrefix,
      trailLogGroup: this.trailAlarms?.logGroup,
      remediationLogGroup: this.remediation.logGroup,
    });

    // ---- cdk-nag findings accepted for this system, scoped and with reasons, on its own resources (infra/nag.ts).
    suppressAcceptedFindings(this);
  }

  /**
   * Grants a function the actions it declares, each on its narrowest resource, plus the topic key when it publishes
   * (publishing to a KMS-encrypted topic needs the key too).
   */
  private grant(
    fn: BucketGuardFunction,
    actions: readonly string[],
    declaredBy: string,
    scopes: PermissionScopes,
  ): void {
    for (const statement of statementsFor(actions, declaredBy, scopes)) fn.role.addToPolicy(statement);
    if (actions.includes('sns:Publish')) {
      if (!this.publishers.includes(fn.role)) this.publishers.push(fn.role);
      fn.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] }),
      );
    }
  }

  /** ssm:GetParameter on exactly the approved list's parameter, nothing else of SSM. */
  private grantExemptionsRead(fn: BucketGuardFunction): void {
    fn.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [this.exemptionsParameter.parameterArn] }),
    );
  }

  private deployRule(
    rule: RegisteredRule,
    registry: BucketGuardRegistry,
    props: BucketGuardProps,
    settings: ResolvedSettings,
    scopes: PermissionScopes,
    names: PhysicalNames,
  ): RuleDeployment {
    const configRuleName = `${settings.rulePrefix}${rule.id}`;
    const parameters = ruleParametersFor(rule, props.ruleParameters?.[rule.id], settings.exemptionTag, {
      parameterName: settings.exemptionsParameterName,
      maxDays: settings.maxExemptionDays,
    });
    const periodic = rule.triggers.periodic;

    const fn = new BucketGuardFunction(this, `Rule-${rule.id}`, {
      bundle: ruleHandler(rule.id),
      functionName: names.ruleFunction(rule.id),
      description: `bucketguard Config rule ${configRuleName}: ${rule.title}`,
      serviceName: `bucketguard-${rule.id}`,
      environment: { BUCKETGUARD_RULE_PREFIX: settings.rulePrefix },
      // A periodic sweep lists and evaluates every bucket; a change evaluates one.
      timeout: periodic ? Duration.minutes(5) : Duration.minutes(1),
      memorySize: RULE_MEMORY_MB,
      logRetention: settings.logRetentionDays,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.grant(fn, registry.rulePermissions(rule), `rule ${rule.id}`, scopes);
    if ('exemptionsParameter' in rule.parameters) this.grantExemptionsRead(fn);
    if (ruleSweeps(rule)) {
      // A sweep too long for one invocation goes on in a new invocation of this function, and only this one
      // (rules/config-protocol/continuation.ts). A Policy of its own: in the role's default policy the function's
      // ARN would make the function depend on a policy that names it.
      new iam.Policy(this, `SelfInvoke-${rule.id}`, {
        roles: [fn.role],
        statements: [
          new iam.PolicyStatement({ actions: [SWEEP_CONTINUATION_ACTION], resources: [fn.function.functionArn] }),
        ],
      });
    }

    fn.function.addPermission('ConfigInvoke', {
      principal: new iam.ServicePrincipal('config.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: configRuleSourceArnPattern(),
    });
    const permission = fn.function.node.findChild('ConfigInvoke') as lambda.CfnPermission;

    const sourceDetails: config.CfnConfigRule.SourceDetailProperty[] = [];
    if (rule.triggers.configurationChanges) {
      // Both: Config switches to the Oversized message when a configuration item exceeds the SNS size limit.
      for (const messageType of [
        'ConfigurationItemChangeNotification',
        'OversizedConfigurationItemChangeNotification',
      ]) {
        sourceDetails.push({ eventSource: 'aws.config', messageType });
      }
    }
    if (periodic) {
      sourceDetails.push({
        eventSource: 'aws.config',
        messageType: 'ScheduledNotification',
        maximumExecutionFrequency: periodic,
      });
    }
    const scopeTypes = rule.resourceTypes.filter((t) => (RECORDED_RESOURCE_TYPES as readonly string[]).includes(t));

    const configRule = new config.CfnConfigRule(this, `ConfigRule-${rule.id}`, {
      configRuleName,
      description: truncate(rule.description, MAX_RULE_DESCRIPTION),
      source: { owner: 'CUSTOM_LAMBDA', sourceIdentifier: fn.function.functionArn, sourceDetails },
      scope:
        rule.triggers.configurationChanges && scopeTypes.length > 0
          ? { complianceResourceTypes: scopeTypes }
          : undefined,
      maximumExecutionFrequency: periodic,
      inputParameters: Object.keys(parameters).length > 0 ? parameters : undefined,
    });
    configRule.node.addDependency(permission);
    if (this.recorder) {
      configRule.node.addDependency(this.recorder.recorder);
      configRule.node.addDependency(this.recorder.deliveryChannel);
    }
    return { rule, configRuleName, function: fn, configRule, parameters };
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The remediation role's actions: the enabled actions' declared permissions, keeping S3 writes only for actions
 * that run in remediate mode. A notify (dry-run) action cannot change a bucket even if its code tried.
 */
export function remediationGrants(
  registry: Pick<BucketGuardRegistry, 'remediationPermissions'>,
  settings: Pick<ResolvedSettings, 'mode' | 'actionModes' | 'enabledActions'>,
): string[] {
  const declared = new Set(registry.remediationPermissions(settings.enabledActions));
  const remediating = settings.enabledActions.filter((action) => modeFor(settings, action) === 'remediate');
  const writable = new Set(remediating.length > 0 ? registry.remediationPermissions(remediating) : []);
  return [...declared].filter((action) => !isS3WriteAction(action) || writable.has(action)).sort();
}
