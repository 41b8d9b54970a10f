/**
 * One invocation's share of a periodic sweep (or of an account-BPA fan-out): pages from sweep.ts, each evaluated
 * and delivered whole (PutEvaluations flushed at the end of every page, so one page of 100 buckets is one call),
 * then either the next page, or, when the time left runs short or a page failed, a checkpoint for the next
 * invocation (continuation.ts). Nothing but the current page is held.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import { mapWithConcurrency } from '../../aws/pool';
import { type NormalizedItem, normalizeConfigurationItem } from '../../model/normalize';
import type { BucketState, Fact, PublicAccessBlockFlags } from '../../model/types';
import { identifyRawItem, type RawResourceIdentity, withBatchGetTags } from './config-event';
import { MAX_PAGE_ATTEMPTS, type SweepCheckpoint, type SweepDeadline } from './continuation';
import { notApplicable, type Outcome } from './outcomes';
import { type RecordedBucketPage, recordedBucketPages, type SweepCursor, type SweepReader } from './sweep';

const ACCOUNT_BPA_TYPE = 'AWS::S3::AccountPublicAccessBlock';
const BUCKET_TYPE = 'AWS::S3::Bucket';

/** What the sweep needs from the invocation running it. */
export interface SweepHost {
  readonly reader: SweepReader;
  readonly logger: Logger;
  readonly concurrency: number;
  evaluateBucket(
    bucket: BucketState,
    timestamp: string,
    accountBpa: Fact<PublicAccessBlockFlags | null> | undefined,
  ): Promise<Outcome>;
  malformed(identity: RawResourceIdentity, error: unknown, timestamp: string): Outcome;
  emit(outcome: Outcome): Promise<void>;
  /** Sends what is buffered; resolves when PutEvaluations answered. */
  flush(): Promise<void>;
  /** The resources not delivered so far (failed evaluations, unread items, PutEvaluations entries still failed). */
  undeliveredIds(): readonly string[];
}

export interface SweepOptions {
  readonly timestamp: string;
  readonly accountBpaOverride: Fact<PublicAccessBlockFlags | null> | undefined;
  readonly onlyAccountId: string | undefined;
  /** Where to start (a continuation), or undefined for a fresh sweep. */
  readonly checkpoint: SweepCheckpoint | undefined;
  /** Absent when this invocation cannot hand over (no Lambda context, CLI, tests): it then sweeps to the end. */
  readonly deadline: SweepDeadline | undefined;
}

export type SweepResult =
  | { readonly kind: 'done'; readonly evaluated: number }
  | {
      readonly kind: 'continue';
      /** The next invocation's checkpoint (its invocation number not yet raised). */
      readonly at: Omit<SweepCheckpoint, 'invocation'>;
      readonly reason: string;
      /** True when a page failed: what this invocation could not deliver is the continuation's to deliver. */
      readonly failed?: boolean;
    };

export async function runSweep(host: SweepHost, options: SweepOptions): Promise<SweepResult> {
  const { checkpoint, deadline } = options;
  let evaluated = checkpoint?.evaluatedBefore ?? 0;
  // The page to read next, and which attempt at it this is: where a failure hands over from.
  let next: SweepCursor = checkpoint ?? { path: 'advanced-query' };
  let attempt = checkpoint?.pageAttempt ?? 1;
  // A retried page delivers only what failed on it before.
  let only = checkpoint?.onlyIds ? new Set(checkpoint.onlyIds) : undefined;
  const canHandOver = deadline !== undefined;
  // A page that failed MAX_PAGE_ATTEMPTS times stays undelivered: from then on no failure is handed over, so the
  // invocation ends by failing with the exact list (and Lambda retries it).
  let exhausted = false;
  try {
    for await (const page of recordedBucketPages(host.reader, checkpoint)) {
      const reading: SweepCursor = { path: page.path, ...(page.token ? { nextToken: page.token } : {}) };
      const before = host.undeliveredIds().length;
      const outcomes = await evaluatePage(host, page, options);
      const sent: string[] = [];
      for (const outcome of outcomes) {
        if (!outcome) continue;
        const id = 'record' in outcome ? outcome.record.resourceId : outcome.failure.resourceId;
        if (only && !only.has(id)) continue;
        sent.push(id);
        await host.emit(outcome);
      }
      await host.flush();
      const failed = [...new Set(host.undeliveredIds().slice(before))];
      if (failed.length > 0) {
        if (canHandOver && !exhausted && attempt < MAX_PAGE_ATTEMPTS) {
          const deliveredHere = sent.length - failed.length;
          return {
            kind: 'continue',
            at: { ...reading, evaluatedBefore: evaluated + deliveredHere, pageAttempt: attempt + 1, onlyIds: failed },
            reason: `a page failed (attempt ${attempt} of ${MAX_PAGE_ATTEMPTS}); the next invocation sends what failed again`,
            failed: true,
          };
        }
        exhausted = true;
      }
      evaluated += sent.length - failed.length;
      only = undefined;
      attempt = 1;
      if (!page.nextToken) break;
      next = { path: page.path, nextToken: page.nextToken };
      if (deadline?.pageDone()) {
        return {
          kind: 'continue',
          at: { ...next, evaluatedBefore: evaluated, pageAttempt: 1 },
          reason: 'the time left in this invocation ran short',
        };
      }
    }
  } catch (error) {
    if (!canHandOver || exhausted || attempt >= MAX_PAGE_ATTEMPTS) throw error;
    await host.flush();
    host.logger.warn('Sweep page failed; the next invocation reads it again', {
      attempt,
      error: (error as { name?: unknown } | null)?.name,
    });
    return {
      kind: 'continue',
      at: { ...next, evaluatedBefore: evaluated, pageAttempt: attempt + 1, ...(only ? { onlyIds: [...only] } : {}) },
      reason: `reading a page failed (attempt ${attempt} of ${MAX_PAGE_ATTEMPTS}); the next invocation reads it again`,
      failed: true,
    };
  }
  return { kind: 'done', evaluated };
}

async function evaluatePage(
  host: SweepHost,
  page: RecordedBucketPage,
  options: SweepOptions,
): Promise<(Outcome | undefined)[]> {
  const { timestamp } = options;
  const items: readonly Record<string, unknown>[] = page.items as readonly Record<string, unknown>[];
  return mapWithConcurrency(items, host.concurrency, async (raw) => {
    // An item whose resourceType is damaged still names the bucket we asked for: NOT_APPLICABLE with the
    // reason, not a bucket that silently drops out of the sweep.
    const listed = typeof raw.resourceId === 'string' && page.ids.includes(raw.resourceId) ? raw.resourceId : undefined;
    const identity = identifyRawItem(raw) ?? (listed ? { resourceType: BUCKET_TYPE, resourceId: listed } : undefined);
    if (!identity) return undefined;
    let item: NormalizedItem;
    try {
      item = normalizeConfigurationItem(raw, page.model);
    } catch (error) {
      return host.malformed(identity, error, timestamp);
    }
    if (item.kind !== 'bucket') {
      // Listed as a bucket, recorded as something else: say so for that bucket rather than drop it.
      const type = item.kind === 'account' ? ACCOUNT_BPA_TYPE : item.resourceType;
      const problem = `AWS Config returned a ${JSON.stringify(type).slice(0, 80)} item for this listed bucket; nothing was evaluated.`;
      host.logger.warn('Listed bucket not evaluated', { resourceId: identity.resourceId, problem });
      return notApplicable({ resourceType: BUCKET_TYPE, resourceId: identity.resourceId }, problem, timestamp);
    }
    if (options.onlyAccountId && item.accountId && item.accountId !== options.onlyAccountId) return undefined;
    const bucket = page.model === 'config-api' ? withBatchGetTags(item, raw) : item;
    return host.evaluateBucket(bucket, timestamp, options.accountBpaOverride);
  });
}
