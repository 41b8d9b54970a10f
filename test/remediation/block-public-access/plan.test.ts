import type { ExemptionStatus } from '../../../model/exemptions';
import { BPA_FLAGS, type BpaFlag, known, type PublicAccessBlockFlags, unknown } from '../../../model/types';
import { planBlockPublicAccess } from '../../../remediation/block-public-access/plan';
import { ALL_OFF, ALL_ON, bucketState } from '../helpers';

const NONE: ExemptionStatus = { state: 'none' };
const TAG = 'bucketguard:exempt';
const plan = (
  flags: PublicAccessBlockFlags | null,
  exemption: ExemptionStatus = NONE,
  wanted: readonly BpaFlag[] = BPA_FLAGS,
) =>
  planBlockPublicAccess({
    bucket: bucketState('b', { publicAccessBlock: known(flags) }),
    exemption,
    exemptionTag: TAG,
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

  it.each<[string, ExemptionStatus, string]>([
    [
      'active exemption',
      { state: 'active', reason: 'public website', until: '2030-01-01' },
      'exempt by tag bucketguard:exempt ("public website", until 2030-01-01): not changed',
    ],
    [
      'unreadable tags (fail closed)',
      { state: 'unknown', why: 'GetBucketTagging failed: SlowDown (503)' },
      "cannot read the bucket's tags (GetBucketTagging failed: SlowDown (503)), so an exemption cannot be ruled out: not changed",
    ],
  ])('%s -> skip', (_, exemption, reason) => {
    expect(plan(ALL_OFF, exemption)).toEqual({ kind: 'skip', reason, before: { kind: 'bpa', flags: ALL_OFF } });
  });

  it.each<[string, ExemptionStatus, string]>([
    ['expired', { state: 'expired', reason: 'launch', until: '2024-01-31' }, 'exemption "launch" expired 2024-01-31'],
    [
      'invalid until',
      { state: 'invalid', reason: 'launch', untilRaw: 'soon' },
      'exemption ignored: bucketguard:exempt-until="soon" is not a date',
    ],
    [
      'tags denied to bucketguard (tampering, never a reason to stop)',
      { state: 'unknown', why: 'GetBucketTagging failed: AccessDenied (403)' },
      'tags unreadable (GetBucketTagging failed: AccessDenied (403)): no exemption can be honoured',
    ],
  ])('%s exemption -> proceeds and says so', (_, exemption, note) => {
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
        exemptionTag: TAG,
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
        exemption: { state: 'active', reason: 'website' },
        exemptionTag: TAG,
        wanted: BPA_FLAGS,
      }),
    ).toEqual({
      kind: 'skip',
      reason: 'exempt by tag bucketguard:exempt ("website"): not changed',
      before: { kind: 'unread', reason },
    });
  });

  it('unreadable BPA with partial flags -> skip with the reason (a blind write could turn a flag off)', () => {
    expect(
      planBlockPublicAccess({
        bucket: bucketState('b', { publicAccessBlock: unknown('GetPublicAccessBlock failed: SlowDown (503)') }),
        exemption: NONE,
        exemptionTag: TAG,
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
        exemptionTag: TAG,
        wanted: BPA_FLAGS,
      }),
    ).toEqual({ kind: 'skip', reason: 'the bucket no longer exists' });
  });
});
