/**
 * The security account's notifier (BUCKETGUARD_RELAY=organization): publishes each member account's email once on
 * the organization topic, headed with the account's name and id and the Region (relay.ts). Same bundle as the
 * notify Lambda; SNS and Organizations clients are made at the first email.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { describeError, type ResponderLogger } from '../response/respond';
import { RESPONDER_CLIENT_RETRY } from '../runtime/client-retry';
import { loadResponseConfig, requireTopicArn } from '../runtime/config';
import { powertoolsLogger } from '../runtime/logger';
import { snsPublisher } from '../runtime/publish';
import { type AccountNames, organizationsAccountNames } from './account-names';
import type { Email } from './format';
import { parseRelayedResult, relayEmail } from './relay';

export interface RelaySummary {
  readonly relayed: number;
  readonly ignored?: string;
}

export interface RelayDeps {
  readonly publish: (email: Email) => Promise<void>;
  readonly accountName: AccountNames;
  readonly logger: ResponderLogger;
}

export function relayResponder(deps: RelayDeps): (event: unknown) => Promise<RelaySummary> {
  return async (event) => {
    const parsed = parseRelayedResult(event);
    if (parsed.kind === 'ignored') {
      deps.logger.debug('Ignored event', { reason: parsed.reason });
      return { relayed: 0, ignored: parsed.reason };
    }
    const name = await deps.accountName(parsed.origin.accountId);
    const failures: string[] = [];
    for (const email of parsed.emails) {
      const relayed = relayEmail(email, parsed.origin, name);
      try {
        await deps.publish(relayed);
        deps.logger.info('Email published', {
          account: parsed.origin.accountId,
          region: parsed.origin.region,
          subject: relayed.subject,
        });
      } catch (error) {
        failures.push(`${relayed.subject}: ${describeError(error)}`);
      }
    }
    if (parsed.dropped > 0)
      deps.logger.warn('Emails not relayed', { dropped: parsed.dropped, account: parsed.origin.accountId });
    // Thrown after every email was tried, so Lambda's retry re-sends (an email may then arrive twice, never zero).
    if (failures.length > 0)
      throw new Error(`SNS Publish failed for ${failures.length} email(s): ${failures.join('; ')}`);
    return { relayed: parsed.emails.length };
  };
}

export function createRelayHandler(
  env: NodeJS.ProcessEnv = process.env,
  sns: () => SNSClient = () => {
    const sdk = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
    return new sdk.SNSClient({ ...RESPONDER_CLIENT_RETRY });
  },
  organizations: () => OrganizationsClient = () => {
    const sdk = require('@aws-sdk/client-organizations') as typeof import('@aws-sdk/client-organizations');
    return new sdk.OrganizationsClient({ ...RESPONDER_CLIENT_RETRY });
  },
): (event: unknown, context?: Context) => Promise<RelaySummary> {
  let respond: ((event: unknown) => Promise<RelaySummary>) | undefined;
  return async (event) => {
    if (!respond) {
      const topicArn = requireTopicArn(loadResponseConfig(env));
      const logger = powertoolsLogger(new Logger({ serviceName: 'bucketguard-notify' }));
      let client: OrganizationsClient | undefined;
      let publish: ((email: Email) => Promise<void>) | undefined;
      respond = relayResponder({
        publish: (email) => {
          publish ??= snsPublisher(sns(), topicArn);
          return publish(email);
        },
        accountName: organizationsAccountNames(
          () => {
            client ??= organizations();
            return client;
          },
          {
            onError: (accountId, error) =>
              logger.warn('Account name not readable', { accountId, error: describeError(error) }),
          },
        ),
        logger,
      });
    }
    return respond(event);
  };
}
