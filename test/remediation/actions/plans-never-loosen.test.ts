/**
 * Property: whatever the live state, exemption and configuration, no plan ever turns a flag off, suspends
 * versioning, or changes anything for an exempt or unreadable bucket.
 */
import fc from 'fast-check';
import type { ExemptionDecision } from '../../../model/approved-exemptions';
import {
  BPA_FLAGS,
  type ConfigItemStatus,
  type Fact,
  known,
  type PublicAccessBlockFlags,
  unknown,
  type VersioningState,
} from '../../../model/types';
import { planBlockAccountPublicAccess } from '../../../remediation/block-account-public-access/plan';
import { planBlockPublicAccess } from '../../../remediation/block-public-access/plan';
import { planEnableVersioning } from '../../../remediation/enable-versioning/plan';
import { bucketState } from '../helpers';

const flagsArb: fc.Arbitrary<PublicAccessBlockFlags> = fc.record({
  blockPublicAcls: fc.boolean(),
  ignorePublicAcls: fc.boolean(),
  blockPublicPolicy: fc.boolean(),
  restrictPublicBuckets: fc.boolean(),
});
const bpaFactArb: fc.Arbitrary<Fact<PublicAccessBlockFlags | null>> = fc.oneof(
  fc.constant(known(null)),
  flagsArb.map((flags) => known(flags)),
  fc.constant(unknown('AccessDenied')),
);
const versioningArb: fc.Arbitrary<Fact<VersioningState>> = fc.oneof(
  fc
    .record({
      status: fc.constantFrom('Enabled' as const, 'Suspended' as const, 'Off' as const),
      mfaDelete: fc.constantFrom(true, false, null),
    })
    .map((value) => known(value)),
  fc.constant(unknown('AccessDenied')),
);
const exemptionArb: fc.Arbitrary<ExemptionDecision> = fc.constantFrom<ExemptionDecision>(
  { state: 'none' },
  { state: 'requested' },
  { state: 'approved', entry: { bucket: 'b', reason: 'r', approver: 'a', until: '2030-01-01' } },
  { state: 'unreadable', why: 'AccessDenied', requested: true },
  { state: 'unreadable', why: 'AccessDenied', requested: false },
);
const statusArb = fc.constantFrom<ConfigItemStatus>(
  'OK',
  'ResourceDiscovered',
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
);
const wantedArb = fc.subarray([...BPA_FLAGS], { minLength: 1 });

const mayChange = (exemption: ExemptionDecision) => exemption.state !== 'approved';
const isDeleted = (status: ConfigItemStatus) => status === 'ResourceDeleted' || status === 'ResourceDeletedNotRecorded';

describe('no plan ever loosens a setting', () => {
  it('block-public-access: every flag on stays on, wanted flags end on, exempt never changes, unreadable only to all four', () => {
    fc.assert(
      fc.property(bpaFactArb, exemptionArb, statusArb, wantedArb, (bpa, exemption, status, wanted) => {
        const plan = planBlockPublicAccess({
          bucket: bucketState('b', { publicAccessBlock: bpa, status }),
          exemption,
          wanted,
        });
        if (plan.kind !== 'change') {
          // Nothing planned for a readable, existing, non-exempt bucket only when every wanted flag is already on.
          if (bpa.known && mayChange(exemption) && !isDeleted(status)) {
            expect(plan.kind).toBe('no-change');
            for (const flag of wanted) expect(bpa.value?.[flag]).toBe(true);
          }
          // Unreadable flags never stop a fix of all four.
          if (!bpa.known && mayChange(exemption) && !isDeleted(status)) expect(wanted.length).toBeLessThan(4);
          return;
        }
        expect(mayChange(exemption)).toBe(true);
        expect(isDeleted(status)).toBe(false);
        // Unreadable flags are written blind only when all four are wanted: that tightens whatever is set now.
        if (!bpa.known) expect(BPA_FLAGS.every((flag) => plan.desired[flag] && wanted.includes(flag))).toBe(true);
        const current = bpa.known ? bpa.value : null;
        for (const flag of BPA_FLAGS) {
          if (current?.[flag]) expect(plan.desired[flag]).toBe(true);
          if (wanted.includes(flag)) expect(plan.desired[flag]).toBe(true);
        }
        for (const change of plan.changes) expect(change.to).toBe('true');
        expect(plan.changes.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('block-account-public-access: every flag on stays on, wanted flags end on, unreadable never changes', () => {
    fc.assert(
      fc.property(bpaFactArb, wantedArb, (bpa, wanted) => {
        const plan = planBlockAccountPublicAccess({ accountId: '111122223333', publicAccessBlock: bpa, wanted });
        if (plan.kind !== 'change') {
          expect(plan.kind).toBe(bpa.known ? 'no-change' : 'skip');
          if (bpa.known) for (const flag of wanted) expect(bpa.value?.[flag]).toBe(true);
          return;
        }
        expect(bpa.known).toBe(true);
        const current = bpa.known ? bpa.value : null;
        for (const flag of BPA_FLAGS) {
          if (current?.[flag]) expect(plan.desired[flag]).toBe(true);
          if (wanted.includes(flag)) expect(plan.desired[flag]).toBe(true);
        }
        for (const change of plan.changes) expect(change.to).toBe('true');
        expect(plan.changes.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('enable-versioning: only ever asks for Enabled, never for an already-Enabled bucket', () => {
    fc.assert(
      fc.property(versioningArb, exemptionArb, statusArb, (versioning, exemption, status) => {
        const plan = planEnableVersioning({
          bucket: bucketState('b', { versioning, status }),
          exemption,
        });
        if (plan.kind !== 'change') {
          // Nothing planned for a readable, existing, non-exempt bucket only when versioning is already Enabled.
          if (versioning.known && mayChange(exemption) && !isDeleted(status)) {
            expect(plan.kind).toBe('no-change');
            expect(versioning.value.status).toBe('Enabled');
          }
          return;
        }
        expect(mayChange(exemption)).toBe(true);
        expect(isDeleted(status)).toBe(false);
        expect(plan.desired).toBe('Enabled');
        if (!versioning.known) throw new Error('planned a change from an unreadable versioning status');
        expect(versioning.value.status).not.toBe('Enabled');
        expect(plan.changes).toEqual([{ setting: 'Versioning', from: versioning.value.status, to: 'Enabled' }]);
      }),
      { numRuns: 1000 },
    );
  });
});
