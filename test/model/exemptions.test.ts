import {
  checkExemption,
  DEFAULT_EXEMPTION_SETTINGS,
  type ExemptionSettings,
  parseUntil,
  untilTagKey,
} from '../../model/exemptions';
import { known, unknown } from '../../model/types';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const tags = (value: Record<string, string>) => known<Readonly<Record<string, string>>>(value);
const REASON = 'Public website (SEC-1234)';

describe('checkExemption', () => {
  it('none when the tag is absent', () => {
    expect(checkExemption(tags({ team: 'web' }), DEFAULT_EXEMPTION_SETTINGS, NOW)).toEqual({ state: 'none' });
  });

  it('active without an end date', () => {
    expect(checkExemption(tags({ 'bucketguard:exempt': REASON }), DEFAULT_EXEMPTION_SETTINGS, NOW)).toEqual({
      state: 'active',
      reason: REASON,
    });
  });

  it('active until a future date', () => {
    const value = { 'bucketguard:exempt': REASON, 'bucketguard:exempt-until': '2027-03-31' };
    expect(checkExemption(tags(value), DEFAULT_EXEMPTION_SETTINGS, NOW)).toEqual({
      state: 'active',
      reason: REASON,
      until: '2027-03-31',
    });
  });

  it('expired after the end date', () => {
    const value = { 'bucketguard:exempt': REASON, 'bucketguard:exempt-until': '2026-01-31' };
    expect(checkExemption(tags(value), DEFAULT_EXEMPTION_SETTINGS, NOW)).toEqual({
      state: 'expired',
      reason: REASON,
      until: '2026-01-31',
    });
  });

  it.each([
    ['the last millisecond of the day', '2026-06-15T23:59:59.999Z', 'active'],
    ['the first millisecond of the next day', '2026-06-16T00:00:00.000Z', 'expired'],
  ])('a date-only end exempts through the end of that day (UTC): %s', (_label, now, state) => {
    const value = { 'bucketguard:exempt': REASON, 'bucketguard:exempt-until': '2026-06-15' };
    expect(checkExemption(tags(value), DEFAULT_EXEMPTION_SETTINGS, new Date(now)).state).toBe(state);
  });

  it('a timestamp end exempts until that instant', () => {
    const value = { 'bucketguard:exempt': REASON, 'bucketguard:exempt-until': '2026-06-15T11:59:59Z' };
    expect(checkExemption(tags(value), DEFAULT_EXEMPTION_SETTINGS, NOW)).toEqual({
      state: 'expired',
      reason: REASON,
      until: '2026-06-15T11:59:59Z',
    });
  });

  it.each(['soon', '31/03/2027', '2027-02-30', '2027-13-01', '', '2027-03-31T25:00:00Z'])(
    'invalid (not honoured) when the end is %j',
    (untilRaw) => {
      const value = { 'bucketguard:exempt': REASON, 'bucketguard:exempt-until': untilRaw };
      expect(checkExemption(tags(value), DEFAULT_EXEMPTION_SETTINGS, NOW)).toEqual({
        state: 'invalid',
        reason: REASON,
        untilRaw,
      });
    },
  );

  it('an empty reason is still an exemption, and says so', () => {
    expect(checkExemption(tags({ 'bucketguard:exempt': ' ' }), DEFAULT_EXEMPTION_SETTINGS, NOW)).toEqual({
      state: 'active',
      reason: '(no reason given)',
    });
  });

  it('disabled by the exemptions parameter, whatever the tags say', () => {
    const settings: ExemptionSettings = { ...DEFAULT_EXEMPTION_SETTINGS, enabled: false };
    expect(checkExemption(tags({ 'bucketguard:exempt': REASON }), settings, NOW)).toEqual({ state: 'disabled' });
  });

  it('unknown when the tags could not be read', () => {
    expect(
      checkExemption(unknown('GetBucketTagging failed: AccessDenied (403)'), DEFAULT_EXEMPTION_SETTINGS, NOW),
    ).toEqual({ state: 'unknown', why: 'GetBucketTagging failed: AccessDenied (403)' });
  });

  it('uses a renamed tag, and its own -until tag', () => {
    const settings: ExemptionSettings = { tagKey: 'security/exempt', enabled: true };
    const value = {
      'bucketguard:exempt': 'old tag',
      'security/exempt': REASON,
      'security/exempt-until': '2026-01-01',
      'bucketguard:exempt-until': '2030-01-01',
    };
    expect(untilTagKey(settings)).toBe('security/exempt-until');
    expect(checkExemption(tags(value), settings, NOW)).toEqual({
      state: 'expired',
      reason: REASON,
      until: '2026-01-01',
    });
  });

  it('tag keys are case-sensitive, as in S3', () => {
    expect(checkExemption(tags({ 'BucketGuard:Exempt': REASON }), DEFAULT_EXEMPTION_SETTINGS, NOW)).toEqual({
      state: 'none',
    });
  });

  it('a tag key named like an Object.prototype member is not found on a plain object', () => {
    const settings: ExemptionSettings = { tagKey: 'constructor', enabled: true };
    expect(checkExemption(tags({}), settings, NOW)).toEqual({ state: 'none' });
  });
});

describe('parseUntil', () => {
  it.each([
    ['2026-03-31', '2026-03-31T23:59:59.999Z'],
    [' 2026-03-31 ', '2026-03-31T23:59:59.999Z'],
    ['2028-02-29', '2028-02-29T23:59:59.999Z'],
    ['2026-03-31T10:00:00Z', '2026-03-31T10:00:00.000Z'],
    ['2026-03-31T10:00:00+02:00', '2026-03-31T08:00:00.000Z'],
    // No zone means UTC, whatever the host's TZ, so the CLI and the Lambda agree.
    ['2026-03-31T10:00', '2026-03-31T10:00:00.000Z'],
    ['2026-03-31T10:00:00.5', '2026-03-31T10:00:00.500Z'],
  ])('%j -> %s', (raw, iso) => {
    expect(parseUntil(raw)?.toISOString()).toBe(iso);
  });

  it.each(['2026-02-29', '2026-04-31', '2026-3-31', '20260331', 'tomorrow', '2026-03-31 10:00'])(
    'rejects %j',
    (raw) => {
      expect(parseUntil(raw)).toBeUndefined();
    },
  );

  it('hands out a new Date each time: a caller that changes one cannot change the next answer', () => {
    parseUntil('2026-05-01')?.setUTCFullYear(1999);
    expect(parseUntil('2026-05-01')?.toISOString()).toBe('2026-05-01T23:59:59.999Z');
  });
});
