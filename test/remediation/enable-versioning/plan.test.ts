import type { ExemptionDecision } from '../../../model/approved-exemptions';
import { known, unknown, type VersioningState } from '../../../model/types';
import { planEnableVersioning } from '../../../remediation/enable-versioning/plan';
import { bucketState } from '../helpers';

const NONE: ExemptionDecision = { state: 'none' };
const plan = (versioning: VersioningState, exemption: ExemptionDecision = NONE) =>
  planEnableVersioning({
    bucket: bucketState('b', { versioning: known(versioning) }),
    exemption,
  });

describe('planEnableVersioning', () => {
  it.each<[VersioningState, string]>([
    [{ status: 'Off', mfaDelete: null }, 'Off'],
    [{ status: 'Suspended', mfaDelete: false }, 'Suspended'],
  ])('%j -> Enabled', (versioning, from) => {
    expect(plan(versioning)).toEqual({
      kind: 'change',
      reason: 'enable versioning (MFA delete left as it is)',
      before: { kind: 'versioning', versioning },
      desired: 'Enabled',
      changes: [{ setting: 'Versioning', from, to: 'Enabled' }],
    });
  });

  it('Enabled (with or without MFA delete) -> no change', () => {
    expect(plan({ status: 'Enabled', mfaDelete: true })).toEqual({
      kind: 'no-change',
      reason: 'versioning already Enabled',
      before: { kind: 'versioning', versioning: { status: 'Enabled', mfaDelete: true } },
    });
  });

  it('exempt or unreadable -> skip', () => {
    const approved: ExemptionDecision = {
      state: 'approved',
      entry: { bucket: 'b', reason: 'scratch space', approver: 'secteam', until: '2030-01-01' },
    };
    expect(plan({ status: 'Suspended', mfaDelete: null }, approved)).toMatchObject({
      kind: 'skip',
      reason: 'exempt until 2030-01-01, approved by secteam ("scratch space"): not changed',
    });
    expect(plan({ status: 'Suspended', mfaDelete: null }, { state: 'requested' })).toMatchObject({
      kind: 'change',
      reason: 'enable versioning (MFA delete left as it is) (exemption requested by tag, not approved)',
    });
    expect(
      planEnableVersioning({
        bucket: bucketState('b', { versioning: unknown('GetBucketVersioning failed: AccessDenied (403)') }),
        exemption: NONE,
      }),
    ).toEqual({
      kind: 'skip',
      reason:
        "cannot read the bucket's versioning status (GetBucketVersioning failed: AccessDenied (403)): not changed",
    });
  });
});
