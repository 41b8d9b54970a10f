/**
 * A rule's periodic sweep over a large recorded inventory (ListDiscoveredResources pages of 100, BatchGetResourceConfig,
 * account BPA from S3 Control, PutEvaluations) with a seeded fault schedule, and a ledger of exactly what Config
 * accepted.
 *
 * The Config calls go through a real ConfigServiceClient with the rule Lambda's retry settings onto an in-process
 * wire (config-wire.ts): a fault is drawn for every HTTP request, so throttling, 5xx and timeouts meet the SDK's own
 * retries, as in production. The S3 and S3 Control reads stay on aws-sdk-client-mock (10,000 ownership reads per
 * sweep): bucketguard never retries them, a read that fails becomes an unknown setting, so a fault there stands for
 * what the SDK hands over once its attempts are spent.
 */
import { GetBucketOwnershipControlsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import type { RuleDefinition } from '../../../model/rule-definition';
import { createRuleHandler, type HandlerReport } from '../../../rules/config-protocol/adapter';
import { CapturingLogger } from '../../fuzz/harness/capturing-logger';
import { ACCOUNT_ID, type Json } from '../../support/basics';
import { configInvocation, scheduledInvokingEvent } from '../../support/config-invocation-arbitraries';
import { bucketItem, toApiModel } from '../../support/config-item-arbitraries';
import {
  ConfigWire,
  type GrantedRetry,
  InstantRetryStrategy,
  toWireJson,
  type WireAnswer,
  type WireFault,
  type WireRequest,
  wiredConfigClient,
} from './config-wire';
import { FaultInjector, type FaultKind, faultError } from './fault-injector';

const PAGE = 100;

/**
 * `count` bucket items as BatchGetResourceConfig returns them (API model, tags only inside
 * supplementaryConfiguration) with a deterministic mix of public, private, versioned and exempt buckets.
 */
export function inventory(count: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const name = `sweep-bucket-${String(i).padStart(5, '0')}`;
    const tags: Record<string, string> = i % 50 === 0 ? { 'bucketguard:exempt': 'public dataset' } : {};
    const item = bucketItem({
      name,
      account: ACCOUNT_ID,
      status: 'OK',
      captureTime: '2025-05-31T00:00:00.000Z',
      grants: i % 7 === 0 ? [{ grantee: 'AllUsers', permission: 'Read' }] : [],
      policy: null,
      bpa:
        i % 3 === 0
          ? { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }
          : null,
      versioning: { status: i % 2 === 0 ? 'Enabled' : 'Off', isMfaDeleteEnabled: null },
      tags,
    });
    // What BatchGetResourceConfig returns: no tags, relationships, related events or MD5 hash.
    const {
      tags: _tags,
      relationships: _relationships,
      relatedEvents: _events,
      configurationItemMD5Hash: _hash,
      ...api
    } = toApiModel(item as Record<string, Json>);
    const supplementary = api.supplementaryConfiguration as Record<string, string>;
    if (Object.keys(tags).length > 0) {
      supplementary.BucketTaggingConfiguration = JSON.stringify({ tagSets: [{ tags }] });
    }
    items.push(api);
  }
  return items;
}

/**
 * The same item as a SelectResourceConfig row (the advanced query): configuration and supplementary values as
 * objects, AccessControlList still a string (the API model double-encodes it: one parse leaves that string), tags
 * as a list of {key, value}.
 */
export function toAdvancedQueryRow(api: Record<string, unknown>): string {
  const { configuration, supplementaryConfiguration, ...rest } = api;
  const supplementary: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(supplementaryConfiguration as Record<string, string>)) {
    supplementary[key] = JSON.parse(value);
  }
  const tagging = supplementary.BucketTaggingConfiguration as
    | { tagSets?: { tags?: Record<string, string> }[] }
    | undefined;
  const tags = Object.entries(tagging?.tagSets?.[0]?.tags ?? {}).map(([key, value]) => ({ key, value }));
  return JSON.stringify({
    ...rest,
    configuration: JSON.parse(configuration as string),
    supplementaryConfiguration: supplementary,
    tags,
  });
}

/** Which sweep path Config lets the rule take: the advanced query, or (SelectResourceConfig denied) list-and-batch. */
export type HarnessPath = 'advanced-query' | 'list-and-batch';

export interface SweepRun {
  readonly report?: HandlerReport;
  readonly error?: unknown;
  /** Bucket -> how many times PutEvaluations accepted an evaluation for it in this invocation. */
  readonly accepted: ReadonlyMap<string, number>;
  /** Buckets BatchGetResourceConfig returned (so the rule evaluated them). */
  readonly evaluated: ReadonlySet<string>;
  /** Buckets listed by ListDiscoveredResources. */
  readonly listed: ReadonlySet<string>;
  readonly logs: CapturingLogger;
  readonly injector: FaultInjector;
  /** Every HTTP request the Config client sent, retries included. */
  readonly requests: readonly WireRequest[];
  /** HTTP requests per Config SDK call. */
  readonly attemptsPerCall: readonly number[];
  /** The retries the SDK granted (and the retry-after each was told). */
  readonly sdkRetries: readonly GrantedRetry[];
  /** Every backoff bucketguard's own loops asked for (never actually waited). */
  readonly sleeps: readonly number[];
}

/** A fault pinned to one Config call: on its first `attempts` HTTP attempts (default every one: it outlasts the SDK). */
export interface PinnedFault {
  readonly operation: string;
  /** Which call of that operation (1 = the first), counted by SDK call, not by HTTP attempt. */
  readonly call: number;
  readonly fault: WireFault;
  readonly attempts?: number;
}

export interface SweepFaults {
  /** Probability that any one HTTP request (or S3 call) fails. */
  readonly rate: number;
  readonly seed: number;
  /** Operations that get faults (default: every call the sweep makes). */
  readonly operations?: ReadonlySet<string>;
  /** Fault kinds to draw from (default: all that apply to the call). */
  readonly kinds?: readonly FaultKind[];
  /** Share of a batch FailedEvaluations / unprocessed keys covers (default 0.3). */
  readonly failedShare?: number;
  readonly pinned?: PinnedFault;
}

export const TRANSIENT_KINDS: readonly FaultKind[] = [
  'throttling',
  'throttling-retry-after',
  '5xx',
  'timeout',
  'failed-evaluations',
  'unprocessed-keys',
];

const THROWN = ['throttling', 'throttling-retry-after', '5xx', 'timeout', 'access-denied'] as const;
const isThrown = (kind: FaultKind): kind is WireFault => (THROWN as readonly string[]).includes(kind);

export class SweepHarness {
  private readonly s3 = new S3Client({ region: 'us-east-1' });
  private readonly s3control = new S3ControlClient({ region: 'us-east-1' });
  private readonly wire = new ConfigWire(() => ({ output: {} }));
  private config = wiredConfigClient(this.wire);
  private strategy = new InstantRetryStrategy();
  /** Each item's wire JSON, serialised once. */
  private readonly wireItems: Map<string, string>;
  private readonly ids: string[];
  private injector = new FaultInjector(0, 1);
  private faults: SweepFaults = { rate: 0, seed: 1 };
  private accepted = new Map<string, number>();
  private evaluated = new Set<string>();
  private listed = new Set<string>();
  private readonly callOfInvocation = new Map<string, number>();
  private readonly callsByOperation = new Map<string, number>();
  readonly logger = new CapturingLogger();
  private readonly handler: (event: unknown) => Promise<HandlerReport>;
  private sleeps: number[] = [];

  /** Advanced-query rows (JSON strings), in inventory order. */
  private readonly rows: string[];

  constructor(
    readonly rule: RuleDefinition,
    readonly items: readonly Record<string, unknown>[],
    readonly path: HarnessPath = 'list-and-batch',
  ) {
    this.wireItems = new Map(items.map((item) => [String(item.resourceId), toWireJson(item)]));
    this.rows = path === 'advanced-query' ? items.map(toAdvancedQueryRow) : [];
    this.ids = items.map((item) => String(item.resourceId));
    this.handler = createRuleHandler(rule, {
      clients: () => ({ config: this.config, s3: this.s3, s3control: this.s3control }),
      now: () => new Date('2025-06-01T12:00:00.000Z'),
      logger: this.logger,
      sleep: async (ms) => {
        this.sleeps.push(ms);
      },
      random: () => this.injector.next(),
    });
    this.installS3();
  }

  private draw(operation: string, kinds: readonly FaultKind[]): FaultKind | undefined {
    if (this.faults.operations && !this.faults.operations.has(operation)) return undefined;
    const allowed = this.faults.kinds ? kinds.filter((kind) => this.faults.kinds?.includes(kind)) : kinds;
    return this.injector.decide(operation, allowed);
  }

  /** Which call of its operation this request belongs to (retries share their call's number). */
  private callNumber(request: WireRequest): number {
    let call = this.callOfInvocation.get(request.invocationId);
    if (call === undefined) {
      call = (this.callsByOperation.get(request.operation) ?? 0) + 1;
      this.callsByOperation.set(request.operation, call);
      this.callOfInvocation.set(request.invocationId, call);
    }
    return call;
  }

  private answer(request: WireRequest): WireAnswer {
    const call = this.callNumber(request);
    const pinned = this.faults.pinned;
    if (
      pinned?.operation === request.operation &&
      pinned.call === call &&
      request.attempt <= (pinned.attempts ?? Number.POSITIVE_INFINITY)
    ) {
      return { fault: pinned.fault };
    }
    switch (request.operation) {
      case 'SelectResourceConfig':
        // A role without config:SelectResourceConfig: denied at once (never retried), then the sweep lists.
        if (this.path === 'list-and-batch') return { fault: 'access-denied' };
        return this.select(request.input);
      case 'ListDiscoveredResources':
        return this.list(request.input);
      case 'BatchGetResourceConfig':
        return this.batchGet(request.input);
      case 'PutEvaluations':
        return this.put(request.input);
      default:
        throw new Error(`a sweep never calls ${request.operation}`);
    }
  }

  private list(input: Record<string, unknown>): WireAnswer {
    const kind = this.draw('ListDiscoveredResources', THROWN);
    if (kind && isThrown(kind)) return { fault: kind };
    const offset = typeof input.nextToken === 'string' ? Number(input.nextToken) : 0;
    const page = this.ids.slice(offset, offset + PAGE);
    for (const id of page) this.listed.add(id);
    const next = offset + PAGE < this.ids.length ? String(offset + PAGE) : undefined;
    return {
      output: {
        resourceIdentifiers: page.map((resourceId) => ({
          resourceType: 'AWS::S3::Bucket',
          resourceId,
          resourceName: resourceId,
        })),
        ...(next ? { nextToken: next } : {}),
      },
    };
  }

  private select(input: Record<string, unknown>): WireAnswer {
    const kind = this.draw('SelectResourceConfig', THROWN);
    if (kind && isThrown(kind)) return { fault: kind };
    const offset = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
    const limit = typeof input.Limit === 'number' ? input.Limit : PAGE;
    const page = this.ids.slice(offset, offset + limit);
    for (const id of page) {
      this.listed.add(id);
      this.evaluated.add(id);
    }
    const next = offset + limit < this.ids.length ? String(offset + limit) : undefined;
    return { output: { Results: this.rows.slice(offset, offset + limit), ...(next ? { NextToken: next } : {}) } };
  }

  private batchGet(input: Record<string, unknown>): WireAnswer {
    const kind = this.draw('BatchGetResourceConfig', [...THROWN, 'unprocessed-keys']);
    if (kind && isThrown(kind)) return { fault: kind };
    const keys = (input.resourceKeys ?? []) as { resourceType: string; resourceId: string }[];
    const share = this.faults.failedShare ?? 0.3;
    const unprocessed = kind === 'unprocessed-keys' ? keys.filter(() => this.injector.next() < share) : [];
    const served = keys.filter((key) => !unprocessed.includes(key) && this.wireItems.has(key.resourceId));
    for (const key of served) this.evaluated.add(key.resourceId);
    const items = served.map((key) => this.wireItems.get(key.resourceId)).join(',');
    return { json: `{"baseConfigurationItems":[${items}],"unprocessedResourceKeys":${toWireJson(unprocessed)}}` };
  }

  private put(input: Record<string, unknown>): WireAnswer {
    const kind = this.draw('PutEvaluations', [...THROWN, 'failed-evaluations']);
    if (kind && isThrown(kind)) return { fault: kind };
    const evaluations = (input.Evaluations ?? []) as Record<string, unknown>[];
    const share = this.faults.failedShare ?? 0.3;
    const failed = kind === 'failed-evaluations' ? evaluations.filter(() => this.injector.next() < share) : [];
    for (const evaluation of evaluations) {
      if (failed.includes(evaluation)) continue;
      const id = String(evaluation.ComplianceResourceId);
      this.accepted.set(id, (this.accepted.get(id) ?? 0) + 1);
    }
    return { output: { FailedEvaluations: failed } };
  }

  private installS3(): void {
    const s3Faults = ['throttling', 'throttling-retry-after', '5xx', 'timeout', 'access-denied'] as const;
    mockClient(this.s3control)
      .on(GetPublicAccessBlockCommand)
      .callsFake(() => {
        const kind = this.draw('GetPublicAccessBlock (account)', s3Faults);
        if (kind) throw faultError(kind, 's3control');
        return {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: false,
            IgnorePublicAcls: false,
            BlockPublicPolicy: false,
            RestrictPublicBuckets: false,
          },
        };
      });
    mockClient(this.s3)
      .on(GetBucketOwnershipControlsCommand)
      .callsFake(() => {
        const kind = this.draw('GetBucketOwnershipControls', s3Faults);
        if (kind) throw faultError(kind, 's3');
        return { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } };
      });
  }

  async sweep(faults: SweepFaults): Promise<SweepRun> {
    this.logger.clear();
    this.faults = faults;
    this.injector = new FaultInjector(faults.rate, faults.seed);
    this.accepted = new Map();
    this.evaluated = new Set();
    this.listed = new Set();
    this.sleeps = [];
    this.callOfInvocation.clear();
    this.callsByOperation.clear();
    // A fresh client per invocation: the SDK's retry quota does not carry over from one test case to the next.
    this.strategy = new InstantRetryStrategy();
    this.config = wiredConfigClient(this.wire, this.strategy);
    this.wire.answerWith((request) => this.answer(request));
    const event = configInvocation(scheduledInvokingEvent(ACCOUNT_ID), { ruleName: `bucketguard-${this.rule.id}` });
    const base = {
      accepted: this.accepted,
      evaluated: this.evaluated,
      listed: this.listed,
      logs: this.logger,
      injector: this.injector,
      sleeps: this.sleeps,
    };
    const outcome: { report?: HandlerReport; error?: unknown } = {};
    try {
      outcome.report = await this.handler(event);
    } catch (error) {
      outcome.error = error;
    }
    return {
      ...base,
      ...outcome,
      requests: [...this.wire.requests],
      attemptsPerCall: this.wire.attemptsPerCall(),
      sdkRetries: [...this.strategy.granted],
    };
  }
}
