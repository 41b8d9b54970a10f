/**
 * block-account-public-access: turn on account-level Block Public Access flags. Pure. Account-level BPA overrides
 * every bucket of the account, approved exemptions included: the plan names the approved exemptions it would
 * neutralise and, unless the deployment allows it (accountBpaOverridesExemptions), does not apply while any exist.
 */
import { type ApprovedExemption, describeExemption } from '../../model/approved-exemptions';
import type { BpaFlag, Fact, PublicAccessBlockFlags } from '../../model/types';
import type { Plan } from '../actions/outcome';
import { planBpa } from '../actions/plan-common';

export interface BlockAccountPublicAccessInput {
  readonly accountId: string;
  /** null = no account-level configuration. */
  readonly publicAccessBlock: Fact<PublicAccessBlockFlags | null>;
  readonly wanted: readonly BpaFlag[];
  /** Approved exemptions in force in this account (exemptionsInForce); absent = none. */
  readonly exemptions?: Fact<readonly ApprovedExemption[]>;
  /** accountBpaOverridesExemptions: apply even though approved exemptions would be neutralised. */
  readonly overrideExemptions?: boolean;
}

function named(entries: readonly ApprovedExemption[]): string {
  return entries.map(describeExemption).join('; ');
}

export function planBlockAccountPublicAccess(input: BlockAccountPublicAccessInput): Plan<PublicAccessBlockFlags> {
  if (!input.publicAccessBlock.known) {
    return {
      kind: 'skip',
      reason: `cannot read the account's Block Public Access settings (${input.publicAccessBlock.reason}): not changed`,
    };
  }
  const exemptions = input.exemptions ?? { known: true, value: [] };
  const plan = planBpa(input.publicAccessBlock.value, input.wanted, undefined, ` for account ${input.accountId}`);
  if (plan.kind !== 'change') return plan;
  if (!exemptions.known) {
    // Treated as none (the list is the deployment's; an unreadable one must not switch the fix off), and said.
    return {
      ...plan,
      reason: `${plan.reason} (the exemption list could not be read (${exemptions.reason}): no exemption is known to be overridden)`,
    };
  }
  const entries = exemptions.value;
  if (entries.length === 0) return plan;
  const count = `${entries.length} approved exemption${entries.length === 1 ? '' : 's'}`;
  if (input.overrideExemptions === true) {
    return { ...plan, reason: `${plan.reason}, overriding ${count}: ${named(entries)}` };
  }
  return {
    kind: 'skip',
    reason: `would ${plan.reason}, which would neutralise ${count} (${named(entries)}): not applied while approved exemptions exist (accountBpaOverridesExemptions allows it)`,
    before: plan.before,
  };
}
