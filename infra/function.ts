/**
 * One way to build every bucketguard Lambda: Node.js 24 on arm64, its own log group with retention, its own role
 * holding only what it declares, and failed async invocations kept in the dead-letter queue instead of being dropped.
 *
 * Code: the installed package ships every handler pre-bundled (lib/handlers/<name>/index.js, built by
 * scripts/build.ts), loaded with Code.fromAsset, so a consumer needs neither esbuild nor a lock file. Inside the
 * repository (sources, no lib/ next to this file) the same bundle is made on the fly with esbuild and the same
 * settings (infra/bundling.ts), locally (never Docker), and only for stacks CDK bundles (`aws:cdk:bundling-stacks`):
 * so `npm start`, `cdk synth` and the tests never run stale built code and need no build step first.
 *
 * Runtime: NODEJS_24_X, fixed: the runtime provides the v3 SDK clients the bundles leave out (~25 KiB per bundle
 * instead of ~750 KiB). 24 rather than 22: supported longer. aws-cdk-lib 2.278 knows nodejs26.x; bucketguard moves
 * when its bundles are tested there (cdk-nag L1 is accepted with that reason, infra/nag.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, DockerImage, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from './alarm-table';
import { HANDLER_BUNDLE_OPTIONS, HANDLER_FILE, type HandlerBundle, LAMBDA_HANDLER } from './bundling';

export { ESBUILD_TARGET } from './bundling';
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const LAMBDA_ARCHITECTURE = lambda.Architecture.ARM_64;

/**
 * Memory per function (Lambda gives CPU in proportion to memory, one vCPU at 1,769 MB, so init CPU runs at 256/1769
 * of a core at 256 MB). Figures from `npm run bench` (cold start, sweeps):
 *  - rules, 256 MB: a rule's init is node + the Config client (~0.19 s of CPU, so ~1.3 s at 256 MB); the work after
 *    it mostly waits on Config (a sweep: 2 calls of ~50 ms per 100 buckets against ~6 ms of CPU), and waiting costs
 *    in proportion to memory, while CPU-bound init costs the same GB-seconds at any size below 1,769 MB. A
 *    million-bucket sweep peaks at ~140 MB RSS. Config does not wait for the result, so cheapest wins.
 *  - remediation, 512 MB: the fast path from a CloudTrail event to Block Public Access back on; its init loads S3
 *    (~0.24 s of CPU: ~1.7 s at 256 MB, ~0.85 s at 512 MB) for the same init GB-seconds: a public bucket is closed
 *    sooner for almost nothing.
 *  - notify, 256 MB: its init loads no SDK client (SNS comes at the first email) and an email waits on SNS.
 */
export const RULE_MEMORY_MB = 256;
export const REMEDIATION_MEMORY_MB = 512;
export const NOTIFY_MEMORY_MB = 256;

/** Where handler code is looked for: pre-built bundles first, then sources to bundle. */
export interface HandlerRoots {
  /** lib/handlers/, beside the compiled lib/infra/ this module is in when installed. */
  readonly prebuilt: string;
  /** The repository root (the folder above infra/), which the bundles' `entry` paths are relative to. */
  readonly source: string;
}

export const HANDLER_ROOTS: HandlerRoots = {
  prebuilt: path.join(__dirname, '..', 'handlers'),
  source: path.join(__dirname, '..'),
};

export class MissingHandlerBundleError extends Error {
  override readonly name = 'MissingHandlerBundleError';
}

/**
 * The Lambda code of one handler: the pre-built bundle when it exists, else (in the repository) an asset bundled
 * from source by esbuild at synth time.
 */
export function handlerCode(bundle: HandlerBundle, roots: HandlerRoots = HANDLER_ROOTS): lambda.AssetCode {
  const prebuilt = path.join(roots.prebuilt, bundle.name);
  if (fs.existsSync(path.join(prebuilt, HANDLER_FILE))) return lambda.Code.fromAsset(prebuilt);
  const entry = path.join(roots.source, bundle.entry);
  if (!fs.existsSync(entry)) {
    throw new MissingHandlerBundleError(
      `bucketguard: no Lambda bundle "${bundle.name}" (${path.join(prebuilt, HANDLER_FILE)} is missing) and no source ` +
        `${entry} to bundle: reinstall the bucketguard package, or run "npm run build" in a checkout.`,
    );
  }
  return lambda.Code.fromAsset(path.dirname(entry), {
    // The hash of the bundle, not of the source folder; when CDK skips bundling it uses the construct path.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always succeeds or throws (there is no Docker fallback on purpose).
      image: DockerImage.fromRegistry('bucketguard-bundles-locally'),
      // Part of CDK's asset cache key, so two handlers never share a cached bundle.
      command: ['esbuild', bundle.entry],
      local: {
        tryBundle(outputDir: string): boolean {
          // Lazily: esbuild is a devDependency, present in the repository and never needed by the package.
          const esbuild = require('esbuild') as typeof import('esbuild');
          esbuild.buildSync({
            ...HANDLER_BUNDLE_OPTIONS,
            external: [...HANDLER_BUNDLE_OPTIONS.external],
            entryPoints: [entry],
            outfile: path.join(outputDir, HANDLER_FILE),
          });
          return true;
        },
      },
    },
  });
}
/** Lambda's limit on a function description. */
const MAX_DESCRIPTION = 256;

export interface BucketGuardFunctionProps {
  /** Which handler (infra/bundling.ts): its pre-built bundle, or its source in the repository. */
  readonly bundle: HandlerBundle;
  /** Cut to Lambda's 256-character limit. */
  readonly description: string;
  /** POWERTOOLS_SERVICE_NAME: tags every log line and metric. */
  readonly serviceName: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logRetention: logs.RetentionDays;
  readonly deadLetterQueue: sqs.IQueue;
  /** A role created by the caller (when its ARN is needed before the function exists). Default: a new role. */
  readonly role?: iam.Role;
  /** A fixed function name (infra/names.ts), so the tamper filters can recognise calls on it. Default: generated. */
  readonly functionName?: string;
  /** Reserved concurrency. Default: none (the account's unreserved pool). */
  readonly reservedConcurrentExecutions?: number;
  /** Where each successful async invocation's result goes (Lambda destinations). Default: nowhere. */
  readonly onSuccess?: lambda.IDestination;
}

/**
 * Lambda's on-failure destination to the (KMS-encrypted) dead-letter queue, granting exactly what SendMessage to
 * an SSE-KMS queue needs. aws-lambda-destinations' SqsDestination grants kms:Encrypt, kms:ReEncrypt* and
 * kms:GenerateDataKey* as well.
 */
export class DeadLetterDestination implements lambda.IDestination {
  constructor(private readonly queue: sqs.IQueue) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    if (this.queue.encryptionMasterKey) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.queue.encryptionMasterKey.keyArn],
        }),
      );
    }
    return { destination: this.queue.queueArn };
  }
}

export class BucketGuardFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** POWERTOOLS_SERVICE_NAME, e.g. `bucketguard-notify`. */
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: BucketGuardFunctionProps) {
    super(scope, id);
    this.serviceName = props.serviceName;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });

    // Our own role instead of the default one: the default attaches AWSLambdaBasicExecutionRole (logs:* on every
    // log group). This one may write to its own log group only, plus what the caller grants from the registry.
    this.role =
      props.role ??
      new iam.Role(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `bucketguard ${props.serviceName}`,
      });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      code: handlerCode(props.bundle),
      handler: LAMBDA_HANDLER,
      description: props.description.slice(0, MAX_DESCRIPTION),
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      // Async invocations (Config, EventBridge) that still fail after Lambda's own retries land in the DLQ.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new DeadLetterDestination(props.deadLetterQueue),
      ...(props.onSuccess ? { onSuccess: props.onSuccess } : {}),
    });
  }
}
