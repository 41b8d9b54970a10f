import { type ConfigServiceClient, type Evaluation, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { truncateAnnotation, wellFormed } from '../../model/annotation';

/** The compliance types PutEvaluations accepts (it rejects INSUFFICIENT_DATA). */
export type DeliverableCompliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** One evaluation as the adapter reports it; `resourceType` is a string because other types get NOT_APPLICABLE too. */
export interface EvaluationRecord {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: DeliverableCompliance;
  /** Full text; truncated only on the wire. Empty = none. */
  readonly annotation: string;
  /** ISO-8601. */
  readonly orderingTimestamp: string;
}

/**
 * bucketguard's own retry, only for what the SDK cannot retry because the call itself succeeded: PutEvaluations
 * FailedEvaluations entries and BatchGetResourceConfig unprocessed keys. Throttling, 5xx and timeouts are the SDK's
 * (clients.ts); an error `send()` throws has already used the SDK's attempts and is not retried again here.
 */
export interface RetryPolicy {
  /** Total sends per batch, the first included (at least 1). */
  readonly attempts: number;
  /** Full-jitter exponential backoff: wait random() * baseDelayMs * 2^(retry-1), capped at MAX_BACKOFF_MS. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200 };
export const MAX_EVALUATIONS_PER_CALL = 100;
const MAX_BACKOFF_MS = 10_000;

/** Attempts a policy allows, the first included (at least 1). */
export function attemptCount(retry: RetryPolicy): number {
  return Math.max(1, Math.floor(retry.attempts));
}

/** Full-jitter wait before the `retryNumber`-th retry (1 = the second attempt), capped at MAX_BACKOFF_MS. */
export function backoffDelayMs(retry: RetryPolicy, random: () => number, retryNumber: number): number {
  return Math.round(random() * Math.min(MAX_BACKOFF_MS, retry.baseDelayMs * 2 ** (retryNumber - 1)));
}

export interface UndeliveredEvaluation {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly reason: string;
}

/**
 * Some resources that should have been evaluated were not delivered to Config (PutEvaluations kept failing, the
 * item could not be read, the evaluation itself failed). The invocation fails with exactly which, so Lambda's
 * async retry re-runs it and nothing is silently reported as done.
 */
export class EvaluationDeliveryError extends Error {
  override readonly name = 'EvaluationDeliveryError';
  constructor(
    readonly undelivered: readonly UndeliveredEvaluation[],
    readonly delivered: number,
    /** Another failure of the same invocation (e.g. the sweep's listing call), said in the message too. */
    readonly alsoFailed?: string,
  ) {
    const listed = undelivered.map((u) => `${u.resourceType}/${u.resourceId} (${u.reason})`);
    const shown = listed.length > 50 ? [...listed.slice(0, 50), `... and ${listed.length - 50} more`] : listed;
    super(
      `${undelivered.length} evaluation(s) not delivered to AWS Config (${delivered} delivered): ${shown.join('; ')}` +
        (alsoFailed ? `. Also failed: ${alsoFailed}` : ''),
    );
  }
}

/** Config's limits on what identifies an evaluation (API_Evaluation: type 1-256, id 1-768 characters). */
const MAX_RESOURCE_TYPE_LENGTH = 256;
const MAX_RESOURCE_ID_LENGTH = 768;

/** Why Config would reject this identity (and with it the whole PutEvaluations call), or undefined. */
export function unreportableIdentity(
  record: Pick<EvaluationRecord, 'resourceType' | 'resourceId'>,
): string | undefined {
  const typeLength = Array.from(record.resourceType).length;
  const idLength = Array.from(record.resourceId).length;
  if (typeLength < 1 || typeLength > MAX_RESOURCE_TYPE_LENGTH) {
    return `cannot be reported: AWS Config accepts a resource type of 1-${MAX_RESOURCE_TYPE_LENGTH} characters, this one has ${typeLength}`;
  }
  if (idLength < 1 || idLength > MAX_RESOURCE_ID_LENGTH) {
    return `cannot be reported: AWS Config accepts a resource id of 1-${MAX_RESOURCE_ID_LENGTH} characters, this one has ${idLength}`;
  }
  return undefined;
}

const clip = (text: string): string => (text.length > 80 ? `${Array.from(text).slice(0, 80).join('')}…` : text);

/** The wire shape: Annotation omitted when empty ("" is rejected by Config). */
export function toPutEvaluation(record: EvaluationRecord): Evaluation {
  // A surrogate half left alone by a cut elsewhere (describeValue, truncation) is not valid Unicode on the wire.
  const annotation = wellFormed(record.annotation.trim());
  return {
    ComplianceResourceType: record.resourceType,
    ComplianceResourceId: record.resourceId,
    ComplianceType: record.compliance,
    ...(annotation ? { Annotation: truncateAnnotation(annotation) } : {}),
    OrderingTimestamp: new Date(record.orderingTimestamp),
  };
}

export function describeDeliveryError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? ` (${e.$metadata.httpStatusCode})` : '';
  const message = typeof e.message === 'string' && e.message && e.message !== name ? `: ${e.message}` : '';
  return `${name}${status}${message}`;
}

export interface DeliveryOptions {
  readonly resultToken: string;
  readonly testMode: boolean;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRetry?: (info: { attempt: number; pending: number; reason: string; delayMs: number }) => void;
}

const keyOf = (type: string | undefined, id: string | undefined): string => `${type}\u0000${id}`;

/** Attempts the SDK made for a call that threw (its retries included), when it says. */
function sdkAttempts(error: unknown): number | undefined {
  const attempts = (error as { $metadata?: { attempts?: unknown } } | null)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : undefined;
}

/**
 * Sends one batch (<= 100) with retries of exactly the failed evaluations. Returns what was still not accepted.
 * A thrown error ends the batch: the SDK has already retried it as far as its retry strategy allows.
 * A FailedEvaluations entry we cannot match to what we sent makes the whole pending batch count as undelivered
 * for that attempt: re-sending is harmless (Config keeps the latest by OrderingTimestamp), over-reporting is not.
 */
async function deliverBatch(
  config: ConfigServiceClient,
  batch: readonly EvaluationRecord[],
  options: DeliveryOptions,
): Promise<{ delivered: number; undelivered: UndeliveredEvaluation[] }> {
  let pending = batch;
  let delivered = 0;
  let reason = 'not sent';
  const attempts = attemptCount(options.retry);
  for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt++) {
    if (attempt > 1) {
      const delayMs = backoffDelayMs(options.retry, options.random, attempt - 1);
      options.onRetry?.({ attempt, pending: pending.length, reason, delayMs });
      await options.sleep(delayMs);
    }
    try {
      const response = await config.send(
        new PutEvaluationsCommand({
          Evaluations: pending.map(toPutEvaluation),
          ResultToken: options.resultToken,
          TestMode: options.testMode,
        }),
      );
      const failed = response?.FailedEvaluations ?? [];
      if (failed.length === 0) {
        delivered += pending.length;
        pending = [];
        break;
      }
      const sent = new Set(pending.map((r) => keyOf(r.resourceType, r.resourceId)));
      const failedKeys = new Set(failed.map((f) => keyOf(f.ComplianceResourceType, f.ComplianceResourceId)));
      const allMatched = [...failedKeys].every((k) => sent.has(k));
      reason = `returned in FailedEvaluations after ${attempt} attempt(s)`;
      if (allMatched) {
        const stillFailed = pending.filter((r) => failedKeys.has(keyOf(r.resourceType, r.resourceId)));
        delivered += pending.length - stillFailed.length;
        pending = stillFailed;
      } else {
        reason = `FailedEvaluations named resources that were not sent, so the whole batch counts as failed, after ${attempt} attempt(s)`;
      }
    } catch (error) {
      const attempts = sdkAttempts(error);
      reason = `PutEvaluations failed: ${describeDeliveryError(error)}${attempts ? ` after ${attempts} SDK attempt(s)` : ''}`;
      break;
    }
  }
  return {
    delivered,
    undelivered: pending.map((r) => ({ resourceType: r.resourceType, resourceId: r.resourceId, reason })),
  };
}

/** The sink keeps this many records for the report (a million-bucket sweep must not hold a million records). */
export const MAX_KEPT_RECORDS = 10_000;

/**
 * Buffers evaluations and sends them in batches of 100 as they fill, so a long periodic sweep delivers as it goes.
 * A repeated resource still in the buffer replaces the earlier evaluation (Config rejects duplicates in one call).
 */
export class EvaluationSink {
  private buffer: EvaluationRecord[] = [];
  private readonly bufferIndex = new Map<string, number>();
  private readonly sentRecords: EvaluationRecord[] = [];
  private readonly undeliveredRecords: UndeliveredEvaluation[] = [];
  private deliveredCount = 0;

  constructor(
    private readonly config: ConfigServiceClient,
    private readonly options: DeliveryOptions,
  ) {}

  async add(record: EvaluationRecord): Promise<void> {
    // One identity Config rejects would fail the whole call of up to 100: keep it out, and report it undelivered.
    const unreportable = unreportableIdentity(record);
    if (unreportable !== undefined) {
      this.undeliveredRecords.push({
        resourceType: clip(record.resourceType),
        resourceId: clip(record.resourceId),
        reason: unreportable,
      });
      return;
    }
    const key = keyOf(record.resourceType, record.resourceId);
    const existing = this.bufferIndex.get(key);
    if (existing !== undefined) {
      this.buffer[existing] = record;
      return;
    }
    this.bufferIndex.set(key, this.buffer.length);
    this.buffer.push(record);
    if (this.buffer.length >= MAX_EVALUATIONS_PER_CALL) await this.flush();
  }

  async flush(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, MAX_EVALUATIONS_PER_CALL);
      this.buffer = this.buffer.slice(MAX_EVALUATIONS_PER_CALL);
      this.bufferIndex.clear();
      this.buffer.forEach((r, i) => {
        this.bufferIndex.set(keyOf(r.resourceType, r.resourceId), i);
      });
      const room = MAX_KEPT_RECORDS - this.sentRecords.length;
      if (room > 0) this.sentRecords.push(...batch.slice(0, room));
      const result = await deliverBatch(this.config, batch, this.options);
      this.deliveredCount += result.delivered;
      this.undeliveredRecords.push(...result.undelivered);
    }
  }

  /** What was handed to PutEvaluations (delivered or not), in order: the first MAX_KEPT_RECORDS. */
  get records(): readonly EvaluationRecord[] {
    return this.sentRecords;
  }
  get delivered(): number {
    return this.deliveredCount;
  }
  get undelivered(): readonly UndeliveredEvaluation[] {
    return this.undeliveredRecords;
  }
}
