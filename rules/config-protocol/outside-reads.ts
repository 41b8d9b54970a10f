/**
 * What a rule reads live besides its configuration item. Account-level Block Public Access: s3control
 * GetPublicAccessBlock first (live, authoritative; "none" is known(null)), then the AWS::S3::AccountPublicAccessBlock
 * item in Config; when neither can be read, unknown with both reasons. Object Ownership, when the item lacks it. The
 * item of an oversized change notification.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import {
  BatchGetResourceConfigCommand,
  type ResourceType as ConfigResourceType,
  type ConfigServiceClient,
  GetResourceConfigHistoryCommand,
} from '@aws-sdk/client-config-service';
import type { S3Client } from '@aws-sdk/client-s3';
import { describeAwsError, readAccountPublicAccessBlock, readBucketState } from '../../aws/live-s3';
import { MalformedInputError, normalizeConfigurationItem, toIsoTimestamp } from '../../model/normalize';
import {
  type BucketState,
  type Fact,
  type ObjectOwnership,
  type PublicAccessBlockFlags,
  unknown,
} from '../../model/types';
import type { RuleClients } from './clients';
import type { RawResourceIdentity } from './config-event';

const ACCOUNT_BPA_TYPE = 'AWS::S3::AccountPublicAccessBlock';
const BUCKET_TYPE = 'AWS::S3::Bucket';

export async function readAccountBpa(
  clients: RuleClients,
  accountId: string,
  logger: Logger,
): Promise<Fact<PublicAccessBlockFlags | null>> {
  let live: Fact<PublicAccessBlockFlags | null>;
  try {
    live = await readAccountPublicAccessBlock(clients.s3control, accountId);
  } catch (error) {
    live = unknown(`s3control GetPublicAccessBlock failed: ${describeAwsError(error)}`);
  }
  if (live.known) return live;
  let fallback: string;
  try {
    const response = await clients.config.send(
      new BatchGetResourceConfigCommand({
        resourceKeys: [{ resourceType: ACCOUNT_BPA_TYPE, resourceId: accountId }],
      }),
    );
    const raw = (response.baseConfigurationItems ?? []).find((i) => i.resourceId === accountId);
    if (raw) {
      const item = normalizeConfigurationItem(raw, 'config-api');
      // A deleted item means the configuration was removed: normalize gives it known(null), all four flags off.
      if (item.kind === 'account') return item.publicAccessBlock;
      fallback = `AWS Config returned a ${item.kind === 'bucket' ? BUCKET_TYPE : item.resourceType} item instead`;
    } else {
      fallback = `AWS Config has no ${ACCOUNT_BPA_TYPE} item for ${accountId}`;
    }
  } catch (error) {
    fallback =
      error instanceof MalformedInputError
        ? `the AWS Config item is malformed (${error.message})`
        : `AWS Config BatchGetResourceConfig failed: ${describeAwsError(error)}`;
  }
  const reason = `${live.reason}; ${fallback}`;
  logger.warn('Account-level Block Public Access could not be read', { accountId, reason });
  return unknown(reason);
}

/** Object Ownership read live for a bucket whose item lacks it; unknown with both reasons when that fails too. */
export async function readLiveOwnership(s3: S3Client, bucket: BucketState): Promise<Fact<ObjectOwnership | null>> {
  const recorded = bucket.ownership.known ? '' : bucket.ownership.reason;
  try {
    const live = await readBucketState(s3, bucket.name, {
      parts: ['ownership'],
      ...(bucket.accountId ? { accountId: bucket.accountId } : {}),
      ...(bucket.region ? { region: bucket.region } : {}),
    });
    if (live.ownership.known) return live.ownership;
    return unknownOwnership(recorded, live.ownership.reason);
  } catch (error) {
    return unknownOwnership(recorded, describeAwsError(error));
  }
}

/** What the item lacked, then what the live read said, unless the live read already says it (offline replay does). */
function unknownOwnership(recorded: string, live: string): Fact<ObjectOwnership | null> {
  return unknown(recorded === '' || live.includes(recorded) ? live : `${recorded}; live read: ${live}`);
}

/**
 * The item of an oversized change notification, from GetResourceConfigHistory (the latest at or after its capture
 * time), or why there is none (the NOT_APPLICABLE annotation).
 */
export async function fetchOversizedItem(
  config: ConfigServiceClient,
  summary: RawResourceIdentity,
): Promise<{ readonly item: unknown } | { readonly missing: string }> {
  const captureIso = toIsoTimestamp(summary.captureTime);
  let item: unknown;
  try {
    const response = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: summary.resourceType as ConfigResourceType,
        resourceId: summary.resourceId,
        ...(captureIso ? { laterTime: new Date(captureIso) } : {}),
        limit: 1,
      }),
    );
    item = response.configurationItems?.[0];
  } catch (error) {
    if ((error as { name?: unknown })?.name !== 'ResourceNotDiscoveredException') throw error;
    return {
      missing: 'AWS Config has not discovered this resource (ResourceNotDiscoveredException); nothing to evaluate.',
    };
  }
  if (item === undefined) {
    return {
      missing: 'AWS Config returned no configuration item for this oversized change notification; nothing to evaluate.',
    };
  }
  return { item };
}
