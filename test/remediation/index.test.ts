import { BUCKET_PART_PERMISSIONS } from '../../aws/live-s3';
import { ACTIONS, findAction, notifyPermissions, remediationPermissions } from '../../remediation';
import { ACTION_IDS } from '../../remediation/actions/action-definition';
import { RULE_ACTIONS, RULES_WITHOUT_ACTION } from '../../remediation/response/rule-actions';
import { RULES } from '../../rules';

describe('ACTIONS', () => {
  it('declares every action id once', () => {
    expect(ACTIONS.map((action) => action.id)).toEqual([...ACTION_IDS]);
  });

  it.each([
    ['block-public-access', ['s3:GetBucketPublicAccessBlock', 's3:GetBucketTagging', 's3:PutBucketPublicAccessBlock']],
    ['block-account-public-access', ['s3:GetAccountPublicAccessBlock', 's3:PutAccountPublicAccessBlock']],
    ['enable-versioning', ['s3:GetBucketTagging', 's3:GetBucketVersioning', 's3:PutBucketVersioning']],
  ] as const)('%s needs exactly %j', (id, permissions) => {
    expect([...findAction(id).permissions].sort()).toEqual([...permissions].sort());
  });

  it('grants the live reads the engine makes for bucket actions (same IAM names as aws/live-s3)', () => {
    expect(findAction('block-public-access').permissions).toEqual(
      expect.arrayContaining([BUCKET_PART_PERMISSIONS.publicAccessBlock, BUCKET_PART_PERMISSIONS.tags]),
    );
    expect(findAction('enable-versioning').permissions).toEqual(
      expect.arrayContaining([BUCKET_PART_PERMISSIONS.versioning, BUCKET_PART_PERMISSIONS.tags]),
    );
  });

  it('only enable-versioning is opt-in', () => {
    expect(ACTIONS.filter((action) => action.optIn).map((action) => action.id)).toEqual(['enable-versioning']);
  });
});

describe('permissions of the responders', () => {
  it('remediation: the enabled actions, plus SNS Publish and the counter update; nothing for disabled actions', () => {
    expect(remediationPermissions(['block-public-access'])).toEqual([
      'dynamodb:UpdateItem',
      's3:GetBucketPublicAccessBlock',
      's3:GetBucketTagging',
      's3:PutBucketPublicAccessBlock',
      'sns:Publish',
    ]);
    expect(remediationPermissions([])).toEqual(['dynamodb:UpdateItem', 'sns:Publish']);
    expect(remediationPermissions([...ACTION_IDS])).not.toContain('s3:PutBucketTagging');
  });

  it('notify: publish only', () => {
    expect(notifyPermissions()).toEqual(['sns:Publish']);
  });
});

describe('RULE_ACTIONS mirrors the rules registry', () => {
  it('maps each rule to the remediation it declares', () => {
    const declared = Object.fromEntries(
      RULES.filter((rule) => rule.remediation).map((rule) => [rule.id, rule.remediation]),
    );
    expect(RULE_ACTIONS).toEqual(declared);
    expect(
      RULES.filter((rule) => !rule.remediation)
        .map((rule) => rule.id)
        .sort(),
    ).toEqual([...RULES_WITHOUT_ACTION].sort());
  });
});
