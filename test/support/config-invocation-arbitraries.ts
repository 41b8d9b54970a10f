/**
 * Generated AWS Config rule invocations (config-formats.md §1): change, oversized and scheduled invoking events,
 * rule parameters.
 */
import fc from 'fast-check';
import { ACCOUNT_ID, CONFIG_RULE_PREFIX, type Json, REGION, RESULT_TOKEN } from './basics';
import { configurationItemArb } from './config-item-arbitraries';

export const UNKNOWN_MESSAGE_TYPES = [
  'ConfigurationSnapshotDeliveryCompleted',
  'ComplianceChangeNotification',
  'ConfigurationHistoryDeliveryCompleted',
  '',
  'configurationitemchangenotification',
  'ScheduledNotification ',
];

export function changeInvokingEvent(
  item: Json,
  notificationCreationTime = '2024-05-01T10:00:00.000Z',
): Record<string, Json> {
  return {
    configurationItemDiff: null,
    configurationItem: item,
    notificationCreationTime,
    messageType: 'ConfigurationItemChangeNotification',
    recordVersion: '1.3',
  };
}

export function oversizedInvokingEvent(item: Record<string, Json>): Record<string, Json> {
  return {
    configurationItemSummary: {
      changeType: 'UPDATE',
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: item.configurationItemCaptureTime,
      configurationStateId: 0,
      awsAccountId: item.awsAccountId,
      configurationItemStatus: item.configurationItemStatus,
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      resourceName: item.resourceName ?? null,
      ARN: item.ARN ?? null,
      awsRegion: REGION,
      availabilityZone: item.availabilityZone ?? null,
      configurationStateMd5Hash: '',
      resourceCreationTime: item.resourceCreationTime ?? null,
    },
    s3DeliverySummary: { s3BucketLocation: 'config-bucket/AWSLogs/x.json.gz', errorCode: null, errorMessage: null },
    messageType: 'OversizedConfigurationItemChangeNotification',
    notificationCreationTime: '2024-05-01T10:00:00.000Z',
    recordVersion: '1.0',
  };
}

export function scheduledInvokingEvent(
  account: string = ACCOUNT_ID,
  time = '2024-05-01T10:00:00.000Z',
): Record<string, Json> {
  return {
    awsAccountId: account,
    notificationCreationTime: time,
    messageType: 'ScheduledNotification',
    recordVersion: '1.0',
  };
}

export interface InvocationOptions {
  readonly ruleName?: string;
  readonly ruleParameters?: Json | undefined;
  readonly resultToken?: string;
  readonly eventLeftScope?: boolean;
}

/** The Lambda event Config sends a custom rule; invokingEvent is a JSON string as on the wire. */
export function configInvocation(invokingEvent: Json, options: InvocationOptions = {}): Record<string, Json> {
  const ruleName = options.ruleName ?? `${CONFIG_RULE_PREFIX}rule`;
  const event: Record<string, Json> = {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    resultToken: options.resultToken ?? RESULT_TOKEN,
    eventLeftScope: options.eventLeftScope ?? false,
    executionRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT_ID}:config-rule/config-rule-0123456`,
    configRuleName: ruleName,
    configRuleId: 'config-rule-0123456',
    accountId: ACCOUNT_ID,
    evaluationMode: 'DETECTIVE',
  };
  if (options.ruleParameters !== undefined) event.ruleParameters = options.ruleParameters;
  return event;
}

export type InvocationKind = 'change' | 'oversized' | 'scheduled' | 'unknown';

export interface GeneratedInvocation {
  readonly kind: InvocationKind;
  readonly event: Record<string, Json>;
  /** The configuration item the event is about (change, oversized): what GetResourceConfigHistory returns. */
  readonly item?: Record<string, Json>;
}

export const ruleParametersArb: fc.Arbitrary<Json | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 6 },
  { arbitrary: fc.constant('{}'), weight: 3 },
  {
    arbitrary: fc.constantFrom<Json>(
      '{"exemptions":"off"}',
      '{"exemptionTag":"security:exception"}',
      '{"exemptions":"maybe"}',
      '{"unknownKey":"x"}',
      'not json',
      '[]',
      '{"exemptionTag":"aws:reserved"}',
      '{"exemptionTag":""}',
      { exemptions: 'on' },
      '{"exemptionTag":12}',
    ),
    weight: 1,
  },
);

export const configInvocationArb = (ruleName?: string): fc.Arbitrary<GeneratedInvocation> =>
  fc
    .record({
      kind: fc.oneof(
        { arbitrary: fc.constant<InvocationKind>('change'), weight: 7 },
        { arbitrary: fc.constant<InvocationKind>('oversized'), weight: 1 },
        { arbitrary: fc.constant<InvocationKind>('scheduled'), weight: 1 },
        { arbitrary: fc.constant<InvocationKind>('unknown'), weight: 1 },
      ),
      item: configurationItemArb,
      ruleParameters: ruleParametersArb,
      eventLeftScope: fc.oneof(
        { arbitrary: fc.constant(false), weight: 9 },
        { arbitrary: fc.constant(true), weight: 1 },
      ),
      testMode: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
      unknownType: fc.constantFrom(...UNKNOWN_MESSAGE_TYPES),
    })
    .map(({ kind, item, ruleParameters, eventLeftScope, testMode, unknownType }) => {
      const options: InvocationOptions = {
        ...(ruleName !== undefined ? { ruleName } : {}),
        ruleParameters,
        eventLeftScope,
        ...(testMode ? { resultToken: 'TESTMODE' } : {}),
      };
      switch (kind) {
        case 'change':
          return { kind, item, event: configInvocation(changeInvokingEvent(item), options) };
        case 'oversized':
          return { kind, item, event: configInvocation(oversizedInvokingEvent(item), options) };
        case 'scheduled':
          return { kind, event: configInvocation(scheduledInvokingEvent(), options) };
        default:
          return {
            kind,
            event: configInvocation({ ...changeInvokingEvent(item), messageType: unknownType }, options),
          };
      }
    });

// ---------------------------------------------------------------------------------------------------------------
