/**
 * The offline AWS answerer of `bucketguard replay`: real AWS SDK v3 clients (Config, S3, S3 Control, SNS, SSM) whose
 * calls are answered in-process from one OfflineWorld (world.ts) by the responders of each service
 * (responders.ts). Each client gets an `initialize`-step middleware that returns `{ output }` (or throws) by
 * `context.commandName`, so nothing is serialised, signed or sent, and no credentials are ever resolved.
 *
 * Why real clients and not a mock library at run time: the handlers run exactly as in Lambda (the same client
 * types, `send()`, command inputs and error classes), mocking libraries are dev dependencies that the installed CLI
 * does not ship, and a command nobody answers fails loudly, like a denied call would, never over the network.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';
import { isRecord, type JsonRecord } from '../../remediation/triggers/json';
import {
  cannotAnswer,
  configResponders,
  type Responders,
  s3ControlResponders,
  s3Responders,
  snsResponders,
  ssmResponders,
} from './responders';
import type { OfflineWorld } from './world';

// The clients never reach AWS, so the SDK's "upgrade Node" notice would only be noise in the report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface OfflineClients {
  readonly config: ConfigServiceClient;
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly sns: SNSClient;
  readonly ssm: SSMClient;
}

/** Only to build the clients: nothing is sent, so no endpoint is ever resolved from it. */
const OFFLINE_REGION = 'us-east-1';

/** Installs the responder table on a client; every call is logged in the world, in order. */
function answerInProcess<
  I extends object,
  O extends MetadataBearer,
  C extends { middlewareStack: MiddlewareStack<I, O> },
>(client: C, clientName: string, responders: Responders, world: OfflineWorld): C {
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = context.commandName ?? '(unnamed command)';
      const input: JsonRecord = isRecord(args.input) ? args.input : {};
      world.calls.push({ client: clientName, command, input });
      const responder = responders[command];
      if (!responder) throw cannotAnswer(`${command} is not answered offline`);
      // The responder tables are keyed by command, so each output has that command's shape.
      const output = { $metadata: { httpStatusCode: 200 }, ...responder(input) } as O;
      return { output, response: {} };
    },
    { step: 'initialize', name: 'bucketguardOfflineAnswers', priority: 'high' },
  );
  return client;
}

/** Real clients over `world`: reads answer from it, writes change it, sends are captured in it. */
export function createOfflineClients(world: OfflineWorld): OfflineClients {
  // The middleware answers before signing, so this provider is never called; if it were, the call fails loudly.
  const credentials = async () => {
    throw new Error('offline replay: the offline clients never sign a request');
  };
  const options = { region: OFFLINE_REGION, credentials, maxAttempts: 1 };
  return {
    config: answerInProcess(new ConfigServiceClient(options), 'config', configResponders(world), world),
    s3: answerInProcess(new S3Client(options), 's3', s3Responders(world), world),
    s3control: answerInProcess(new S3ControlClient(options), 's3control', s3ControlResponders(world), world),
    sns: answerInProcess(new SNSClient(options), 'sns', snsResponders(world), world),
    ssm: answerInProcess(new SSMClient(options), 'ssm', ssmResponders(world), world),
  };
}
