import {
  type ApprovedExemption,
  bucketPatternMatches,
  decideExemption,
  ExemptionListError,
  type ExemptionQuery,
  exemptionDecisionNote,
  exemptionsParameterName,
  findApprovedExemption,
  validateExemptionList,
} from '../../model/approved-exemptions';
import { checkExemption, DEFAULT_EXEMPTION_SETTINGS } from '../../model/exemptions';
import { known, unknown } from '../../model/types';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const HOME = '111122223333';
const OTHER = '123456789012';
const RULE = 's3-bucket-public-access-prohibited';

const entry = (over: Partial<ApprovedExemption> = {}): ApprovedExemption => ({
  bucket: 'site-assets',
  reason: 'Public website (SEC-1234)',
  approver: 'security-team',
  until: '2026-07-31',
  ...over,
});
const query = (over: Partial<ExemptionQuery> = {}): ExemptionQuery => ({
  bucket: 'site-assets',
  account: HOME,
  homeAccount: HOME,
  subject: { kind: 'rule', id: RULE },
  now: NOW,
  maxDays: 90,
  ...over,
});
const tagged = (value: Record<string, string>) =>
  checkExemption(known<Readonly<Record<string, string>>>(value), DEFAULT_EXEMPTION_SETTINGS, NOW);

describe('self-exemption attack: a member tags its own bucket', () => {
  it.each([
    ['forever', { 'bucketguard:exempt': 'mine', 'bucketguard:exempt-until': '9999-12-31' }],
    ['empty value', { 'bucketguard:exempt': '' }],
    ['no until', { 'bucketguard:exempt': 'trust me' }],
  ])('%s: exemption requested, not approved', (_name, tags) => {
    const decision = decideExemption(known([]), tagged(tags), query());
    expect(decision).toEqual({ state: 'requested' });
    expect(exemptionDecisionNote(decision)).toBe('Exemption requested, not approved.');
  });

  it('an approved entry for another bucket does not cover the tagged one', () => {
    const decision = decideExemption(
      known([entry()]),
      tagged({ 'bucketguard:exempt': 'x' }),
      query({ bucket: 'data' }),
    );
    expect(decision).toEqual({ state: 'requested' });
  });

  it('an unreadable list never exempts, and says why', () => {
    const decision = decideExemption(
      unknown('GetParameter failed: AccessDenied (400)'),
      tagged({ 'bucketguard:exempt': 'x' }),
      query(),
    );
    expect(decision.state).toBe('unreadable');
    expect(exemptionDecisionNote(decision)).toBe(
      'Exemption requested, not approved: the exemption list could not be read (GetParameter failed: AccessDenied (400)).',
    );
  });
});

describe('approved entries', () => {
  it('honoured without the tag; the note names approver, until and reason', () => {
    const decision = decideExemption(known([entry()]), tagged({}), query());
    expect(decision).toEqual({ state: 'approved', entry: entry() });
    expect(exemptionDecisionNote(decision)).toBe(
      'Exempt until 2026-07-31, approved by security-team: Public website (SEC-1234)',
    );
  });

  it('an expired entry stops at once', () => {
    expect(findApprovedExemption([entry({ until: '2026-06-14' })], query())).toBeUndefined();
    expect(findApprovedExemption([entry({ until: '2026-06-15T11:59:59Z' })], query())).toBeUndefined();
  });

  it('an entry beyond now + max (an edited parameter) is not honoured', () => {
    expect(findApprovedExemption([entry({ until: '2026-12-31' })], query())).toBeUndefined();
    expect(findApprovedExemption([entry({ until: '2026-12-31' })], query({ maxDays: 365 }))).toBeDefined();
  });

  it('account: omitted means the home account only', () => {
    expect(findApprovedExemption([entry()], query({ account: OTHER }))).toBeUndefined();
    expect(findApprovedExemption([entry({ account: OTHER })], query({ account: OTHER }))).toBeDefined();
    expect(findApprovedExemption([entry({ account: OTHER })], query())).toBeUndefined();
  });

  it('rules and actions restrict what is exempted', () => {
    const onlyRule = entry({ rules: [RULE] });
    expect(findApprovedExemption([onlyRule], query())).toBeDefined();
    expect(
      findApprovedExemption([onlyRule], query({ subject: { kind: 'action', id: 'block-public-access' } })),
    ).toBeUndefined();
    const onlyAction = entry({ actions: ['block-public-access'] });
    expect(findApprovedExemption([onlyAction], query())).toBeUndefined();
    expect(
      findApprovedExemption([onlyAction], query({ subject: { kind: 'action', id: 'block-public-access' } })),
    ).toBeDefined();
  });

  it('a long reason keeps the note within 256 characters', () => {
    const note = exemptionDecisionNote({ state: 'approved', entry: entry({ reason: 'r'.repeat(400) }) });
    expect(note.length).toBe(256);
    expect(note.endsWith(' [truncated]')).toBe(true);
  });
});

describe('bucketPatternMatches', () => {
  it.each([
    ['site-*', 'site-assets', true],
    ['site-*', 'site-', true],
    ['site-*', 'web-site-assets', false],
    ['*-logs', 'a-b-logs', true],
    ['log?', 'logs', true],
    ['log?', 'log', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
  ])('%s vs %s -> %s', (pattern, bucket, expected) => {
    expect(bucketPatternMatches(pattern, bucket)).toBe(expected);
  });
});

describe('validateExemptionList', () => {
  it('accepts a valid list and trims text', () => {
    expect(validateExemptionList([{ ...entry(), reason: ' Public website (SEC-1234) ' }], NOW)).toEqual([entry()]);
  });

  it.each([
    [{ bucket: '*' }, 'not only wildcards'],
    [{ bucket: 'Bad_Name' }, '"bucket" must be'],
    [{ account: '1234' }, '12-digit'],
    [{ reason: ' ' }, '"reason" is required'],
    [{ approver: '' }, '"approver" is required'],
    [{ until: '2026-02-30' }, 'not a date'],
    [{ until: '2026-06-01' }, 'has passed'],
    [{ until: '9999-12-31' }, 'more than 90 days away'],
    [{ rules: [] }, '"rules" must be a non-empty list'],
  ])('rejects %j', (over, message) => {
    expect(() => validateExemptionList([entry(over as Partial<ApprovedExemption>)], NOW)).toThrow(ExemptionListError);
    expect(() => validateExemptionList([entry(over as Partial<ApprovedExemption>)], NOW)).toThrow(message);
  });

  it('rejects unknown fields and non-lists', () => {
    expect(() => validateExemptionList([{ ...entry(), forever: true }], NOW)).toThrow(
      'exemptions[0]: unknown field "forever"',
    );
    expect(() => validateExemptionList({}, NOW)).toThrow('exemptions must be a JSON list');
  });
});

describe('exemptionsParameterName', () => {
  it('sits under /bucketguard/ and drops the prefix separator', () => {
    expect(exemptionsParameterName('bucketguard-')).toBe('/bucketguard/bucketguard/exemptions');
    expect(exemptionsParameterName('team_a_')).toBe('/bucketguard/team_a/exemptions');
    expect(exemptionsParameterName('-')).toBe('/bucketguard/default/exemptions');
  });
});
