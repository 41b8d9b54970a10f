/**
 * One parser per trigger kind, each into a Finding. Accepts every delivery bucketguard is wired to or may be fed by an
 * operator: EventBridge events, SNS-wrapped messages (Config's own topic, alarm actions to SNS), the CloudWatch alarm
 * Lambda-action payload, and bare CloudTrail records or trail files (`{"Records":[…]}`). Pure; no SDK.
 */

import { isAccountId, parseArn } from '../../model/arn';
import { known, unknown } from '../../model/types';
import {
  aclFromRequest,
  bpaFromRequest,
  changeEffect,
  createdBucketFromRequest,
  ownershipFromRequest,
  policyFromRequest,
  tagsFromRequest,
  versioningFromRequest,
} from './cloudtrail-request';
import {
  type Actor,
  type AlarmFinding,
  API_EVENT_NAMES,
  type ApiCallFinding,
  type ApiEventName,
  type ComplianceChangeFinding,
  type Finding,
  type RequestedChange,
  type Target,
  TRIGGER_LABELS,
  TriggerParseError,
} from './finding';
import {
  isRecord,
  type JsonRecord,
  nonEmptyString,
  numberField,
  parseJsonString,
  recordField,
  stringField,
} from './json';

export type ParsedTrigger =
  | { readonly kind: 'finding'; readonly finding: Finding }
  /** Not something bucketguard acts on (another service, another event type): logged at debug level. */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** A trigger bucketguard handles whose body is unusable: logged as an error, never acted on. */
  | { readonly kind: 'invalid'; readonly error: TriggerParseError };

const COMPLIANCE_DETAIL_TYPE = TRIGGER_LABELS['compliance-change'];
const API_CALL_DETAIL_TYPE = TRIGGER_LABELS['api-call'];
const ALARM_DETAIL_TYPE = TRIGGER_LABELS.alarm;

type Ignored = { readonly kind: 'ignored'; readonly reason: string };

function ignored(reason: string): Ignored {
  return { kind: 'ignored', reason };
}

/** Runs one parser; a TriggerParseError (or any bug) becomes an `invalid` entry instead of failing the whole event. */
function guard(trigger: string, parse: () => Finding | Ignored): ParsedTrigger {
  try {
    const result = parse();
    return result.kind === 'ignored' ? result : { kind: 'finding', finding: result };
  } catch (error) {
    if (error instanceof TriggerParseError) return { kind: 'invalid', error };
    return {
      kind: 'invalid',
      error: new TriggerParseError(trigger, error instanceof Error ? error.message : String(error)),
    };
  }
}

/** Every trigger in one Lambda event (an SNS or trail-file event can hold several). Never throws. */
export function parseTriggers(event: unknown): ParsedTrigger[] {
  if (!isRecord(event)) return [ignored(`not an event object (${event === null ? 'null' : typeof event})`)];
  if (Array.isArray(event.Records)) return event.Records.map((record) => parseRecord(record));
  const detailType = stringField(event, 'detail-type');
  const detail = recordField(event, 'detail');
  if (detailType === COMPLIANCE_DETAIL_TYPE) {
    return [guard(COMPLIANCE_DETAIL_TYPE, () => parseComplianceDetail(detail, event, 'eventbridge'))];
  }
  if (detailType === API_CALL_DETAIL_TYPE) {
    return [guard(API_CALL_DETAIL_TYPE, () => parseCloudTrailRecord(detail, event))];
  }
  if (detailType === ALARM_DETAIL_TYPE) return [guard(ALARM_DETAIL_TYPE, () => parseAlarmEvent(detail, event))];
  if (detailType !== undefined)
    return [ignored(`EventBridge detail-type ${JSON.stringify(detailType)} is not a bucketguard trigger`)];
  if (stringField(event, 'source') === 'aws.cloudwatch' && isRecord(event.alarmData)) {
    return [guard(ALARM_DETAIL_TYPE, () => parseAlarmAction(event))];
  }
  return [parseBareMessage(event)];
}

function parseRecord(record: unknown): ParsedTrigger {
  if (!isRecord(record)) return ignored('a Records entry that is not an object');
  const sns = recordField(record, 'Sns');
  if (sns) {
    const message = parseJsonString(sns.Message);
    if (!isRecord(message)) return ignored('an SNS message that is not a JSON object');
    return parseBareMessage(message, sns);
  }
  return parseBareMessage(record);
}

/** A message without an EventBridge envelope: Config's SNS notification, an alarm's SNS message, a CloudTrail record. */
function parseBareMessage(message: JsonRecord, sns?: JsonRecord): ParsedTrigger {
  const messageType = stringField(message, 'messageType');
  if (messageType === 'ComplianceChangeNotification') {
    return guard(COMPLIANCE_DETAIL_TYPE, () => parseComplianceDetail(message, undefined, 'sns'));
  }
  if (messageType !== undefined) return ignored(`Config message type ${messageType} is not a bucketguard trigger`);
  if (stringField(message, 'AlarmName') !== undefined && stringField(message, 'NewStateValue') !== undefined) {
    return guard(ALARM_DETAIL_TYPE, () => parseAlarmSnsMessage(message, sns));
  }
  if (stringField(message, 'eventSource') !== undefined && stringField(message, 'eventName') !== undefined) {
    return guard(API_CALL_DETAIL_TYPE, () => parseCloudTrailRecord(message, undefined));
  }
  return ignored('no recognisable trigger shape (not a compliance change, CloudTrail record or alarm)');
}

/** "+0000" offsets (CloudWatch) and ISO strings -> ISO-8601 UTC; anything else is kept as written. */
function normaliseTime(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const withColon = raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(withColon);
  return Number.isNaN(date.getTime()) ? raw : date.toISOString();
}

function required(trigger: string, record: JsonRecord | undefined, key: string, where: string): string {
  const value = nonEmptyString(record, key);
  if (value === undefined) throw new TriggerParseError(trigger, `${where}.${key} is missing or empty`);
  return value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// ---------------------------------------------------------------------------------------------------------------
// Config Rules Compliance Change

function targetOf(resourceType: string, resourceId: string): Target | undefined {
  if (resourceType === 'AWS::S3::Bucket') return { kind: 'bucket', bucket: resourceId };
  if (resourceType === 'AWS::S3::AccountPublicAccessBlock' || resourceType === 'AWS::::Account') {
    return { kind: 'account', accountId: resourceId };
  }
  return undefined;
}

function parseComplianceDetail(
  detail: JsonRecord | undefined,
  envelope: JsonRecord | undefined,
  delivery: ComplianceChangeFinding['delivery'],
): ComplianceChangeFinding {
  const trigger = COMPLIANCE_DETAIL_TYPE;
  if (!detail) throw new TriggerParseError(trigger, 'the event has no detail object');
  const ruleName = required(trigger, detail, 'configRuleName', 'detail');
  const resourceType = required(trigger, detail, 'resourceType', 'detail');
  const resourceId = required(trigger, detail, 'resourceId', 'detail');
  const newResult = recordField(detail, 'newEvaluationResult');
  const newCompliance = required(trigger, newResult, 'complianceType', 'detail.newEvaluationResult');
  const oldResult = recordField(detail, 'oldEvaluationResult');
  const target = targetOf(resourceType, resourceId);
  const time =
    normaliseTime(stringField(detail, 'notificationCreationTime') ?? stringField(envelope, 'time')) ??
    normaliseTime(stringField(newResult, 'resultRecordedTime'));
  if (time === undefined) throw new TriggerParseError(trigger, 'no notificationCreationTime or event time');
  return {
    kind: 'compliance-change',
    delivery,
    ...optional('eventId', nonEmptyString(envelope, 'id')),
    time,
    ...optional('accountId', nonEmptyString(detail, 'awsAccountId') ?? nonEmptyString(envelope, 'account')),
    ...optional('region', nonEmptyString(detail, 'awsRegion') ?? nonEmptyString(envelope, 'region')),
    ruleName,
    ...optional('ruleArn', nonEmptyString(detail, 'configRuleARN') ?? nonEmptyString(detail, 'configRuleArn')),
    resourceType,
    resourceId,
    ...optional('target', target),
    newCompliance,
    // Absent on the first evaluation of a resource.
    ...optional('oldCompliance', nonEmptyString(oldResult, 'complianceType')),
    // Config's SNS delivery sends "annotation": null.
    ...optional('annotation', nonEmptyString(newResult, 'annotation')),
    ...optional(
      'orderingTimestamp',
      normaliseTime(stringField(recordField(newResult, 'evaluationResultIdentifier'), 'orderingTimestamp')),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// AWS API Call via CloudTrail

const EVENT_NAMES: ReadonlySet<string> = new Set(API_EVENT_NAMES);

/**
 * The recorded name -> the canonical one. `DeletePublicAccessBlock`/`PutPublicAccessBlock` are the API names; CloudTrail
 * records the bucket-level calls under them in some records and the account-level ones under Delete/PutAccount….
 * The presence of a bucket name decides which.
 */
function canonicalEventName(raw: string, hasBucket: boolean): ApiEventName | undefined {
  if (raw === 'DeletePublicAccessBlock')
    return hasBucket ? 'DeleteBucketPublicAccessBlock' : 'DeleteAccountPublicAccessBlock';
  if (raw === 'PutPublicAccessBlock') return hasBucket ? 'PutBucketPublicAccessBlock' : 'PutAccountPublicAccessBlock';
  return EVENT_NAMES.has(raw) ? (raw as ApiEventName) : undefined;
}

const ACCOUNT_EVENTS: ReadonlySet<ApiEventName> = new Set([
  'PutAccountPublicAccessBlock',
  'DeleteAccountPublicAccessBlock',
]);

function actorOf(record: JsonRecord): Actor {
  const identity = recordField(record, 'userIdentity');
  const session = recordField(identity, 'sessionContext');
  const mfa = stringField(recordField(session, 'attributes'), 'mfaAuthenticated');
  return {
    ...optional('type', nonEmptyString(identity, 'type')),
    ...optional('arn', nonEmptyString(identity, 'arn')),
    ...optional('principalId', nonEmptyString(identity, 'principalId')),
    ...optional('accountId', nonEmptyString(identity, 'accountId')),
    ...optional('sessionIssuerArn', nonEmptyString(recordField(session, 'sessionIssuer'), 'arn')),
    ...optional('invokedBy', nonEmptyString(identity, 'invokedBy')),
    ...optional('mfaAuthenticated', mfa === 'true' ? true : mfa === 'false' ? false : undefined),
    ...optional('sourceIp', nonEmptyString(record, 'sourceIPAddress')),
    ...optional('userAgent', nonEmptyString(record, 'userAgent')),
  };
}

/** `123456789012.s3-control.us-east-1.amazonaws.com` -> the account id in it. */
function accountFromHost(parameters: JsonRecord | undefined): string | undefined {
  const host = stringField(parameters, 'host') ?? stringField(parameters, 'Host');
  const account = host?.slice(0, 12);
  return account !== undefined && isAccountId(account) && host?.startsWith('.s3-control', 12) ? account : undefined;
}

function requestedChange(eventName: ApiEventName, parameters: JsonRecord | undefined): RequestedChange {
  switch (eventName) {
    case 'PutBucketPublicAccessBlock':
      return { setting: 'bucket-bpa', flags: bpaFromRequest(parameters) };
    case 'DeleteBucketPublicAccessBlock':
      return { setting: 'bucket-bpa', flags: known(null) };
    case 'PutAccountPublicAccessBlock':
      return { setting: 'account-bpa', flags: bpaFromRequest(parameters) };
    case 'DeleteAccountPublicAccessBlock':
      return { setting: 'account-bpa', flags: known(null) };
    case 'PutBucketPolicy':
      return { setting: 'policy', policy: policyFromRequest(parameters) };
    case 'DeleteBucketPolicy':
      return { setting: 'policy', policy: known(null) };
    case 'PutBucketAcl': {
      const acl = aclFromRequest(parameters);
      if (!acl)
        return {
          setting: 'acl',
          acl: unknown('the request carries no ACL (no x-amz-acl, x-amz-grant-* or AccessControlPolicy)'),
        };
      return { setting: 'acl', acl: acl.acl, ...optional('canned', acl.canned) };
    }
    case 'PutBucketVersioning':
      return { setting: 'versioning', versioning: versioningFromRequest(parameters) };
    case 'PutBucketOwnershipControls':
      return { setting: 'ownership', ownership: ownershipFromRequest(parameters) };
    case 'DeleteBucketOwnershipControls':
      return { setting: 'ownership', ownership: known(null) };
    case 'CreateBucket':
      return createdBucketFromRequest(parameters);
    case 'DeleteBucket':
      return { setting: 'bucket-deleted' };
    case 'PutBucketTagging':
      return { setting: 'tagging', tags: tagsFromRequest(parameters) };
    case 'DeleteBucketTagging':
      return { setting: 'tagging', tags: known(null) };
  }
}

function parseCloudTrailRecord(
  record: JsonRecord | undefined,
  envelope: JsonRecord | undefined,
): ApiCallFinding | Ignored {
  const trigger = API_CALL_DETAIL_TYPE;
  if (!record) throw new TriggerParseError(trigger, 'the event has no detail object');
  const source = stringField(record, 'eventSource');
  if (source !== 's3.amazonaws.com')
    return ignored(`CloudTrail eventSource ${JSON.stringify(source ?? null)} is not S3`);
  const rawEventName = required(trigger, record, 'eventName', 'detail');
  const parameters = recordField(record, 'requestParameters');
  const bucketName = nonEmptyString(parameters, 'bucketName');
  const eventName = canonicalEventName(rawEventName, bucketName !== undefined);
  if (!eventName) return ignored(`S3 call ${rawEventName} is not one bucketguard watches`);

  let target: Target;
  if (ACCOUNT_EVENTS.has(eventName)) {
    const accountId =
      nonEmptyString(record, 'recipientAccountId') ??
      accountFromHost(parameters) ??
      nonEmptyString(recordField(record, 'userIdentity'), 'accountId') ??
      nonEmptyString(envelope, 'account');
    if (accountId === undefined)
      throw new TriggerParseError(trigger, `${rawEventName} names no account (recipientAccountId, host)`);
    target = { kind: 'account', accountId };
  } else {
    if (bucketName === undefined)
      throw new TriggerParseError(trigger, `${rawEventName} has no requestParameters.bucketName`);
    target = { kind: 'bucket', bucket: bucketName };
  }

  const time = normaliseTime(stringField(record, 'eventTime') ?? stringField(envelope, 'time'));
  if (time === undefined) throw new TriggerParseError(trigger, 'no eventTime');
  // Failed calls are still recorded; `errorCode: ""` (seen in real records) means success.
  const errorCode = nonEmptyString(record, 'errorCode');
  const change = requestedChange(eventName, parameters);
  const finding: ApiCallFinding = {
    kind: 'api-call',
    ...optional('eventId', nonEmptyString(record, 'eventID')),
    time,
    ...optional(
      'accountId',
      nonEmptyString(record, 'recipientAccountId') ??
        nonEmptyString(envelope, 'account') ??
        (target.kind === 'account' ? target.accountId : undefined),
    ),
    ...optional('region', nonEmptyString(record, 'awsRegion') ?? nonEmptyString(envelope, 'region')),
    eventName,
    rawEventName,
    target,
    actor: actorOf(record),
    ...optional(
      'error',
      errorCode !== undefined
        ? { code: errorCode, ...optional('message', nonEmptyString(record, 'errorMessage')) }
        : undefined,
    ),
    change,
    effect: changeEffect(change),
  };
  return finding;
}

// ---------------------------------------------------------------------------------------------------------------
// CloudWatch Alarm State Change

/** arn:aws:cloudwatch:us-east-1:123456789012:alarm:name -> us-east-1 / 123456789012. */
function arnParts(arn: string | undefined): { region?: string; accountId?: string } {
  const parts = parseArn(arn);
  if (!parts) return {};
  return { ...optional('region', parts.region || undefined), ...optional('accountId', parts.accountId || undefined) };
}

function thresholdFromReasonData(reasonData: unknown): number | undefined {
  const parsed = parseJsonString(reasonData);
  return isRecord(parsed) ? numberField(parsed, 'threshold') : undefined;
}

function metricFromConfiguration(configuration: JsonRecord | undefined): AlarmFinding['metric'] {
  const metrics = configuration?.metrics;
  const first = Array.isArray(metrics)
    ? metrics.find((entry) => isRecord(entry) && isRecord(entry.metricStat))
    : undefined;
  const metric = recordField(recordField(isRecord(first) ? first : undefined, 'metricStat'), 'metric');
  if (!metric) return undefined;
  return {
    ...optional('namespace', nonEmptyString(metric, 'namespace')),
    ...optional('name', nonEmptyString(metric, 'name')),
  };
}

/** EventBridge `detail` and the Lambda alarm-action `alarmData` share this shape. */
function alarmFromData(
  data: JsonRecord,
  delivery: AlarmFinding['delivery'],
  context: { eventId?: string; time?: string; accountId?: string; region?: string; alarmArn?: string },
): AlarmFinding {
  const trigger = ALARM_DETAIL_TYPE;
  const alarmName = required(trigger, data, 'alarmName', delivery === 'lambda-action' ? 'alarmData' : 'detail');
  const state = recordField(data, 'state');
  const newState = required(trigger, state, 'value', 'state');
  const previous = recordField(data, 'previousState');
  const configuration = recordField(data, 'configuration');
  const time = normaliseTime(stringField(state, 'timestamp') ?? context.time);
  if (time === undefined) throw new TriggerParseError(trigger, 'no state timestamp or event time');
  const fromArn = arnParts(context.alarmArn);
  return {
    kind: 'alarm',
    delivery,
    ...optional('eventId', context.eventId),
    time,
    ...optional('accountId', context.accountId ?? fromArn.accountId),
    ...optional('region', context.region ?? fromArn.region),
    alarmName,
    ...optional('alarmArn', context.alarmArn),
    ...optional('description', nonEmptyString(configuration, 'description')),
    newState,
    ...optional('oldState', nonEmptyString(previous, 'value')),
    ...optional('reason', nonEmptyString(state, 'reason')),
    ...optional('metric', metricFromConfiguration(configuration)),
    ...optional('threshold', thresholdFromReasonData(state?.reasonData)),
  };
}

function parseAlarmEvent(detail: JsonRecord | undefined, envelope: JsonRecord): AlarmFinding {
  if (!detail) throw new TriggerParseError(ALARM_DETAIL_TYPE, 'the event has no detail object');
  const resources = envelope.resources;
  const alarmArn = Array.isArray(resources)
    ? resources.find((entry): entry is string => typeof entry === 'string')
    : undefined;
  return alarmFromData(detail, 'eventbridge', {
    ...optional('eventId', nonEmptyString(envelope, 'id')),
    ...optional('time', stringField(envelope, 'time')),
    ...optional('accountId', nonEmptyString(envelope, 'account')),
    ...optional('region', nonEmptyString(envelope, 'region')),
    ...optional('alarmArn', alarmArn),
  });
}

function parseAlarmAction(event: JsonRecord): AlarmFinding {
  const data = recordField(event, 'alarmData');
  if (!data) throw new TriggerParseError(ALARM_DETAIL_TYPE, 'alarmData is missing');
  return alarmFromData(data, 'lambda-action', {
    ...optional('time', stringField(event, 'time')),
    ...optional('accountId', nonEmptyString(event, 'accountId')),
    ...optional('region', nonEmptyString(event, 'region')),
    ...optional('alarmArn', nonEmptyString(event, 'alarmArn')),
  });
}

/** The alarm's SNS message: PascalCase, `Region` is a human name ("EU - Ireland"), so the code comes from AlarmArn. */
function parseAlarmSnsMessage(message: JsonRecord, sns: JsonRecord | undefined): AlarmFinding {
  const trigger = ALARM_DETAIL_TYPE;
  const alarmName = required(trigger, message, 'AlarmName', 'Message');
  const alarmArn = nonEmptyString(message, 'AlarmArn');
  const fromArn = arnParts(alarmArn);
  const time = normaliseTime(stringField(message, 'StateChangeTime') ?? stringField(sns, 'Timestamp'));
  if (time === undefined) throw new TriggerParseError(trigger, 'no StateChangeTime');
  const triggerBlock = recordField(message, 'Trigger');
  const metricName = nonEmptyString(triggerBlock, 'MetricName');
  const namespace = nonEmptyString(triggerBlock, 'Namespace');
  return {
    kind: 'alarm',
    delivery: 'sns',
    ...optional('eventId', nonEmptyString(sns, 'MessageId')),
    time,
    ...optional('accountId', nonEmptyString(message, 'AWSAccountId') ?? fromArn.accountId),
    ...optional('region', fromArn.region),
    alarmName,
    ...optional('alarmArn', alarmArn),
    ...optional('description', nonEmptyString(message, 'AlarmDescription')),
    newState: required(trigger, message, 'NewStateValue', 'Message'),
    ...optional('oldState', nonEmptyString(message, 'OldStateValue')),
    ...optional('reason', nonEmptyString(message, 'NewStateReason')),
    ...optional(
      'metric',
      metricName !== undefined || namespace !== undefined
        ? { ...optional('namespace', namespace), ...optional('name', metricName) }
        : undefined,
    ),
    ...optional('threshold', numberField(triggerBlock, 'Threshold')),
  };
}

/** Narrow helper for callers that want just the findings (invalid and ignored ones dropped). */
export function findingsOf(parsed: readonly ParsedTrigger[]): Finding[] {
  return parsed.flatMap((entry) => (entry.kind === 'finding' ? [entry.finding] : []));
}
