/**
 * Reads files and directories of recorded inputs and says what each document is. Every shape bucketguard knows is
 * accepted: Config rule invocations, configuration items (invocation model, API model, advanced-query rows as string
 * or object), GetResourceConfigHistory / BatchGetResourceConfig / SelectResourceConfig responses, Config
 * notifications delivered by SNS, EventBridge events, CloudTrail trail files and bare records, CloudWatch alarm
 * payloads, and arrays of any of these. A file that cannot be read or classified is a problem for that file only.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MalformedInputError, type NormalizedItem, normalizeConfigurationItem } from '../model/normalize';
import { type AccountBpaState, type Fact, known, type PublicAccessBlockFlags, unknown } from '../model/types';
import { withBatchGetTags } from '../rules/config-protocol/config-event';
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

export interface LoadResult {
  readonly documents: readonly LoadedDocument[];
  /** Inputs that could not be read or understood (reported; the rest is still processed). */
  readonly problems: readonly LoadMessage[];
  /** Files skipped on purpose (README, non-JSON files in a directory). */
  readonly notes: readonly LoadMessage[];
  readonly filesRead: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Walks `paths` (files or directories, recursively, sorted by name) and classifies every JSON document. */
export async function loadInputs(paths: readonly string[]): Promise<LoadResult> {
  const documents: LoadedDocument[] = [];
  const problems: LoadMessage[] = [];
  const notes: LoadMessage[] = [];
  let filesRead = 0;

  const readJsonFile = async (file: string): Promise<void> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      problems.push({ source: file, message: `cannot read the file (${(error as Error).message})` });
      return;
    }
    filesRead++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      problems.push({ source: file, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const classified = classifyDocument(value, file, file);
    documents.push(...classified.documents);
    problems.push(...classified.problems);
    notes.push(...classified.notes);
  };

  const walk = async (dir: string): Promise<void> => {
    let entries: string[];
    try {
      entries = (await readdir(dir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    } catch (error) {
      problems.push({ source: dir, message: `cannot read the directory (${(error as Error).message})` });
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const path = join(dir, entry);
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory()) await walk(path);
      else if (entry.toLowerCase().endsWith('.json')) await readJsonFile(path);
      else notes.push({ source: path, message: 'skipped (not a .json file)' });
    }
  };

  for (const path of paths) {
    const found = await stat(path).then(
      (info) => ({ info }),
      (error: unknown) => ({ error }),
    );
    if ('error' in found) {
      const message = (found.error as { message?: unknown }).message;
      problems.push({ source: path, message: `no such file or directory (${String(message)})` });
    } else if (found.info.isDirectory()) {
      await walk(path);
    } else {
      // A file named explicitly is read whatever its extension.
      await readJsonFile(path);
    }
  }
  return { documents, problems, notes, filesRead };
}

interface Classified {
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
    const rows = value.Results.map(parseJsonString).map((row, index) => {
      const identified = identifyBucketRow(row);
      if (!identified) return row;
      result.notes.push({ source: `${source}#item${index}`, message: identified.note });
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

// ---------------------------------------------------------------------------------------------------------------
// Typed states from the loaded documents, and which account-level BPA applies to each bucket.

/** A configuration item from the inputs, normalised. */
export interface LoadedState {
  readonly state: NormalizedItem;
  readonly source: string;
  readonly file: string;
}

/** Normalises every configuration item the documents carry; a malformed item is a problem for its source only. */
export function normalizeDocuments(documents: readonly LoadedDocument[]): {
  readonly states: LoadedState[];
  readonly problems: LoadMessage[];
} {
  const states: LoadedState[] = [];
  const problems: LoadMessage[] = [];
  for (const document of documents) {
    document.items.forEach((item, index) => {
      const source = document.items.length > 1 ? `${document.source}#item${index}` : document.source;
      try {
        const state = normalizeConfigurationItem(item);
        const withTags =
          state.kind === 'bucket' && document.kind === 'config-api-response' ? withBatchGetTags(state, item) : state;
        states.push({ state: withTags, source, file: document.file });
      } catch (error) {
        const message = error instanceof MalformedInputError ? error.message : String(error);
        problems.push({ source, message: `malformed configuration item: ${message}` });
      }
    });
  }
  return { states, problems };
}

function captureMs(state: LoadedState): number {
  return state.state.captureTime ? Date.parse(state.state.captureTime) : 0;
}

/**
 * Which account-level BPA applies to a bucket from the inputs: `override` if given; else the account's
 * AWS::S3::AccountPublicAccessBlock item from the same file, else from the same directory (the latest capture
 * wins), else the only one in all the inputs; several that disagree, or none, leave it unknown with the reason.
 * A deleted item (configuration removed) is normalised to known(null): all four flags off.
 */
export function accountBpaResolver(
  states: readonly LoadedState[],
  override?: PublicAccessBlockFlags,
): (bucket: LoadedState) => Fact<PublicAccessBlockFlags | null> {
  if (override) return () => known(override);
  const accounts = states.filter((s): s is LoadedState & { state: AccountBpaState } => s.state.kind === 'account');
  const latest = (candidates: readonly (LoadedState & { state: AccountBpaState })[]) =>
    candidates.reduce((a, b) => (captureMs(b) >= captureMs(a) ? b : a));
  return (bucket) => {
    const accountId = bucket.state.accountId;
    if (!accountId) return unknown('not provided');
    const mine = accounts.filter((a) => a.state.accountId === accountId);
    if (mine.length === 0) return unknown('not provided');
    const sameFile = mine.filter((a) => a.file === bucket.file);
    if (sameFile.length > 0) return latest(sameFile).state.publicAccessBlock;
    const sameDir = mine.filter((a) => dirname(a.file) === dirname(bucket.file));
    if (sameDir.length > 0) return latest(sameDir).state.publicAccessBlock;
    const distinct = new Set(mine.map((a) => JSON.stringify(a.state.publicAccessBlock)));
    if (distinct.size === 1) return mine[0].state.publicAccessBlock;
    return unknown('several different account-level items in the inputs; use --account-public-access-block');
  };
}
