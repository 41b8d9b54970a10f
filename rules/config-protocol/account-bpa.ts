/**
 * Account-level Block Public Access for a rule: s3control GetPublicAccessBlock first (live, authoritative; "none" is
 * known(null)), then the AWS::S3::AccountPublicAccessBlock item in Config; when neither can be read, unknown with
 * both reasons.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import { BatchGetResourceConfigCommand } from '@aws-sdk/client-config-service';
import { describeAwsError, readAccountPublicAccessBlock } from '../../aws/live-s3';
import { MalformedInputError, normalizeConfigurationItem } from '../../model/normalize';
import { type Fact, type PublicAccessBlockFlags, unknown } from '../../model/types';
import type { RuleClients } from './clients';

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
