/**
 * Deterministic, seeded fault schedules, drawn per HTTP request on the wire (config-wire.ts: the SDK's retries see
 * them) or per call on aws-sdk-client-mock stubs (`faultError`: what the SDK throws once its attempts are spent,
 * since the mock replaces `send()` and bypasses the retry middleware).
 */

/** mulberry32: small, fast, good enough to make a schedule reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const FAULT_KINDS = [
  'throttling',
  'throttling-retry-after',
  '5xx',
  'timeout',
  'access-denied',
  'failed-evaluations',
  'unprocessed-keys',
  'readback-mismatch',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** An SDK-shaped error for a fault kind, for aws-sdk-client-mock (what the SDK throws once its retries are spent). */
export function faultError(kind: FaultKind, service: 'config' | 's3' | 's3control' | 'sns' | 'dynamodb'): Error {
  const make = (name: string, status: number | undefined, extra: Record<string, unknown> = {}): Error => {
    const error = new Error(`${name} (injected)`) as Error & Record<string, unknown>;
    error.name = name;
    error.$metadata =
      status === undefined ? { attempts: 3 } : { httpStatusCode: status, requestId: 'fault', attempts: 3 };
    if (status !== undefined) error.$fault = status >= 500 ? 'server' : 'client';
    Object.assign(error, extra);
    return error;
  };
  switch (kind) {
    case 'throttling':
      return service === 's3' || service === 's3control'
        ? make('SlowDown', 503, { $retryable: { throttling: true } })
        : make('ThrottlingException', 400, { $retryable: { throttling: true } });
    case 'throttling-retry-after':
      return make(
        service === 's3' || service === 's3control' ? 'SlowDown' : 'ThrottlingException',
        service === 's3' ? 503 : 429,
        {
          $retryable: { throttling: true },
          $response: { statusCode: 429, headers: { 'retry-after': '2' } },
        },
      );
    case '5xx':
      return make(service === 's3' || service === 's3control' ? 'InternalError' : 'InternalFailure', 500);
    case 'timeout':
      // What the SDK's request handler raises on a socket timeout: no HTTP status at all.
      return Object.assign(make('TimeoutError', undefined), { code: 'ETIMEDOUT' });
    case 'access-denied':
      return make(service === 'config' || service === 'sns' ? 'AccessDeniedException' : 'AccessDenied', 403);
    default:
      return make('InternalFailure', 500);
  }
}

/**
 * Decides, call by call, whether to inject a fault and which. `kinds` lists the kinds allowed for a call (a call
 * that cannot return FailedEvaluations never gets that kind). Counts what it injected, by kind and by operation.
 */
export class FaultInjector {
  private readonly random: () => number;
  readonly injected: Record<string, number> = {};
  readonly calls: Record<string, number> = {};
  readonly injectedByOperation: Record<string, number> = {};

  constructor(
    readonly rate: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** A number in [0, 1) from the same schedule (for choosing which part of a batch fails). */
  next(): number {
    return this.random();
  }

  decide(operation: string, kinds: readonly FaultKind[]): FaultKind | undefined {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    if (kinds.length === 0 || this.random() >= this.rate) return undefined;
    const kind = kinds[Math.floor(this.random() * kinds.length)];
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
    this.injectedByOperation[operation] = (this.injectedByOperation[operation] ?? 0) + 1;
    return kind;
  }

  get total(): number {
    return Object.values(this.injected).reduce((sum, n) => sum + n, 0);
  }
}

/** Adds `from` into `into`, key by key (for totals over many runs). */
export function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
}
