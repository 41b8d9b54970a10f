/** block-public-access: turn on bucket-level Block Public Access flags. Pure: live state + exemption -> Plan. */
import type { ExemptionDecision } from '../../model/approved-exemptions';
import type { BpaFlag, BucketState, PublicAccessBlockFlags } from '../../model/types';
import type { Plan } from '../actions/outcome';
import { bucketPlanGate, planBpa } from '../actions/plan-common';

export interface BlockPublicAccessInput {
  readonly bucket: Pick<BucketState, 'name' | 'status' | 'publicAccessBlock'>;
  readonly exemption: ExemptionDecision;
  /** The flags this deployment wants on (BUCKETGUARD_BPA_FLAGS). */
  readonly wanted: readonly BpaFlag[];
}

export function planBlockPublicAccess(input: BlockPublicAccessInput): Plan<PublicAccessBlockFlags> {
  const gate = bucketPlanGate(input, {
    fact: input.bucket.publicAccessBlock,
    what: 'Block Public Access settings',
    snapshot: (flags) => ({ kind: 'bpa', flags }),
  });
  return gate.proceed ? planBpa(gate.value, input.wanted, gate.note) : gate.plan;
}
