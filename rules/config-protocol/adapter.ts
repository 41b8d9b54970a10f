/**
 * The AWS Config protocol, written once for every rule: message types (change, oversized, scheduled), deleted and
 * out-of-scope resources, rule parameters, outside facts (account BPA, Object Ownership), ordering timestamps,
 * PutEvaluations batching and retries, TestMode. Decisions stay in the rules; this file only moves data.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import {
  type ResourceType as ConfigResourceType,
  GetResourceConfigHistoryCommand,
} from '@aws-sdk/client-config-service';
import type { Context } from 'aws-lambda';
import { describeAwsError, readBucketState } from '../../aws/live-s3';
import { mapWithConcurrency } from '../../aws/pool';
import {
  MalformedInputError,
  type NormalizedItem,
  normalizeConfigurationItem,
  toIsoTimestamp,
} from '../../model/normalize';
import type { AccountRuleDefinition, BucketRuleDefinition, RuleDefinition } from '../../model/rule-definition';
import {
  type AccountBpaState,
  type BucketState,
  type EvaluationContext,
  type Fact,
  isDeletedStatus,
  known,
  type ObjectOwnership,
  type PublicAccessBlockFlags,
  unknown,
} from '../../model/types';
import { parseRuleParameters } from '../parameters';
import { evaluateAccount, evaluateBucket } from '../run-rule';
import { readAccountBpa } from './account-bpa';
import { defaultRuleClients, type RuleClients } from './clients';
import {
  type InvalidInvocationError,
  type InvokingEvent,
  identifyRawItem,
  parseInvocation,
  type RawResourceIdentity,
  type RuleInvocation,
  withBatchGetTags,
} from './config-event';
import { APPLICABLE_STATUSES, fromResult, notApplicable, nounFor, type Outcome, statusAnnotation } from './outcomes';
import {
  DEFAULT_RETRY,
  EvaluationDeliveryError,
  type EvaluationRecord,
  EvaluationSink,
  type RetryPolicy,
  type UndeliveredEvaluation,
} from './put-evaluations';
import { recordedBucketPages, type SweepReader } from './sweep';

export type { RuleClients } from './clients';
export { InvalidInvocationError } from './config-event';
export { EvaluationDeliveryError, type EvaluationRecord } from './put-evaluations';

export interface HandlerOptions {
  /** Client factory; defaults to one set per Lambda container (clients.ts). */
  readonly clients?: () => RuleClients;
  readonly now?: () => Date;
  readonly logger?: Logger;
  /**
   * Re-sends of PutEvaluations FailedEvaluations and BatchGetResourceConfig unprocessed keys: attempts and backoff
   * base. Throttling, 5xx and timeouts are the SDK's to retry (clients.ts), never retried here again.
   */
  readonly retry?: RetryPolicy;
  /** Backoff sleeper and jitter source, injectable so tests never wait in real time. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Parallel live reads (Object Ownership) during a sweep. */
  readonly concurrency?: number;
}

export interface HandlerReport {
  /** Evaluations Config accepted. */
  readonly delivered: number;
  /** Everything sent to PutEvaluations, in order (full annotations; truncated only on the wire). */
  readonly evaluations: readonly EvaluationRecord[];
  readonly testMode: boolean;
  readonly messageType: string;
  /** Why the event produced no (or fewer) evaluations than a normal one: unknown message type, no resource identity. */
  readonly problem?: string;
}

const ACCOUNT_BPA_TYPE = 'AWS::S3::AccountPublicAccessBlock';
const BUCKET_TYPE = 'AWS::S3::Bucket';
const DEFAULT_CONCURRENCY = 8;

let moduleLogger: Logger | undefined;
function defaultLogger(): Logger {
  moduleLogger ??= new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'bucketguard-rules' });
  return moduleLogger;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Binds a rule to the Config protocol. The returned function is the Lambda handler; with Lambda's context, every log
 * line of the invocation carries its request id, cold start and function name (the CLI and tests pass none).
 */
export function createRuleHandler(
  rule: RuleDefinition,
  options: HandlerOptions = {},
): (event: unknown, context?: Context) => Promise<HandlerReport> {
  return async (event: unknown, context?: Context): Promise<HandlerReport> => {
    const logger = options.logger ?? defaultLogger();
    if (context) logger.addContext(context);
    let invocation: RuleInvocation;
    try {
      invocation = parseInvocation(event);
    } catch (error) {
      logger.error('Invocation rejected', { rule: rule.id, problem: (error as InvalidInvocationError).problem });
      throw error;
    }
    const clients = (options.clients ?? defaultRuleClients)();
    const run = new InvocationRun(rule, invocation, clients, options.now?.() ?? new Date(), logger, options);
    return run.execute();
  };
}

type ParsedParameters =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

/** The sweep's parallel item reads: at least one, whatever a caller passes. */
function workerCount(concurrency: number | undefined): number {
  return Math.max(1, Math.trunc(concurrency ?? DEFAULT_CONCURRENCY));
}

/** One invocation: parameters parsed once, account BPA read once per account, evaluations streamed to Config. */
class InvocationRun {
  private readonly sink: EvaluationSink;
  private readonly reader: SweepReader;
  private readonly params: ParsedParameters;
  private readonly accountCache = new Map<string, Promise<Fact<PublicAccessBlockFlags | null>>>();
  private readonly failures: UndeliveredEvaluation[] = [];
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly rule: RuleDefinition,
    private readonly invocation: RuleInvocation,
    private readonly clients: RuleClients,
    private readonly now: Date,
    private readonly logger: Logger,
    private readonly options: HandlerOptions,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.sink = new EvaluationSink(clients.config, {
      resultToken: invocation.resultToken,
      testMode: invocation.testMode,
      retry: this.retry,
      sleep: this.sleep,
      random: this.random,
      onRetry: (info) => logger.warn('Retrying PutEvaluations', { rule: rule.id, ...info }),
    });
    this.reader = {
      config: clients.config,
      retry: this.retry,
      sleep: this.sleep,
      random: this.random,
      logger,
      onUnread: (failure) => this.failures.push(failure),
    };
    this.params = this.parseParameters();
  }

  private parseParameters(): ParsedParameters {
    try {
      return { ok: true, value: parseRuleParameters(this.rule, this.invocation.ruleParameters) };
    } catch (error) {
      // Decision: every resource evaluated by this invocation gets NOT_APPLICABLE "Invalid rule parameters: ..."
      // so the misconfiguration is visible on the rule in the Config console; never a COMPLIANT guess.
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error('Invalid rule parameters', { rule: this.rule.id, problem: message });
      return { ok: false, message };
    }
  }

  async execute(): Promise<HandlerReport> {
    const event = this.invocation.invokingEvent;
    let problem: string | undefined;
    let thrown: unknown;
    try {
      problem = await this.dispatch(event);
    } catch (error) {
      thrown = error;
    }
    await this.sink.flush();
    const undelivered = [...this.failures, ...this.sink.undelivered];
    const delivered = this.sink.delivered;
    const summary = {
      rule: this.rule.id,
      configRuleName: this.invocation.configRuleName,
      messageType: event.messageType,
      testMode: this.invocation.testMode,
      delivered,
    };
    if (undelivered.length > 0) {
      const also = thrown === undefined ? undefined : describeAwsError(thrown);
      this.logger.error('Evaluations not delivered', { ...summary, undelivered, alsoFailed: also });
      throw new EvaluationDeliveryError(undelivered, delivered, also);
    }
    if (thrown !== undefined) {
      this.logger.error('Invocation failed', { ...summary, error: describeAwsError(thrown) });
      throw thrown;
    }
    if (problem) this.logger.warn('Invocation produced no evaluation for the event', { ...summary, problem });
    else this.logger.info('Evaluations delivered', summary);
    return {
      delivered,
      evaluations: this.sink.records,
      testMode: this.invocation.testMode,
      messageType: event.messageType,
      ...(problem ? { problem } : {}),
    };
  }

  private async dispatch(event: InvokingEvent): Promise<string | undefined> {
    switch (event.kind) {
      case 'change':
        return this.onChange(event.configurationItem, event.notificationCreationTime);
      case 'oversized':
        return this.onOversized(event.summary, event.notificationCreationTime);
      case 'scheduled':
        return this.onScheduled(event.awsAccountId, event.notificationCreationTime);
      case 'unsupported':
        return `Unsupported messageType "${event.messageType}": this rule handles ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification and ScheduledNotification; nothing was evaluated.`;
    }
  }

  // ------------------------------------------------------------------------------------------------ message types

  private async onChange(rawItem: unknown, notificationTime: string | undefined): Promise<string | undefined> {
    const identity = identifyRawItem(rawItem);
    if (!identity) {
      return 'ConfigurationItemChangeNotification without a configurationItem that has a resourceType and resourceId; nothing to evaluate.';
    }
    const timestamp = this.timestampOf(identity.captureTime, notificationTime);
    await this.evaluateRaw(rawItem, identity, timestamp, 'config-invocation');
    return undefined;
  }

  private async onOversized(
    summary: RawResourceIdentity | undefined,
    notificationTime: string | undefined,
  ): Promise<string | undefined> {
    if (!summary) {
      return 'OversizedConfigurationItemChangeNotification without a configurationItemSummary that has a resourceType and resourceId; nothing to evaluate.';
    }
    const timestamp = this.timestampOf(summary.captureTime, notificationTime);
    if (this.invocation.eventLeftScope) return this.emitLeftScope(summary, timestamp);
    if (summary.status && !APPLICABLE_STATUSES.has(summary.status)) {
      await this.emit(
        notApplicable(summary, statusAnnotation(nounFor(summary.resourceType), summary.status), timestamp),
      );
      return undefined;
    }
    const captureIso = toIsoTimestamp(summary.captureTime);
    let item: unknown;
    try {
      const response = await this.clients.config.send(
        new GetResourceConfigHistoryCommand({
          resourceType: summary.resourceType as ConfigResourceType,
          resourceId: summary.resourceId,
          ...(captureIso ? { laterTime: new Date(captureIso) } : {}),
          limit: 1,
        }),
      );
      item = response.configurationItems?.[0];
    } catch (error) {
      if ((error as { name?: unknown })?.name !== 'ResourceNotDiscoveredException') throw error;
      await this.emit(
        notApplicable(
          summary,
          'AWS Config has not discovered this resource (ResourceNotDiscoveredException); nothing to evaluate.',
          timestamp,
        ),
      );
      return undefined;
    }
    if (item === undefined) {
      await this.emit(
        notApplicable(
          summary,
          'AWS Config returned no configuration item for this oversized change notification; nothing to evaluate.',
          timestamp,
        ),
      );
      return undefined;
    }
    await this.evaluateRaw(item, identifyRawItem(item) ?? summary, timestamp, 'config-api');
    return undefined;
  }

  private async onScheduled(
    eventAccountId: string | undefined,
    notificationTime: string | undefined,
  ): Promise<string | undefined> {
    const timestamp = this.timestampOf(undefined, notificationTime);
    const accountId = eventAccountId ?? this.invocation.accountId;
    const rule = this.rule;
    if (rule.target === 'account') {
      if (!accountId)
        return 'ScheduledNotification without an account id (awsAccountId or accountId); nothing to evaluate.';
      await this.emitAll(await this.evaluateAccountPeriodic(rule, accountId, timestamp));
      return undefined;
    }
    await this.sweep(timestamp, undefined, undefined);
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------- item dispatch

  /** Left scope / malformed / typed dispatch of one raw configuration item. */
  private async evaluateRaw(
    rawItem: unknown,
    identity: RawResourceIdentity,
    timestamp: string,
    source: 'config-invocation' | 'config-api',
  ): Promise<void> {
    if (this.invocation.eventLeftScope) {
      await this.emitLeftScope(identity, timestamp);
      return;
    }
    let item: NormalizedItem;
    try {
      item = normalizeConfigurationItem(rawItem, source);
    } catch (error) {
      await this.emit(this.malformed(identity, error, timestamp));
      return;
    }
    await this.emitAll(await this.evaluateItem(item, this.timestampOf(item.captureTime, timestamp)));
  }

  private async evaluateItem(item: NormalizedItem, timestamp: string): Promise<Outcome[]> {
    const rule = this.rule;
    if (item.kind === 'other') {
      return [
        notApplicable(
          item,
          `This rule evaluates ${rule.resourceTypes.join(' and ')}; ${item.resourceType} is not in its scope.`,
          timestamp,
        ),
      ];
    }
    if (item.kind === 'bucket') {
      if (rule.target === 'account') {
        return [
          notApplicable(
            { resourceType: BUCKET_TYPE, resourceId: item.name },
            'This rule evaluates the account-level Block Public Access setting, not buckets.',
            timestamp,
          ),
        ];
      }
      return [await this.evaluateBucketState(rule, item, timestamp, undefined)];
    }
    // An AWS::S3::AccountPublicAccessBlock item.
    const identity = { resourceType: ACCOUNT_BPA_TYPE, resourceId: item.accountId };
    if (rule.target === 'account') return this.evaluateAccountItem(rule, item, timestamp);
    if (!rule.resourceTypes.includes(ACCOUNT_BPA_TYPE)) {
      return [
        notApplicable(
          identity,
          `This rule evaluates ${rule.resourceTypes.join(' and ')}; ${ACCOUNT_BPA_TYPE} is not in its scope.`,
          timestamp,
        ),
      ];
    }
    if (item.status === 'ResourceNotRecorded') {
      return [notApplicable(identity, statusAnnotation(nounFor(ACCOUNT_BPA_TYPE), item.status), timestamp)];
    }
    // Account-level BPA changed: every bucket's exposure may have changed, so re-evaluate them all with the new
    // setting from the item (normalize gives a deleted configuration known(null): all four flags off).
    const sweepTime = this.timestampOf(undefined, this.invocation.invokingEvent.notificationCreationTime);
    const evaluated = await this.sweep(sweepTime, item.publicAccessBlock, item.accountId);
    return [
      notApplicable(
        identity,
        `This rule evaluates buckets; the account-level Block Public Access change re-evaluated ${evaluated} bucket(s).`,
        timestamp,
      ),
    ];
  }

  // -------------------------------------------------------------------------------------------------- buckets

  private async evaluateBucketState(
    rule: BucketRuleDefinition<unknown>,
    bucket: BucketState,
    timestamp: string,
    accountBpaOverride: Fact<PublicAccessBlockFlags | null> | undefined,
  ): Promise<Outcome> {
    const identity = { resourceType: BUCKET_TYPE, resourceId: bucket.name };
    if (!APPLICABLE_STATUSES.has(bucket.status)) {
      return notApplicable(identity, statusAnnotation('Bucket', bucket.status), timestamp);
    }
    if (!this.params.ok) return notApplicable(identity, `Invalid rule parameters: ${this.params.message}`, timestamp);
    const accountId = bucket.accountId ?? this.invocation.accountId;
    const accountBpa =
      accountBpaOverride ??
      (rule.needs.accountBpa
        ? await this.resolveAccountBpa(accountId)
        : unknown<PublicAccessBlockFlags | null>('not read: this rule does not use it'));
    const state =
      rule.needs.ownership && !bucket.ownership.known
        ? { ...bucket, ownership: await this.liveOwnership(bucket) }
        : bucket;
    const context: EvaluationContext = { accountBpa, now: this.now };
    try {
      const result = evaluateBucket(rule, state, this.params.value, context);
      return fromResult(result, timestamp);
    } catch (error) {
      return this.evaluationFailed(identity, error);
    }
  }

  private async liveOwnership(bucket: BucketState): Promise<Fact<ObjectOwnership | null>> {
    const recorded = bucket.ownership.known ? '' : bucket.ownership.reason;
    try {
      const live = await readBucketState(this.clients.s3, bucket.name, {
        parts: ['ownership'],
        ...(bucket.accountId ? { accountId: bucket.accountId } : {}),
        ...(bucket.region ? { region: bucket.region } : {}),
      });
      if (live.ownership.known) return live.ownership;
      return unknown(`${recorded}; live read: ${live.ownership.reason}`);
    } catch (error) {
      return unknown(`${recorded}; live read: ${describeAwsError(error)}`);
    }
  }

  /**
   * Periodic sweep (and account-BPA fan-out): every recorded bucket, 100 per ListDiscoveredResources page and per
   * BatchGetResourceConfig call, evaluated and streamed to PutEvaluations page by page. Returns how many buckets
   * were evaluated. Keys BatchGetResourceConfig leaves unprocessed are retried; any still unread fail the invocation.
   */
  private async sweep(
    timestamp: string,
    accountBpaOverride: Fact<PublicAccessBlockFlags | null> | undefined,
    onlyAccountId: string | undefined,
  ): Promise<number> {
    const rule = this.rule;
    if (rule.target !== 'bucket') return 0;
    let evaluated = 0;
    for await (const { ids, items } of recordedBucketPages(this.reader)) {
      const outcomes = await mapWithConcurrency(items, workerCount(this.options.concurrency), async (raw) => {
        // An item whose resourceType is damaged still names the bucket we asked for: NOT_APPLICABLE with the
        // reason, not a bucket that silently drops out of the sweep.
        const listed = typeof raw.resourceId === 'string' && ids.includes(raw.resourceId) ? raw.resourceId : undefined;
        const identity =
          identifyRawItem(raw) ?? (listed ? { resourceType: BUCKET_TYPE, resourceId: listed } : undefined);
        if (!identity) return undefined;
        let item: NormalizedItem;
        try {
          item = normalizeConfigurationItem(raw, 'config-api');
        } catch (error) {
          return this.malformed(identity, error, timestamp);
        }
        if (item.kind !== 'bucket') {
          // Listed as a bucket, recorded as something else: say so for that bucket rather than drop it.
          const type = item.kind === 'account' ? ACCOUNT_BPA_TYPE : item.resourceType;
          const problem = `AWS Config returned a ${JSON.stringify(type).slice(0, 80)} item for this listed bucket; nothing was evaluated.`;
          this.logger.warn('Listed bucket not evaluated', { resourceId: identity.resourceId, problem });
          return notApplicable({ resourceType: BUCKET_TYPE, resourceId: identity.resourceId }, problem, timestamp);
        }
        if (onlyAccountId && item.accountId && item.accountId !== onlyAccountId) return undefined;
        return this.evaluateBucketState(rule, withBatchGetTags(item, raw), timestamp, accountBpaOverride);
      });
      for (const outcome of outcomes) {
        if (!outcome) continue;
        evaluated++;
        await this.emit(outcome);
      }
    }
    return evaluated;
  }

  // ------------------------------------------------------------------------------------------------- accounts

  private async evaluateAccountItem(
    rule: AccountRuleDefinition<unknown>,
    item: AccountBpaState,
    timestamp: string,
  ): Promise<Outcome[]> {
    const identity = { resourceType: ACCOUNT_BPA_TYPE, resourceId: item.accountId };
    if (!this.params.ok) return [notApplicable(identity, `Invalid rule parameters: ${this.params.message}`, timestamp)];
    if (isDeletedStatus(item.status)) {
      // The account-level configuration was removed: the resource itself is gone (NOT_APPLICABLE, so no stale
      // COMPLIANT stays on it) and the rule judges what the removal means for the account (all four flags off).
      return [
        notApplicable(identity, statusAnnotation(nounFor(ACCOUNT_BPA_TYPE), item.status), timestamp),
        this.runAccountRule(rule, item.accountId, item, known(null), timestamp),
      ];
    }
    return [this.runAccountRule(rule, item.accountId, item, item.publicAccessBlock, timestamp)];
  }

  /** Periodic: no item; the rule gets `account` undefined and the live (or Config) reading in context.accountBpa. */
  private async evaluateAccountPeriodic(
    rule: AccountRuleDefinition<unknown>,
    accountId: string,
    timestamp: string,
  ): Promise<Outcome[]> {
    if (!this.params.ok) {
      return [
        notApplicable(
          { resourceType: 'AWS::::Account', resourceId: accountId },
          `Invalid rule parameters: ${this.params.message}`,
          timestamp,
        ),
      ];
    }
    return [this.runAccountRule(rule, accountId, undefined, await this.resolveAccountBpa(accountId), timestamp)];
  }

  private runAccountRule(
    rule: AccountRuleDefinition<unknown>,
    accountId: string,
    account: AccountBpaState | undefined,
    bpa: Fact<PublicAccessBlockFlags | null>,
    timestamp: string,
  ): Outcome {
    try {
      const result = evaluateAccount(rule, accountId, account, this.params.ok ? this.params.value : undefined, {
        accountBpa: bpa,
        now: this.now,
      });
      return fromResult(result, timestamp);
    } catch (error) {
      return this.evaluationFailed({ resourceType: ACCOUNT_BPA_TYPE, resourceId: accountId }, error);
    }
  }

  /**
   * Account-level BPA: s3control GetPublicAccessBlock first (live, authoritative; "none" is known(null)), then the
   * AWS::S3::AccountPublicAccessBlock item in Config; when neither can be read, unknown with both reasons.
   * Read once per account per invocation.
   */
  private resolveAccountBpa(accountId: string | undefined): Promise<Fact<PublicAccessBlockFlags | null>> {
    if (!accountId) {
      return Promise.resolve(unknown('the account id is not in the event or the configuration item'));
    }
    let pending = this.accountCache.get(accountId);
    if (!pending) {
      pending = readAccountBpa(this.clients, accountId, this.logger);
      this.accountCache.set(accountId, pending);
    }
    return pending;
  }

  // -------------------------------------------------------------------------------------------------- output

  /** The item's capture time, else the notification's creation time, else now (ISO-8601). */
  private timestampOf(captureTime: unknown, fallback: string | undefined): string {
    return toIsoTimestamp(captureTime) ?? toIsoTimestamp(fallback) ?? this.now.toISOString();
  }

  private async emitLeftScope(identity: RawResourceIdentity, timestamp: string): Promise<undefined> {
    await this.emit(notApplicable(identity, 'The resource is no longer in the scope of this rule.', timestamp));
    return undefined;
  }

  private malformed(identity: RawResourceIdentity, error: unknown, timestamp: string): Outcome {
    if (!(error instanceof MalformedInputError)) return this.evaluationFailed(identity, error);
    this.logger.warn('Malformed configuration item', {
      resourceType: identity.resourceType,
      resourceId: identity.resourceId,
      problem: error.message,
    });
    return notApplicable(identity, `Malformed configuration item: ${error.message}`, timestamp);
  }

  /** A bug, not bad input: nothing is reported for the resource and the invocation fails naming it. */
  private evaluationFailed(resource: { resourceType: string; resourceId: string }, error: unknown): Outcome {
    const reason = `evaluation failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    this.logger.error('Evaluation failed', { ...resource, reason });
    return { failure: { resourceType: resource.resourceType, resourceId: resource.resourceId, reason }, error };
  }

  private async emit(outcome: Outcome): Promise<void> {
    if ('record' in outcome) await this.sink.add(outcome.record);
    else this.failures.push(outcome.failure);
  }

  private async emitAll(outcomes: readonly Outcome[]): Promise<void> {
    for (const outcome of outcomes) await this.emit(outcome);
  }
}
