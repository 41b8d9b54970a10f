/**
 * One rule Lambda handler wired to aws-sdk-client-mock clients whose answers come from a per-case "world", built once
 * per property and reused for every generated case (reset between cases), so 100,000 cases stay cheap.
 */
import {
  BatchGetResourceConfigCommand,
  type BatchGetResourceConfigCommandInput,
  ConfigServiceClient,
  type Evaluation,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
  type PutEvaluationsCommandInput,
  type PutEvaluationsCommandOutput,
} from '@aws-sdk/client-config-service';
import { GetBucketOwnershipControlsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import type { RuleDefinition } from '../../../model/rule-definition';
import { createRuleHandler, type HandlerReport } from '../../../rules/config-protocol/adapter';
import { CapturingLogger } from './capturing-logger';

/** An SDK-shaped service error (what the SDK's deserialisers throw). */
export function serviceError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  const error = new Error(`${name}: simulated`) as Error & Record<string, unknown>;
  error.name = name;
  error.$fault = status >= 500 ? 'server' : 'client';
  error.$metadata = { httpStatusCode: status, requestId: 'fuzz', attempts: 1, totalRetryDelay: 0 };
  Object.assign(error, extra);
  return error;
}

export type AccountBpaAnswer =
  | { readonly kind: 'flags'; readonly flags: Record<string, boolean> }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly code: string; readonly status: number };

export type OwnershipAnswer =
  | 'BucketOwnerEnforced'
  | 'BucketOwnerPreferred'
  | 'ObjectWriter'
  | 'none'
  | 'error'
  | 'garbage';

/** What AWS answers during one generated case. */
export interface RuleWorld {
  /** GetResourceConfigHistory: the item (any shape) it returns, or an error. */
  readonly history:
    | { readonly kind: 'item'; readonly item: unknown }
    | { readonly kind: 'empty' }
    | { readonly kind: 'not-discovered' };
  /** Items the periodic sweep lists (ListDiscoveredResources) and reads (BatchGetResourceConfig), any shape. */
  readonly sweep: readonly unknown[];
  readonly accountBpa: AccountBpaAnswer;
  /** BatchGetResourceConfig answer for the account-BPA fallback. */
  readonly accountItem?: unknown;
  readonly ownership: OwnershipAnswer;
}

export const EMPTY_WORLD: RuleWorld = {
  history: { kind: 'empty' },
  sweep: [],
  accountBpa: { kind: 'none' },
  ownership: 'none',
};

export interface InvocationResult {
  readonly report?: HandlerReport;
  readonly error?: unknown;
  /** Every PutEvaluations request, in order. */
  readonly puts: readonly PutEvaluationsCommandInput[];
  /** Evaluations PutEvaluations accepted (not in FailedEvaluations), in order. */
  readonly accepted: readonly Evaluation[];
  readonly logs: CapturingLogger;
}

export type PutResponder = (input: PutEvaluationsCommandInput, call: number) => PutEvaluationsCommandOutput;

/** The item's resourceId when it is a string (a damaged item may carry anything there). */
export function resourceIdOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const id = (item as Record<string, unknown>).resourceId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The three clients a rule handler uses (Config, S3, S3 Control), each stubbed with aws-sdk-client-mock (the fault
 * suite's sweep harness talks to Config on the wire instead, test/faults/support/config-wire.ts).
 */
export class MockedRuleClients {
  readonly config = new ConfigServiceClient({ region: 'us-east-1' });
  readonly s3 = new S3Client({ region: 'us-east-1' });
  readonly s3control = new S3ControlClient({ region: 'us-east-1' });
  readonly configMock = mockClient(this.config);
  readonly s3Mock = mockClient(this.s3);
  readonly s3controlMock = mockClient(this.s3control);
  /** createRuleHandler's `clients` dependency. */
  readonly clients = () => ({ config: this.config, s3: this.s3, s3control: this.s3control });

  /** Forgets the recorded calls (sinon keeps every call otherwise); the stubbed answers stay. */
  resetHistory(): void {
    this.configMock.resetHistory();
    this.s3Mock.resetHistory();
    this.s3controlMock.resetHistory();
  }
}

export class RuleHarness {
  readonly logger = new CapturingLogger();
  private readonly aws = new MockedRuleClients();
  private world: RuleWorld = EMPTY_WORLD;
  private puts: PutEvaluationsCommandInput[] = [];
  private accepted: Evaluation[] = [];
  private putCalls = 0;
  private responder: PutResponder = () => ({ FailedEvaluations: [], $metadata: {} });
  readonly handler: (event: unknown) => Promise<HandlerReport>;

  constructor(
    readonly rule: RuleDefinition,
    now: Date = new Date('2025-06-01T12:00:00.000Z'),
  ) {
    this.handler = createRuleHandler(rule, {
      clients: this.aws.clients,
      now: () => now,
      logger: this.logger,
      sleep: async () => undefined,
      random: () => 0.5,
    });
    this.install();
  }

  private install(): void {
    const { configMock, s3Mock, s3controlMock } = this.aws;
    configMock.on(PutEvaluationsCommand).callsFake((input: PutEvaluationsCommandInput) => {
      this.puts.push(input);
      const output = this.responder(input, this.putCalls++);
      const failed = new Set(
        (output.FailedEvaluations ?? []).map((e) => `${e.ComplianceResourceType}\u0000${e.ComplianceResourceId}`),
      );
      for (const evaluation of input.Evaluations ?? []) {
        if (!failed.has(`${evaluation.ComplianceResourceType}\u0000${evaluation.ComplianceResourceId}`)) {
          this.accepted.push(evaluation);
        }
      }
      return output;
    });
    configMock.on(GetResourceConfigHistoryCommand).callsFake(() => {
      const history = this.world.history;
      if (history.kind === 'not-discovered') throw serviceError('ResourceNotDiscoveredException', 400);
      return { configurationItems: history.kind === 'item' ? [history.item] : [] };
    });
    configMock.on(ListDiscoveredResourcesCommand).callsFake(() => ({
      resourceIdentifiers: this.world.sweep
        .map((item) => resourceIdOf(item))
        .filter((id): id is string => id !== undefined)
        .map((resourceId) => ({ resourceType: 'AWS::S3::Bucket', resourceId })),
    }));
    configMock.on(BatchGetResourceConfigCommand).callsFake((input: BatchGetResourceConfigCommandInput) => {
      const keys = input.resourceKeys ?? [];
      const items: unknown[] = [];
      for (const key of keys) {
        if (key.resourceType === 'AWS::S3::AccountPublicAccessBlock') {
          if (this.world.accountItem !== undefined) items.push(this.world.accountItem);
          continue;
        }
        // Config returns the item it holds for the key, damaged or not.
        const found = this.world.sweep.find((item) => resourceIdOf(item) === key.resourceId);
        if (found !== undefined) items.push(found);
      }
      return { baseConfigurationItems: items, unprocessedResourceKeys: [] };
    });
    s3controlMock.on(GetPublicAccessBlockCommand).callsFake(() => {
      const answer = this.world.accountBpa;
      if (answer.kind === 'none') throw serviceError('NoSuchPublicAccessBlockConfiguration', 404);
      if (answer.kind === 'error') throw serviceError(answer.code, answer.status);
      const f = answer.flags;
      return {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: f.blockPublicAcls,
          IgnorePublicAcls: f.ignorePublicAcls,
          BlockPublicPolicy: f.blockPublicPolicy,
          RestrictPublicBuckets: f.restrictPublicBuckets,
        },
      };
    });
    s3Mock.on(GetBucketOwnershipControlsCommand).callsFake(() => {
      const answer = this.world.ownership;
      if (answer === 'none') throw serviceError('OwnershipControlsNotFoundError', 404);
      if (answer === 'error') throw serviceError('AccessDenied', 403);
      if (answer === 'garbage') return { OwnershipControls: { Rules: [] } };
      return { OwnershipControls: { Rules: [{ ObjectOwnership: answer }] } };
    });
  }

  /** Runs one case: resets history (sinon keeps every call otherwise), sets the world, invokes, collects. */
  async invoke(event: unknown, world: RuleWorld = EMPTY_WORLD, responder?: PutResponder): Promise<InvocationResult> {
    this.aws.resetHistory();
    this.logger.clear();
    this.world = world;
    this.puts = [];
    this.accepted = [];
    this.putCalls = 0;
    this.responder = responder ?? (() => ({ FailedEvaluations: [], $metadata: {} }));
    const logs = this.logger;
    try {
      const report = await this.handler(event);
      return { report, puts: this.puts, accepted: this.accepted, logs };
    } catch (error) {
      return { error, puts: this.puts, accepted: this.accepted, logs };
    }
  }
}
