/**
 * The remediation and notify Lambdas wired to aws-sdk-client-mock S3 / S3 Control clients backed by a small stateful
 * fake (PutPublicAccessBlock changes what the next GetPublicAccessBlock returns), a recording publisher and a
 * recording logger. Every S3 write is recorded with the state it was applied to, so properties can prove that no
 * write ever loosened a setting.
 */
import {
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketVersioningCommand,
  type PutBucketVersioningCommandInput,
  PutPublicAccessBlockCommand,
  type PutPublicAccessBlockCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
  type PutPublicAccessBlockCommandInput as PutAccountPublicAccessBlockCommandInput,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { PublicAccessBlockFlags } from '../../../model/types';
import { InMemoryFlapStore } from '../../../remediation/flap-store/flap-store';
import { remediationResponder } from '../../../remediation/handler';
import type { Email } from '../../../remediation/notify/format';
import { notifyResponder } from '../../../remediation/notify/handler';
import type { ResponderLogger, ResponseSummary } from '../../../remediation/response/respond';
import type { ResponseConfig } from '../../../remediation/runtime/config';
import { snsPublisher } from '../../../remediation/runtime/publish';
import type { Finding } from '../../../remediation/triggers/finding';
import { type FaultInjector, type FaultKind, faultError } from '../../faults/support/fault-injector';
import { serviceError } from './rule-harness';

export type Flags = PublicAccessBlockFlags;

/** How one setting answers: a value, "not configured", or an error. */
export type Answer<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly code: string; readonly status: number };

export interface BucketTemplate {
  readonly bpa: Answer<Flags>;
  readonly versioning: Answer<{ status: 'Enabled' | 'Suspended' | undefined; mfaDelete?: 'Enabled' | 'Disabled' }>;
  readonly tags: Answer<Record<string, string>>;
  /** Writes fail with this error instead of applying. */
  readonly writeError?: { readonly code: string; readonly status: number };
  /** Writes succeed but do not stick (the read-back keeps showing the old value). */
  readonly writeIgnored?: boolean;
}

export interface ResponseWorld {
  /** Every bucket the event names starts from this template. */
  readonly bucket: BucketTemplate;
  readonly account: Answer<Flags>;
  readonly accountWriteError?: { readonly code: string; readonly status: number };
  readonly accountWriteIgnored?: boolean;
  /** SNS Publish fails (the responder must then throw, after handling every finding). */
  readonly publishFails?: boolean;
}

export interface RecordedWrite {
  readonly command: 'PutPublicAccessBlock' | 'PutBucketVersioning' | 'PutAccountPublicAccessBlock';
  readonly target: string;
  readonly input:
    | PutPublicAccessBlockCommandInput
    | PutBucketVersioningCommandInput
    | PutAccountPublicAccessBlockCommandInput;
  /** The setting as it was when the write arrived (undefined: unreadable / not configured). */
  readonly before: Flags | null | { status?: string; mfaDelete?: string } | undefined;
  /** Whether the fake applied it. */
  readonly applied: boolean;
}

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

export interface ResponseResult {
  readonly summary?: ResponseSummary;
  readonly error?: unknown;
  readonly writes: readonly RecordedWrite[];
  readonly emails: readonly { email: Email; finding: Finding }[];
  /** What reached SNS Publish (after the publisher's own fitting), in order. */
  readonly published: readonly PublishCommandInput[];
  readonly logs: readonly LogLine[];
  /** Names of every S3 / S3 Control command sent. */
  readonly commands: readonly string[];
}

interface BucketState {
  bpa: Answer<Flags>;
  versioning: BucketTemplate['versioning'];
  tags: Answer<Record<string, string>>;
}

export function flagsFromInput(
  config:
    | {
        BlockPublicAcls?: boolean;
        IgnorePublicAcls?: boolean;
        BlockPublicPolicy?: boolean;
        RestrictPublicBuckets?: boolean;
      }
    | undefined,
): Flags {
  return {
    blockPublicAcls: config?.BlockPublicAcls === true,
    ignorePublicAcls: config?.IgnorePublicAcls === true,
    blockPublicPolicy: config?.BlockPublicPolicy === true,
    restrictPublicBuckets: config?.RestrictPublicBuckets === true,
  };
}

function flagsOutput(flags: Flags) {
  return {
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: flags.blockPublicAcls,
      IgnorePublicAcls: flags.ignorePublicAcls,
      BlockPublicPolicy: flags.blockPublicPolicy,
      RestrictPublicBuckets: flags.restrictPublicBuckets,
    },
  };
}

export const RESPONSE_NOW = new Date('2025-06-01T12:00:00.000Z');

const THROWN: readonly FaultKind[] = ['throttling', 'throttling-retry-after', '5xx', 'timeout', 'access-denied'];

export class ResponseHarness {
  private readonly s3 = new S3Client({ region: 'us-east-1' });
  private readonly s3control = new S3ControlClient({ region: 'us-east-1' });
  private readonly s3Mock = mockClient(this.s3);
  private readonly s3controlMock = mockClient(this.s3control);
  private readonly sns = new SNSClient({ region: 'us-east-1' });
  private readonly snsMock = mockClient(this.sns);
  private published: PublishCommandInput[] = [];
  private world!: ResponseWorld;
  private buckets = new Map<string, BucketState>();
  private account!: Answer<Flags>;
  private writes: RecordedWrite[] = [];
  private emails: { email: Email; finding: Finding }[] = [];
  private logs: LogLine[] = [];
  private readonly logger: ResponderLogger;
  private readonly remediation: (event: unknown) => Promise<ResponseSummary>;
  private readonly notify: (event: unknown) => Promise<ResponseSummary>;
  private flapStore = new InMemoryFlapStore(1_000, 3_600);

  constructor(
    readonly config: ResponseConfig,
    options: { readonly sleep?: (ms: number) => Promise<void> } = {},
  ) {
    const log =
      (level: LogLine['level']) =>
      (message: string, attributes: Record<string, unknown> = {}): void => {
        this.logs.push({ level, message, attributes });
      };
    this.logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    const wire = snsPublisher(this.sns, `arn:aws:sns:us-east-1:111122223333:bucketguard-alerts`);
    const publish = async (email: Email, finding: Finding): Promise<void> => {
      await wire(email);
      this.emails.push({ email, finding });
    };
    this.remediation = remediationResponder({
      config,
      s3: this.s3,
      s3control: this.s3control,
      publish,
      logger: this.logger,
      // The flap store is replaced per case through this indirection (a fresh window for every generated event).
      flapStore: {
        limit: 1_000,
        windowSeconds: 3_600,
        recordAttempt: (key, now) => this.flapStore.recordAttempt(key, now),
      },
      now: () => RESPONSE_NOW,
      applyOptions: { sleep: options.sleep ?? (async () => undefined), readBackAttempts: 2 },
    });
    this.notify = notifyResponder({ config, publish, logger: this.logger });
    this.install();
  }

  private injector: FaultInjector | undefined;

  /** Throws the injected fault for this call, if the schedule says so. */
  private maybeFail(operation: string, service: 's3' | 's3control' | 'sns'): void {
    const kind = this.injector?.decide(operation, THROWN);
    if (kind) throw faultError(kind, service);
  }

  /** For a write: a thrown fault (nothing applied), a silently ignored write (read-back mismatch), or none. */
  private writeFault(operation: string): FaultKind | undefined {
    return this.injector?.decide(operation, [...THROWN, 'readback-mismatch']);
  }

  private bucket(name: string): BucketState {
    let state = this.buckets.get(name);
    if (!state) {
      state = { bpa: this.world.bucket.bpa, versioning: this.world.bucket.versioning, tags: this.world.bucket.tags };
      this.buckets.set(name, state);
    }
    return state;
  }

  private install(): void {
    this.snsMock.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      if (this.world.publishFails) throw serviceError('InternalErrorException', 500);
      this.maybeFail('Publish', 'sns');
      this.published.push(input);
      return { MessageId: 'fuzz' };
    });
    const fail = (answer: Answer<unknown>): never => {
      if (answer.kind === 'error') throw serviceError(answer.code, answer.status);
      throw new Error('unreachable');
    };
    this.s3Mock.on(GetPublicAccessBlockCommand).callsFake((input: { Bucket?: string }) => {
      this.maybeFail('GetPublicAccessBlock', 's3');
      const answer = this.bucket(String(input.Bucket)).bpa;
      if (answer.kind === 'none') throw serviceError('NoSuchPublicAccessBlockConfiguration', 404);
      if (answer.kind === 'error') return fail(answer);
      return flagsOutput(answer.value);
    });
    this.s3Mock.on(GetBucketVersioningCommand).callsFake((input: { Bucket?: string }) => {
      this.maybeFail('GetBucketVersioning', 's3');
      const answer = this.bucket(String(input.Bucket)).versioning;
      if (answer.kind === 'none') return {};
      if (answer.kind === 'error') return fail(answer);
      return { Status: answer.value.status, ...(answer.value.mfaDelete ? { MFADelete: answer.value.mfaDelete } : {}) };
    });
    this.s3Mock.on(GetBucketTaggingCommand).callsFake((input: { Bucket?: string }) => {
      this.maybeFail('GetBucketTagging', 's3');
      const answer = this.bucket(String(input.Bucket)).tags;
      if (answer.kind === 'none') throw serviceError('NoSuchTagSet', 404);
      if (answer.kind === 'error') return fail(answer);
      return { TagSet: Object.entries(answer.value).map(([Key, Value]) => ({ Key, Value })) };
    });
    this.s3Mock.on(PutPublicAccessBlockCommand).callsFake((input: PutPublicAccessBlockCommandInput) => {
      const name = String(input.Bucket);
      const state = this.bucket(name);
      const before = state.bpa.kind === 'value' ? state.bpa.value : state.bpa.kind === 'none' ? null : undefined;
      const { writeError, writeIgnored } = this.world.bucket;
      const fault = this.writeFault('PutPublicAccessBlock');
      const applied = writeError === undefined && !writeIgnored && fault === undefined;
      this.writes.push({ command: 'PutPublicAccessBlock', target: name, input, before, applied });
      if (writeError) throw serviceError(writeError.code, writeError.status);
      if (fault && fault !== 'readback-mismatch') throw faultError(fault, 's3');
      if (applied) state.bpa = { kind: 'value', value: flagsFromInput(input.PublicAccessBlockConfiguration) };
      return {};
    });
    this.s3Mock.on(PutBucketVersioningCommand).callsFake((input: PutBucketVersioningCommandInput) => {
      const name = String(input.Bucket);
      const state = this.bucket(name);
      const before =
        state.versioning.kind === 'value'
          ? { ...state.versioning.value }
          : state.versioning.kind === 'none'
            ? { status: 'Off' }
            : undefined;
      const { writeError, writeIgnored } = this.world.bucket;
      const fault = this.writeFault('PutBucketVersioning');
      const applied = writeError === undefined && !writeIgnored && fault === undefined;
      this.writes.push({ command: 'PutBucketVersioning', target: name, input, before, applied });
      if (writeError) throw serviceError(writeError.code, writeError.status);
      if (fault && fault !== 'readback-mismatch') throw faultError(fault, 's3');
      if (applied) {
        const mfa = state.versioning.kind === 'value' ? state.versioning.value.mfaDelete : undefined;
        state.versioning = {
          kind: 'value',
          value: {
            status: input.VersioningConfiguration?.Status as 'Enabled' | 'Suspended',
            ...(mfa ? { mfaDelete: mfa } : {}),
          },
        };
      }
      return {};
    });
    this.s3controlMock.on(GetAccountPublicAccessBlockCommand).callsFake(() => {
      this.maybeFail('GetAccountPublicAccessBlock', 's3control');
      const answer = this.account;
      if (answer.kind === 'none') throw serviceError('NoSuchPublicAccessBlockConfiguration', 404);
      if (answer.kind === 'error') return fail(answer);
      return flagsOutput(answer.value);
    });
    this.s3controlMock
      .on(PutAccountPublicAccessBlockCommand)
      .callsFake((input: PutAccountPublicAccessBlockCommandInput) => {
        const before =
          this.account.kind === 'value' ? this.account.value : this.account.kind === 'none' ? null : undefined;
        const fault = this.writeFault('PutAccountPublicAccessBlock');
        const applied =
          this.world.accountWriteError === undefined && !this.world.accountWriteIgnored && fault === undefined;
        this.writes.push({
          command: 'PutAccountPublicAccessBlock',
          target: String(input.AccountId),
          input,
          before,
          applied,
        });
        if (this.world.accountWriteError)
          throw serviceError(this.world.accountWriteError.code, this.world.accountWriteError.status);
        if (fault && fault !== 'readback-mismatch') throw faultError(fault, 's3control');
        if (applied) this.account = { kind: 'value', value: flagsFromInput(input.PublicAccessBlockConfiguration) };
        return {};
      });
  }

  private reset(world: ResponseWorld): void {
    this.s3Mock.resetHistory();
    this.s3controlMock.resetHistory();
    this.snsMock.resetHistory();
    this.published = [];
    this.world = world;
    this.buckets = new Map();
    this.account = world.account;
    this.writes = [];
    this.emails = [];
    this.logs = [];
    this.flapStore = new InMemoryFlapStore(1_000, 3_600);
  }

  private commandNames(): string[] {
    return [...this.s3Mock.calls(), ...this.s3controlMock.calls()].map((call) => {
      const command = call.args[0] as { constructor: { name: string } };
      return command.constructor.name;
    });
  }

  /** The fake's current setting for a bucket (after the invocation: what a later read would return). */
  bucketState(name: string): { bpa: Answer<Flags>; versioning: BucketTemplate['versioning'] } | undefined {
    return this.buckets.get(name);
  }

  accountState(): Answer<Flags> {
    return this.account;
  }

  async invoke(
    role: 'remediation' | 'notify',
    event: unknown,
    world: ResponseWorld,
    injector?: FaultInjector,
    options: { readonly keepState?: boolean } = {},
  ): Promise<ResponseResult> {
    this.injector = injector;
    if (options.keepState) {
      // A Lambda retry of the same event: the S3 settings stay as the first attempt left them.
      const buckets = this.buckets;
      const account = this.account;
      this.reset(world);
      this.buckets = buckets;
      this.account = account;
    } else {
      this.reset(world);
    }
    const run = role === 'remediation' ? this.remediation : this.notify;
    const recorded = () => ({
      writes: this.writes,
      emails: this.emails,
      published: this.published,
      logs: this.logs,
      commands: this.commandNames(),
    });
    try {
      return { summary: await run(event), ...recorded() };
    } catch (error) {
      return { error, ...recorded() };
    }
  }
}
