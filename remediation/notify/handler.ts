/**
 * The notify Lambda: mails the findings no enabled remediation action handles (resolutions, alarms, failed calls,
 * informational API calls, rules without an action). Same routing as the remediation Lambda, so a change is mailed
 * by exactly one of them. Only SNS is used, and its package is loaded at the first email (an event this Lambda does
 * not mail never loads it): a small bundle and a cold start at node's own.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { type ApprovedExemptionContext, approvalSummary } from '../../model/approved-exemptions';
import { type RespondDeps, type ResponderLogger, type ResponseSummary, respond } from '../response/respond';
import { approvedExemptionsLoader } from '../runtime/approved-list';
import { RESPONDER_CLIENT_RETRY } from '../runtime/client-retry';
import { loadResponseConfig, type ResponseConfig, requireTopicArn } from '../runtime/config';
import { type LambdaLogger, powertoolsLogger } from '../runtime/logger';
import { snsPublisher } from '../runtime/publish';
import type { Email } from './format';
import { createRelayHandler } from './relay-handler';

export interface NotifyHandlerDeps {
  readonly config: ResponseConfig;
  readonly publish: RespondDeps['publish'];
  readonly logger: ResponderLogger;
  /** Reads the approved exemption list, for tagging emails only (the SSM package loads at the first one). */
  readonly approvedList?: () => Promise<ApprovedExemptionContext>;
  readonly now?: () => Date;
}

export function notifyResponder(deps: NotifyHandlerDeps): (event: unknown) => Promise<ResponseSummary> {
  const { approvedList } = deps;
  const now = deps.now ?? (() => new Date());
  const approval = approvedList
    ? async (bucket: string, accountId: string | undefined): Promise<string> => {
        try {
          return approvalSummary(await approvedList(), bucket, accountId ?? '', now());
        } catch (error) {
          return `unknown: the approved exemption list could not be read (${error instanceof Error ? error.name : String(error)}); not exempt`;
        }
      }
    : undefined;
  return (event) => respond(event, 'notify', { ...deps, ...(approval ? { approval } : {}) });
}

/** The SSM client that reads the approved list, built at the first tagging email. */
function defaultNotifySsm(): SSMClient {
  const sdk = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
  return new sdk.SSMClient({ ...RESPONDER_CLIENT_RETRY });
}

/** The SNS client the notify Lambda publishes with (retry settings shared with the remediation Lambda). */
export function defaultNotifySns(): SNSClient {
  // Required here, not imported at the top: the package loads when the first email goes out.
  const sdk = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
  return new sdk.SNSClient({ ...RESPONDER_CLIENT_RETRY });
}

/** snsPublisher with the client built at the first email. */
function lazyPublisher(sns: () => SNSClient, topicArn: string): RespondDeps['publish'] {
  let publish: ((email: Email) => Promise<void>) | undefined;
  return (email) => {
    publish ??= snsPublisher(sns(), topicArn);
    return publish(email);
  };
}

/**
 * The Lambda entry, wired from the environment on first use (a bad variable fails the invocation with its name).
 * With Lambda's context, every log line carries the request id, cold start and function name.
 */
export function createNotifyHandler(
  env: NodeJS.ProcessEnv = process.env,
  sns: () => SNSClient = defaultNotifySns,
  ssm: () => SSMClient = defaultNotifySsm,
): (event: unknown, context?: Context) => Promise<ResponseSummary> {
  let wired:
    | { readonly respond: (event: unknown) => Promise<ResponseSummary>; readonly logger: LambdaLogger }
    | undefined;
  return async (event, context) => {
    if (!wired) {
      const config = loadResponseConfig(env);
      const logger = powertoolsLogger(new Logger({ serviceName: 'bucketguard-notify' }));
      let client: SSMClient | undefined;
      const approvedList = approvedExemptionsLoader(
        () => {
          client ??= ssm();
          return client;
        },
        config,
        () => new Date(),
        undefined,
      );
      wired = {
        respond: notifyResponder({
          config,
          publish: lazyPublisher(sns, requireTopicArn(config)),
          logger,
          approvedList,
        }),
        logger,
      };
    }
    if (context) wired.logger.addContext(context);
    return wired.respond(event);
  };
}

/** In the security account of an organization deployment the same bundle relays member emails (relay-handler.ts). */
export const handler: (event: unknown, context?: Context) => Promise<unknown> =
  process.env.BUCKETGUARD_RELAY === 'organization' ? createRelayHandler() : createNotifyHandler();
