import { BPA_FLAGS, known, unknown } from '../../../model/types';
import { planBlockAccountPublicAccess } from '../../../remediation/block-account-public-access/plan';
import { ALL_OFF, ALL_ON } from '../helpers';

describe('planBlockAccountPublicAccess', () => {
  it.each([
    [null, 'change', 4],
    [{ ...ALL_ON, restrictPublicBuckets: false }, 'change', 1],
    [ALL_ON, 'no-change', 0],
  ] as const)('%j -> %s with %i change(s)', (flags, kind, count) => {
    const result = planBlockAccountPublicAccess({
      accountId: '111122223333',
      publicAccessBlock: known(flags),
      wanted: BPA_FLAGS,
    });
    expect(result.kind).toBe(kind);
    expect(result.kind === 'change' ? result.changes.length : 0).toBe(count);
  });

  it('names the account in the reason and keeps flags outside the wanted set as they are', () => {
    expect(
      planBlockAccountPublicAccess({
        accountId: '111122223333',
        publicAccessBlock: known({ ...ALL_OFF, ignorePublicAcls: true }),
        wanted: ['blockPublicAcls'],
      }),
    ).toEqual({
      kind: 'change',
      reason: 'turn on BlockPublicAcls for account 111122223333',
      before: { kind: 'bpa', flags: { ...ALL_OFF, ignorePublicAcls: true } },
      desired: { ...ALL_OFF, ignorePublicAcls: true, blockPublicAcls: true },
      changes: [{ setting: 'BlockPublicAcls', from: 'false', to: 'true' }],
    });
  });

  it('unreadable settings -> skip', () => {
    expect(
      planBlockAccountPublicAccess({
        accountId: '111122223333',
        publicAccessBlock: unknown('GetPublicAccessBlock (account 111122223333) failed: AccessDenied (403)'),
        wanted: BPA_FLAGS,
      }),
    ).toEqual({
      kind: 'skip',
      reason:
        "cannot read the account's Block Public Access settings (GetPublicAccessBlock (account 111122223333) failed: AccessDenied (403)): not changed",
    });
  });
});
