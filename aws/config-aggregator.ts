/**
 * The reading half of `bucketguard scan --aggregator`: every S3 bucket and account-level Block Public Access item of
 * every account and Region a Config aggregator holds, with no role in any member account. 100 identifiers per
 * ListAggregateDiscoveredResources page, 100 items per BatchGetAggregateResourceConfig call (both APIs' maximum).
 */
import type {
  AggregateResourceIdentifier,
  BaseConfigurationItem,
  ConfigServiceClient,
  ListAggregateDiscoveredResourcesCommandOutput,
} from '@aws-sdk/client-config-service';
import { describeAwsError } from './live-s3';

const configSdk = (): typeof import('@aws-sdk/client-config-service') => require('@aws-sdk/client-config-service');

export const AGGREGATE_PAGE = 100;
export const AGGREGATE_BATCH = 100;
/** Attempts at identifiers a batch call left unprocessed (the SDK already retries throttled calls). */
const UNPROCESSED_ATTEMPTS = 3;

export type AggregatedType = 'AWS::S3::Bucket' | 'AWS::S3::AccountPublicAccessBlock';

export interface AggregateIdentifier {
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: AggregatedType;
  readonly resourceId: string;
  readonly resourceName?: string;
}

/** Raised when the aggregator cannot be read at all (no such aggregator, no permission). */
export class AggregatorError extends Error {
  override readonly name = 'AggregatorError';
}

/** Every identifier of `resourceType` in the aggregator, following NextToken. */
export async function listAggregateResources(
  config: ConfigServiceClient,
  aggregator: string,
  resourceType: AggregatedType,
): Promise<AggregateIdentifier[]> {
  const { ListAggregateDiscoveredResourcesCommand } = configSdk();
  const identifiers: AggregateIdentifier[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    let page: ListAggregateDiscoveredResourcesCommandOutput;
    try {
      page = await config.send(
        new ListAggregateDiscoveredResourcesCommand({
          ConfigurationAggregatorName: aggregator,
          ResourceType: resourceType,
          Limit: AGGREGATE_PAGE,
          ...(token !== undefined ? { NextToken: token } : {}),
        }),
      );
    } catch (error) {
      throw new AggregatorError(
        `ListAggregateDiscoveredResources (${aggregator}, ${resourceType}) failed: ${describeAwsError(error)}; check the aggregator name, the Region (--region) and config:ListAggregateDiscoveredResources`,
      );
    }
    for (const item of page.ResourceIdentifiers ?? []) {
      if (!item.SourceAccountId || !item.SourceRegion || !item.ResourceId) continue;
      identifiers.push({
        accountId: item.SourceAccountId,
        region: item.SourceRegion,
        resourceType,
        resourceId: item.ResourceId,
        ...(item.ResourceName ? { resourceName: item.ResourceName } : {}),
      });
    }
    token = page.NextToken || undefined;
    if (token !== undefined) {
      if (seen.has(token)) throw new AggregatorError(`ListAggregateDiscoveredResources returned "${token}" twice`);
      seen.add(token);
    }
  } while (token !== undefined);
  return identifiers;
}

export interface AggregateBatch {
  readonly items: readonly BaseConfigurationItem[];
  /** Identifiers still unprocessed after the retries: each is reported, never dropped. */
  readonly unprocessed: readonly AggregateIdentifier[];
}

/** Up to AGGREGATE_BATCH identifiers' items; unprocessed ones asked again (UNPROCESSED_ATTEMPTS in all). */
export async function batchGetAggregateItems(
  config: ConfigServiceClient,
  aggregator: string,
  identifiers: readonly AggregateIdentifier[],
): Promise<AggregateBatch> {
  if (identifiers.length > AGGREGATE_BATCH) throw new RangeError(`at most ${AGGREGATE_BATCH} identifiers per call`);
  const { BatchGetAggregateResourceConfigCommand } = configSdk();
  const items: BaseConfigurationItem[] = [];
  let pending: readonly AggregateIdentifier[] = identifiers;
  for (let attempt = 0; attempt < UNPROCESSED_ATTEMPTS && pending.length > 0; attempt++) {
    let output: {
      BaseConfigurationItems?: BaseConfigurationItem[];
      UnprocessedResourceIdentifiers?: AggregateResourceIdentifier[];
    };
    try {
      output = await config.send(
        new BatchGetAggregateResourceConfigCommand({
          ConfigurationAggregatorName: aggregator,
          ResourceIdentifiers: pending.map((id) => ({
            SourceAccountId: id.accountId,
            SourceRegion: id.region,
            ResourceId: id.resourceId,
            ResourceType: id.resourceType,
            ...(id.resourceName !== undefined ? { ResourceName: id.resourceName } : {}),
          })),
        }),
      );
    } catch (error) {
      throw new AggregatorError(
        `BatchGetAggregateResourceConfig (${aggregator}) failed: ${describeAwsError(error)}; check config:BatchGetAggregateResourceConfig`,
      );
    }
    items.push(...(output.BaseConfigurationItems ?? []));
    const left = new Set(
      (output.UnprocessedResourceIdentifiers ?? []).map(
        (id) => `${id.SourceAccountId}/${id.SourceRegion}/${id.ResourceId}`,
      ),
    );
    pending = pending.filter((id) => left.has(`${id.accountId}/${id.region}/${id.resourceId}`));
  }
  return { items, unprocessed: pending };
}

export function createConfigClient(options: {
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly maxAttempts?: number;
}): ConfigServiceClient {
  const { ConfigServiceClient: Client } = configSdk();
  return new Client({
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
  });
}
