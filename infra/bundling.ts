/**
 * How a Lambda bundle is built, said once: infra/function.ts hands these settings to NodejsFunction and the bench
 * (bench/cold-start.ts) runs esbuild with the same ones, so the cold start it measures is that of what ships.
 * No CDK import here: the bench loads this file without loading aws-cdk-lib.
 */

/** esbuild target matching the Lambda runtime (Node.js 24). */
export const ESBUILD_TARGET = 'node24';

/**
 * The runtime's SDK clients are used (not bundled); small pure SDK utilities such as @aws-sdk/util-arn-parser are
 * bundled, as the runtime does not promise them at our version. Powertools is bundled.
 */
export const BUNDLE_EXTERNALS: readonly string[] = ['@aws-sdk/client-*'];

export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: false,
  target: ESBUILD_TARGET,
  externalModules: BUNDLE_EXTERNALS,
} as const;

/** esbuild's build options for one handler, as NodejsFunction builds it (CommonJS, platform node). */
export function lambdaEsbuildOptions(entry: string, outfile: string, target: string = ESBUILD_TARGET) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    target,
    external: [...BUNDLE_EXTERNALS],
    logLevel: 'warning' as const,
  };
}
