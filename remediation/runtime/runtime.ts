/**
 * Module-scope wiring for the remediation-side Lambdas: configuration from the environment (validated once),
 * SDK clients, Powertools logger and metrics. Built on first invocation and reused while the container lives.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Outcome } from '../actions/outcome';
import { DynamoDbFlapStore, type FlapStore } from '../flap-store/flap-store';
import { RESPONDER_CLIENT_RETRY } from './client-retry';
import { assertRemediationReady, loadResponseConfig, type ResponseConfig, requireTopicArn } from './config';
import { type LambdaLogger, powertoolsLogger } from './logger';

export const METRICS_NAMESPACE = 'bucketguard';
export const OUTCOME_METRIC = 'RemediationOutcome';

export interface RemediationRuntime {
  readonly config: ResponseConfig;
  readonly topicArn: string;
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly sns: SNSClient;
  readonly flapStore?: FlapStore;
  readonly logger: LambdaLogger;
  readonly recordOutcome: (outcome: Outcome) => void;
}

/** One CloudWatch metric per outcome: RemediationOutcome{Action, Status} = 1 (EMF, no PutMetricData call). */
export function outcomeMetricRecorder(metrics: Metrics): (outcome: Outcome) => void {
  return (outcome) => {
    const single = metrics.singleMetric();
    single.addDimension('Action', outcome.action);
    single.addDimension('Status', outcome.status);
    single.addMetric(OUTCOME_METRIC, MetricUnit.Count, 1);
  };
}

/** Clients are built by `clients` (tests pass region-pinned ones; aws-sdk-client-mock then answers them). */
export interface RuntimeClients {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly sns: SNSClient;
  readonly dynamodb: DynamoDBClient;
}

export function defaultRuntimeClients(): RuntimeClients {
  return {
    s3: new S3Client({ ...RESPONDER_CLIENT_RETRY }),
    s3control: new S3ControlClient({ ...RESPONDER_CLIENT_RETRY }),
    sns: new SNSClient({ ...RESPONDER_CLIENT_RETRY }),
    dynamodb: new DynamoDBClient({ ...RESPONDER_CLIENT_RETRY }),
  };
}

export function createRemediationRuntime(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
  clients: () => RuntimeClients = defaultRuntimeClients,
): RemediationRuntime {
  const config = loadResponseConfig(env);
  assertRemediationReady(config);
  const topicArn = requireTopicArn(config);
  const { s3, s3control, sns, dynamodb } = clients();
  const flapStore =
    config.flapTable !== undefined
      ? new DynamoDbFlapStore(dynamodb, config.flapTable, config.flapLimit, config.flapWindowSeconds)
      : undefined;
  return {
    config,
    topicArn,
    s3,
    s3control,
    sns,
    ...(flapStore ? { flapStore } : {}),
    logger: powertoolsLogger(new Logger({ serviceName })),
    recordOutcome: outcomeMetricRecorder(new Metrics({ namespace: METRICS_NAMESPACE, serviceName })),
  };
}
