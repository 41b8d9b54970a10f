/**
 * Synthesizes the bucketguard stack for tests. Bundling is skipped (`aws:cdk:bundling-stacks: []`): constructing a
 * NodejsFunction otherwise runs esbuild for every function of every test stack. Exactly one test bundles for real
 * (bundling.test.ts). Other suites may use this helper too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { BucketGuard } from '../../infra/bucketguard';
import { DEFAULT_REGISTRY } from '../../infra/default-registry';
import type { BucketGuardProps } from '../../infra/props';
import { BucketGuardStack } from '../../infra/stack';

export const REPO_ROOT = path.join(__dirname, '..', '..');

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

let outRoot: string | undefined;
/** One scratch directory per test worker, removed when it exits (each App would otherwise leave a cdk.out in TMPDIR). */
function testOutRoot(): string {
  if (!outRoot) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bucketguard-cdk-'));
    outRoot = root;
    process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return outRoot;
}

export interface SynthOptions {
  /** BucketGuard props; the real registries unless `registry` is given. */
  readonly props?: Partial<BucketGuardProps>;
  /** Run esbuild for real (slow): only the bundling smoke test does. */
  readonly bundle?: boolean;
  /** Apply the cdk-nag AwsSolutions pack, as the app does. */
  readonly nag?: boolean;
  readonly stackName?: string;
  /** Props that need a scope (imported topics, keys, log groups), made in the test's stack before the guard. */
  readonly beforeProps?: (stack: Stack) => Partial<BucketGuardProps>;
  /** Called with the stack before it is synthesized (to add something a test needs). */
  readonly beforeSynth?: (stack: BucketGuardStack) => void;
}

export interface SynthResult {
  readonly app: App;
  readonly stack: BucketGuardStack;
  readonly guard: BucketGuard;
  readonly template: Template;
  /** The synthesized template as plain JSON. */
  readonly json: {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown }>;
  };
}

export function synthBucketGuard(options: SynthOptions = {}): SynthResult {
  const app = new App({
    // The same feature flags as `cdk synth` (cdk.json), so tests see the template the CLI deploys.
    context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    outdir: fs.mkdtempSync(path.join(testOutRoot(), 'app-')),
  });
  const stack = new BucketGuardStack(app, options.stackName ?? 'BucketGuard', {
    bucketGuard: { registry: DEFAULT_REGISTRY, ...options.props },
    ...(options.beforeProps ? { scopedProps: options.beforeProps } : {}),
  });
  options.beforeSynth?.(stack);
  if (options.nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  const template = Template.fromStack(stack);
  return { app, stack, guard: stack.bucketGuard, template, json: template.toJSON() as SynthResult['json'] };
}

/** cdk-nag findings (errors and warnings) of a stack synthesized with `nag: true`. */
export function nagFindings(stack: BucketGuardStack): { errors: string[]; warnings: string[] } {
  const annotations = Annotations.fromStack(stack);
  const text = (entries: readonly { readonly entry: { readonly data?: unknown } }[]) =>
    entries.map((e) => String(e.entry.data));
  return {
    errors: text(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))),
    warnings: text(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))),
  };
}

/** Logical id of a construct's CloudFormation resource (its default child) in the synthesized stack. */
export function logicalId(result: Pick<SynthResult, 'stack'>, construct: { node: { defaultChild?: unknown } }): string {
  return result.stack.getLogicalId(construct.node.defaultChild as never);
}

/** Resources of one type, keyed by logical id. */
export function resourcesOfType(
  result: SynthResult,
  type: string,
): Record<string, { Properties: Record<string, unknown>; DependsOn?: unknown }> {
  const out: Record<string, { Properties: Record<string, unknown>; DependsOn?: unknown }> = {};
  for (const [id, resource] of Object.entries(result.json.Resources)) {
    if (resource.Type === type) out[id] = { Properties: resource.Properties ?? {}, DependsOn: resource.DependsOn };
  }
  return out;
}
