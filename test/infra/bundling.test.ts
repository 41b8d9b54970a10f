/**
 * The one bundled synth (every other test skips esbuild): each Lambda bundles locally with esbuild (no Docker), as
 * minified CommonJS exporting `handler`, with the AWS SDK left to the Node.js 24 runtime and Powertools inside.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resourcesOfType, synthBucketGuard } from './helpers';

it('bundles every function locally, SDK external, Powertools included, small', () => {
  const result = synthBucketGuard({ bundle: true });
  const functions = Object.entries(resourcesOfType(result, 'AWS::Lambda::Function'));
  expect(functions).toHaveLength(result.guard.rules.length + 2);
  const report = functions.map(([id, fn]) => {
    const key = (fn.Properties.Code as { S3Key: string }).S3Key;
    const bundle = fs.readFileSync(
      path.join(result.app.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.js'),
      'utf8',
    );
    return {
      id,
      exportsHandler: /0&&\(module\.exports=\{[^}]*\bhandler\b/.test(bundle),
      requiresSdkAtRuntime: /require\("@aws-sdk\/client-[a-z0-9-]+"\)/.test(bundle),
      requiresPowertoolsAtRuntime: bundle.includes('require("@aws-lambda-powertools/'),
      // Only the clients come from the runtime; its other @aws-sdk packages are not promised at our versions.
      requiresOnlySdkClients: [...bundle.matchAll(/require\("(@aws-sdk\/[a-z0-9-]+)/g)].every(([, name]) =>
        name.startsWith('@aws-sdk/client-'),
      ),
      // Bundling the SDK would be ~750 KiB per function.
      under200KiB: bundle.length < 200 * 1024,
    };
  });
  for (const entry of report) {
    expect(entry).toEqual({
      id: entry.id,
      exportsHandler: true,
      requiresSdkAtRuntime: true,
      requiresPowertoolsAtRuntime: false,
      requiresOnlySdkClients: true,
      under200KiB: true,
    });
  }
});

it('the response Lambdas carry no rule evaluation code (they read the rules as data, rules/catalog.ts)', () => {
  const result = synthBucketGuard({ bundle: true });
  const bundles = Object.values(resourcesOfType(result, 'AWS::Lambda::Function')).map((fn) => {
    const key = (fn.Properties.Code as { S3Key: string }).S3Key;
    return fs.readFileSync(path.join(result.app.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.js'), 'utf8');
  });
  const evaluationText = ['Not public: no public policy statement or ACL grant.', 'Versioning has never been enabled'];
  const responders = bundles.filter(
    (bundle) => bundle.includes('RemediationOutcome') || bundle.includes('bucketguard-notify'),
  );
  expect(responders).toHaveLength(2);
  for (const bundle of responders) for (const text of evaluationText) expect(bundle).not.toContain(text);
  // ...while the rule bundles do carry it (the strings above are real).
  expect(bundles.some((bundle) => bundle.includes(evaluationText[0]))).toBe(true);
});
