/**
 * The world the offline replay answers AWS calls from (bin/offline/answerer.ts): what AWS Config recorded, per
 * resource and with its history, for the Config API; the latest BucketState / AccountBpaState per bucket and per
 * account for S3 and S3 Control; and what the handlers sent (PutEvaluations, SNS Publish), captured instead of sent.
 * S3 writes and replayed CloudTrail calls change the states, never the recorded Config history (Config records what
 * was; the states are what is now).
 */
import type {
  BaseConfigurationItem,
  ConfigurationItem,
  Evaluation,
  PutEvaluationsRequest,
} from '@aws-sdk/client-config-service';
import { type NormalizedItem, normalizeConfigurationItem, toIsoTimestamp } from '../../model/normalize';
import type { AccountBpaState, BucketState } from '../../model/types';
import { isRecord } from '../../remediation/triggers/json';

/** One recorded configuration item: as loaded, normalised, and in the API model the Config API returns. */
export interface RecordedItem {
  readonly raw: unknown;
  readonly state: NormalizedItem;
  readonly api: ConfigurationItem;
  readonly captureMs: number;
}

export interface OfflineCall {
  readonly client: string;
  readonly command: string;
  readonly input: unknown;
}

export interface CapturedEvaluations {
  readonly request: PutEvaluationsRequest;
  readonly evaluations: readonly Evaluation[];
}

export interface PublishedMessage {
  readonly topicArn?: string;
  readonly subject?: string;
  readonly message: string;
}

export interface OfflineWorld {
  /** Config's history per resource (type + id, see `resourceKey`), oldest first. */
  readonly history: ReadonlyMap<string, readonly RecordedItem[]>;
  /** How many recorded items could be normalised (the report says how many answered the calls). */
  readonly itemCount: number;
  /** What S3 answers from, by bucket name; S3 writes and replayed CloudTrail calls replace entries. */
  readonly buckets: Map<string, BucketState>;
  /** What S3 Control answers from, by account id. */
  readonly accounts: Map<string, AccountBpaState>;
  /** Every call made, in order (diagnostics and tests). */
  readonly calls: OfflineCall[];
  /** PutEvaluations received, in order (see `takeEvaluations`). */
  readonly evaluations: CapturedEvaluations[];
  /** SNS Publish received, in order. */
  readonly published: PublishedMessage[];
  /** What SSM GetParameter answers, by name (the approved exemption list of `replay --exemptions`). */
  readonly parameters: Map<string, string>;
}

export interface WorldInputs {
  /** Configuration items in any recorded shape; those that cannot be normalised are skipped (the loader said why). */
  readonly items?: readonly unknown[];
  /** States to add on top of the items' latest (tests, and what no configuration item describes). */
  readonly buckets?: readonly BucketState[];
  readonly accounts?: readonly AccountBpaState[];
  /** SSM String parameters by name. */
  readonly parameters?: Readonly<Record<string, string>>;
}

export const resourceKey = (type: string | undefined, id: string | undefined): string => `${type}\u0000${id}`;

export function createWorld(inputs: WorldInputs = {}): OfflineWorld {
  const lists = new Map<string, RecordedItem[]>();
  let itemCount = 0;
  for (const raw of inputs.items ?? []) {
    let state: NormalizedItem;
    try {
      state = normalizeConfigurationItem(raw);
    } catch {
      continue;
    }
    const api = toApiModel(raw);
    const item = { raw, state, api, captureMs: api.configurationItemCaptureTime?.getTime() ?? 0 };
    const key = resourceKey(api.resourceType, api.resourceId);
    const list = lists.get(key) ?? [];
    list.push(item);
    lists.set(key, list);
    itemCount += 1;
  }
  // Stable: of two items captured at the same time, the one loaded later is the latest.
  for (const list of lists.values()) list.sort((a, b) => a.captureMs - b.captureMs);

  const buckets = new Map<string, BucketState>();
  const accounts = new Map<string, AccountBpaState>();
  for (const list of lists.values()) {
    const latest = list.at(-1)?.state;
    if (latest?.kind === 'bucket') buckets.set(latest.name, latest);
    if (latest?.kind === 'account') accounts.set(latest.accountId, latest);
  }
  for (const bucket of inputs.buckets ?? []) buckets.set(bucket.name, bucket);
  for (const account of inputs.accounts ?? []) accounts.set(account.accountId, account);
  const parameters = new Map(Object.entries(inputs.parameters ?? {}));
  return { history: lists, itemCount, buckets, accounts, calls: [], evaluations: [], published: [], parameters };
}

/** The same recorded history and current states, with its own state maps and nothing captured yet. */
export function forkWorld(world: OfflineWorld): OfflineWorld {
  return {
    history: world.history,
    itemCount: world.itemCount,
    buckets: new Map(world.buckets),
    accounts: new Map(world.accounts),
    calls: [],
    evaluations: [],
    published: [],
    parameters: new Map(world.parameters),
  };
}

/** The PutEvaluations received since the last call. */
export function takeEvaluations(world: OfflineWorld): CapturedEvaluations[] {
  return world.evaluations.splice(0, world.evaluations.length);
}

/** The latest recorded item of a resource, if any. */
export function latestItem(world: OfflineWorld, type: string, id: string): RecordedItem | undefined {
  return world.history.get(resourceKey(type, id))?.at(-1);
}

// ---------------------------------------------------------------------------------------------------------------
// The Config API model

function asDate(value: unknown): Date | undefined {
  const iso = toIsoTimestamp(value);
  return iso ? new Date(iso) : undefined;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Advanced-query rows list tags as [{key, value}]; the API model has a map. */
function tagMap(value: unknown): Record<string, string> | undefined {
  if (Array.isArray(value)) {
    const map: Record<string, string> = {};
    for (const tag of value) {
      if (isRecord(tag) && typeof tag.key === 'string') map[tag.key] = str(tag.value) ?? '';
    }
    return map;
  }
  if (!isRecord(value)) return undefined;
  const map: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(value)) map[key] = str(tagValue) ?? '';
  return map;
}

/**
 * Any recorded model -> the API model GetResourceConfigHistory returns: `configuration` and every supplementary
 * value a JSON string (so the invocation model's already-string AccessControlList ends up double-encoded, as in
 * AWS), field names accountId/arn/version/configurationItemMD5Hash, timestamps as Date objects like the SDK's.
 */
export function toApiModel(raw: unknown): ConfigurationItem {
  const item = isRecord(raw) ? raw : {};
  const supplementary = isRecord(item.supplementaryConfiguration) ? item.supplementaryConfiguration : {};
  const alreadyApi =
    typeof item.configuration === 'string' ||
    (!('awsAccountId' in item) && Object.values(supplementary).every((value) => typeof value === 'string'));
  const encode = (value: unknown): string => (alreadyApi && typeof value === 'string' ? value : JSON.stringify(value));
  const relationships = Array.isArray(item.relationships)
    ? item.relationships.filter(isRecord).map((r) => ({
        resourceType: str(r.resourceType) as ConfigurationItem['resourceType'],
        resourceId: str(r.resourceId),
        resourceName: str(r.resourceName),
        relationshipName: str(r.relationshipName) ?? str(r.name),
      }))
    : [];
  return {
    version: str(item.version) ?? str(item.configurationItemVersion),
    accountId: str(item.accountId) ?? str(item.awsAccountId),
    configurationItemCaptureTime: asDate(item.configurationItemCaptureTime),
    configurationItemStatus: str(item.configurationItemStatus) as ConfigurationItem['configurationItemStatus'],
    configurationStateId: str(item.configurationStateId),
    configurationItemMD5Hash: str(item.configurationItemMD5Hash) ?? str(item.configurationStateMd5Hash) ?? '',
    arn: str(item.arn) ?? str(item.ARN),
    resourceType: str(item.resourceType) as ConfigurationItem['resourceType'],
    resourceId: str(item.resourceId),
    resourceName: str(item.resourceName),
    awsRegion: str(item.awsRegion),
    availabilityZone: str(item.availabilityZone),
    resourceCreationTime: asDate(item.resourceCreationTime),
    tags: tagMap(item.tags) ?? {},
    relatedEvents: Array.isArray(item.relatedEvents) ? item.relatedEvents.filter((e) => typeof e === 'string') : [],
    relationships,
    ...(item.configuration === null || item.configuration === undefined
      ? {}
      : {
          configuration:
            typeof item.configuration === 'string' ? item.configuration : JSON.stringify(item.configuration),
        }),
    supplementaryConfiguration: Object.fromEntries(
      Object.entries(supplementary).map(([key, value]) => [key, encode(value)]),
    ),
  };
}

/** BatchGetResourceConfig returns BaseConfigurationItem: no tags, relationships, related events or MD5 hash. */
export function toBaseItem(api: ConfigurationItem): BaseConfigurationItem {
  const { tags: _tags, relationships: _rel, relatedEvents: _events, configurationItemMD5Hash: _md5, ...base } = api;
  return base;
}
