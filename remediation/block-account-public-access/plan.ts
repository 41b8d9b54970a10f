/**
 * block-account-public-access: turn on account-level Block Public Access flags. Pure. Accounts carry no tags, so no
 * exemption applies here; note that account-level BPA overrides every bucket, exempt ones included: a deployment
 * with intentionally public buckets must leave this action disabled.
 */
import type { BpaFlag, Fact, PublicAccessBlockFlags } from '../../model/types';
import type { Plan } from '../actions/outcome';
import { planBpa } from '../actions/plan-common';

export interface BlockAccountPublicAccessInput {
  readonly accountId: string;
  /** null = no account-level configuration. */
  readonly publicAccessBlock: Fact<PublicAccessBlockFlags | null>;
  readonly wanted: readonly BpaFlag[];
}

export function planBlockAccountPublicAccess(input: BlockAccountPublicAccessInput): Plan<PublicAccessBlockFlags> {
  if (!input.publicAccessBlock.known) {
    return {
      kind: 'skip',
      reason: `cannot read the account's Block Public Access settings (${input.publicAccessBlock.reason}): not changed`,
    };
  }
  return planBpa(input.publicAccessBlock.value, input.wanted, undefined, ` for account ${input.accountId}`);
}
