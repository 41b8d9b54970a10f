import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';

/** The AWS clients a rule Lambda uses; injected so tests and the offline CLI can answer the calls themselves. */
export interface RuleClients {
  readonly config: ConfigServiceClient;
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
}

let defaultClients: RuleClients | undefined;

/**
 * One set of clients per Lambda container, built on the first invocation (not at import) and reused by every later
 * one; tests and the CLI inject their own and never construct these. Region and credentials come from the Lambda
 * environment (AWS_REGION, the execution role).
 */
export function defaultRuleClients(): RuleClients {
  defaultClients ??= {
    config: new ConfigServiceClient({}),
    // A bucket can live in another Region than the rule; follow S3's 301 instead of failing the read.
    s3: new S3Client({ followRegionRedirects: true }),
    s3control: new S3ControlClient({}),
  };
  return defaultClients;
}
