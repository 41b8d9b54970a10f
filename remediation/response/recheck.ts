/**
 * The one-time re-check after the anti-flapping limit stopped a fix. Pure: which trigger to re-deliver, when, and
 * how a re-delivered trigger is recognised.
 *
 * Config emits a compliance change only when the result changes, so a bucket left NON_COMPLIANT after bucketguard
 * stopped would never be fixed again. At the end of the window EventBridge Scheduler invokes the remediation function
 * with the trigger that was stopped, in the shape it arrived in (an EventBridge event, an SNS record), plus one
 * top-level marker the trigger parsers ignore: the function reads the live state again and fixes what is still open
 * (the window has passed, so the limit counts afresh).
 */
import type { Outcome } from '../actions/outcome';
import { isRecord } from '../triggers/json';

/** The top-level key of a re-delivered trigger. */
export const RECHECK_MARKER = 'bucketguardRecheck';

/** Scheduler starts the re-check this long after the window ends, so the counter's window has surely passed. */
export const RECHECK_DELAY_SECONDS = 60;

/** Scheduler's limit on a target's input is 256 KB; a trigger larger than this is not re-delivered. */
export const MAX_RECHECK_PAYLOAD_CHARS = 200_000;

export interface RecheckMarker {
  readonly action: string;
  readonly target: string;
  readonly windowEndsAt: string;
}

/** The single trigger `index` of a Lambda event, in the shape parseTriggers reads (one SNS record stays a record). */
export function singleTrigger(event: unknown, index: number): unknown {
  if (isRecord(event) && Array.isArray(event.Records)) return { Records: [event.Records[index]] };
  return event;
}

/** When to re-check a stopped outcome, or undefined when it was not stopped. */
export function recheckTime(outcome: Outcome): Date | undefined {
  const end = outcome.flapping?.windowEndsAt;
  if (end === undefined) return undefined;
  return new Date(Date.parse(end) + RECHECK_DELAY_SECONDS * 1000);
}

/** The trigger with the marker added: still a recorded shape (parsers ignore unknown top-level keys). */
export function recheckPayload(trigger: unknown, outcome: Outcome): Record<string, unknown> | undefined {
  if (!isRecord(trigger) || outcome.flapping?.windowEndsAt === undefined) return undefined;
  const marker: RecheckMarker = {
    action: outcome.action,
    target: outcome.target,
    windowEndsAt: outcome.flapping.windowEndsAt,
  };
  return { ...trigger, [RECHECK_MARKER]: marker };
}

/** The marker of a re-delivered trigger, or undefined for every other event. */
export function recheckOf(event: unknown): RecheckMarker | undefined {
  if (!isRecord(event)) return undefined;
  const marker = event[RECHECK_MARKER];
  if (!isRecord(marker)) return undefined;
  const { action, target, windowEndsAt } = marker;
  if (typeof action !== 'string' || typeof target !== 'string' || typeof windowEndsAt !== 'string') return undefined;
  return { action, target, windowEndsAt };
}
