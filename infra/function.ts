/**
 * One way to build every bucketguard Lambda: Node.js 24 on arm64, bundled locally by esbuild (never Docker), its own
 * log group with retention, its own role holding only what it declares, and failed async invocations kept in the
 * dead-letter queue instead of being dropped.
 *
 * Runtime: NODEJS_24_X, fixed. A fixed runtime makes NodejsFunction leave `@aws-sdk/*` out of the bundle (the
 * runtime provides it), which keeps bundles ~25 KiB instead of ~750 KiB and cold starts short; NODEJS_LATEST would
 * bundle the whole SDK (toolchain.md G10). 24 rather than 22: it is the newest Lambda Node.js runtime (so cdk-nag L1
 * passes without a suppression) and the one supported longest.
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from './alarm-table';
import { ESBUILD_TARGET, LAMBDA_BUNDLING } from './bundling';

export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const LAMBDA_ARCHITECTURE = lambda.Architecture.ARM_64;
export { ESBUILD_TARGET } from './bundling';

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

/** Lambda's limit on a function description. */
const MAX_DESCRIPTION = 256;

export interface BucketGuardFunctionProps {
  /** Repository root: holds package-lock.json and the handler sources. */
  readonly projectRoot: string;
  /** Handler source, relative to projectRoot, exporting `handler`. */
  readonly entry: string;
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
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BucketGuardFunctionProps) {
    super(scope, id);

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

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(props.projectRoot, props.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
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
      bundling: {
        // Shared with the bench (infra/bundling.ts), so the cold start it measures is that of what ships.
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: LAMBDA_BUNDLING.sourceMap,
        target: ESBUILD_TARGET,
        format: nodejs.OutputFormat.CJS,
        externalModules: [...LAMBDA_BUNDLING.externalModules],
        forceDockerBundling: false,
      },
    });
  }
}
