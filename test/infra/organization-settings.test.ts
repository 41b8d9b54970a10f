/**
 * `-c deployment=organization` settings: every bad value fails the synth naming the setting, never a silent default.
 */
import { settingsFromContext } from '../../infra/context';
import { organizationSettingsFromContext } from '../../infra/organization/settings';
import { ORG_CONTEXT } from './organization-helpers';

const settings = (context: Record<string, unknown>) =>
  organizationSettingsFromContext((key) => ({ ...ORG_CONTEXT, ...context })[key]);

describe('organization settings', () => {
  it('defaults: SELF, 10 % failure tolerance, 25 % concurrency, one notify group, bucket prefix from the org id', () => {
    const s = settings({});
    expect(s).toMatchObject({
      organizationId: 'o-a1b2c3d4e5',
      homeRegion: 'eu-west-1',
      regions: ['eu-west-1', 'us-east-1'],
      callAs: 'SELF',
      failureTolerancePercentage: 10,
      maxConcurrentPercentage: 25,
      assetBucketPrefix: 'bucketguard-assets-o-a1b2c3d4e5',
      centralEmails: [],
      groups: [{ mode: 'notify', organizationalUnits: ['ou-ab12-11111111', 'ou-ab12-22222222'] }],
    });
    expect(s.member.notificationEmails).toBeUndefined();
  });

  it('regions default to the home Region; email is central, memberEmail local', () => {
    const s = settings({ regions: undefined, email: 'sec@example.com', memberEmail: 'team@example.com' });
    expect(s.regions).toEqual(['eu-west-1']);
    expect(s.centralEmails).toEqual(['sec@example.com']);
    expect(s.member.notificationEmails).toEqual(['team@example.com']);
  });

  it('mode per OU: one group per mode, the rest in `mode`', () => {
    const s = settings({ mode: 'remediate', ouModes: 'ou-ab12-11111111=notify' });
    expect(s.groups).toEqual([
      { mode: 'notify', organizationalUnits: ['ou-ab12-11111111'] },
      { mode: 'remediate', organizationalUnits: ['ou-ab12-22222222'] },
    ]);
    expect(settings({ organizationalUnits: 'r-ab12' }).groups).toEqual([
      { mode: 'notify', organizationalUnits: ['r-ab12'] },
    ]);
  });

  it.each([
    [{ organizationId: 'org-1' }, 'organizationId'],
    [{ organizationId: undefined }, 'organizationId'],
    [{ homeRegion: undefined }, 'homeRegion'],
    [{ homeRegion: 'Europe' }, 'homeRegion'],
    [{ regions: 'us-east-1' }, 'regions'],
    [{ regions: 'eu-west-1,eu-west-1' }, 'regions'],
    [{ organizationalUnits: undefined }, 'organizationalUnits'],
    [{ organizationalUnits: 'Sandbox' }, 'organizationalUnits'],
    [{ ouModes: 'ou-zz99-99999999=remediate' }, 'ouModes'],
    [{ ouModes: 'ou-ab12-11111111=fix' }, 'ouModes'],
    [{ callAs: 'ADMIN' }, 'callAs'],
    [{ failureTolerancePercentage: '101' }, 'failureTolerancePercentage'],
    [{ assetBucketPrefix: 'Upper_Case' }, 'assetBucketPrefix'],
    [{ assetBucketPrefix: 'a'.repeat(49) }, 'assetBucketPrefix'],
    [{ mode: 'fix' }, 'mode'],
  ])('%j fails naming %s', (context, prop) => {
    expect(() => settings(context)).toThrow(`Invalid bucketguard setting "${prop}"`);
  });

  it('a long organization id needs an assetBucketPrefix (bucket names are at most 63 characters)', () => {
    expect(() => settings({ organizationId: `o-${'a'.repeat(32)}` })).toThrow('"assetBucketPrefix"');
    expect(
      settings({ organizationId: `o-${'a'.repeat(32)}`, assetBucketPrefix: 'acme-bucketguard' }).assetBucketPrefix,
    ).toBe('acme-bucketguard');
  });
});

describe('homeRegion of a single account (-c homeRegion)', () => {
  it('is a Region code, absent by default', () => {
    expect(settingsFromContext(() => undefined).homeRegion).toBeUndefined();
    expect(settingsFromContext((key) => (key === 'homeRegion' ? 'eu-west-1' : undefined)).homeRegion).toBe('eu-west-1');
    expect(() => settingsFromContext((key) => (key === 'homeRegion' ? 'Ireland' : undefined))).toThrow(
      'Invalid bucketguard setting "homeRegion"',
    );
  });
});
