/**
 * Module-scope wiring for the remediation-side Lambdas: configuration from the environment (validated once),
 * SDK clients, Powertools logger and metrics. Built on first invocation and reused while the container lives.
 *
 * Each SDK client, and the SDK package behind it, is loaded on the code path that first uses it, not at init: an
 * invocation pays only for the clients it calls (S3 to read a bucket, SNS to mail, S3 Control for an account
 * target, DynamoDB only when a fix is about to be applied in remediate mode). Loading a client package costs about
 * as much as a bare node start, and init CPU is scarce at small Lambda memory sizes.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Outcome } from '../actions/outcome';
import type { FlapCount, FlapStore } from '../flap-store/flap-store';
import { RESPONDER_CLIENT_RETRY } from './client-retry';
import { assertRemediationReady, loadResponseConfig, type ResponseConfig, requireTopicArn } from './config';
import { type LambdaLogger, powertoolsLogger } from './logger';
import { EventBridgeRecheckScheduler, type RecheckScheduler, unqualifiedFunctionArn } from './recheck-scheduler';

export const METRICS_NAMESPACE = 'bucketguard';
export const OUTCOME_METRIC = 'RemediationOutcome';

export interface RemediationRuntime {
  readonly config: ResponseConfig;
  readonly topicArn: string;
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly sns: SNSClient;
  /** Reads the approved exemption list (BUCKETGUARD_EXEMPTIONS_PARAMETER). */
  readonly ssm?: SSMClient;
  readonly flapStore?: FlapStore;
  /** The re-check after a stop (BUCKETGUARD_RECHECK_GROUP and _ROLE_ARN set); the function ARN comes from the context. */
  readonly recheck?: RecheckScheduler;
  /** Tells the re-check scheduler the function's own ARN (Lambda context invokedFunctionArn). */
  readonly setFunctionArn: (arn: string) => void;
  readonly logger: LambdaLogger;
  readonly recordOutcome: (outcome: Outcome) => void;
}

/** Tampering{Action, Kind}: a read denied to bucketguard (`read-denied`), a fix undone while it ran (`contested`). */
export const TAMPERING_METRIC = 'Tampering';
/** RemediationStopped{Action}: the anti-flapping limit stopped a fix (high severity). */
export const STOPPED_METRIC = 'RemediationStopped';
/** FlapBrakeUnavailable{Action}: the counter table could not be updated; the fix was applied anyway. */
export const BRAKE_METRIC = 'FlapBrakeUnavailable';

/**
 * One CloudWatch metric per outcome, RemediationOutcome{Action, Status} = 1, and one per high-severity sign
 * (Tampering, RemediationStopped, FlapBrakeUnavailable) to alarm on. EMF log lines, no PutMetricData call.
 */
export function outcomeMetricRecorder(metrics: Metrics): (outcome: Outcome) => void {
  const emit = (name: string, dimensions: Readonly<Record<string, string>>): void => {
    const single = metrics.singleMetric();
    for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
    single.addMetric(name, MetricUnit.Count, 1);
  };
  return (outcome) => {
    const action = outcome.action;
    emit(OUTCOME_METRIC, { Action: action, Status: outcome.status });
    if (outcome.tampering) emit(TAMPERING_METRIC, { Action: action, Kind: 'read-denied' });
    if (outcome.contested) emit(TAMPERING_METRIC, { Action: action, Kind: 'contested' });
    if (outcome.flapping) emit(STOPPED_METRIC, { Action: action });
    if (outcome.brakeUnavailable) emit(BRAKE_METRIC, { Action: action });
  };
}

/** Clients are built by `clients` (tests pass region-pinned ones; aws-sdk-client-mock then answers them). */
export interface RuntimeClients {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly sns: SNSClient;
  readonly dynamodb: DynamoDBClient;
  readonly ssm?: SSMClient;
  /** Optional for callers that never stop a fix; the default client is built when one is needed and none is given. */
  readonly scheduler?: SchedulerClient;
}

/** A value built on first use and kept. */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

/**
 * The default clients, each built (and its SDK package required) when first read. `require` rather than a static
 * import, so the bundle's init does not load the package; the types still come from the package.
 */
export function defaultRuntimeClients(): RuntimeClients {
  const s3 = once(() => {
    const sdk = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
    return new sdk.S3Client({ ...RESPONDER_CLIENT_RETRY });
  });
  const s3control = once(() => {
    const sdk = require('@aws-sdk/client-s3-control') as typeof import('@aws-sdk/client-s3-control');
    return new sdk.S3ControlClient({ ...RESPONDER_CLIENT_RETRY });
  });
  const sns = once(() => {
    const sdk = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
    return new sdk.SNSClient({ ...RESPONDER_CLIENT_RETRY });
  });
  const dynamodb = once(() => {
    const sdk = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
    return new sdk.DynamoDBClient({ ...RESPONDER_CLIENT_RETRY });
  });
  const ssm = once(() => {
    const sdk = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
    return new sdk.SSMClient({ ...RESPONDER_CLIENT_RETRY });
  });
  const scheduler = once(() => {
    const sdk = require('@aws-sdk/client-scheduler') as typeof import('@aws-sdk/client-scheduler');
    return new sdk.SchedulerClient({ ...RESPONDER_CLIENT_RETRY });
  });
  return {
    get s3() {
      return s3();
    },
    get ssm() {
      return ssm();
    },
    get s3control() {
      return s3control();
    },
    get sns() {
      return sns();
    },
    get dynamodb() {
      return dynamodb();
    },
    get scheduler() {
      return scheduler();
    },
  };
}

/**
 * The DynamoDB flap store, its module (which imports the DynamoDB client package) and client loaded at the first
 * count: a notify-mode invocation never counts, so it never loads them.
 */
class LazyFlapStore implements FlapStore {
  private readonly store: () => FlapStore;

  constructor(
    clients: RuntimeClients,
    tableName: string,
    readonly limit: number,
    readonly windowSeconds: number,
  ) {
    this.store = once(() => {
      const module = require('../flap-store/flap-store') as typeof import('../flap-store/flap-store');
      return new module.DynamoDbFlapStore(clients.dynamodb, tableName, limit, windowSeconds);
    });
  }

  recordAttempt(key: string, now: Date): Promise<FlapCount> {
    return this.store().recordAttempt(key, now);
  }
}

export function createRemediationRuntime(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
  clients: () => RuntimeClients = defaultRuntimeClients,
): RemediationRuntime {
  const config = loadResponseConfig(env);
  assertRemediationReady(config);
  const topicArn = requireTopicArn(config);
  // Not destructured: reading a client builds it (defaultRuntimeClients), so each is read where it is used.
  const built = once(clients);
  const fallbackScheduler = once(() => defaultRuntimeClients().scheduler as SchedulerClient);
  const lazyClients: RuntimeClients = {
    get s3() {
      return built().s3;
    },
    get s3control() {
      return built().s3control;
    },
    get sns() {
      return built().sns;
    },
    get dynamodb() {
      return built().dynamodb;
    },
    get ssm() {
      return built().ssm;
    },
    get scheduler() {
      return built().scheduler ?? fallbackScheduler();
    },
  };
  let functionArn: string | undefined;
  const recheck =
    config.recheckGroup !== undefined && config.recheckRoleArn !== undefined
      ? new EventBridgeRecheckScheduler(() => lazyClients.scheduler as SchedulerClient, {
          group: config.recheckGroup,
          roleArn: config.recheckRoleArn,
          functionArn: () => functionArn,
        })
      : undefined;
  const flapStore =
    config.flapTable !== undefined
      ? new LazyFlapStore(lazyClients, config.flapTable, config.flapLimit, config.flapWindowSeconds)
      : undefined;
  return {
    config,
    topicArn,
    get s3() {
      return lazyClients.s3;
    },
    get s3control() {
      return lazyClients.s3control;
    },
    get sns() {
      return lazyClients.sns;
    },
    get ssm() {
      return lazyClients.ssm;
    },
    ...(flapStore ? { flapStore } : {}),
    ...(recheck ? { recheck } : {}),
    setFunctionArn: (arn) => {
      functionArn = unqualifiedFunctionArn(arn);
    },
    logger: powertoolsLogger(new Logger({ serviceName })),
    recordOutcome: outcomeMetricRecorder(new Metrics({ namespace: METRICS_NAMESPACE, serviceName })),
  };
}
