/**
 * How every bucketguard Lambda handler is bundled: ONE definition, imported by the package build
 * (scripts/build.ts, which pre-bundles into lib/handlers/<name>/index.js), by the construct when it bundles on the
 * fly inside the repository (infra/function.ts), and by anything that measures the shipped bundles (cold starts).
 *
 * Minified CommonJS for Node.js 24, `@aws-sdk/client-*` left to the Lambda runtime (which provides the v3 clients):
 * ~25 KiB per bundle instead of ~750 KiB with the SDK inside. Small pure SDK utilities such as
 * @aws-sdk/util-arn-parser are bundled, as the runtime does not promise them at our version. Powertools is bundled.
 * No esbuild types here: the package's .d.ts must not need esbuild, a devDependency.
 */

/** esbuild target matching the Lambda runtime (NODEJS_24_X in infra/function.ts). */
export const ESBUILD_TARGET = 'node24';

/** The esbuild build options of every handler bundle (entryPoints and outfile are added per handler). */
export const HANDLER_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: ESBUILD_TARGET,
  minify: true,
  sourcemap: false,
  external: ['@aws-sdk/client-*'],
  logLevel: 'warning',
} as const;

/** The bundle's file inside its folder; the Lambda handler setting is `index.handler`. */
export const HANDLER_FILE = 'index.js';
export const LAMBDA_HANDLER = 'index.handler';

/** One Lambda handler: its bundle folder name (lib/handlers/<name>/) and its source, relative to the package root. */
export interface HandlerBundle {
  readonly name: string;
  readonly entry: string;
}

export const NOTIFY_HANDLER: HandlerBundle = { name: 'notify', entry: 'remediation/notify/handler.ts' };
export const REMEDIATION_HANDLER: HandlerBundle = { name: 'remediation', entry: 'remediation/handler.ts' };

/** A rule's handler: the folder is `rule-<rule id>`, the source `rules/<rule id>/handler.ts`. */
export function ruleHandler(ruleId: string): HandlerBundle {
  return { name: `rule-${ruleId}`, entry: `rules/${ruleId}/handler.ts` };
}

/** Every handler bundle of the given rules plus the two responders, in a stable order. */
export function handlerBundles(ruleIds: readonly string[]): HandlerBundle[] {
  return [...ruleIds.map(ruleHandler), NOTIFY_HANDLER, REMEDIATION_HANDLER];
}

/** The build options of one handler bundle, as the build writes it (the bench builds with these to measure it). */
export function lambdaEsbuildOptions(entry: string, outfile: string, target: string = ESBUILD_TARGET) {
  return {
    ...HANDLER_BUNDLE_OPTIONS,
    external: [...HANDLER_BUNDLE_OPTIONS.external],
    entryPoints: [entry],
    outfile,
    target,
  };
}
