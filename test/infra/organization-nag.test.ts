/**
 * cdk-nag AwsSolutions and bucketguard's own bucket checks are clean on every template of the organization
 * deployment: the security stack, each asset-bucket stack, and each member (StackSet) template.
 */
import { synthOrganization } from './organization-helpers';

describe('organization deployment under cdk-nag', () => {
  it('no error or warning on any construct of any stack, member templates included', () => {
    const org = synthOrganization({ ouModes: 'ou-ab12-22222222=remediate', memberEmail: 'team@example.com' }, true);
    expect(org.deployment.security.members).toHaveLength(2);
    expect(org.findings).toEqual([]);
  });
});
