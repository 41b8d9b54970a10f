/** block-public-access: turn on bucket-level Block Public Access flags. Pure: live state + exemption -> Plan. */
import type { ExemptionStatus } from '../../rules/shared/exemptions';
import type { BpaFlag, BucketState, PublicAccessBlockFlags } from '../../rules/shared/types';
import type { Plan } from '../shared/outcome';
import { bpaChanges, exemptionGate, flagList, tightenBpa, withNote } from '../shared/plan-common';

export interface BlockPublicAccessInput {
  readonly bucket: Pick<BucketState, 'name' | 'status' | 'publicAccessBlock'>;
  readonly exemption: ExemptionStatus;
  readonly exemptionTag: string;
  /** The flags this deployment wants on (BUCKETGUARD_BPA_FLAGS). */
  readonly wanted: readonly BpaFlag[];
}

export function planBlockPublicAccess(input: BlockPublicAccessInput): Plan<PublicAccessBlockFlags> {
  const { bucket, wanted } = input;
  if (bucket.status === 'ResourceDeleted' || bucket.status === 'ResourceDeletedNotRecorded') {
    return { kind: 'skip', reason: 'the bucket no longer exists' };
  }
  const gate = exemptionGate(input.exemption, input.exemptionTag);
  if (!gate.proceed) {
    return bucket.publicAccessBlock.known
      ? { kind: 'skip', reason: gate.reason, before: { kind: 'bpa', flags: bucket.publicAccessBlock.value } }
      : { kind: 'skip', reason: gate.reason };
  }
  if (!bucket.publicAccessBlock.known) {
    return {
      kind: 'skip',
      reason: `cannot read the bucket's Block Public Access settings (${bucket.publicAccessBlock.reason}): not changed`,
    };
  }
  const current = bucket.publicAccessBlock.value;
  const before = { kind: 'bpa', flags: current } as const;
  const desired = tightenBpa(current, wanted);
  const changes = bpaChanges(current, desired);
  if (changes.length === 0) {
    return { kind: 'no-change', reason: withNote(`${flagList(wanted)} already on`, gate.note), before };
  }
  return {
    kind: 'change',
    reason: withNote(`turn on ${changes.map((change) => change.setting).join(', ')}`, gate.note),
    before,
    desired,
    changes,
  };
}
