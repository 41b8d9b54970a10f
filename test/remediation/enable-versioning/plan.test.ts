import type { ExemptionStatus } from '../../../model/exemptions';
import { known, unknown, type VersioningState } from '../../../model/types';
import { planEnableVersioning } from '../../../remediation/enable-versioning/plan';
import { bucketState } from '../helpers';

const NONE: ExemptionStatus = { state: 'none' };
const plan = (versioning: VersioningState, exemption: ExemptionStatus = NONE) =>
  planEnableVersioning({
    bucket: bucketState('b', { versioning: known(versioning) }),
    exemption,
    exemptionTag: 'bucketguard:exempt',
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
    expect(plan({ status: 'Suspended', mfaDelete: null }, { state: 'active', reason: 'scratch space' })).toMatchObject({
      kind: 'skip',
      reason: 'exempt by tag bucketguard:exempt ("scratch space"): not changed',
    });
    expect(
      planEnableVersioning({
        bucket: bucketState('b', { versioning: unknown('GetBucketVersioning failed: AccessDenied (403)') }),
        exemption: NONE,
        exemptionTag: 'bucketguard:exempt',
      }),
    ).toEqual({
      kind: 'skip',
      reason:
        "cannot read the bucket's versioning status (GetBucketVersioning failed: AccessDenied (403)): not changed",
    });
  });
});
