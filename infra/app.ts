/**
 * CDK app entry (cdk.json: `node --import tsx infra/app.ts`). Settings come from context, see infra/context.ts:
 *   npx cdk deploy -c email=security@example.com -c mode=notify -c trail=create
 * cdk-nag's AwsSolutions pack and bucketguard's own check of its buckets run on every synth; any finding fails it.
 */
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BucketGuardChecks } from './checks';
import { settingsFromContext } from './context';
import { DEFAULT_REGISTRY } from './default-registry';
import { InvalidPermissionError } from './iam';
import { InvalidBucketGuardPropsError } from './props';
import { BucketGuardStack } from './stack';

const app = new App();
try {
  const { stackName, nag, trailLogGroupName, ...settings } = settingsFromContext((key) => app.node.tryGetContext(key));
  new BucketGuardStack(app, stackName, {
    bucketGuard: { ...settings, registry: DEFAULT_REGISTRY },
    ...(trailLogGroupName ? { trailLogGroupName } : {}),
  });
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
