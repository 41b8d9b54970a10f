/**
 * What each recorded JSON document is: Config rule invocations, configuration items (invocation model, API model,
 * advanced-query rows as string or object), GetResourceConfigHistory / BatchGetResourceConfig / SelectResourceConfig
 * responses, Config notifications delivered by SNS, EventBridge events, CloudTrail trail files and bare records,
 * CloudWatch alarm payloads, and arrays of any of these. Pure: no I/O.
 */
import { identifyBucketRow } from './advanced-query';

export type DocumentKind =
  /** A Lambda event from AWS Config (has invokingEvent). */
  | 'config-rule-invocation'
  /** A bare configuration item, any model. */
  | 'configuration-item'
  /** GetResourceConfigHistory (`configurationItems`) or BatchGetResourceConfig (`baseConfigurationItems`). */
  | 'config-api-response'
  /** SelectResourceConfig (`Results`: one JSON string per row). */
  | 'advanced-query-response'
  /** A Config change notification (the SNS message body), carrying a configuration item. */
  | 'config-notification'
  /** Config's ComplianceChangeNotification delivered by SNS (response path). */
  | 'config-compliance-notification'
  /** Any EventBridge event (`detail-type`), e.g. Config compliance change, CloudTrail API call, alarm state change. */
  | 'eventbridge-event'
  /** One CloudTrail record (bare, or one of a trail file's Records). */
  | 'cloudtrail-record'
  /** CloudWatch alarm: the Lambda alarm-action payload or the alarm's SNS message. */
  | 'cloudwatch-alarm';

/** Kinds the response path (remediation/notify) handles. */
export const RESPONSE_KINDS: ReadonlySet<DocumentKind> = new Set([
  'config-compliance-notification',
  'eventbridge-event',
  'cloudtrail-record',
  'cloudwatch-alarm',
]);

export interface LoadedDocument {
  /** File path, plus where inside it: `file.json#2` (array index), `#Records[0]`, `#Message`. */
  readonly source: string;
  readonly file: string;
  readonly kind: DocumentKind;
  /** The unit itself, unwrapped from arrays, SNS envelopes and trail files. */
  readonly document: unknown;
  /** The raw configuration items this document carries (for Config kinds); empty otherwise. */
  readonly items: readonly unknown[];
}

export interface LoadMessage {
  readonly source: string;
  readonly message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export interface Classified {
  readonly documents: LoadedDocument[];
  readonly problems: LoadMessage[];
  /** Inputs read with an assumption the report should state (bin/advanced-query.ts). */
  readonly notes: LoadMessage[];
}

const EXPECTED =
  'expected a Config rule invocation, a configuration item, a Config API response, an SNS notification, an EventBridge event, CloudTrail records or a CloudWatch alarm payload';

/** Classifies one parsed JSON value (recursing into arrays and SNS envelopes). Never throws. */
export function classifyDocument(value: unknown, source: string, file: string): Classified {
  const result: Classified = { documents: [], problems: [], notes: [] };
  const add = (kind: DocumentKind, document: unknown, items: readonly unknown[] = [], at = source) =>
    result.documents.push({ source: at, file, kind, document, items });
  const merge = (other: Classified) => {
    result.documents.push(...other.documents);
    result.problems.push(...other.problems);
    result.notes.push(...other.notes);
  };
  const problem = (message: string, at = source) => result.problems.push({ source: at, message });

  if (Array.isArray(value)) {
    if (value.length === 0) problem('an empty array: nothing to process');
    value.forEach((element, index) => {
      merge(classifyDocument(element, `${source}#${index}`, file));
    });
    return result;
  }
  if (typeof value === 'string') {
    // An advanced-query row saved as a JSON string (or any document double-encoded).
    const parsed = parseJsonString(value);
    if (isRecord(parsed) || Array.isArray(parsed)) return classifyDocument(parsed, source, file);
    problem(`a JSON string that is not a JSON object; ${EXPECTED}`);
    return result;
  }
  if (!isRecord(value)) {
    problem(`a JSON ${value === null ? 'null' : typeof value}; ${EXPECTED}`);
    return result;
  }

  if ('invokingEvent' in value) {
    const invoking = parseJsonString(value.invokingEvent);
    const item = isRecord(invoking) ? invoking.configurationItem : undefined;
    add('config-rule-invocation', value, isRecord(item) ? [item] : []);
    return result;
  }
  if (Array.isArray(value.configurationItems) || Array.isArray(value.baseConfigurationItems)) {
    const items = [
      ...(Array.isArray(value.configurationItems) ? value.configurationItems : []),
      ...(Array.isArray(value.baseConfigurationItems) ? value.baseConfigurationItems : []),
    ];
    add('config-api-response', value, items);
    return result;
  }
  if (Array.isArray(value.Results)) {
    const rows = value.Results.map((row, index) => {
      const identified = identifyAdvancedQueryRow(parseJsonString(row), `${source}#item${index}`);
      if (identified.note) result.notes.push(identified.note);
      return identified.row;
    });
    add('advanced-query-response', value, rows);
    return result;
  }
  if (Array.isArray(value.Records)) {
    value.Records.forEach((record, index) => {
      const at = `${source}#Records[${index}]`;
      if (isRecord(record) && isRecord(record.Sns)) merge(unwrapSns(record.Sns, at, file));
      else if (isCloudTrailRecord(record)) add('cloudtrail-record', record, [], at);
      else problem(`a record that is neither a CloudTrail record nor an SNS delivery; ${EXPECTED}`, at);
    });
    if (value.Records.length === 0) problem('"Records" is empty: nothing to process');
    return result;
  }
  if (value.Type === 'Notification' && typeof value.Message === 'string') {
    merge(unwrapSns(value, source, file));
    return result;
  }
  if (typeof value['detail-type'] === 'string' && 'detail' in value) {
    add('eventbridge-event', value);
    return result;
  }
  if (isCloudTrailRecord(value)) {
    add('cloudtrail-record', value);
    return result;
  }
  if (
    (value.source === 'aws.cloudwatch' && isRecord(value.alarmData)) ||
    ('AlarmName' in value && 'NewStateValue' in value)
  ) {
    add('cloudwatch-alarm', value);
    return result;
  }
  if (value.messageType === 'ComplianceChangeNotification') {
    add('config-compliance-notification', value);
    return result;
  }
  if ('configurationItem' in value || 'configurationItemSummary' in value) {
    const item = value.configurationItem;
    add('config-notification', value, isRecord(item) ? [item] : []);
    return result;
  }
  if (typeof value.resourceType === 'string' && typeof value.resourceId === 'string') {
    add('configuration-item', value, [value]);
    return result;
  }
  const keys = Object.keys(value).slice(0, 8);
  problem(`unrecognised document (keys: ${keys.length > 0 ? keys.join(', ') : 'none'}); ${EXPECTED}`);
  return result;
}

function isCloudTrailRecord(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.eventSource === 'string' &&
    typeof value.eventName === 'string' &&
    ('eventVersion' in value || 'userIdentity' in value || 'eventTime' in value)
  );
}

/** An SNS envelope (Lambda `Records[].Sns` or an HTTP/SQS delivery): the Message is a JSON string. */
function unwrapSns(sns: Record<string, unknown>, source: string, file: string): Classified {
  const at = `${source}#Message`;
  const message = parseJsonString(sns.Message);
  if (!isRecord(message)) {
    return {
      documents: [],
      problems: [
        {
          source: at,
          message: 'the SNS Message is not a JSON object (not a Config, compliance or alarm notification)',
        },
      ],
      notes: [],
    };
  }
  return classifyDocument(message, at, file);
}

/** An advanced-query row as it will be evaluated, and the note when it had to be identified by its configuration. */
export function identifyAdvancedQueryRow(
  row: unknown,
  source: string,
): { readonly row: unknown; readonly note?: LoadMessage } {
  const identified = identifyBucketRow(row);
  return identified ? { row: identified.row, note: { source, message: identified.note } } : { row };
}
