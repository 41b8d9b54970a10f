/**
 * The remediation Lambda: every EventBridge trigger kind (compliance change, S3 API call, alarm) and their SNS
 * forms. Routes each finding to the enabled actions, plans (and in remediate mode applies and verifies) from live
 * state, and publishes ONE email per finding it acts on. Findings no enabled action handles are the notify
 * Lambda's (remediation/notify/handler.ts); routeFinding() decides, the same way in both.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { BPA_FLAGS, type BpaFlag } from '../model/types';
import type { ApplyOptions } from './actions/apply-common';
import type { Outcome } from './actions/outcome';
import type { FlapStore } from './flap-store/flap-store';
import { remediateAccount, remediateBucketRef } from './response/engine';
import { type RespondDeps, type ResponderLogger, type ResponseSummary, respond } from './response/respond';
import { approvedExemptionsLoader } from './runtime/approved-list';
import type { ResponseConfig } from './runtime/config';
import type { LambdaLogger } from './runtime/logger';
import { snsPublisher } from './runtime/publish';
import { type RecheckScheduler, scheduleRechecks } from './runtime/recheck-scheduler';
import { createRemediationRuntime, type RemediationRuntime } from './runtime/runtime';
import type { Finding } from './triggers/finding';

export interface RemediationHandlerDeps {
  readonly config: ResponseConfig;
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  /** Reads the approved exemption list; absent with a configured list: the list counts as unreadable. */
  readonly ssm?: SSMClient;
  readonly publish: RespondDeps['publish'];
  readonly logger: ResponderLogger;
  readonly flapStore?: FlapStore;
  readonly recordOutcome?: (outcome: Outcome) => void;
  readonly now?: () => Date;
  readonly applyOptions?: ApplyOptions;
  /** Schedules the re-check of a fix the flap limit stopped; without one the email says none was scheduled. */
  readonly recheck?: RecheckScheduler;
}

/** The flags a PutBucketPublicAccessBlock record turned on: a partial-flags fix keeps them on. */
function requestedOn(finding: Finding): BpaFlag[] {
  if (finding.kind !== 'api-call' || finding.change.setting !== 'bucket-bpa') return [];
  const flags = finding.change.flags;
  return flags.known && flags.value !== null ? BPA_FLAGS.filter((flag) => flags.value?.[flag] === true) : [];
}

export function remediationResponder(deps: RemediationHandlerDeps): (event: unknown) => Promise<ResponseSummary> {
  const { config } = deps;
  const options = { mode: config.mode, modes: config.actionModes, bpaFlags: config.bpaFlags };
  const act = async (finding: Finding, actions: readonly Outcome['action'][]): Promise<Outcome[]> => {
    const target = finding.kind === 'alarm' ? undefined : finding.target;
    if (!target) return [];
    const approved = approvedExemptionsLoader(
      () => deps.ssm,
      config,
      deps.now ?? (() => new Date()),
      finding.accountId,
    );
    if (target.kind === 'account') {
      return remediateAccount(
        target.accountId,
        { ...options, actions, approved, accountBpaOverridesExemptions: config.accountBpaOverridesExemptions },
        deps,
      );
    }
    const requested = requestedOn(finding);
    return remediateBucketRef(
      {
        name: target.bucket,
        ...(finding.accountId !== undefined ? { accountId: finding.accountId } : {}),
        ...(finding.region !== undefined ? { region: finding.region } : {}),
      },
      {
        ...options,
        actions,
        exemption: config.exemption,
        approved,
        ...(requested.length > 0 ? { requestedOn: requested } : {}),
      },
      deps,
    );
  };
  // A stopped fix gets its one-time re-check at the end of the window (the trigger is re-delivered then).
  const remediate = async (
    finding: Finding,
    actions: readonly Outcome['action'][],
    trigger: unknown,
  ): Promise<Outcome[]> => scheduleRechecks(await act(finding, actions), trigger, deps.recheck);
  return (event) =>
    respond(event, 'remediation', {
      config,
      logger: deps.logger,
      publish: deps.publish,
      remediate,
      ...(deps.recordOutcome ? { recordOutcome: deps.recordOutcome } : {}),
    });
}

/**
 * The Lambda entry, wired from the environment on first use (a bad variable fails the invocation with its name).
 * With Lambda's context, every log line carries the request id, cold start and function name.
 */
export function createRemediationHandler(
  runtime: () => RemediationRuntime = () => createRemediationRuntime('bucketguard-remediation'),
): (event: unknown, context?: Context) => Promise<ResponseSummary> {
  let wired:
    | { readonly respond: (event: unknown) => Promise<ResponseSummary>; readonly logger: LambdaLogger }
    | undefined;
  let setFunctionArn: ((arn: string) => void) | undefined;
  return async (event, context) => {
    if (!wired) {
      const built = runtime();
      // Getters, not a spread of `built`: each client is built, and its SDK package loaded, on first use.
      const deps: RemediationHandlerDeps = {
        config: built.config,
        get s3() {
          return built.s3;
        },
        get s3control() {
          return built.s3control;
        },
        get ssm() {
          return built.ssm;
        },
        publish: (email) => snsPublisher(built.sns, built.topicArn)(email),
        logger: built.logger,
        ...(built.flapStore ? { flapStore: built.flapStore } : {}),
        ...(built.recheck ? { recheck: built.recheck } : {}),
        recordOutcome: built.recordOutcome,
      };
      setFunctionArn = built.setFunctionArn;
      wired = { respond: remediationResponder(deps), logger: built.logger };
    }
    if (context) {
      wired.logger.addContext(context);
      setFunctionArn?.(context.invokedFunctionArn);
    }
    return wired.respond(event);
  };
}

export const handler = createRemediationHandler();
