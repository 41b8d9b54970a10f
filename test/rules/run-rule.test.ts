import { appendNote, truncateAnnotation, wellFormed } from '../../model/annotation';
import type { ApprovedExemption } from '../../model/approved-exemptions';
import type { AccountRuleDefinition, BucketRuleDefinition } from '../../model/rule-definition';
import { type BucketState, type Fact, known, type RuleResult, unknown } from '../../model/types';
import { flagInForce } from '../../model/wording';
import type { CommonBucketParameters } from '../../rules/parameters';
import { evaluateAccount, evaluateBucket, exemptionSettingsOf } from '../../rules/run-rule';
import { rule as versioningRule } from '../../rules/s3-bucket-versioning-enabled';
import { ALL_OFF, ALL_ON, bucket, context, NOW, OTHER_ACCOUNT, OWNER_ACCOUNT } from './builders';

const ON: CommonBucketParameters = { exemption: { tagKey: 'bucketguard:exempt', enabled: true } };

/** A bucket rule that returns whatever the test sets, and counts its calls. */
function stubRule(result: Partial<RuleResult> | (() => RuleResult)) {
  const evaluate = jest.fn(
    (state: BucketState): RuleResult =>
      typeof result === 'function'
        ? result()
        : {
            resourceType: 'AWS::S3::Bucket',
            resourceId: state.name,
            compliance: 'NON_COMPLIANT',
            annotation: 'Versioning is suspended: new object versions are no longer kept.',
            ...result,
          },
  );
  const rule: BucketRuleDefinition<CommonBucketParameters> = { ...versioningRule, parseParameters: () => ON, evaluate };
  return { rule, evaluate };
}

const exemptTags = (extra: Record<string, string> = {}) => ({
  tags: { known: true as const, value: { 'bucketguard:exempt': 'Static site (SEC-1234)', ...extra } },
});

describe('evaluateBucket: resource status', () => {
  it.each([
    ['ResourceDeleted', 'Bucket was deleted (ResourceDeleted).'],
    ['ResourceDeletedNotRecorded', 'Bucket was deleted (ResourceDeletedNotRecorded).'],
    ['ResourceNotRecorded', 'Bucket is not recorded by AWS Config (ResourceNotRecorded).'],
  ] as const)('%s -> NOT_APPLICABLE without evaluating', (status, annotation) => {
    const { rule, evaluate } = stubRule({});
    expect(evaluateBucket(rule, bucket({ status, ...exemptTags() }), ON, context())).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-bucket',
      compliance: 'NOT_APPLICABLE',
      annotation,
    });
    expect(evaluate).not.toHaveBeenCalled();
  });

  it.each(['OK', 'ResourceDiscovered'] as const)('%s is evaluated', (status) => {
    const { rule, evaluate } = stubRule({});
    expect(evaluateBucket(rule, bucket({ status }), ON, context()).compliance).toBe('NON_COMPLIANT');
    expect(evaluate).toHaveBeenCalledTimes(1);
  });
});

const APPROVED: ApprovedExemption = {
  bucket: 'example-*',
  reason: 'Static site (SEC-1234)',
  approver: 'security@example.com',
  until: '2026-07-31',
};

/** The context with an approved list (the adapter reads it from SSM). */
function withList(list: Fact<readonly ApprovedExemption[]>, now = NOW) {
  return { ...context(known(null), now), exemptions: { list, homeAccount: OWNER_ACCOUNT, maxDays: 90 } };
}

describe('evaluateBucket: exemptions (the tag is a request, the approved list grants)', () => {
  it('an approved entry is COMPLIANT with approver, reason and end date; the rule is not run', () => {
    const { rule, evaluate } = stubRule({});
    expect(evaluateBucket(rule, bucket(), ON, withList(known([APPROVED])))).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-bucket',
      compliance: 'COMPLIANT',
      annotation: 'Exempt until 2026-07-31, approved by security@example.com: Static site (SEC-1234)',
    });
    expect(evaluate).not.toHaveBeenCalled();
  });

  it.each([
    ['no end date', {}],
    ['a far end date', { 'bucketguard:exempt-until': '9999-12-31' }],
    ['an expired end date', { 'bucketguard:exempt-until': '2026-01-31' }],
    ['an end date that is not a date', { 'bucketguard:exempt-until': 'end of Q3' }],
  ])('a tag alone (%s) is evaluated normally: "Exemption requested, not approved."', (_name, extra) => {
    const { rule, evaluate } = stubRule({});
    expect(evaluateBucket(rule, bucket(exemptTags(extra)), ON, context())).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-bucket',
      compliance: 'NON_COMPLIANT',
      annotation: 'Versioning is suspended: new object versions are no longer kept. Exemption requested, not approved.',
    });
    expect(evaluate).toHaveBeenCalledTimes(1);
  });

  it('a request is mentioned on a COMPLIANT result too', () => {
    const { rule } = stubRule({ compliance: 'COMPLIANT', annotation: 'Versioning is enabled.' });
    expect(evaluateBucket(rule, bucket(exemptTags()), ON, context()).annotation).toBe(
      'Versioning is enabled. Exemption requested, not approved.',
    );
  });

  it('a renamed tag is the request key', () => {
    const { rule } = stubRule({});
    const params = { exemption: { tagKey: 'security/exempt', enabled: true } };
    const state = bucket({ tags: known({ 'security/exempt': 'Approved by CISO' }) });
    expect(evaluateBucket(rule, state, params, context()).annotation).toBe(
      'Versioning is suspended: new object versions are no longer kept. Exemption requested, not approved.',
    );
  });

  it('an expired entry stops working on the next evaluation, without any change to the bucket', () => {
    const { rule } = stubRule({});
    const list = known([APPROVED]);
    expect(evaluateBucket(rule, bucket(), ON, withList(list, new Date('2026-07-31T23:00:00Z'))).compliance).toBe(
      'COMPLIANT',
    );
    expect(evaluateBucket(rule, bucket(), ON, withList(list, new Date('2026-08-01T00:00:00Z')))).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Versioning is suspended: new object versions are no longer kept.',
    });
  });

  it('an entry for another rule, bucket or account does not exempt', () => {
    const { rule } = stubRule({});
    for (const entry of [
      { ...APPROVED, rules: ['s3-bucket-acl-prohibited'] },
      { ...APPROVED, bucket: 'other-*' },
      { ...APPROVED, account: OTHER_ACCOUNT },
    ]) {
      expect(evaluateBucket(rule, bucket(), ON, withList(known([entry]))).compliance).toBe('NON_COMPLIANT');
    }
  });

  it('an unreadable list exempts nothing, and says so (with and without a request)', () => {
    const { rule } = stubRule({});
    const list = unknown<readonly ApprovedExemption[]>('GetParameter failed: AccessDenied (400)');
    expect(evaluateBucket(rule, bucket(exemptTags()), ON, withList(list)).annotation).toBe(
      'Versioning is suspended: new object versions are no longer kept. Exemption requested, not approved: the exemption list could not be read (GetParameter failed: AccessDenied (400)).',
    );
    expect(evaluateBucket(rule, bucket(), ON, withList(list)).annotation).toBe(
      'Versioning is suspended: new object versions are no longer kept. Exemptions not applied: the exemption list could not be read (GetParameter failed: AccessDenied (400)).',
    );
  });

  it('exemptions=off: nothing is exempt and nothing is said', () => {
    const { rule, evaluate } = stubRule({});
    const params = { exemption: { tagKey: 'bucketguard:exempt', enabled: false } };
    expect(evaluateBucket(rule, bucket(exemptTags()), params, withList(known([APPROVED])))).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Versioning is suspended: new object versions are no longer kept.',
    });
    expect(evaluate).toHaveBeenCalledTimes(1);
  });

  it('unreadable tags change nothing: the list alone decides', () => {
    const { rule } = stubRule({});
    const state = bucket({ tags: unknown('GetBucketTagging failed: AccessDenied (403)') });
    expect(evaluateBucket(rule, state, ON, context()).annotation).toBe(
      'Versioning is suspended: new object versions are no longer kept.',
    );
    expect(evaluateBucket(rule, state, ON, withList(known([APPROVED]))).compliance).toBe('COMPLIANT');
  });

  it('params without exemption settings use the defaults', () => {
    const { rule } = stubRule({});
    expect(evaluateBucket(rule, bucket(exemptTags()), {} as CommonBucketParameters, context()).annotation).toContain(
      'Exemption requested, not approved.',
    );
    expect(exemptionSettingsOf(undefined)).toEqual({ tagKey: 'bucketguard:exempt', enabled: true });
    expect(exemptionSettingsOf({ exemption: { tagKey: 7 } })).toEqual({ tagKey: 'bucketguard:exempt', enabled: true });
    expect(
      exemptionSettingsOf({
        exemption: { tagKey: 'k', enabled: true, parameterName: '/bucketguard/x/exemptions', maxDays: 30 },
      }),
    ).toEqual({ tagKey: 'k', enabled: true, parameterName: '/bucketguard/x/exemptions', maxDays: 30 });
  });
});

describe('evaluateBucket: annotations', () => {
  it('truncates to 256 characters: the first 244 and " [truncated]"', () => {
    const long = `${'a'.repeat(250)} ${'b'.repeat(50)}`;
    const { rule } = stubRule({ annotation: long });
    const annotation = evaluateBucket(rule, bucket(), ON, context()).annotation;
    expect(annotation).toHaveLength(256);
    expect(annotation).toBe(`${'a'.repeat(244)} [truncated]`);
  });

  it('keeps a 256-character annotation as it is', () => {
    const { rule } = stubRule({ annotation: 'x'.repeat(256) });
    expect(evaluateBucket(rule, bucket(), ON, context()).annotation).toBe('x'.repeat(256));
  });

  it('cuts the rule text, not the exemption note, when both do not fit', () => {
    const { rule } = stubRule({ annotation: `Public read via ACL: ${'grant '.repeat(50)}` });
    const state = bucket(exemptTags({ 'bucketguard:exempt-until': '2026-01-31' }));
    const annotation = evaluateBucket(rule, state, ON, context()).annotation;
    expect(annotation).toHaveLength(256);
    expect(annotation.endsWith(' [truncated] Exemption requested, not approved.')).toBe(true);
    expect(annotation.startsWith('Public read via ACL: grant grant')).toBe(true);
  });

  it('replaces lone surrogates quoted from damaged input, so Config gets well-formed Unicode', () => {
    const { rule } = stubRule({ annotation: 'Could not evaluate: bucket policy unknown (bad \uD83D text).' });
    const state = bucket();
    const list = unknown<readonly ApprovedExemption[]>('bad \uDE00 list');
    expect(evaluateBucket(rule, state, ON, withList(list)).annotation).toBe(
      'Could not evaluate: bucket policy unknown (bad \uFFFD text). Exemptions not applied: the exemption list could not be read (bad \uFFFD list).',
    );
    expect(wellFormed('ok 😀 \uD83D')).toBe('ok 😀 \uFFFD');
  });

  it('never sends an empty NON_COMPLIANT annotation', () => {
    const { rule } = stubRule({ annotation: '  ' });
    expect(evaluateBucket(rule, bucket(), ON, context()).annotation).toBe('Non-compliant (the rule gave no reason).');
  });

  it('a rule that throws becomes NOT_APPLICABLE saying why, not a lost evaluation', () => {
    const { rule } = stubRule(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'status')");
    });
    expect(evaluateBucket(rule, bucket(), ON, context())).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-bucket',
      compliance: 'NOT_APPLICABLE',
      annotation:
        "Could not evaluate: the rule failed (TypeError: Cannot read properties of undefined (reading 'status')).",
    });
  });
});

describe('appendNote / truncateAnnotation', () => {
  it('joins with one space', () => {
    expect(appendNote('Main.', 'Note.')).toBe('Main. Note.');
    expect(appendNote('', 'Note.')).toBe('Note.');
    expect(appendNote('Main.', '')).toBe('Main.');
  });

  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(243)}😀${'b'.repeat(20)}`;
    expect(truncateAnnotation(text)).toBe(`${'a'.repeat(243)} [truncated]`);
  });

  it('falls back to plain truncation when the note alone nearly fills the limit', () => {
    const note = 'n'.repeat(230);
    expect(appendNote('m'.repeat(40), note)).toBe(truncateAnnotation(`${'m'.repeat(40)} ${note}`));
  });
});

describe('evaluateAccount', () => {
  const accountRule = (evaluate: AccountRuleDefinition<unknown>['evaluate']): AccountRuleDefinition<unknown> => ({
    ...versioningRule,
    target: 'account',
    parseParameters: () => ({}),
    evaluate,
  });

  it('returns the rule result, finalised (truncated)', () => {
    const rule = accountRule((accountId) => ({
      resourceType: 'AWS::::Account',
      resourceId: accountId,
      compliance: 'NON_COMPLIANT',
      annotation: 'z'.repeat(300),
    }));
    expect(evaluateAccount(rule, '111122223333', undefined, {}, context())).toEqual({
      resourceType: 'AWS::::Account',
      resourceId: '111122223333',
      compliance: 'NON_COMPLIANT',
      annotation: `${'z'.repeat(244)} [truncated]`,
    });
  });

  it('a rule that throws becomes NOT_APPLICABLE on the account', () => {
    const rule = accountRule(() => {
      throw new Error('boom');
    });
    expect(evaluateAccount(rule, '111122223333', undefined, {}, context())).toEqual({
      resourceType: 'AWS::S3::AccountPublicAccessBlock',
      resourceId: '111122223333',
      compliance: 'NOT_APPLICABLE',
      annotation: 'Could not evaluate: the rule failed (Error: boom).',
    });
  });
});

describe('flagInForce', () => {
  const on = known(ALL_ON);
  const off = known(ALL_OFF);
  it.each([
    ['bucket and account', on, on, 'RestrictPublicBuckets (bucket and account)'],
    ['bucket only', on, off, 'RestrictPublicBuckets (bucket)'],
    ['account only', known(null), on, 'RestrictPublicBuckets (account)'],
    ['neither', off, known(null), undefined],
    ['unknown counts as off', unknown('AccessDenied'), unknown('AccessDenied'), undefined],
  ])('%s', (_name, bucketBpa, accountBpa, expected) => {
    expect(flagInForce('restrictPublicBuckets', bucketBpa, accountBpa)).toBe(expected);
  });

  it('names the flag asked about', () => {
    expect(flagInForce('ignorePublicAcls', known({ ...ALL_OFF, ignorePublicAcls: true }), known(null))).toBe(
      'IgnorePublicAcls (bucket)',
    );
  });
});
