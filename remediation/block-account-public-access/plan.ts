/**
 * block-account-public-access: turn on account-level Block Public Access flags. Pure. Accounts carry no tags, so no
 * exemption applies here; note that account-level BPA overrides every bucket, exempt ones included: a deployment
 * with intentionally public buckets must leave this action disabled.
 */
import type { BpaFlag, Fact, PublicAccessBlockFlags } from '../../rules/shared/types';
import type { Plan } from '../shared/outcome';
import { bpaChanges, flagList, tightenBpa } from '../shared/plan-common';

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
  const current = input.publicAccessBlock.value;
  const before = { kind: 'bpa', flags: current } as const;
  const desired = tightenBpa(current, input.wanted);
  const changes = bpaChanges(current, desired);
  if (changes.length === 0) return { kind: 'no-change', reason: `${flagList(input.wanted)} already on`, before };
  return {
    kind: 'change',
    reason: `turn on ${changes.map((change) => change.setting).join(', ')} for account ${input.accountId}`,
    before,
    desired,
    changes,
  };
}
