/**
 * The remediation side's view of the approved exemption list: the SSM parameter BUCKETGUARD_EXEMPTIONS_PARAMETER,
 * read when a bucket or account is about to be planned (never by the notify Lambda). Unset: none approved.
 * Unreadable: an unknown list, which the plans treat as no exemption (the fix goes ahead and says why).
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { readExemptionParameter } from '../../aws/exemption-list';
import type { ApprovedExemptionContext } from '../../model/approved-exemptions';
import { known, unknown } from '../../model/types';
import type { ResponseConfig } from './config';

export function approvedExemptionsLoader(
  ssm: () => SSMClient | undefined,
  config: Pick<ResponseConfig, 'exemptionsParameter' | 'maxExemptionDays'>,
  now: () => Date,
  homeAccount: string | undefined,
): () => Promise<ApprovedExemptionContext> {
  const maxDays = config.maxExemptionDays;
  const home = homeAccount !== undefined ? { homeAccount } : {};
  return async () => {
    const name = config.exemptionsParameter;
    if (name === undefined) return { list: known([]), maxDays, ...home };
    const client = ssm();
    if (client === undefined) return { list: unknown('no SSM client to read it with'), maxDays, ...home };
    return { list: await readExemptionParameter(client, name, now(), maxDays), maxDays, ...home };
  };
}
