/**
 * enable-versioning (opt-in): Off or Suspended -> Enabled. Pure. Never touches MFA delete (that needs the root
 * user's MFA device; bucketguard neither can nor should). Enabling is one-way: versioning can afterwards only be
 * suspended, and buckets with expiration lifecycle rules start keeping noncurrent versions: hence opt-in.
 */
import type { ExemptionDecision } from '../../model/approved-exemptions';
import type { BucketState } from '../../model/types';
import type { Plan } from '../actions/outcome';
import { bucketPlanGate, withNote } from '../actions/plan-common';

export interface EnableVersioningInput {
  readonly bucket: Pick<BucketState, 'name' | 'status' | 'versioning'>;
  readonly exemption: ExemptionDecision;
}

export function planEnableVersioning(input: EnableVersioningInput): Plan<'Enabled'> {
  const gate = bucketPlanGate(input, {
    fact: input.bucket.versioning,
    what: 'versioning status',
    snapshot: (versioning) => ({ kind: 'versioning', versioning }),
  });
  if (!gate.proceed) return gate.plan;
  const current = gate.value;
  const before = { kind: 'versioning', versioning: current } as const;
  if (current.status === 'Enabled')
    return { kind: 'no-change', reason: withNote('versioning already Enabled', gate.note), before };
  return {
    kind: 'change',
    reason: withNote('enable versioning (MFA delete left as it is)', gate.note),
    before,
    desired: 'Enabled',
    changes: [{ setting: 'Versioning', from: current.status, to: 'Enabled' }],
  };
}
