import { type AccountBpaState, type Fact, known, type PublicAccessBlockFlags, unknown } from '../../../model/types';
import { parseRuleParameters } from '../../../rules/parameters';
import { evaluateAccount } from '../../../rules/run-rule';
import { rule } from '../../../rules/s3-account-level-public-access-blocked';
import { ALL_OFF, ALL_ON, accountFixture, context, OWNER_ACCOUNT } from '../builders';

const RULE_ID = 's3-account-level-public-access-blocked';
const defaults = parseRuleParameters(rule, undefined);
const NEVER =
  'Account-level Block Public Access has never been configured: all four settings are off for every bucket in the account.';

describe(`${RULE_ID}: recorded AccountPublicAccessBlock items (change-triggered)`, () => {
  it.each<[string, string | undefined, string, string, string]>([
    [
      'compliant-all-on.json',
      undefined,
      'AWS::S3::AccountPublicAccessBlock',
      'COMPLIANT',
      'Account-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
    ],
    [
      'compliant-all-on.api.json',
      undefined,
      'AWS::S3::AccountPublicAccessBlock',
      'COMPLIANT',
      'Account-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
    ],
    [
      'noncompliant-policy-settings-off.json',
      undefined,
      'AWS::S3::AccountPublicAccessBlock',
      'NON_COMPLIANT',
      'Account-level Block Public Access is off for: BlockPublicPolicy, RestrictPublicBuckets.',
    ],
    [
      'noncompliant-policy-settings-off.json',
      '{"flags":"blockPublicAcls,IgnorePublicAcls"}',
      'AWS::S3::AccountPublicAccessBlock',
      'COMPLIANT',
      'Account-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls.',
    ],
    [
      'noncompliant-deleted.json',
      undefined,
      'AWS::::Account',
      'NON_COMPLIANT',
      'Account-level Block Public Access configuration was deleted: all four settings are off for every bucket in the account.',
    ],
  ])('%s (params %s) -> %s %s', (file, ruleParameters, resourceType, compliance, annotation) => {
    const account = accountFixture(RULE_ID, file);
    const params = parseRuleParameters(rule, ruleParameters);
    // The change trigger: the item is the truth; a different live value in the context does not override it.
    expect(evaluateAccount(rule, account.accountId, account, params, context(known(ALL_OFF)))).toEqual({
      resourceType,
      resourceId: OWNER_ACCOUNT,
      compliance,
      annotation,
    });
  });
});

describe(`${RULE_ID}: periodic runs (no item; the adapter's live read in the context)`, () => {
  it.each<[string, Fact<PublicAccessBlockFlags | null>, string, string]>([
    ['never configured', known(null), 'NON_COMPLIANT', NEVER],
    [
      'all on',
      known(ALL_ON),
      'COMPLIANT',
      'Account-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
    ],
    [
      'one off',
      known({ ...ALL_ON, ignorePublicAcls: false }),
      'NON_COMPLIANT',
      'Account-level Block Public Access is off for: IgnorePublicAcls.',
    ],
    [
      'unreadable: never reported as "never configured"',
      unknown('s3control GetPublicAccessBlock failed: AccessDenied (403)'),
      'NOT_APPLICABLE',
      'Could not evaluate: account-level Block Public Access unknown (s3control GetPublicAccessBlock failed: AccessDenied (403)).',
    ],
  ])('%s -> %s on AWS::::Account', (_label, accountBpa, compliance, annotation) => {
    expect(evaluateAccount(rule, OWNER_ACCOUNT, undefined, defaults, context(accountBpa))).toEqual({
      resourceType: 'AWS::::Account',
      resourceId: OWNER_ACCOUNT,
      compliance,
      annotation,
    });
  });

  it('a live-read state is reported on AWS::::Account, so it replaces an earlier "never configured"', () => {
    const live: AccountBpaState = {
      kind: 'account',
      accountId: OWNER_ACCOUNT,
      source: 'live-s3',
      status: 'OK',
      publicAccessBlock: known(ALL_ON),
    };
    expect(evaluateAccount(rule, OWNER_ACCOUNT, live, defaults, context(known(ALL_ON)))).toMatchObject({
      resourceType: 'AWS::::Account',
      compliance: 'COMPLIANT',
    });
  });
});

describe(`${RULE_ID}: odd items`, () => {
  const item = (overrides: Partial<AccountBpaState>): AccountBpaState => ({
    kind: 'account',
    accountId: OWNER_ACCOUNT,
    source: 'config-invocation',
    status: 'OK',
    publicAccessBlock: known(ALL_ON),
    ...overrides,
  });

  it('an item with known(null) settings is "never configured", on the account', () => {
    expect(evaluateAccount(rule, OWNER_ACCOUNT, item({ publicAccessBlock: known(null) }), defaults, context())).toEqual(
      {
        resourceType: 'AWS::::Account',
        resourceId: OWNER_ACCOUNT,
        compliance: 'NON_COMPLIANT',
        annotation: NEVER,
      },
    );
  });

  it('an item whose settings could not be read -> NOT_APPLICABLE on the item', () => {
    const state = item({ publicAccessBlock: unknown('configurationItem.configuration: missing') });
    expect(evaluateAccount(rule, OWNER_ACCOUNT, state, defaults, context())).toEqual({
      resourceType: 'AWS::S3::AccountPublicAccessBlock',
      resourceId: OWNER_ACCOUNT,
      compliance: 'NOT_APPLICABLE',
      annotation:
        'Could not evaluate: account-level Block Public Access unknown (configurationItem.configuration: missing).',
    });
  });

  it('ResourceNotRecorded -> NOT_APPLICABLE', () => {
    const state = item({ status: 'ResourceNotRecorded', publicAccessBlock: unknown('resource not recorded') });
    expect(evaluateAccount(rule, OWNER_ACCOUNT, state, defaults, context())).toEqual({
      resourceType: 'AWS::S3::AccountPublicAccessBlock',
      resourceId: OWNER_ACCOUNT,
      compliance: 'NOT_APPLICABLE',
      annotation:
        'Could not evaluate: account-level Block Public Access is not recorded by AWS Config (ResourceNotRecorded).',
    });
  });
});

describe(`${RULE_ID}: metadata`, () => {
  it('change-triggered on the account item and periodic; no exemption parameters', () => {
    expect(rule).toMatchObject({
      id: RULE_ID,
      target: 'account',
      resourceTypes: ['AWS::S3::AccountPublicAccessBlock'],
      triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
      permissions: ['s3:GetAccountPublicAccessBlock'],
      needs: { accountBpa: true, ownership: false },
      remediation: 'block-account-public-access',
    });
    expect(Object.keys(rule.parameters)).toEqual(['flags']);
    expect(defaults).toEqual({
      flags: ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'],
    });
  });
});
