import type { ExemptionDecision } from '../../../model/approved-exemptions';
import { BPA_FLAGS, type BpaFlag, known, type PublicAccessBlockFlags, unknown } from '../../../model/types';
import { planBlockPublicAccess } from '../../../remediation/block-public-access/plan';
import { ALL_OFF, ALL_ON, bucketState } from '../helpers';

const NONE: ExemptionDecision = { state: 'none' };
const plan = (
  flags: PublicAccessBlockFlags | null,
  exemption: ExemptionDecision = NONE,
  wanted: readonly BpaFlag[] = BPA_FLAGS,
) =>
  planBlockPublicAccess({
    bucket: bucketState('b', { publicAccessBlock: known(flags) }),
    exemption,
    wanted,
  });

describe('planBlockPublicAccess', () => {
  it('no configuration -> all four on, each change spelled out', () => {
    expect(plan(null)).toEqual({
      kind: 'change',
      reason: 'turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets',
      before: { kind: 'bpa', flags: null },
      desired: ALL_ON,
      changes: [
        { setting: 'BlockPublicAcls', from: 'false', to: 'true' },
        { setting: 'IgnorePublicAcls', from: 'false', to: 'true' },
        { setting: 'BlockPublicPolicy', from: 'false', to: 'true' },
        { setting: 'RestrictPublicBuckets', from: 'false', to: 'true' },
      ],
    });
  });

  it('already compliant -> empty plan (idempotent)', () => {
    expect(plan(ALL_ON)).toEqual({
      kind: 'no-change',
      reason: 'BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets already on',
      before: { kind: 'bpa', flags: ALL_ON },
    });
  });

  it('with a subset configured, flags already on stay on (new = old OR wanted)', () => {
    const current = { ...ALL_OFF, blockPublicAcls: true, ignorePublicAcls: true };
    const result = plan(current, NONE, ['blockPublicPolicy']);
    expect(result).toMatchObject({
      kind: 'change',
      desired: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: false },
      changes: [{ setting: 'BlockPublicPolicy', from: 'false', to: 'true' }],
    });
  });

  it('an approved exemption -> skip, naming approver, reason and end date', () => {
    const exemption: ExemptionDecision = {
      state: 'approved',
      entry: { bucket: 'b', reason: 'public website', approver: 'secteam', until: '2030-01-01' },
    };
    expect(plan(ALL_OFF, exemption)).toEqual({
      kind: 'skip',
      reason: 'exempt until 2030-01-01, approved by secteam ("public website"): not changed',
      before: { kind: 'bpa', flags: ALL_OFF },
    });
  });

  it.each<[string, ExemptionDecision, string]>([
    ['a tag alone', { state: 'requested' }, 'exemption requested by tag, not approved'],
    [
      'an unreadable list',
      { state: 'unreadable', why: 'GetParameter failed: AccessDenied (400)', requested: true },
      'the exemption list could not be read (GetParameter failed: AccessDenied (400)): no exemption applies',
    ],
  ])('%s -> proceeds and says so', (_, exemption, note) => {
    expect(plan(null, exemption).reason).toBe(
      `turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets (${note})`,
    );
  });

  it('unreadable BPA with all four flags configured -> all four written without reading them', () => {
    const reason = 'GetPublicAccessBlock failed: AccessDenied (403)';
    expect(
      planBlockPublicAccess({
        bucket: bucketState('b', { publicAccessBlock: unknown(reason) }),
        exemption: NONE,
        wanted: BPA_FLAGS,
      }),
    ).toEqual({
      kind: 'change',
      reason: `turn on all four flags without reading them first (${reason})`,
      before: { kind: 'unread', reason },
      desired: ALL_ON,
      changes: [
        { setting: 'BlockPublicAcls', from: 'unknown', to: 'true' },
        { setting: 'IgnorePublicAcls', from: 'unknown', to: 'true' },
        { setting: 'BlockPublicPolicy', from: 'unknown', to: 'true' },
        { setting: 'RestrictPublicBuckets', from: 'unknown', to: 'true' },
      ],
    });
  });

  it('unreadable BPA, exempt bucket -> still skipped', () => {
    const reason = 'GetPublicAccessBlock failed: AccessDenied (403)';
    expect(
      planBlockPublicAccess({
        bucket: bucketState('b', { publicAccessBlock: unknown(reason) }),
        exemption: {
          state: 'approved',
          entry: { bucket: 'b', reason: 'website', approver: 'secteam', until: '2030-01-01' },
        },
        wanted: BPA_FLAGS,
      }),
    ).toEqual({
      kind: 'skip',
      reason: 'exempt until 2030-01-01, approved by secteam ("website"): not changed',
      before: { kind: 'unread', reason },
    });
  });

  it('unreadable BPA with partial flags -> skip with the reason (a blind write could turn a flag off)', () => {
    expect(
      planBlockPublicAccess({
        bucket: bucketState('b', { publicAccessBlock: unknown('GetPublicAccessBlock failed: SlowDown (503)') }),
        exemption: NONE,
        wanted: ['blockPublicAcls', 'ignorePublicAcls'],
      }),
    ).toEqual({
      kind: 'skip',
      reason:
        "cannot read the bucket's Block Public Access settings (GetPublicAccessBlock failed: SlowDown (503)): not changed",
    });
  });

  it('deleted bucket -> skip', () => {
    expect(
      planBlockPublicAccess({
        bucket: bucketState('b', { status: 'ResourceDeleted' }),
        exemption: NONE,
        wanted: BPA_FLAGS,
      }),
    ).toEqual({ kind: 'skip', reason: 'the bucket no longer exists' });
  });
});
