/**
 * The recorded buckets of a periodic sweep (and of the account-BPA fan-out), page by page: 100 ids per
 * ListDiscoveredResources page, their items in one BatchGetResourceConfig call. Keys Config leaves unprocessed are
 * asked again; any still unread are handed to `onUnread`, so the invocation fails naming them. Throttling, 5xx and
 * timeouts are retried by the SDK (clients.ts); an error that outlasts its attempts ends the sweep and fails the
 * invocation, so Lambda and Config retry it.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type BaseConfigurationItem,
  BatchGetResourceConfigCommand,
  type ConfigServiceClient,
  ListDiscoveredResourcesCommand,
  type ResourceKey,
} from '@aws-sdk/client-config-service';
import { attemptCount, backoffDelayMs, type RetryPolicy, type UndeliveredEvaluation } from './put-evaluations';

const BUCKET_TYPE = 'AWS::S3::Bucket';
const LIST_PAGE_SIZE = 100;

export interface SweepReader {
  readonly config: ConfigServiceClient;
  /** Re-reads of unprocessed keys only. */
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly logger: Logger;
  /** A bucket that could not be read: the invocation reports it as undelivered. */
  readonly onUnread: (failure: UndeliveredEvaluation) => void;
}

export interface RecordedBucketPage {
  /** The bucket ids the page listed. */
  readonly ids: readonly string[];
  /** Their configuration items, API model, as BatchGetResourceConfig returned them. */
  readonly items: readonly BaseConfigurationItem[];
}

export async function* recordedBucketPages(reader: SweepReader): AsyncGenerator<RecordedBucketPage> {
  let nextToken: string | undefined;
  const seenTokens = new Set<string>();
  let pages = 0;
  do {
    const token = nextToken;
    const page = await reader.config.send(
      new ListDiscoveredResourcesCommand({
        resourceType: BUCKET_TYPE,
        limit: LIST_PAGE_SIZE,
        ...(token ? { nextToken: token } : {}),
      }),
    );
    const ids = (page.resourceIdentifiers ?? [])
      .map((r) => r.resourceId)
      .filter((id): id is string => typeof id === 'string' && id.length > 0);
    yield { ids, items: ids.length > 0 ? await batchGet(reader, ids) : [] };
    pages++;
    nextToken = page.nextToken || undefined;
    if (nextToken && seenTokens.has(nextToken)) {
      throw new Error(
        `ListDiscoveredResources returned the same nextToken twice; stopping the sweep after ${pages} page(s).`,
      );
    }
    if (nextToken) seenTokens.add(nextToken);
  } while (nextToken);
}

async function batchGet(reader: SweepReader, ids: readonly string[]): Promise<BaseConfigurationItem[]> {
  let keys: ResourceKey[] = ids.map((resourceId) => ({ resourceType: BUCKET_TYPE, resourceId }));
  const items: BaseConfigurationItem[] = [];
  const attempts = attemptCount(reader.retry);
  for (let attempt = 1; attempt <= attempts && keys.length > 0; attempt++) {
    if (attempt > 1) {
      const delay = backoffDelayMs(reader.retry, reader.random, attempt - 1);
      reader.logger.warn('Retrying unprocessed BatchGetResourceConfig keys', {
        keys: keys.length,
        attempt,
        delayMs: delay,
      });
      await reader.sleep(delay);
    }
    const response = await reader.config.send(new BatchGetResourceConfigCommand({ resourceKeys: keys }));
    items.push(...(response.baseConfigurationItems ?? []));
    keys = response.unprocessedResourceKeys ?? [];
  }
  for (const key of keys) {
    reader.onUnread({
      resourceType: String(key.resourceType),
      resourceId: String(key.resourceId),
      reason: `BatchGetResourceConfig left it unprocessed after ${attempts} attempt(s)`,
    });
  }
  const returned = new Set(items.map((i) => i.resourceId));
  const missing = ids.filter((id) => !returned.has(id) && !keys.some((k) => k.resourceId === id));
  if (missing.length > 0) {
    // Listed a moment ago but no item now: deleted in between; the deletion notification reports it.
    reader.logger.warn('Buckets listed but not returned by BatchGetResourceConfig', { buckets: missing });
  }
  return items;
}
