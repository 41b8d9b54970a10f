/** block-public-access: turn on bucket-level Block Public Access flags. Pure: live state + exemption -> Plan. */
import type { ExemptionDecision } from '../../model/approved-exemptions';
import { BPA_FLAGS, type BpaFlag, type BucketState, known, type PublicAccessBlockFlags } from '../../model/types';
import { PASCAL_BPA_NAMES, type Plan } from '../actions/outcome';
import { bucketPlanGate, planBpa, withNote } from '../actions/plan-common';
import { coversAllFlags, unionFlags } from '../actions/tampering';

export interface BlockPublicAccessInput {
  readonly bucket: Pick<BucketState, 'name' | 'status' | 'publicAccessBlock'>;
  readonly exemption: ExemptionDecision;
  /** The flags this deployment wants on (BUCKETGUARD_BPA_FLAGS). */
  readonly wanted: readonly BpaFlag[];
}

const WHAT = 'Block Public Access settings';

export function planBlockPublicAccess(input: BlockPublicAccessInput): Plan<PublicAccessBlockFlags> {
  const fact = input.bucket.publicAccessBlock;
  if (!fact.known && coversAllFlags(input.wanted)) {
    // All four on tightens whatever is set now, so the fix does not need the current value: an unreadable setting
    // (a bucket policy denying bucketguard the read) cannot stop it. The other checks (deleted, exempt) still apply.
    const before = { kind: 'unread', reason: fact.reason } as const;
    const gate = bucketPlanGate(input, { fact: known(null), what: WHAT, snapshot: () => before });
    if (!gate.proceed) return gate.plan;
    return {
      kind: 'change',
      reason: withNote(`turn on all four flags without reading them first (${fact.reason})`, gate.note),
      before,
      desired: unionFlags(BPA_FLAGS),
      changes: BPA_FLAGS.map((flag) => ({ setting: PASCAL_BPA_NAMES[flag], from: 'unknown', to: 'true' })),
    };
  }
  const gate = bucketPlanGate(input, {
    fact,
    what: WHAT,
    snapshot: (flags) => ({ kind: 'bpa', flags }),
  });
  return gate.proceed ? planBpa(gate.value, input.wanted, gate.note) : gate.plan;
}
