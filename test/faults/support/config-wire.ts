/**
 * AWS Config on the wire, in-process: a smithy HttpHandler that real ConfigServiceClients send their HTTP requests
 * to. Faults are HTTP answers (400 ThrottlingException, with or without retry-after, 500, a socket timeout, 400
 * AccessDeniedException) that pass through the SDK's own deserialiser and retry middleware, so a test sees what the
 * SDK retries and how often; every other request is answered by the test's answer function, serialised as Config's
 * JSON 1.1 protocol would (operation named by X-Amz-Target, timestamps as epoch seconds). aws-sdk-client-mock, by
 * contrast, replaces `send()` and never reaches the retry middleware.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { HttpResponse } from '@smithy/core/protocols';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { HttpRequest, RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { configClientConfig, RULE_CLIENT_RETRY } from '../../../rules/config-protocol/clients';

export const TRANSIENT_WIRE_FAULTS = ['throttling', 'throttling-retry-after', '5xx', 'timeout'] as const;
export type TransientWireFault = (typeof TRANSIENT_WIRE_FAULTS)[number];
export type WireFault = TransientWireFault | 'access-denied';

/** The retry-after Config sends with `throttling-retry-after`, in seconds (InstantRetryStrategy records it, no wait). */
export const RETRY_AFTER_SECONDS = 2;

/** One HTTP request as the fake Config received it. */
export interface WireRequest {
  /** ListDiscoveredResources, BatchGetResourceConfig, PutEvaluations, ... (from X-Amz-Target). */
  readonly operation: string;
  /** The JSON body: timestamps as epoch seconds, as they travel. */
  readonly input: Record<string, unknown>;
  /** One per SDK call (amz-sdk-invocation-id): the same for every retry of that call. */
  readonly invocationId: string;
  /** 1 for the first try (from amz-sdk-request). */
  readonly attempt: number;
}

/**
 * How the fake Config answers one request: a fault, an output in the SDK's shapes (Dates allowed), or a body already
 * in wire JSON (a harness that serves the same items thousands of times serialises each once).
 */
export type WireAnswer =
  | { readonly fault: WireFault }
  | { readonly output: Record<string, unknown> }
  | { readonly json: string };

const TIMESTAMP_MEMBERS = new Set([
  'configurationItemCaptureTime',
  'configurationItemDeliveryTime',
  'resourceCreationTime',
  'resourceDeletionTime',
  'OrderingTimestamp',
]);

/** An output as Config's JSON 1.1 body: Dates, and ISO strings in timestamp members, as epoch seconds. */
export function toWireJson(output: unknown): string {
  // A replacer sees a Date only after its toJSON ran; the holder (`this`) still has the Date itself.
  return JSON.stringify(output, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    if (original instanceof Date) return original.getTime() / 1000;
    if (typeof value === 'string' && TIMESTAMP_MEMBERS.has(key) && !Number.isNaN(Date.parse(value))) {
      return Date.parse(value) / 1000;
    }
    return value;
  });
}

function jsonResponse(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return new HttpResponse({
    statusCode,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'wire-test', ...headers },
    body: Buffer.from(body, 'utf8'),
  });
}

/** What Config (or the socket) does for a fault; a timeout rejects like the SDK's node HTTP handler does. */
function faultResponse(fault: WireFault, retryAfterSeconds: number): HttpResponse {
  switch (fault) {
    case 'throttling':
      return jsonResponse(400, '{"__type":"ThrottlingException","message":"Rate exceeded"}');
    case 'throttling-retry-after':
      return jsonResponse(400, '{"__type":"ThrottlingException","message":"Rate exceeded"}', {
        'retry-after': String(retryAfterSeconds),
      });
    case '5xx':
      return jsonResponse(500, '{"__type":"InternalFailure","message":"Internal service error (injected)"}');
    case 'access-denied':
      return jsonResponse(400, '{"__type":"AccessDeniedException","message":"not authorized (injected)"}');
    case 'timeout':
      throw Object.assign(new Error('the request socket timed out (injected)'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      });
  }
}

/** The request body as text; read through its bytes (the SDK's body adapter warns when used as a string). */
const bodyText = (body: unknown): string =>
  typeof body === 'string'
    ? body
    : body instanceof Uint8Array
      ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
      : '';

export class ConfigWire {
  readonly requests: WireRequest[] = [];

  constructor(
    private answer: (request: WireRequest) => WireAnswer,
    /** What `throttling-retry-after` sends; a test that lets the SDK really wait makes it short. */
    private readonly retryAfterSeconds: number = RETRY_AFTER_SECONDS,
  ) {}

  /** Replaces the answer function (between test cases). */
  answerWith(answer: (request: WireRequest) => WireAnswer): void {
    this.answer = answer;
    this.requests.length = 0;
  }

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const attempt = Number(/attempt=(\d+)/.exec(String(request.headers['amz-sdk-request']))?.[1] ?? 1);
    const text = bodyText(request.body);
    const received: WireRequest = {
      operation: target.slice(target.indexOf('.') + 1),
      input: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      invocationId: String(request.headers['amz-sdk-invocation-id']),
      attempt,
    };
    this.requests.push(received);
    const answer = this.answer(received);
    if ('fault' in answer) return { response: faultResponse(answer.fault, this.retryAfterSeconds) };
    return { response: jsonResponse(200, 'json' in answer ? answer.json : toWireJson(answer.output)) };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  /** HTTP requests per SDK call, by operation (each call = one invocation id). */
  attemptsPerCall(operation?: string): number[] {
    const counts = new Map<string, number>();
    for (const request of this.requests) {
      if (operation && request.operation !== operation) continue;
      counts.set(request.invocationId, (counts.get(request.invocationId) ?? 0) + 1);
    }
    return [...counts.values()];
  }
}

/** One retry the SDK decided to make: why, and the retry-after it was told (seconds from now), if any. */
export interface GrantedRetry {
  readonly errorType: string;
  readonly retryAfterMs?: number;
}

/**
 * The SDK's own standard retry decisions (which errors are retried, how many attempts, the retry quota), with the
 * waits taken out so a test never sleeps: backoff 0, and the retry-after hint recorded instead of waited for.
 * Production uses the SDK's adaptive strategy with the same maxAttempts (clients.ts); its waits are the SDK's.
 */
export class InstantRetryStrategy implements RetryStrategyV2 {
  private readonly sdk: ConfiguredRetryStrategy;
  readonly granted: GrantedRetry[] = [];

  constructor(readonly maxAttempts: number = RULE_CLIENT_RETRY.maxAttempts) {
    this.sdk = new ConfiguredRetryStrategy(maxAttempts, 0);
  }

  acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    return this.sdk.acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    const { retryAfterHint, ...withoutHint } = errorInfo;
    const retryAfterMs = retryAfterHint ? retryAfterHint.getTime() - Date.now() : undefined;
    // Throws (the SDK then throws the call's error) when it will not retry: too many attempts, not retryable, quota.
    const next = await this.sdk.refreshRetryTokenForRetry(token, withoutHint);
    this.granted.push({ errorType: errorInfo.errorType, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    return next;
  }

  recordSuccess(token: StandardRetryToken): void {
    this.sdk.recordSuccess(token);
  }
}

/**
 * A real Config client with the rule Lambda's settings (clients.ts), sending to `wire`; its retry strategy is
 * `retryStrategy` ('production' = the SDK's adaptive one those settings build, which waits in real time).
 */
export function wiredConfigClient(
  wire: ConfigWire,
  retryStrategy: RetryStrategyV2 | 'production' = new InstantRetryStrategy(),
): ConfigServiceClient {
  return new ConfigServiceClient({
    ...configClientConfig(),
    region: 'us-east-1',
    requestHandler: wire,
    ...(retryStrategy === 'production' ? {} : { retryStrategy }),
  });
}
