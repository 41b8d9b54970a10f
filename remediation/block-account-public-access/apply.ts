/** block-account-public-access: S3 Control PutPublicAccessBlock for the account, then read back and verify. */
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { readAccountPublicAccessBlock } from '../../aws/live-s3';
import type { PublicAccessBlockFlags } from '../../model/types';
import {
  type ApplyOptions,
  type ApplyResult,
  bpaMismatch,
  callFailed,
  publicAccessBlockConfiguration,
  verifyReadBack,
} from '../actions/apply-common';

export async function applyBlockAccountPublicAccess(
  s3control: S3ControlClient,
  accountId: string,
  desired: PublicAccessBlockFlags,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  try {
    await s3control.send(
      // Required here, not imported: the remediation Lambda loads S3 Control only for an account-level fix.
      new (
        require('@aws-sdk/client-s3-control') as typeof import('@aws-sdk/client-s3-control')
      ).PutPublicAccessBlockCommand({
        AccountId: accountId,
        PublicAccessBlockConfiguration: publicAccessBlockConfiguration(desired),
      }),
    );
  } catch (error) {
    return callFailed('PutPublicAccessBlock (account)', error);
  }
  return verifyReadBack(
    () => readAccountPublicAccessBlock(s3control, accountId),
    (actual) => bpaMismatch(desired, actual),
    (actual) => ({ kind: 'bpa', flags: actual }),
    'PutPublicAccessBlock (account) succeeded',
    options,
  );
}
