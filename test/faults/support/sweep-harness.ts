/**
 * A rule's periodic sweep over a large recorded inventory (ListDiscoveredResources pages of 100, BatchGetResourceConfig,
 * account BPA from S3 Control, PutEvaluations) with a seeded fault schedule on every call, and a ledger of exactly
 * what Config accepted.
 */
import {
  BatchGetResourceConfigCommand,
  type BatchGetResourceConfigCommandInput,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  type ListDiscoveredResourcesCommandInput,
  PutEvaluationsCommand,
  type PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import { GetBucketOwnershipControlsCommand } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import type { RuleDefinition } from '../../../model/rule-definition';
import { createRuleHandler, type HandlerReport } from '../../../rules/config-protocol/adapter';
import { CapturingLogger } from '../../fuzz/harness/capturing-logger';
import { MockedRuleClients } from '../../fuzz/harness/rule-harness';
import { ACCOUNT_ID, type Json } from '../../support/basics';
import { configInvocation, scheduledInvokingEvent } from '../../support/config-invocation-arbitraries';
import { bucketItem, toApiModel } from '../../support/config-item-arbitraries';
import { FaultInjector, type FaultKind, faultError } from './fault-injector';

const PAGE = 100;

/** `count` bucket items (API model) with a deterministic mix of public, private, versioned and exempt buckets. */
export function inventory(count: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const name = `sweep-bucket-${String(i).padStart(5, '0')}`;
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
      tags: i % 50 === 0 ? { 'bucketguard:exempt': 'public dataset' } : {},
    });
    items.push(toApiModel(item as Record<string, Json>));
  }
  return items;
}

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
}

export interface SweepFaults {
  /** Probability that any one call fails. */
  readonly rate: number;
  readonly seed: number;
  /** Operations that get faults (default: every call the sweep makes). */
  readonly operations?: ReadonlySet<string>;
  /** Fault kinds to draw from (default: all that apply to the call). */
  readonly kinds?: readonly FaultKind[];
  /** Share of a batch FailedEvaluations / unprocessed keys covers (default 0.3). */
  readonly failedShare?: number;
}

export const TRANSIENT_KINDS: readonly FaultKind[] = [
  'throttling',
  'throttling-retry-after',
  '5xx',
  'timeout',
  'failed-evaluations',
  'unprocessed-keys',
];

export class SweepHarness {
  private readonly aws = new MockedRuleClients();
  private readonly byId: Map<string, Record<string, unknown>>;
  private readonly ids: string[];
  private injector = new FaultInjector(0, 1);
  private operations: ReadonlySet<string> | undefined;
  private accepted = new Map<string, number>();
  private evaluated = new Set<string>();
  private listed = new Set<string>();
  readonly logger = new CapturingLogger();
  private readonly handler: (event: unknown) => Promise<HandlerReport>;
  /** Every backoff the code asked for (never actually waited). */
  readonly sleeps: number[] = [];

  constructor(
    readonly rule: RuleDefinition,
    readonly items: readonly Record<string, unknown>[],
  ) {
    this.byId = new Map(items.map((item) => [String(item.resourceId), item]));
    this.ids = items.map((item) => String(item.resourceId));
    this.handler = createRuleHandler(rule, {
      clients: this.aws.clients,
      now: () => new Date('2025-06-01T12:00:00.000Z'),
      logger: this.logger,
      sleep: async (ms) => {
        this.sleeps.push(ms);
      },
      random: () => this.injector.next(),
    });
    this.install();
  }

  private kinds: readonly FaultKind[] | undefined;
  private failedShare = 0.3;

  private fault(operation: string, kinds: readonly FaultKind[]) {
    if (this.operations && !this.operations.has(operation)) return undefined;
    const allowed = this.kinds ? kinds.filter((kind) => this.kinds?.includes(kind)) : kinds;
    return this.injector.decide(operation, allowed);
  }

  private install(): void {
    const { configMock, s3Mock, s3controlMock } = this.aws;
    const thrown = ['throttling', 'throttling-retry-after', '5xx', 'timeout', 'access-denied'] as const;
    configMock.on(ListDiscoveredResourcesCommand).callsFake((input: ListDiscoveredResourcesCommandInput) => {
      const kind = this.fault('ListDiscoveredResources', thrown);
      if (kind) throw faultError(kind, 'config');
      const offset = input.nextToken ? Number(input.nextToken) : 0;
      const page = this.ids.slice(offset, offset + PAGE);
      for (const id of page) this.listed.add(id);
      const next = offset + PAGE < this.ids.length ? String(offset + PAGE) : undefined;
      return {
        resourceIdentifiers: page.map((resourceId) => ({
          resourceType: 'AWS::S3::Bucket',
          resourceId,
          resourceName: resourceId,
        })),
        ...(next ? { nextToken: next } : {}),
      };
    });
    configMock.on(BatchGetResourceConfigCommand).callsFake((input: BatchGetResourceConfigCommandInput) => {
      const kind = this.fault('BatchGetResourceConfig', [...thrown, 'unprocessed-keys']);
      if (kind && kind !== 'unprocessed-keys') throw faultError(kind, 'config');
      const keys = input.resourceKeys ?? [];
      const unprocessed = kind === 'unprocessed-keys' ? keys.filter(() => this.injector.next() < this.failedShare) : [];
      const items = keys
        .filter((key) => !unprocessed.includes(key))
        .map((key) => this.byId.get(String(key.resourceId)))
        .filter((item): item is Record<string, unknown> => item !== undefined);
      for (const item of items) this.evaluated.add(String(item.resourceId));
      return { baseConfigurationItems: items, unprocessedResourceKeys: unprocessed };
    });
    configMock.on(GetResourceConfigHistoryCommand).callsFake(() => {
      throw new Error('a sweep never reads history');
    });
    configMock.on(PutEvaluationsCommand).callsFake((input: PutEvaluationsCommandInput) => {
      const kind = this.fault('PutEvaluations', [...thrown, 'failed-evaluations']);
      if (kind && kind !== 'failed-evaluations') throw faultError(kind, 'config');
      const evaluations = input.Evaluations ?? [];
      const failed =
        kind === 'failed-evaluations' ? evaluations.filter(() => this.injector.next() < this.failedShare) : [];
      for (const evaluation of evaluations) {
        if (failed.includes(evaluation)) continue;
        const id = String(evaluation.ComplianceResourceId);
        this.accepted.set(id, (this.accepted.get(id) ?? 0) + 1);
      }
      return { FailedEvaluations: failed };
    });
    s3controlMock.on(GetPublicAccessBlockCommand).callsFake(() => {
      const kind = this.fault('GetPublicAccessBlock (account)', thrown);
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
    s3Mock.on(GetBucketOwnershipControlsCommand).callsFake(() => {
      const kind = this.fault('GetBucketOwnershipControls', thrown);
      if (kind) throw faultError(kind, 's3');
      return { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } };
    });
  }

  async sweep(faults: SweepFaults): Promise<SweepRun> {
    this.aws.resetHistory();
    this.logger.clear();
    this.injector = new FaultInjector(faults.rate, faults.seed);
    this.operations = faults.operations;
    this.kinds = faults.kinds;
    this.failedShare = faults.failedShare ?? 0.3;
    this.accepted = new Map();
    this.evaluated = new Set();
    this.listed = new Set();
    const event = configInvocation(scheduledInvokingEvent(ACCOUNT_ID), { ruleName: `bucketguard-${this.rule.id}` });
    const base = {
      accepted: this.accepted,
      evaluated: this.evaluated,
      listed: this.listed,
      logs: this.logger,
      injector: this.injector,
    };
    try {
      return { ...base, report: await this.handler(event) };
    } catch (error) {
      return { ...base, error };
    }
  }
}
