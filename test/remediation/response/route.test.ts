import type { ActionId } from '../../../remediation/actions/action-definition';
import { complianceTransition, type RoutingConfig, routeFinding, ruleIdOf } from '../../../remediation/response/route';
import { RULE_ACTIONS } from '../../../remediation/response/rule-actions';
import type { ComplianceChangeFinding } from '../../../remediation/triggers/finding';
import { findingOf } from '../helpers';

function config(enabledActions: readonly ActionId[], extra: Partial<RoutingConfig> = {}): RoutingConfig {
  return {
    enabledActions,
    rulePrefix: 'bucketguard-',
    alarmPrefix: 'bucketguard-',
    ruleActions: RULE_ACTIONS,
    ...extra,
  };
}
const DEFAULT = config(['block-public-access', 'block-account-public-access']);
const ALL = config(['block-public-access', 'block-account-public-access', 'enable-versioning']);
const NONE = config([]);

describe('routeFinding over the recorded events', () => {
  it.each([
    // compliance changes
    ['eventbridge/compliance-public-read-noncompliant.json', DEFAULT, ['block-public-access'], 'remediation'],
    ['eventbridge/compliance-first-evaluation-noncompliant.json', DEFAULT, ['block-public-access'], 'remediation'],
    ['eventbridge/compliance-conformance-pack-suffix.json', DEFAULT, ['block-public-access'], 'remediation'],
    ['eventbridge/compliance-account-bpa-noncompliant.json', DEFAULT, ['block-account-public-access'], 'remediation'],
    ['eventbridge/compliance-sns-delivery.json', DEFAULT, ['block-public-access'], 'remediation'],
    ['eventbridge/compliance-versioning-suspended-noncompliant.json', DEFAULT, [], 'notify'],
    ['eventbridge/compliance-versioning-suspended-noncompliant.json', ALL, ['enable-versioning'], 'remediation'],
    ['eventbridge/compliance-public-read-noncompliant.json', NONE, [], 'notify'],
    ['eventbridge/compliance-acl-prohibited-noncompliant.json', ALL, [], 'notify'],
    ['eventbridge/compliance-resolved.json', ALL, [], 'notify'],
    ['eventbridge/compliance-still-noncompliant.json', ALL, [], 'none'],
    ['eventbridge/compliance-other-rule.json', ALL, [], 'none'],
    // CloudTrail
    ['cloudtrail/put-bucket-public-access-block-all-off.json', DEFAULT, ['block-public-access'], 'remediation'],
    ['cloudtrail/put-bucket-public-access-block-all-on.json', ALL, [], 'none'],
    ['cloudtrail/delete-bucket-public-access-block.json', DEFAULT, ['block-public-access'], 'remediation'],
    ['cloudtrail/put-account-public-access-block-off.json', DEFAULT, ['block-account-public-access'], 'remediation'],
    [
      'cloudtrail/put-account-public-access-block-legacy-empty.json',
      DEFAULT,
      ['block-account-public-access'],
      'remediation',
    ],
    ['cloudtrail/put-bucket-policy-public.json', DEFAULT, ['block-public-access'], 'remediation'],
    ['cloudtrail/put-bucket-policy-access-denied.json', ALL, [], 'notify'],
    ['cloudtrail/delete-bucket-policy.json', ALL, [], 'notify'],
    ['cloudtrail/put-bucket-acl-canned-public-read.json', NONE, [], 'notify'],
    ['cloudtrail/put-bucket-versioning-suspended.json', DEFAULT, [], 'notify'],
    ['cloudtrail/put-bucket-versioning-suspended.json', ALL, ['enable-versioning'], 'remediation'],
    ['cloudtrail/put-bucket-versioning-enabled.json', ALL, [], 'none'],
    ['cloudtrail/delete-bucket-ownership-controls.json', DEFAULT, ['block-public-access'], 'remediation'],
    ['cloudtrail/create-bucket.json', ALL, ['block-public-access', 'enable-versioning'], 'remediation'],
    ['cloudtrail/create-bucket.json', DEFAULT, ['block-public-access'], 'remediation'],
    ['cloudtrail/delete-bucket.json', ALL, [], 'notify'],
    // alarms
    ['alarms/eventbridge-policy-changed-alarm.json', ALL, [], 'notify'],
    ['alarms/eventbridge-policy-changed-ok.json', ALL, [], 'notify'],
    ['alarms/eventbridge-insufficient-to-ok.json', ALL, [], 'none'],
    ['alarms/eventbridge-other-alarm.json', ALL, [], 'none'],
    ['alarms/lambda-action-public-access-block-changed.json', ALL, [], 'notify'],
    ['alarms/sns-account-public-access-block-changed.json', ALL, [], 'notify'],
  ] as const)('%s (%j) -> actions %j, email by %s', (file, routing, actions, emailBy) => {
    const route = routeFinding(findingOf(file), routing);
    expect(route.actions).toEqual(actions);
    expect(route.emailBy).toBe(emailBy);
  });

  it('names the disabled actions that would have applied', () => {
    expect(routeFinding(findingOf('cloudtrail/create-bucket.json'), DEFAULT).disabled).toEqual(['enable-versioning']);
    expect(routeFinding(findingOf('eventbridge/compliance-versioning-suspended-noncompliant.json'), DEFAULT)).toEqual({
      actions: [],
      disabled: ['enable-versioning'],
      emailBy: 'notify',
      reason: 'became NON_COMPLIANT; no enabled action applies',
    });
  });

  it("does not mail bucketguard's own changes a second time", () => {
    const finding = findingOf('cloudtrail/put-bucket-public-access-block-by-bucketguard.json');
    expect(routeFinding(finding, DEFAULT).emailBy).toBe('remediation');
    expect(
      routeFinding(
        finding,
        config(['block-public-access'], {
          remediationRoleArn: 'arn:aws:iam::111122223333:role/bucketguard-RemediationRole-EXAMPLE',
        }),
      ),
    ).toEqual({ actions: [], disabled: [], emailBy: 'none', reason: 'bucketguard remediation made this change' });
  });

  it('honours a custom rule and alarm prefix', () => {
    const custom = config(['block-public-access'], { rulePrefix: 'acme-', alarmPrefix: 'acme-' });
    expect(routeFinding(findingOf('eventbridge/compliance-public-read-noncompliant.json'), custom).emailBy).toBe(
      'none',
    );
    expect(routeFinding(findingOf('alarms/eventbridge-policy-changed-alarm.json'), custom).emailBy).toBe('none');
  });
});

describe('complianceTransition', () => {
  const of = (oldCompliance: string | undefined, newCompliance: string) =>
    complianceTransition({ newCompliance, ...(oldCompliance ? { oldCompliance } : {}) } as ComplianceChangeFinding);
  it.each([
    [undefined, 'NON_COMPLIANT', 'non-compliant'],
    ['COMPLIANT', 'NON_COMPLIANT', 'non-compliant'],
    ['NOT_APPLICABLE', 'NON_COMPLIANT', 'non-compliant'],
    ['NON_COMPLIANT', 'NON_COMPLIANT', 'still-non-compliant'],
    ['NON_COMPLIANT', 'COMPLIANT', 'resolved'],
    ['NON_COMPLIANT', 'NOT_APPLICABLE', 'resolved'],
    [undefined, 'COMPLIANT', 'other'],
    ['COMPLIANT', 'INSUFFICIENT_DATA', 'other'],
  ])('%s -> %s is %s', (oldCompliance, newCompliance, transition) => {
    expect(of(oldCompliance, newCompliance)).toBe(transition);
  });
});

describe('ruleIdOf', () => {
  const ids = Object.keys(RULE_ACTIONS);
  it.each([
    ['bucketguard-s3-bucket-versioning-enabled', 's3-bucket-versioning-enabled'],
    ['bucketguard-s3-bucket-public-access-prohibited-conformance-pack-6cruwvtg2', 's3-bucket-public-access-prohibited'],
    ['bucketguard-s3-bucket-level-public-access-blocked', 's3-bucket-level-public-access-blocked'],
    ['bucketguard-s3-bucket-versioning-enabledx', undefined],
    ['other-s3-bucket-versioning-enabled', undefined],
  ])('%s -> %s', (name, id) => {
    expect(ruleIdOf(name, 'bucketguard-', ids)).toBe(id);
  });

  it('prefers the longest id when one id is a prefix of another', () => {
    expect(ruleIdOf('p-a-b-c', 'p-', ['a', 'a-b'])).toBe('a-b');
  });
});
