import { BASE_PERMISSIONS, rulePermissions } from '../../../rules/config-protocol/permissions';
import { echoBucketRule } from './adapter-support';

describe('permissions', () => {
  it('BASE_PERMISSIONS are the Config calls every rule makes', () => {
    expect(BASE_PERMISSIONS).toEqual([
      'config:BatchGetResourceConfig',
      'config:GetResourceConfigHistory',
      'config:ListDiscoveredResources',
      'config:PutEvaluations',
      'config:SelectResourceConfig',
    ]);
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
    expect(
      rulePermissions(echoBucketRule({ needs: { accountBpa: false, ownership: false }, permissions: [] })),
    ).toEqual([...BASE_PERMISSIONS]);
  });
});
