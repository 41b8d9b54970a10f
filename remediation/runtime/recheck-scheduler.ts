/**
 * EventBridge Scheduler adapter for the re-check after a stopped fix: one one-time schedule per target and window
 * (named from both, so a second stop in the same window finds it already there), deleted by Scheduler once it ran.
 * The client comes in from the runtime, built (and its package loaded) at the first stop only.
 */
import { createHash } from 'node:crypto';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Outcome } from '../actions/outcome';
import { MAX_RECHECK_PAYLOAD_CHARS, recheckPayload, recheckTime } from '../response/recheck';
import { describeError } from '../response/respond';

const schedulerSdk = (): typeof import('@aws-sdk/client-scheduler') => require('@aws-sdk/client-scheduler');

export type Recheck = NonNullable<NonNullable<Outcome['flapping']>['recheck']>;

export interface RecheckScheduler {
  /** Schedules the re-check of a stopped outcome; never throws (the result says what happened). */
  schedule(outcome: Outcome, trigger: unknown): Promise<Recheck>;
}

export interface RecheckSettings {
  readonly group: string;
  /** The role Scheduler assumes (lambda:InvokeFunction on the remediation function only). */
  readonly roleArn: string;
  /** The remediation function, unqualified; known from the Lambda context at the first invocation. */
  readonly functionArn: () => string | undefined;
}

/** `at(2024-03-20T13:01:00)`: Scheduler's one-time expression, whole seconds, in ScheduleExpressionTimezone (UTC). */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

/** `recheck-<40 hex>`: stable per action, target and window, within Scheduler's 64 characters. */
export function recheckScheduleName(outcome: Outcome): string {
  const key = `${outcome.action}#${outcome.targetKind}#${outcome.target}#${outcome.flapping?.windowEndsAt ?? ''}`;
  return `recheck-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** `arn:aws:lambda:us-east-1:111122223333:function:name` from an invoked ARN that may carry an alias or version. */
export function unqualifiedFunctionArn(invoked: string): string {
  return invoked.split(':').slice(0, 7).join(':');
}

export class EventBridgeRecheckScheduler implements RecheckScheduler {
  constructor(
    private readonly scheduler: () => SchedulerClient,
    private readonly settings: RecheckSettings,
  ) {}

  async schedule(outcome: Outcome, trigger: unknown): Promise<Recheck> {
    const at = recheckTime(outcome);
    const payload = recheckPayload(trigger, outcome);
    if (at === undefined || payload === undefined) {
      return { at: '', scheduled: false, detail: 'no window end or no trigger to re-deliver' };
    }
    const when = at.toISOString();
    const input = JSON.stringify(payload);
    if (input.length > MAX_RECHECK_PAYLOAD_CHARS) {
      return {
        at: when,
        scheduled: false,
        detail: `the trigger is too large to re-deliver (${input.length} characters)`,
      };
    }
    const functionArn = this.settings.functionArn();
    if (functionArn === undefined) {
      return { at: when, scheduled: false, detail: 'the remediation function ARN is not known (no Lambda context)' };
    }
    const { ConflictException, CreateScheduleCommand } = schedulerSdk();
    const name = recheckScheduleName(outcome);
    try {
      await this.scheduler().send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: this.settings.group,
          Description: `bucketguard: re-check ${outcome.action} on ${outcome.target.slice(0, 300)} after a stop`,
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          State: 'ENABLED',
          Target: {
            Arn: functionArn,
            RoleArn: this.settings.roleArn,
            Input: input,
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
          },
        }),
      );
      return { at: when, scheduled: true, detail: `schedule ${this.settings.group}/${name}` };
    } catch (error) {
      if (error instanceof ConflictException) {
        return { at: when, scheduled: true, detail: `schedule ${this.settings.group}/${name} already exists` };
      }
      return { at: when, scheduled: false, detail: `CreateSchedule failed: ${describeError(error)}` };
    }
  }
}

/** The outcomes with each stop's re-check scheduled and recorded on it. */
export async function scheduleRechecks(
  outcomes: readonly Outcome[],
  trigger: unknown,
  scheduler: RecheckScheduler | undefined,
): Promise<Outcome[]> {
  return Promise.all(
    outcomes.map(async (outcome) => {
      if (outcome.flapping === undefined) return outcome;
      const recheck: Recheck =
        scheduler !== undefined
          ? await scheduler.schedule(outcome, trigger)
          : {
              at: recheckTime(outcome)?.toISOString() ?? '',
              scheduled: false,
              detail: 'BUCKETGUARD_RECHECK_GROUP and BUCKETGUARD_RECHECK_ROLE_ARN are not set',
            };
      return { ...outcome, flapping: { ...outcome.flapping, recheck } };
    }),
  );
}
