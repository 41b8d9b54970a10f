/**
 * `-c deployment=organization`: one asset-bucket stack per target Region, then the security stack in the home
 * Region holding the member StackSets. `npx cdk deploy --all -c deployment=organization ...` deploys it all;
 * see README "Deploy to an organization" and infra/organization/settings.ts for the settings.
 */
import type { App } from 'aws-cdk-lib';
import { AssetBucketStack } from './assets';
import { SecurityStack } from './security';
import type { OrganizationSettings } from './settings';
import { OrganizationSynthesizer } from './synthesizers';

export interface OrganizationDeployment {
  readonly assets: readonly AssetBucketStack[];
  readonly security: SecurityStack;
}

export function securityStackName(settings: OrganizationSettings): string {
  return `${settings.member.stackName}-Security`;
}

export function assetStackName(settings: OrganizationSettings, region: string): string {
  return `${settings.member.stackName}-Assets-${region}`;
}

export function buildOrganization(app: App, settings: OrganizationSettings): OrganizationDeployment {
  const assets = settings.regions.map(
    (region) =>
      new AssetBucketStack(app, assetStackName(settings, region), {
        organizationId: settings.organizationId,
        assetBucketPrefix: settings.assetBucketPrefix,
        region,
      }),
  );
  const security = new SecurityStack(app, securityStackName(settings), {
    settings,
    env: { region: settings.homeRegion },
    synthesizer: new OrganizationSynthesizer(settings.assetBucketPrefix, settings.homeRegion),
  });
  // The buckets must exist before cdk deploy publishes the security stack's assets into them.
  for (const stack of assets) security.addStackDependency(stack);
  return { assets, security };
}
