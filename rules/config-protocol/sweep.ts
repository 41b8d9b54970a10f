/**
 * The recorded buckets of a periodic sweep (and of the account-BPA fan-out), page by page, never all held.
 *
 * Primary path, `advanced-query`: Config's advanced query (SelectResourceConfig) returns each bucket's
 * configuration, supplementary configuration and tags, 100 rows a page: one call per 100 buckets.
 * Fallback, `list-and-batch`: 100 ids per ListDiscoveredResources page, their items in one BatchGetResourceConfig
 * call (keys Config leaves unprocessed are asked again; any still unread go to `onUnread`, so the invocation fails
 * naming them). The fallback is used when the first SelectResourceConfig call fails (denied without
 * config:SelectResourceConfig, not supported by the endpoint, or still failing after the SDK's retries), and when it
 * answers with no row at all while ListDiscoveredResources lists a bucket (moto 5.2 answers every query that way). Throttling, 5xx and timeouts are retried by the SDK (clients.ts); an error that outlasts
 * its attempts ends the sweep.
 *
 * A sweep can start at a cursor (a continuation: the path and the token of the next page) and every page says the
 * token that fetched it and the one after it, so a sweep too large for one invocation goes on in the next.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type BaseConfigurationItem,
  BatchGetResourceConfigCommand,
  type ConfigServiceClient,
  ListDiscoveredResourcesCommand,
  type ResourceKey,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { attemptCount, backoffDelayMs, type RetryPolicy, type UndeliveredEvaluation } from './put-evaluations';

const BUCKET_TYPE = 'AWS::S3::Bucket';
const PAGE_SIZE = 100;

/** Every column the normaliser reads from an advanced-query row ('config-advanced-query'). */
export const BUCKET_QUERY =
  'SELECT resourceId, resourceName, resourceType, configuration, supplementaryConfiguration, tags, accountId, ' +
  "awsRegion, configurationItemCaptureTime, configurationItemStatus WHERE resourceType = 'AWS::S3::Bucket'";

export type SweepPath = 'advanced-query' | 'list-and-batch';

/** Where a sweep starts: the path, and the token of the page to read first (none: the first page). */
export interface SweepCursor {
  readonly path: SweepPath;
  readonly nextToken?: string;
}

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
  readonly path: SweepPath;
  /** The bucket ids the page listed (advanced query: the ids of its rows). */
  readonly ids: readonly string[];
  /** Their configuration items: API model (list-and-batch) or parsed advanced-query rows. */
  readonly items: readonly BaseConfigurationItem[] | readonly Record<string, unknown>[];
  /** How normalize.ts reads the items. */
  readonly model: 'config-api' | 'config-advanced-query';
  /** The token that fetched this page (undefined: the first page), to read it again. */
  readonly token: string | undefined;
  /** The token of the page after it; undefined when this was the last. */
  readonly nextToken: string | undefined;
}

function describeError(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null;
  return `${typeof e?.name === 'string' ? e.name : 'Error'}: ${typeof e?.message === 'string' ? e.message.slice(0, 200) : ''}`;
}

export async function* recordedBucketPages(
  reader: SweepReader,
  start?: SweepCursor,
): AsyncGenerator<RecordedBucketPage> {
  if (start?.path === 'list-and-batch') {
    yield* listAndBatchPages(reader, start.nextToken);
    return;
  }
  const first = await firstQueryPage(reader, start?.nextToken);
  if (first === 'fallback') {
    yield* listAndBatchPages(reader, undefined);
    return;
  }
  yield first;
  yield* queryPages(reader, first.nextToken);
}

/** One SelectResourceConfig page; its rows parsed (an unparseable row is reported unread, not dropped). */
async function queryPage(reader: SweepReader, token: string | undefined): Promise<RecordedBucketPage> {
  const response = await reader.config.send(
    new SelectResourceConfigCommand({
      Expression: BUCKET_QUERY,
      Limit: PAGE_SIZE,
      ...(token ? { NextToken: token } : {}),
    }),
  );
  const items: Record<string, unknown>[] = [];
  for (const row of response.Results ?? []) {
    try {
      const parsed: unknown = JSON.parse(row);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        items.push(parsed as Record<string, unknown>);
        continue;
      }
    } catch {
      // reported below
    }
    reader.onUnread({
      resourceType: BUCKET_TYPE,
      resourceId: '(unreadable advanced-query row)',
      reason: `SelectResourceConfig returned a row that is not a JSON object: ${row.slice(0, 80)}`,
    });
  }
  const ids = items.map((item) => item.resourceId).filter((id): id is string => typeof id === 'string' && id !== '');
  return {
    path: 'advanced-query',
    ids,
    items,
    model: 'config-advanced-query',
    token,
    nextToken: response.NextToken || undefined,
  };
}

/**
 * The advanced query's first page, or 'fallback' when the query is unavailable here. Only a fresh sweep decides
 * (a continuation on the advanced-query path stays on it).
 */
async function firstQueryPage(
  reader: SweepReader,
  token: string | undefined,
): Promise<RecordedBucketPage | 'fallback'> {
  let page: RecordedBucketPage;
  try {
    page = await queryPage(reader, token);
  } catch (error) {
    // Any error (denied, not supported, an endpoint that does not know the operation, or one that outlasted the
    // SDK's retries): the other path reads the same buckets, and fails loudly in turn if Config is unreachable.
    if (token !== undefined) throw error;
    reader.logger.warn('SelectResourceConfig failed; sweeping with ListDiscoveredResources + BatchGetResourceConfig', {
      error: describeError(error),
    });
    return 'fallback';
  }
  if (token === undefined && page.items.length === 0 && page.nextToken === undefined) {
    // No row at all: either no bucket, or an endpoint that answers queries without evaluating them.
    const listed = await reader.config.send(
      new ListDiscoveredResourcesCommand({ resourceType: BUCKET_TYPE, limit: 1 }),
    );
    if ((listed.resourceIdentifiers ?? []).length > 0) {
      reader.logger.warn(
        'SelectResourceConfig returned no bucket but ListDiscoveredResources lists some; sweeping with ListDiscoveredResources + BatchGetResourceConfig',
      );
      return 'fallback';
    }
  }
  return page;
}

function loopGuard(operation: string): (token: string | undefined, pages: number) => void {
  const seen = new Set<string>();
  return (token, pages) => {
    if (token === undefined) return;
    if (seen.has(token)) {
      throw new Error(`${operation} returned the same nextToken twice; stopping the sweep after ${pages} page(s).`);
    }
    seen.add(token);
  };
}

async function* queryPages(reader: SweepReader, from: string | undefined): AsyncGenerator<RecordedBucketPage> {
  const guard = loopGuard('SelectResourceConfig');
  let token = from;
  let pages = 1;
  guard(token, pages);
  while (token !== undefined) {
    const page = await queryPage(reader, token);
    yield page;
    pages++;
    token = page.nextToken;
    guard(token, pages);
  }
}

async function* listAndBatchPages(reader: SweepReader, from: string | undefined): AsyncGenerator<RecordedBucketPage> {
  const guard = loopGuard('ListDiscoveredResources');
  let nextToken = from;
  let pages = 0;
  do {
    const token = nextToken;
    const page = await reader.config.send(
      new ListDiscoveredResourcesCommand({
        resourceType: BUCKET_TYPE,
        limit: PAGE_SIZE,
        ...(token ? { nextToken: token } : {}),
      }),
    );
    const ids = (page.resourceIdentifiers ?? [])
      .map((r) => r.resourceId)
      .filter((id): id is string => typeof id === 'string' && id.length > 0);
    nextToken = page.nextToken || undefined;
    yield {
      path: 'list-and-batch',
      ids,
      items: ids.length > 0 ? await batchGet(reader, ids) : [],
      model: 'config-api',
      token,
      nextToken,
    };
    pages++;
    guard(nextToken, pages);
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
