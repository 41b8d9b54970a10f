/**
 * Direct invocation of one action (ops, runbooks): `{ "bucket": "name" }` (optionally `accountId`, `region`) for
 * bucket actions, `{ "accountId": "123456789012" }` for the account action. Same engine, same mode configuration,
 * same exemptions and anti-flapping as the event-driven path; the outcome is returned and mailed.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { type Email, formatRemediationRequest } from '../notify/format';
import type { ActionId } from './action-definition';
import type { ApplyOptions } from './apply-common';
import { modeFor, type ResponseConfig } from './config';
import { remediateAccount, remediateBucketRef } from './engine';
import { targetName } from './finding';
import type { FlapStore } from './flap-store';
import { isRecord } from './json';
import type { Outcome } from './outcome';
import { formatContextOf, type ResponderLogger } from './respond';

export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
  constructor(
    readonly action: ActionId,
    detail: string,
  ) {
    super(`Invalid ${action} request: ${detail}.`);
  }
}

export interface DirectActionDeps {
  readonly config: ResponseConfig;
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly logger: ResponderLogger;
  readonly publish?: (email: Email) => Promise<void>;
  readonly flapStore?: FlapStore;
  readonly recordOutcome?: (outcome: Outcome) => void;
  readonly now?: () => Date;
  readonly applyOptions?: ApplyOptions;
}

export interface DirectActionResult {
  readonly outcomes: readonly Outcome[];
  readonly email: Email;
}

/** S3 general purpose bucket names: 3-63 characters, lowercase letters, digits, dots and hyphens. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function optionalMatch(
  action: ActionId,
  event: Readonly<Record<string, unknown>>,
  key: string,
  pattern: RegExp,
): string | undefined {
  const value = event[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InvalidRequestError(action, `${key} must match ${pattern} (received ${JSON.stringify(value)})`);
  }
  return value;
}

export function directActionResponder(
  action: ActionId,
  target: 'bucket' | 'account',
  deps: DirectActionDeps,
): (event: unknown) => Promise<DirectActionResult> {
  const { config } = deps;
  const options = { mode: config.mode, modes: config.actionModes, bpaFlags: config.bpaFlags, actions: [action] };
  return async (event) => {
    if (!isRecord(event)) throw new InvalidRequestError(action, 'the event must be a JSON object');
    const accountId = optionalMatch(action, event, 'accountId', ACCOUNT_ID);
    let requestTarget: Parameters<typeof formatRemediationRequest>[0];
    if (target === 'account') {
      if (accountId === undefined) throw new InvalidRequestError(action, 'accountId (12 digits) is required');
      requestTarget = { kind: 'account', accountId };
    } else {
      const bucket = optionalMatch(action, event, 'bucket', BUCKET_NAME);
      if (bucket === undefined) throw new InvalidRequestError(action, 'bucket (an S3 bucket name) is required');
      const region = optionalMatch(action, event, 'region', REGION);
      requestTarget = { kind: 'bucket', bucket, ...(region !== undefined ? { region } : {}) };
    }
    let outcomes: Outcome[];
    if (!config.enabledActions.includes(action)) {
      outcomes = [
        {
          action,
          targetKind: target,
          target: targetName(requestTarget),
          mode: modeFor(config, action),
          status: 'skipped',
          reason: `${action} is not enabled in this deployment (BUCKETGUARD_ACTIONS)`,
          changes: [],
        },
      ];
    } else if (requestTarget.kind === 'account') {
      outcomes = await remediateAccount(requestTarget.accountId, options, deps);
    } else {
      outcomes = await remediateBucketRef(
        {
          name: requestTarget.bucket,
          ...(accountId !== undefined ? { accountId } : {}),
          ...(requestTarget.region !== undefined ? { region: requestTarget.region } : {}),
        },
        { ...options, exemption: config.exemption },
        deps,
      );
    }
    for (const outcome of outcomes) {
      deps.recordOutcome?.(outcome);
      deps.logger.info('Remediation outcome', { ...outcome, requested: true });
    }
    const email = formatRemediationRequest(requestTarget, outcomes, formatContextOf(config));
    if (deps.publish) await deps.publish(email);
    return { outcomes, email };
  };
}

/** Builds a direct handler on the Lambda runtime (configuration from the environment, real clients), lazily. */
export function lambdaDirectHandler(
  action: ActionId,
  target: 'bucket' | 'account',
  runtime: () => DirectActionDeps,
): (event: unknown) => Promise<DirectActionResult> {
  let responder: ((event: unknown) => Promise<DirectActionResult>) | undefined;
  return async (event) => {
    responder ??= directActionResponder(action, target, runtime());
    return responder(event);
  };
}
