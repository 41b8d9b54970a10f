/**
 * CDK app entry (cdk.json: `node --import tsx infra/app.ts`). Settings come from context, see infra/context.ts:
 *   npx cdk deploy -c email=security@example.com -c mode=notify -c trail=create
 *   npx cdk deploy --all -c deployment=organization -c organizationId=o-... -c homeRegion=... (infra/organization/)
 * cdk-nag's AwsSolutions pack and bucketguard's own check of its buckets run on every synth; any finding fails it.
 */
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BucketGuardChecks } from './checks';
import { settingsFromContext } from './context';
import { DEFAULT_REGISTRY } from './default-registry';
import { InvalidPermissionError } from './iam';
import { buildOrganization } from './organization/app';
import { organizationSettingsFromContext } from './organization/settings';
import { InvalidBucketGuardPropsError } from './props';
import { BucketGuardStack } from './stack';

const app = new App();
try {
  const read = (key: string): unknown => app.node.tryGetContext(key);
  const deployment = read('deployment') ?? 'account';
  if (deployment !== 'account' && deployment !== 'organization') {
    throw new InvalidBucketGuardPropsError('deployment', deployment, '"account" or "organization"');
  }
  let nag: boolean;
  if (deployment === 'organization') {
    const settings = organizationSettingsFromContext(read);
    buildOrganization(app, settings);
    nag = settings.member.nag;
  } else {
    const { stackName, nag: withNag, trailLogGroupName, homeRegion, ...settings } = settingsFromContext(read);
    new BucketGuardStack(app, stackName, {
      bucketGuard: { ...settings, registry: DEFAULT_REGISTRY },
      ...(trailLogGroupName ? { trailLogGroupName } : {}),
      ...(homeRegion ? { homeRegion } : {}),
    });
    nag = withNag;
  }
  if (nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  // bucketguard's own rules on its own buckets (infra/checks.ts): they must pass.
  Validations.of(app).addPlugins(new BucketGuardChecks());
} catch (error) {
  // A bad setting is the user's to fix: say what and stop, without a stack trace.
  if (error instanceof InvalidBucketGuardPropsError || error instanceof InvalidPermissionError) {
    console.error(`bucketguard: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
app.synth();
