/**
 * The notify Lambda: mails the findings no enabled remediation action handles (resolutions, alarms, failed calls,
 * informational API calls, rules without an action). Same routing as the remediation Lambda, so a change is mailed
 * by exactly one of them. Only SNS is imported: a small bundle and a quick cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import { type RespondDeps, type ResponderLogger, type ResponseSummary, respond } from '../response/respond';
import { loadResponseConfig, type ResponseConfig, requireTopicArn } from '../runtime/config';
import { powertoolsLogger } from '../runtime/logger';
import { snsPublisher } from '../runtime/publish';

export interface NotifyHandlerDeps {
  readonly config: ResponseConfig;
  readonly publish: RespondDeps['publish'];
  readonly logger: ResponderLogger;
}

export function notifyResponder(deps: NotifyHandlerDeps): (event: unknown) => Promise<ResponseSummary> {
  return (event) => respond(event, 'notify', deps);
}

/** The Lambda entry, wired from the environment on first use (a bad variable fails the invocation with its name). */
export function createNotifyHandler(
  env: NodeJS.ProcessEnv = process.env,
  sns: () => SNSClient = () => new SNSClient({ maxAttempts: 5 }),
): (event: unknown) => Promise<ResponseSummary> {
  let responder: ((event: unknown) => Promise<ResponseSummary>) | undefined;
  return async (event) => {
    if (!responder) {
      const config = loadResponseConfig(env);
      responder = notifyResponder({
        config,
        publish: snsPublisher(sns(), requireTopicArn(config)),
        logger: powertoolsLogger(new Logger({ serviceName: 'bucketguard-notify' })),
      });
    }
    return responder(event);
  };
}

export const handler = createNotifyHandler();
