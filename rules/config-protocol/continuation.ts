/**
 * A periodic sweep longer than one invocation: when the time left runs short, the invocation delivers what it has
 * evaluated, then hands the rest to a new invocation of the same function with a checkpoint, and returns.
 *
 * Where the checkpoint lives: in the payload of that invocation (an asynchronous self-invocation: the original Config
 * event plus `bucketguardSweep`). A table would need a second trigger anyway (Config invokes a periodic rule once
 * per period), a read and a write per invocation and a place to clean up; the payload is the checkpoint, delivered
 * with the trigger, and the Config result token travels with it, so the continuation reports under the same
 * evaluation. The checkpoint is the path (advanced query or list-and-batch) and the token of the next page; pages
 * are delivered whole before the hand-over, so no evaluation is lost or sent twice.
 *
 * Bounded: a checkpoint carries its invocation number (at most MAX_SWEEP_INVOCATIONS) and, after a page failed, the
 * attempt at that page (at most MAX_PAGE_ATTEMPTS, then the invocation fails with the exact undelivered list, and
 * Lambda's own retries and dead-letter queue take over).
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { SweepCursor, SweepPath } from './sweep';
import type { SweepResult } from './sweep-run';

export const SWEEP_CHECKPOINT_KEY = 'bucketguardSweep';
/** 200 invocations of 5 minutes cover well over a million buckets at 50 ms per Config call. */
export const MAX_SWEEP_INVOCATIONS = 200;
/** A page that fails is tried again by the next invocation, this many times in all. */
export const MAX_PAGE_ATTEMPTS = 3;
/** Time kept back for the last page's delivery and the hand-over: at least this, or 3x the slowest page so far. */
export const MIN_RESERVE_MS = 30_000;

export interface SweepCheckpoint extends SweepCursor {
  /** 2 for the first continuation. */
  readonly invocation: number;
  /** Buckets evaluated by the earlier invocations of this sweep. */
  readonly evaluatedBefore: number;
  /** > 1 when the page at nextToken failed in the invocation before. */
  readonly pageAttempt: number;
  /** After a failed page: the resources of that page still to deliver (the others were delivered). */
  readonly onlyIds?: readonly string[];
}

const PATHS: readonly SweepPath[] = ['advanced-query', 'list-and-batch'];

/** The checkpoint of a continuation event; undefined for Config's own events; an Error for a damaged one. */
export function readCheckpoint(event: unknown): SweepCheckpoint | undefined | Error {
  if (typeof event !== 'object' || event === null || !(SWEEP_CHECKPOINT_KEY in event)) return undefined;
  const raw = (event as Record<string, unknown>)[SWEEP_CHECKPOINT_KEY];
  if (typeof raw !== 'object' || raw === null) return new Error(`${SWEEP_CHECKPOINT_KEY} is not an object`);
  const value = raw as Record<string, unknown>;
  const path = PATHS.find((p) => p === value.path);
  const token = value.nextToken;
  const invocation = value.invocation;
  const evaluatedBefore = value.evaluatedBefore;
  const pageAttempt = value.pageAttempt ?? 1;
  const onlyIds = value.onlyIds;
  const idsOk = onlyIds === undefined || (Array.isArray(onlyIds) && onlyIds.every((id) => typeof id === 'string'));
  if (
    !idsOk ||
    !path ||
    !(token === undefined || (typeof token === 'string' && token !== '')) ||
    !Number.isInteger(invocation) ||
    !Number.isInteger(evaluatedBefore) ||
    !Number.isInteger(pageAttempt)
  ) {
    return new Error(`${SWEEP_CHECKPOINT_KEY} is damaged (${JSON.stringify(raw).slice(0, 200)})`);
  }
  return {
    path,
    ...(typeof token === 'string' ? { nextToken: token } : {}),
    invocation: invocation as number,
    evaluatedBefore: evaluatedBefore as number,
    pageAttempt: pageAttempt as number,
    ...(Array.isArray(onlyIds) ? { onlyIds: onlyIds as string[] } : {}),
  };
}

/** The event of the next invocation: the original Config event, its checkpoint replaced. */
export function continuationEvent(original: unknown, checkpoint: SweepCheckpoint): Record<string, unknown> {
  const base = typeof original === 'object' && original !== null ? (original as Record<string, unknown>) : {};
  return { ...base, [SWEEP_CHECKPOINT_KEY]: checkpoint };
}

/** When to stop reading pages: the time the invocation has left, less a reserve that grows with the slowest page. */
export class SweepDeadline {
  private slowestPageMs = 0;
  private pageStarted: number;

  constructor(
    private readonly remainingMs: () => number,
    private readonly clock: () => number,
  ) {
    this.pageStarted = clock();
  }

  /** Call when a page is delivered; true when there is no time for another. */
  pageDone(): boolean {
    const now = this.clock();
    this.slowestPageMs = Math.max(this.slowestPageMs, now - this.pageStarted);
    this.pageStarted = now;
    return this.remainingMs() < Math.max(MIN_RESERVE_MS, 3 * this.slowestPageMs);
  }
}

/** Hands a continuation event to the next invocation (asynchronously: this one returns right after). */
export type SweepContinuer = (event: Record<string, unknown>) => Promise<void>;

/**
 * The Lambda way: an asynchronous Invoke of this very function (its ARN from the invocation context). The Lambda
 * client package is required only when a sweep hands over.
 */
export function lambdaSelfInvoker(functionArn: string): SweepContinuer {
  return async (event) => {
    const sdk = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
    const client = new sdk.LambdaClient({ maxAttempts: 5, retryMode: 'standard' });
    try {
      await client.send(
        new sdk.InvokeCommand({
          FunctionName: functionArn,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(event), 'utf8'),
        }),
      );
    } finally {
      client.destroy();
    }
  };
}

/** What a sweep of one invocation starts from and may hand over to. */
export interface SweepContext {
  readonly event: unknown;
  readonly checkpoint: SweepCheckpoint | undefined;
  /** Both present only when this invocation can hand over (a Lambda context, continuation not turned off). */
  readonly continuer?: SweepContinuer;
  readonly remainingMs?: () => number;
}

/** The sweep context of an invocation; an Error when its checkpoint is damaged (the invocation is rejected). */
export function sweepContext(
  event: unknown,
  context: Context | undefined,
  continueSweep: SweepContinuer | false | undefined,
): SweepContext | Error {
  const checkpoint = readCheckpoint(event);
  if (checkpoint instanceof Error) return checkpoint;
  const continuer =
    continueSweep === false
      ? undefined
      : (continueSweep ?? (context ? lambdaSelfInvoker(context.invokedFunctionArn) : undefined));
  return {
    event,
    checkpoint,
    ...(continuer && context ? { continuer, remainingMs: () => context.getRemainingTimeInMillis() } : {}),
  };
}

/** Starts the next invocation of the sweep (at most MAX_SWEEP_INVOCATIONS in all); this one returns after it. */
export async function handOverSweep(
  sweep: SweepContext,
  continuation: Extract<SweepResult, { kind: 'continue' }>,
  logger: Logger,
  summary: Readonly<Record<string, unknown>>,
): Promise<{ readonly invocation: number; readonly reason: string }> {
  const invocation = (sweep.checkpoint?.invocation ?? 1) + 1;
  if (invocation > MAX_SWEEP_INVOCATIONS) {
    throw new Error(
      `The sweep did not finish within ${MAX_SWEEP_INVOCATIONS} invocations (${continuation.at.evaluatedBefore} buckets evaluated); stopped.`,
    );
  }
  if (!sweep.continuer) throw new Error('a sweep handed over without a way to continue');
  await sweep.continuer(continuationEvent(sweep.event, { ...continuation.at, invocation }));
  logger.info('Sweep continues in a new invocation', {
    ...summary,
    invocation,
    reason: continuation.reason,
    evaluatedSoFar: continuation.at.evaluatedBefore,
  });
  return { invocation, reason: continuation.reason };
}
