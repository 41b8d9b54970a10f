/**
 * The AWS Config custom-rule invocation envelope (config-formats.md §1): parsed once into a typed shape so the
 * adapter never touches raw JSON strings. Configuration items inside stay raw here; normalize.ts types them.
 */

import { type Fact, known } from '../../model/types';

/** The envelope itself is unusable (no result token, no invoking event): nothing can be evaluated or reported. */
export class InvalidInvocationError extends Error {
  override readonly name = 'InvalidInvocationError';
  constructor(readonly problem: string) {
    super(`Not an AWS Config rule invocation: ${problem}`);
  }
}

/** Who a raw configuration item (invocation or API model) is about; enough to report NOT_APPLICABLE for it. */
export interface RawResourceIdentity {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId?: string;
  readonly status?: string;
  /** configurationItemCaptureTime as received (string, Date or epoch); convert with toIsoTimestamp. */
  readonly captureTime?: unknown;
}

export type InvokingEvent =
  | {
      readonly kind: 'change';
      readonly messageType: 'ConfigurationItemChangeNotification';
      /** The raw configuration item (invocation model); undefined when the event carries none. */
      readonly configurationItem: unknown;
      readonly notificationCreationTime?: string;
    }
  | {
      readonly kind: 'oversized';
      readonly messageType: 'OversizedConfigurationItemChangeNotification';
      /** undefined when the summary does not say which resource it is about. */
      readonly summary: RawResourceIdentity | undefined;
      readonly notificationCreationTime?: string;
    }
  | {
      readonly kind: 'scheduled';
      readonly messageType: 'ScheduledNotification';
      readonly awsAccountId?: string;
      readonly notificationCreationTime?: string;
    }
  | {
      readonly kind: 'unsupported';
      /** As received ('(none)' when absent), e.g. ConfigurationSnapshotDeliveryCompleted from old periodic rules. */
      readonly messageType: string;
      readonly notificationCreationTime?: string;
    };

export interface RuleInvocation {
  readonly invokingEvent: InvokingEvent;
  /** As received: absent, a JSON string ("{}" included) or an object; params.ts parses it. */
  readonly ruleParameters: unknown;
  /** Passed unchanged to PutEvaluations. */
  readonly resultToken: string;
  readonly testMode: boolean;
  readonly eventLeftScope: boolean;
  readonly configRuleName?: string;
  readonly accountId?: string;
}

/**
 * "TESTMODE" is an RDK convention, not an AWS feature: RDK-generated test events carry it and call PutEvaluations
 * with TestMode=true, which makes Config accept any token without recording results. We honour the same convention.
 */
export const TEST_MODE_RESULT_TOKEN = 'TESTMODE';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** resourceType/resourceId/account/status/captureTime of a raw item in either model; undefined if it has no identity. */
export function identifyRawItem(item: unknown): RawResourceIdentity | undefined {
  if (!isRecord(item)) return undefined;
  const resourceType = nonEmptyString(item.resourceType);
  const resourceId = nonEmptyString(item.resourceId);
  if (!resourceType || !resourceId) return undefined;
  const accountId = nonEmptyString(item.awsAccountId) ?? nonEmptyString(item.accountId);
  const status = nonEmptyString(item.configurationItemStatus);
  return {
    resourceType,
    resourceId,
    ...(accountId ? { accountId } : {}),
    ...(status ? { status } : {}),
    ...(item.configurationItemCaptureTime !== undefined ? { captureTime: item.configurationItemCaptureTime } : {}),
  };
}

/**
 * BatchGetResourceConfig's BaseConfigurationItem has no `tags` field by API design; S3 records a bucket's tags in
 * supplementaryConfiguration.BucketTaggingConfiguration, present only when the bucket has tags. So for such an item
 * (no `tags` key, supplementary data present) an absent BucketTaggingConfiguration means "no tags". The direction
 * is safe: were it wrong, an exemption would be missed (stricter), never invented.
 */
export function withBatchGetTags<B extends { readonly tags: Fact<Readonly<Record<string, string>>> }>(
  bucket: B,
  raw: unknown,
): B {
  if (bucket.tags.known || !isRecord(raw) || 'tags' in raw) return bucket;
  const supplementary = raw.supplementaryConfiguration;
  if (!isRecord(supplementary) || Object.keys(supplementary).length === 0) return bucket;
  if ('BucketTaggingConfiguration' in supplementary) return bucket;
  return { ...bucket, tags: known({}) };
}

function parseInvokingEvent(raw: unknown): InvokingEvent {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new InvalidInvocationError(`invokingEvent is not valid JSON (${(error as Error).message}).`);
    }
  }
  if (!isRecord(value)) {
    throw new InvalidInvocationError(
      `invokingEvent must be a JSON object (string or object); received ${describeType(value)}.`,
    );
  }
  const notificationCreationTime = nonEmptyString(value.notificationCreationTime);
  const time = notificationCreationTime ? { notificationCreationTime } : {};
  const messageType = value.messageType;
  switch (messageType) {
    case 'ConfigurationItemChangeNotification':
      return { kind: 'change', messageType, configurationItem: value.configurationItem ?? undefined, ...time };
    case 'OversizedConfigurationItemChangeNotification':
      return { kind: 'oversized', messageType, summary: identifyRawItem(value.configurationItemSummary), ...time };
    case 'ScheduledNotification': {
      const awsAccountId = nonEmptyString(value.awsAccountId);
      return { kind: 'scheduled', messageType, ...(awsAccountId ? { awsAccountId } : {}), ...time };
    }
    default:
      return {
        kind: 'unsupported',
        messageType: typeof messageType === 'string' && messageType !== '' ? messageType : '(none)',
        ...time,
      };
  }
}

/**
 * Parses the Lambda event AWS Config sends. `invokingEvent` is normally a JSON string; an object is accepted too
 * (hand-written test events). Throws InvalidInvocationError only when the envelope cannot be answered at all.
 */
export function parseInvocation(event: unknown): RuleInvocation {
  if (!isRecord(event))
    throw new InvalidInvocationError(`the event must be an object; received ${describeType(event)}.`);
  const resultToken = nonEmptyString(event.resultToken);
  if (!resultToken) {
    throw new InvalidInvocationError(
      `resultToken is missing or empty (received ${describeType(event.resultToken)}); PutEvaluations needs it.`,
    );
  }
  if (event.invokingEvent === undefined || event.invokingEvent === null) {
    throw new InvalidInvocationError('invokingEvent is missing.');
  }
  const configRuleName = nonEmptyString(event.configRuleName);
  const accountId = nonEmptyString(event.accountId);
  return {
    invokingEvent: parseInvokingEvent(event.invokingEvent),
    ruleParameters: event.ruleParameters,
    resultToken,
    testMode: resultToken === TEST_MODE_RESULT_TOKEN,
    eventLeftScope: event.eventLeftScope === true || event.eventLeftScope === 'true',
    ...(configRuleName ? { configRuleName } : {}),
    ...(accountId ? { accountId } : {}),
  };
}
