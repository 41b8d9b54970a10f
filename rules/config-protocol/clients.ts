import { ConfigServiceClient, type ConfigServiceClientConfig } from '@aws-sdk/client-config-service';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SSMClient } from '@aws-sdk/client-ssm';

/** The AWS clients a rule Lambda uses; injected so tests and the offline CLI can answer the calls themselves. */
export interface RuleClients {
  readonly config: ConfigServiceClient;
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  /** Reads the approved exemption list; absent (a caller without SSM): a configured list counts as unreadable. */
  readonly ssm?: SSMClient;
}

/**
 * The only retry layer for throttling, 5xx and timeouts of the rule Lambda's calls is the SDK's (bucketguard's own
 * loops re-send only what a successful answer says was not done: FailedEvaluations, unprocessed keys).
 * Adaptive: a sweep makes hundreds of Config calls and thousands of S3 reads from one client, and the client-side
 * rate limiter slows them all after a throttle instead of every call discovering it on its own.
 * 5 attempts: throttling backoff is up to 1 + 2 + 4 + 8 s (plus retry-after, which the SDK honours up to 5 s past
 * its own backoff), enough to ride out a burst, and still short enough that a change-triggered rule (1 minute
 * timeout) fails with the list of undelivered evaluations rather than timing out, so Lambda and Config retry it.
 */
export const RULE_CLIENT_RETRY = { maxAttempts: 5, retryMode: 'adaptive' } as const;

/**
 * A hung Config connection becomes a TimeoutError the SDK retries, instead of a call that waits out the Lambda
 * timeout (the SDK's default handler only warns when a request runs long).
 */
const CONFIG_REQUEST_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true };

/** The Config client's settings; tests build a client from them with their own request handler. */
export function configClientConfig(): ConfigServiceClientConfig {
  return { ...RULE_CLIENT_RETRY, requestHandler: CONFIG_REQUEST_TIMEOUTS };
}

let defaultClients: RuleClients | undefined;

/**
 * One set of clients per Lambda container, each built on first use (not at import) and reused by every later
 * invocation; tests and the CLI inject their own and never construct these. Region and credentials come from the
 * Lambda environment (AWS_REGION, the execution role). Every invocation delivers evaluations, so the Config client
 * is imported; the S3, S3 Control and SSM packages are required when a rule first reads live (Object Ownership missing
 * from the item, account-level BPA): most change events never load them.
 */
export function defaultRuleClients(): RuleClients {
  if (defaultClients) return defaultClients;
  let config: ConfigServiceClient | undefined;
  let s3: S3Client | undefined;
  let s3control: S3ControlClient | undefined;
  let ssm: SSMClient | undefined;
  defaultClients = {
    get config() {
      config ??= new ConfigServiceClient(configClientConfig());
      return config;
    },
    get s3() {
      const sdk = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
      // A bucket can live in another Region than the rule; follow S3's 301 instead of failing the read.
      s3 ??= new sdk.S3Client({ ...RULE_CLIENT_RETRY, followRegionRedirects: true });
      return s3;
    },
    get s3control() {
      const sdk = require('@aws-sdk/client-s3-control') as typeof import('@aws-sdk/client-s3-control');
      s3control ??= new sdk.S3ControlClient({ ...RULE_CLIENT_RETRY });
      return s3control;
    },
    get ssm() {
      const sdk = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
      ssm ??= new sdk.SSMClient({ ...RULE_CLIENT_RETRY });
      return ssm;
    },
  };
  return defaultClients;
}
