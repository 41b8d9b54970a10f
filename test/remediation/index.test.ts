import { BUCKET_PART_PERMISSIONS } from '../../aws/live-s3';
import { ACTIONS, findAction, notifyPermissions, remediationPermissions } from '../../remediation';
import { ACTION_IDS } from '../../remediation/actions/action-definition';
import { RULE_ACTIONS } from '../../remediation/response/rule-actions';
import { RULES } from '../../rules';
import { RULE_CATALOG } from '../../rules/catalog';

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
  it('remediation: the enabled actions, plus SNS Publish, the counter update and the re-check; nothing for disabled actions', () => {
    expect(remediationPermissions(['block-public-access'])).toEqual([
      'dynamodb:UpdateItem',
      'iam:PassRole',
      's3:GetBucketPublicAccessBlock',
      's3:GetBucketTagging',
      's3:PutBucketPublicAccessBlock',
      'scheduler:CreateSchedule',
      'sns:Publish',
    ]);
    expect(remediationPermissions([])).toEqual([
      'dynamodb:UpdateItem',
      'iam:PassRole',
      'scheduler:CreateSchedule',
      'sns:Publish',
    ]);
    expect(remediationPermissions([...ACTION_IDS])).not.toContain('s3:PutBucketTagging');
  });

  it('notify: publish only', () => {
    expect(notifyPermissions()).toEqual(['sns:Publish']);
  });
});

describe('RULE_ACTIONS is read from the rules themselves', () => {
  it('maps each rule to the remediation it declares, and every declared remediation is a known action', () => {
    const declared = Object.fromEntries(
      RULES.filter((rule) => rule.remediation).map((rule) => [rule.id, rule.remediation]),
    );
    expect(RULE_ACTIONS).toEqual(declared);
    expect(Object.keys(RULE_ACTIONS)).toEqual([
      's3-bucket-public-access-prohibited',
      's3-bucket-level-public-access-blocked',
      's3-account-level-public-access-blocked',
      's3-bucket-versioning-enabled',
    ]);
    for (const action of Object.values(RULE_ACTIONS)) expect(ACTION_IDS).toContain(action);
  });

  it('the catalog (rules as data) and the registry list the same rules in the same order, with the same metadata', () => {
    expect(RULE_CATALOG.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    RULES.forEach((rule, index) => {
      const { evaluate: _evaluate, ...metadata } = rule;
      expect(metadata).toEqual(RULE_CATALOG[index]);
    });
  });
});
