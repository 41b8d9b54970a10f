/**
 * The AWS Config protocol, written once for every rule: message types (change, oversized, scheduled), deleted and
 * out-of-scope resources, rule parameters, outside facts (account BPA, Object Ownership), ordering timestamps,
 * PutEvaluations batching and retries, TestMode. Decisions stay in the rules; this file only moves data.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describeAwsError } from '../../aws/live-s3';
import type { ApprovedExemptionContext } from '../../model/approved-exemptions';
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
  type PublicAccessBlockFlags,
  unknown,
} from '../../model/types';
import { parseRuleParameters } from '../parameters';
import { evaluateAccount, evaluateBucket } from '../run-rule';
import { loadApprovedExemptions } from './approved-list';
import { defaultRuleClients, type RuleClients } from './clients';
import {
  type InvalidInvocationError,
  type InvokingEvent,
  identifyRawItem,
  parseInvocation,
  type RawResourceIdentity,
  type RuleInvocation,
} from './config-event';
import { handOverSweep, type SweepContext, type SweepContinuer, SweepDeadline, sweepContext } from './continuation';
import { APPLICABLE_STATUSES, fromResult, notApplicable, nounFor, type Outcome, statusAnnotation } from './outcomes';
import { fetchOversizedItem, readAccountBpa, readLiveOwnership } from './outside-reads';
import {
  DEFAULT_RETRY,
  EvaluationDeliveryError,
  type EvaluationRecord,
  EvaluationSink,
  type RetryPolicy,
  type UndeliveredEvaluation,
} from './put-evaluations';
import type { SweepReader } from './sweep';
import { runSweep, type SweepHost, type SweepResult } from './sweep-run';

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
  /**
   * How a sweep too long for one invocation goes on (continuation.ts). Default, with a Lambda context: an
   * asynchronous invocation of this function. `false`, or no context (CLI, tests): the sweep runs to its end.
   */
  readonly continueSweep?: SweepContinuer | false;
  /** Milliseconds clock for the sweep's page timing (default Date.now; the bench simulates time). */
  readonly clock?: () => number;
}

export interface HandlerReport {
  /** Evaluations Config accepted. */
  readonly delivered: number;
  /** What was sent to PutEvaluations, in order (full annotations; truncated only on the wire); the first 10,000. */
  readonly evaluations: readonly EvaluationRecord[];
  readonly testMode: boolean;
  readonly messageType: string;
  /** Why the event produced no (or fewer) evaluations than a normal one: unknown message type, no resource identity. */
  readonly problem?: string;
  /** Set when a sweep handed the rest over to a new invocation: that invocation's number and why. */
  readonly continued?: { readonly invocation: number; readonly reason: string };
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
    const sweep = sweepContext(event, context, options.continueSweep);
    if (sweep instanceof Error) {
      logger.error('Invocation rejected', { rule: rule.id, problem: sweep.message });
      throw sweep;
    }
    const clients = (options.clients ?? defaultRuleClients)();
    const run = new InvocationRun(rule, invocation, clients, options.now?.() ?? new Date(), logger, options, sweep);
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
class InvocationRun implements SweepHost {
  private readonly sink: EvaluationSink;
  readonly reader: SweepReader;
  private continuation: Extract<SweepResult, { kind: 'continue' }> | undefined;
  private readonly params: ParsedParameters;
  private readonly accountCache = new Map<string, Promise<Fact<PublicAccessBlockFlags | null>>>();
  private exemptionList: Promise<ApprovedExemptionContext> | undefined;
  private readonly failures: UndeliveredEvaluation[] = [];
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly rule: RuleDefinition,
    private readonly invocation: RuleInvocation,
    private readonly clients: RuleClients,
    private readonly now: Date,
    readonly logger: Logger,
    private readonly options: HandlerOptions,
    private readonly sweepContext: SweepContext,
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
    let undelivered = [...this.failures, ...this.sink.undelivered];
    const delivered = this.sink.delivered;
    const summary = {
      rule: this.rule.id,
      configRuleName: this.invocation.configRuleName,
      messageType: event.messageType,
      testMode: this.invocation.testMode,
      delivered,
    };
    let continued: HandlerReport['continued'];
    if (thrown === undefined && this.continuation) {
      continued = await handOverSweep(this.sweepContext, this.continuation, this.logger, {
        ...summary,
        ...(this.continuation.failed ? { retriedThere: undelivered } : {}),
      });
      // What a failed page left undelivered is the next invocation's to send (it re-reads that page).
      if (this.continuation.failed) undelivered = [];
    }
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
      ...(continued ? { continued } : {}),
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
    const fetched = await fetchOversizedItem(this.clients.config, summary);
    if ('missing' in fetched) {
      await this.emit(notApplicable(summary, fetched.missing, timestamp));
      return undefined;
    }
    await this.evaluateRaw(fetched.item, identifyRawItem(fetched.item) ?? summary, timestamp, 'config-api');
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
    // Said once, by the invocation that finishes the fan-out.
    if (evaluated === 'continued') return [];
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
        ? { ...bucket, ownership: await readLiveOwnership(this.clients.s3, bucket) }
        : bucket;
    const context: EvaluationContext = { accountBpa, now: this.now, exemptions: await this.approvedExemptions() };
    try {
      const result = evaluateBucket(rule, state, this.params.value, context);
      return fromResult(result, timestamp);
    } catch (error) {
      return this.evaluationFailed(identity, error);
    }
  }

  /**
   * The approved list, read at most once per invocation and only when a bucket is evaluated (never for deleted,
   * out-of-scope or account items): a sweep of 10,000 buckets makes one GetParameter. Not cached across
   * invocations, so an edited list applies at the next evaluation; an entry's end date is checked at each decision
   * against this invocation's time, so the periodic evaluation ends an expired exemption without any bucket change.
   */
  private approvedExemptions(): Promise<ApprovedExemptionContext> {
    this.exemptionList ??= loadApprovedExemptions(
      this.clients,
      this.params.ok ? this.params.value : undefined,
      this.invocation.accountId,
      this.now,
      this.logger,
      this.rule.id,
    );
    return this.exemptionList;
  }

  /**
   * Periodic sweep (and account-BPA fan-out): every recorded bucket, page by page (sweep.ts, sweep-run.ts), each page
   * evaluated and delivered before the next is read. Returns how many buckets the whole sweep evaluated, or
   * 'continued' when a new invocation takes over the rest.
   */
  private async sweep(
    timestamp: string,
    accountBpaOverride: Fact<PublicAccessBlockFlags | null> | undefined,
    onlyAccountId: string | undefined,
  ): Promise<number | 'continued'> {
    if (this.rule.target !== 'bucket') return 0;
    const { remainingMs, checkpoint } = this.sweepContext;
    const result = await runSweep(this, {
      timestamp,
      accountBpaOverride,
      onlyAccountId,
      checkpoint,
      deadline: remainingMs ? new SweepDeadline(remainingMs, this.options.clock ?? Date.now) : undefined,
    });
    if (result.kind === 'done') return result.evaluated;
    this.continuation = result;
    return 'continued';
  }

  // SweepHost: what runSweep uses of this invocation.
  get concurrency(): number {
    return workerCount(this.options.concurrency);
  }
  evaluateBucket(
    bucket: BucketState,
    timestamp: string,
    accountBpa: Fact<PublicAccessBlockFlags | null> | undefined,
  ): Promise<Outcome> {
    const rule = this.rule;
    if (rule.target !== 'bucket') throw new Error('a sweep evaluates bucket rules only');
    return this.evaluateBucketState(rule, bucket, timestamp, accountBpa);
  }

  flush(): Promise<void> {
    return this.sink.flush();
  }
  undeliveredIds(): readonly string[] {
    return [...this.failures, ...this.sink.undelivered].map((failure) => failure.resourceId);
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

  malformed(identity: RawResourceIdentity, error: unknown, timestamp: string): Outcome {
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

  async emit(outcome: Outcome): Promise<void> {
    if ('record' in outcome) await this.sink.add(outcome.record);
    else this.failures.push(outcome.failure);
  }

  private async emitAll(outcomes: readonly Outcome[]): Promise<void> {
    for (const outcome of outcomes) await this.emit(outcome);
  }
}
