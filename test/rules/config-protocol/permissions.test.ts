import { RULES } from '../../../rules';
import {
  BASE_PERMISSIONS,
  rulePermissions,
  ruleSweeps,
  SWEEP_PERMISSIONS,
} from '../../../rules/config-protocol/permissions';
import { echoBucketRule } from './adapter-support';

describe('permissions', () => {
  it('BASE_PERMISSIONS are the Config calls every rule makes', () => {
    expect(BASE_PERMISSIONS).toEqual(['config:PutEvaluations']);
  });

  it('rulePermissions adds what the rule needs and declares, sorted and unique', () => {
    expect(rulePermissions(echoBucketRule())).toEqual([
      'config:BatchGetResourceConfig',
      'config:GetResourceConfigHistory',
      'config:ListDiscoveredResources',
      'config:PutEvaluations',
      'config:SelectResourceConfig',
      'kms:Decrypt',
      's3:GetAccountPublicAccessBlock',
      's3:GetBucketOwnershipControls',
    ]);
  });

  it('a change-triggered bucket rule that never sweeps gets no sweep calls', () => {
    const rule = echoBucketRule({
      resourceTypes: ['AWS::S3::Bucket'],
      triggers: { configurationChanges: true },
      needs: { accountBpa: false, ownership: false },
      permissions: [],
    });
    expect(ruleSweeps(rule)).toBe(false);
    expect(rulePermissions(rule)).toEqual(['config:GetResourceConfigHistory', 'config:PutEvaluations']);
  });

  it('the account-level Block Public Access fallback read alone brings BatchGetResourceConfig, not the list calls', () => {
    const rule = echoBucketRule({
      resourceTypes: ['AWS::S3::Bucket'],
      triggers: { configurationChanges: true },
      needs: { accountBpa: true, ownership: false },
      permissions: [],
    });
    expect(rulePermissions(rule)).toEqual([
      'config:BatchGetResourceConfig',
      'config:GetResourceConfigHistory',
      'config:PutEvaluations',
      's3:GetAccountPublicAccessBlock',
    ]);
  });

  it('a bucket rule sweeps when periodic, or when the account-level item is in its scope', () => {
    expect(
      ruleSweeps({
        resourceTypes: ['AWS::S3::Bucket'],
        triggers: { configurationChanges: false, periodic: 'One_Hour' },
      }),
    ).toBe(true);
    expect(
      ruleSweeps({
        resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::AccountPublicAccessBlock'],
        triggers: { configurationChanges: true },
      }),
    ).toBe(true);
    // The account rule is periodic but evaluates the account, never the buckets.
    expect(
      ruleSweeps({
        resourceTypes: ['AWS::S3::AccountPublicAccessBlock'],
        triggers: { configurationChanges: true, periodic: 'TwentyFour_Hours' },
      }),
    ).toBe(false);
  });

  it('of the built-in rules the (periodic) bucket rules hold the sweep calls, the account rule none of the list calls', () => {
    const sweeping = RULES.filter((rule) => SWEEP_PERMISSIONS.every((a) => rulePermissions(rule).includes(a)));
    expect(sweeping.map((r) => r.id).sort()).toEqual(
      RULES.filter((r) => r.target === 'bucket')
        .map((r) => r.id)
        .sort(),
    );
    const account = RULES.find((r) => r.target === 'account')!;
    expect(rulePermissions(account)).toEqual([
      'config:BatchGetResourceConfig',
      'config:GetResourceConfigHistory',
      'config:PutEvaluations',
      's3:GetAccountPublicAccessBlock',
    ]);
    for (const rule of RULES) {
      expect(rulePermissions(rule).includes('config:ListDiscoveredResources')).toBe(ruleSweeps(rule));
      expect(rulePermissions(rule).includes('config:SelectResourceConfig')).toBe(ruleSweeps(rule));
    }
  });
});
