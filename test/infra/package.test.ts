/**
 * What makes the construct consumable by any app: code from pre-built bundles (no esbuild, no lock file), no
 * dependency on the app's feature flags, its own cdk-nag suppressions for both cdk-nag lines, and the built-in
 * registry by default. (The full round trip, npm pack into a fresh `cdk init` app with cdk-nag 3, is
 * scripts/consumer-test.sh in .ci/run.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BucketGuard } from '../../infra/bucketguard';
import { NOTIFY_HANDLER, ruleHandler } from '../../infra/bundling';
import { BucketGuardChecks } from '../../infra/checks';
import { handlerCode, MissingHandlerBundleError } from '../../infra/function';
import { ACCEPTED } from '../../infra/nag';
import { RULES } from '../../rules';

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bucketguard-package-'));
}

describe('Lambda code', () => {
  it('uses the pre-built bundle folder when it exists (the installed package)', () => {
    const root = scratch();
    fs.mkdirSync(path.join(root, 'handlers', 'notify'), { recursive: true });
    fs.writeFileSync(path.join(root, 'handlers', 'notify', 'index.js'), 'exports.handler = async () => {};');
    const code = handlerCode(NOTIFY_HANDLER, { prebuilt: path.join(root, 'handlers'), source: root });
    expect(code.path).toBe(path.join(root, 'handlers', 'notify'));
  });

  it('otherwise bundles the source (the repository), and without either says what is missing', () => {
    const root = scratch();
    const repo = path.join(__dirname, '..', '..');
    const fromSource = handlerCode(ruleHandler(RULES[0].id), { prebuilt: path.join(root, 'handlers'), source: repo });
    expect(fromSource.path).toBe(path.join(repo, 'rules', RULES[0].id));
    expect(() => handlerCode(NOTIFY_HANDLER, { prebuilt: path.join(root, 'handlers'), source: root })).toThrow(
      MissingHandlerBundleError,
    );
    expect(() => handlerCode(NOTIFY_HANDLER, { prebuilt: path.join(root, 'handlers'), source: root })).toThrow(
      `bucketguard: no Lambda bundle "notify" (${path.join(root, 'handlers', 'notify', 'index.js')} is missing) and no source ${path.join(root, 'remediation/notify/handler.ts')} to bundle: reinstall the bucketguard package, or run "npm run build" in a checkout.`,
    );
  });
});

/** An app with no feature flags at all (an old cdk.json, or none) and no registry prop: what a consumer may have. */
function bareApp(): { app: App; stack: Stack; guard: BucketGuard } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, outdir: scratch() });
  const stack = new Stack(app, 'Consumer');
  const guard = new BucketGuard(stack, 'Guard', { configRecorder: true });
  return { app, stack, guard };
}

describe('the same resources in any app', () => {
  it('without feature flags: ACLs disabled on every bucket, log delivery by bucket policy, no canned ACL', () => {
    const { stack } = bareApp();
    const template = Template.fromStack(stack);
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.Properties.AccessControl).toBeUndefined();
      expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  it("without feature flags: bucketguard's own check passes on its buckets, cdk-nag 2's pack is clean", () => {
    const { app, stack } = bareApp();
    Aspects.of(app).add(new AwsSolutionsChecks());
    Validations.of(app).addPlugins(new BucketGuardChecks());
    expect(() => app.synth()).not.toThrow();
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect([...errors, ...warnings]).toEqual([]);
  });

  it("records each accepted finding as cdk-nag 3 reads it: an acknowledgement on the resource's construct", () => {
    const { guard } = bareApp();
    const acknowledged = (construct: { node: { metadata: { type: string; data?: unknown }[] } }) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledged(guard.deadLetterQueue)).toEqual([
      ['Annotation::AwsSolutions-SQS3', ACCEPTED.deadLetterQueue.reason],
    ]);
    expect(acknowledged(guard.notify.role)).toEqual([
      [
        'Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::*]',
        ACCEPTED.lambdaBucketConfiguration.reason,
      ],
      ['Annotation::AwsSolutions-IAM5[Resource::*]', ACCEPTED.lambdaNoResourceLevel.reason],
    ]);
  });
});
