/**
 * Plan, apply, verify for one bucket or one account: read the live state (the trigger may be stale), plan each
 * requested action from it, and in remediate mode apply, read back and verify. Any doubt means no change and an
 * outcome that says why. Used by the remediation Lambda, the per-action handlers, replay and `scan --remediate`.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { type BucketPart, describeAwsError, readAccountPublicAccessBlock, readBucketState } from '../../aws/live-s3';
import {
  type ApprovedExemption,
  type ApprovedExemptionContext,
  decideExemption,
  exemptionsInForce,
  NO_APPROVED_EXEMPTIONS,
} from '../../model/approved-exemptions';
import { checkExemption, type ExemptionSettings } from '../../model/exemptions';
import {
  type AccountBpaState,
  BPA_FLAGS,
  type BpaFlag,
  type BucketState,
  type Fact,
  known,
  unknown,
} from '../../model/types';
import type { ActionId, RemediationMode } from '../actions/action-definition';
import type { ApplyOptions, ApplyResult } from '../actions/apply-common';
import type { Outcome, Plan, SettingSnapshot } from '../actions/outcome';
import { deniedRead } from '../actions/tampering';
import { applyBlockAccountPublicAccess } from '../block-account-public-access/apply';
import { planBlockAccountPublicAccess } from '../block-account-public-access/plan';
import { applyBlockPublicAccess } from '../block-public-access/apply';
import { planBlockPublicAccess } from '../block-public-access/plan';
import { applyEnableVersioning } from '../enable-versioning/apply';
import { planEnableVersioning } from '../enable-versioning/plan';
import { type FlapStore, flapKey } from '../flap-store/flap-store';

export interface RemediateOptions {
  readonly mode: RemediationMode;
  /** Per-action overrides of `mode` (BUCKETGUARD_ACTION_MODES). */
  readonly modes?: Readonly<Partial<Record<ActionId, RemediationMode>>>;
  /** Requested actions; those for the other kind of target are ignored. */
  readonly actions: readonly ActionId[];
  /** Default: all four flags. */
  readonly bpaFlags?: readonly BpaFlag[];
  /**
   * The approved exemption list (read from SSM by the caller, at most once per finding); absent = none approved.
   * An unreadable list is no exemption: the fix goes ahead and the outcome says why.
   */
  readonly approved?: () => Promise<ApprovedExemptionContext>;
}

export interface RemediateAccountOptions extends RemediateOptions {
  /** Apply account-level BPA even while approved bucket exemptions exist in the account (default false). */
  readonly accountBpaOverridesExemptions?: boolean;
}

export interface RemediateBucketOptions extends RemediateOptions {
  /** The request tag's key (a tag is only a request; the approved list decides). */
  readonly exemption: ExemptionSettings;
  /** Flags the triggering request turned on (a PutBucketPublicAccessBlock record): a partial-flags fix keeps them on. */
  readonly requestedOn?: readonly BpaFlag[];
}

interface CommonDeps {
  /** Without one there is no anti-flapping guard (one-shot runs such as `scan --remediate`). */
  readonly flapStore?: FlapStore;
  readonly now?: () => Date;
  readonly applyOptions?: ApplyOptions;
}

export interface RemediateBucketDeps extends CommonDeps {
  readonly s3: S3Client;
}

export interface RemediateAccountDeps extends CommonDeps {
  readonly s3control: S3ControlClient;
}

/** A bucket to act on; `accountId` becomes ExpectedBucketOwner on every write. */
export interface BucketRef {
  readonly name: string;
  readonly accountId?: string;
  readonly region?: string;
}

const BUCKET_ACTIONS: readonly ActionId[] = ['block-public-access', 'enable-versioning'];

interface ActionRun<T> {
  readonly action: ActionId;
  readonly targetKind: 'bucket' | 'account';
  readonly target: string;
  readonly mode: RemediationMode;
  readonly plan: Plan<T>;
  readonly planned: (desired: T) => SettingSnapshot;
  readonly apply: (desired: T) => Promise<ApplyResult>;
  readonly exemption?: Outcome['exemption'];
  readonly neutralises?: Outcome['neutralises'];
  /** Reads of the live state that were denied to bucketguard (tampering). */
  readonly denied?: readonly string[];
}

function tamperingOf(...lists: readonly (readonly string[] | undefined)[]): Pick<Outcome, 'tampering'> {
  const denied = [...new Set(lists.flatMap((list) => list ?? []))];
  return denied.length > 0 ? { tampering: { denied } } : {};
}

async function run<T>(step: ActionRun<T>, deps: CommonDeps, now: Date): Promise<Outcome> {
  const { plan } = step;
  const base = {
    action: step.action,
    targetKind: step.targetKind,
    target: step.target,
    mode: step.mode,
    ...(step.exemption !== undefined ? { exemption: step.exemption } : {}),
    ...(step.neutralises !== undefined && step.neutralises.length > 0 ? { neutralises: step.neutralises } : {}),
    ...(plan.before !== undefined ? { before: plan.before } : {}),
    ...tamperingOf(step.denied),
  };
  if (plan.kind === 'skip') return { ...base, status: 'skipped', reason: plan.reason, changes: [] };
  if (plan.kind === 'no-change') return { ...base, status: 'no-change', reason: plan.reason, changes: [] };
  if (step.mode === 'notify') {
    return {
      ...base,
      status: 'would-change',
      reason: `dry run: would ${plan.reason}`,
      changes: plan.changes,
      after: step.planned(plan.desired),
    };
  }
  // The anti-flapping limit is a brake against a fight with IaC, not a safety gate: when its counter cannot be
  // updated, the fix is applied anyway and the email says so (an attacker who breaks the table gains nothing).
  let brakeUnavailable: string | undefined;
  if (deps.flapStore) {
    const store = deps.flapStore;
    let count: Awaited<ReturnType<FlapStore['recordAttempt']>> | undefined;
    try {
      count = await store.recordAttempt(flapKey(step.action, step.target), now);
    } catch (error) {
      brakeUnavailable = describeAwsError(error);
    }
    if (count !== undefined && count.count > store.limit) {
      const windowEndsAt = new Date(count.windowStartedAt.getTime() + store.windowSeconds * 1000).toISOString();
      return {
        ...base,
        status: 'skipped',
        reason:
          `already remediated ${count.count - 1} times since ${count.windowStartedAt.toISOString()} ` +
          `(limit ${store.limit} per ${store.windowSeconds} s): something keeps undoing it, so bucketguard stopped ` +
          `until ${windowEndsAt}; find and fix the source`,
        changes: plan.changes,
        flapping: { count: count.count - 1, limit: store.limit, windowSeconds: store.windowSeconds, windowEndsAt },
      };
    }
  }
  let result: ApplyResult;
  try {
    result = await step.apply(plan.desired);
  } catch (error) {
    result = { status: 'failed', reason: `unexpected error while applying: ${describeAwsError(error)}` };
  }
  return {
    ...base,
    status: result.status,
    reason:
      brakeUnavailable === undefined
        ? result.reason
        : `${result.reason} (the anti-flapping counter could not be updated: ${brakeUnavailable}; applied anyway)`,
    changes: plan.changes,
    ...(result.after !== undefined ? { after: result.after } : {}),
    ...tamperingOf(step.denied, result.denied),
    ...(result.contested !== undefined ? { contested: result.contested } : {}),
    ...(brakeUnavailable !== undefined ? { brakeUnavailable } : {}),
  };
}

function modeOf(options: RemediateOptions, action: ActionId): RemediationMode {
  return options.modes?.[action] ?? options.mode;
}

/** Plans (and in remediate mode applies) the requested bucket actions for one bucket, reading it live first. */
export async function remediateBucketRef(
  bucket: BucketRef,
  options: RemediateBucketOptions,
  deps: RemediateBucketDeps,
): Promise<Outcome[]> {
  const actions = BUCKET_ACTIONS.filter((action) => options.actions.includes(action));
  if (actions.length === 0) return [];
  const clock = deps.now ?? (() => new Date());
  const parts: BucketPart[] = ['tags'];
  if (actions.includes('block-public-access')) parts.push('publicAccessBlock');
  if (actions.includes('enable-versioning')) parts.push('versioning');
  const live = await readBucketState(deps.s3, bucket.name, {
    parts,
    ...(bucket.accountId !== undefined ? { accountId: bucket.accountId } : {}),
    ...(bucket.region !== undefined ? { region: bucket.region } : {}),
    now: clock,
  });
  const now = clock();
  // Unreadable tags are only an unknown request: the approved list alone decides, so a deny cannot block the fix.
  const request = checkExemption(live.tags, options.exemption, now);
  const approved = options.approved ? await options.approved() : NO_APPROVED_EXEMPTIONS;
  const account = bucket.accountId ?? approved.homeAccount ?? '';
  const decide = (action: ActionId) =>
    decideExemption(approved.list, request, {
      bucket: bucket.name,
      account,
      homeAccount: approved.homeAccount ?? account,
      subject: { kind: 'action', id: action },
      now,
      maxDays: approved.maxDays,
    });
  const deniedTags = deniedRead(live.tags);
  const ref = { bucket: bucket.name, ...(bucket.accountId !== undefined ? { expectedOwner: bucket.accountId } : {}) };
  const outcomes: Outcome[] = [];
  const runOnBucket = <T>(
    action: ActionId,
    exemption: Outcome['exemption'],
    step: Pick<ActionRun<T>, 'plan' | 'planned' | 'apply'>,
    deniedSetting: string | undefined,
  ) =>
    run(
      {
        action,
        targetKind: 'bucket',
        target: bucket.name,
        mode: modeOf(options, action),
        exemption,
        ...step,
        denied: [deniedTags, deniedSetting].filter((operation): operation is string => operation !== undefined),
      },
      deps,
      now,
    );
  for (const action of actions) {
    if (action === 'block-public-access') {
      const wanted = options.bpaFlags ?? BPA_FLAGS;
      const exemption = decide(action);
      outcomes.push(
        await runOnBucket(
          action,
          exemption,
          {
            plan: planBlockPublicAccess({ bucket: live, exemption, wanted }),
            planned: (flags) => ({ kind: 'bpa', flags }),
            apply: (desired) =>
              applyBlockPublicAccess(
                deps.s3,
                ref,
                { desired, wanted, ...(options.requestedOn ? { requestOn: options.requestedOn } : {}) },
                deps.applyOptions,
              ),
          },
          deniedRead(live.publicAccessBlock),
        ),
      );
    } else {
      const before = live.versioning.known ? live.versioning.value : undefined;
      const exemption = decide(action);
      outcomes.push(
        await runOnBucket(
          action,
          exemption,
          {
            plan: planEnableVersioning({ bucket: live, exemption }),
            planned: () => ({
              kind: 'versioning',
              versioning: { status: 'Enabled', mfaDelete: before?.mfaDelete ?? null },
            }),
            apply: () => applyEnableVersioning(deps.s3, ref, deps.applyOptions),
          },
          deniedRead(live.versioning),
        ),
      );
    }
  }
  return outcomes;
}

/** For `bucketguard scan --remediate` and the per-action handlers: the state given is only used for its name/owner. */
export function remediateBucket(
  bucket: BucketState | string,
  options: RemediateBucketOptions,
  deps: RemediateBucketDeps,
): Promise<Outcome[]> {
  const ref: BucketRef =
    typeof bucket === 'string'
      ? { name: bucket }
      : {
          name: bucket.name,
          ...(bucket.accountId !== undefined ? { accountId: bucket.accountId } : {}),
          ...(bucket.region !== undefined ? { region: bucket.region } : {}),
        };
  return remediateBucketRef(ref, options, deps);
}

/** The approved entries of `accountId` in force now: what account-level BPA would neutralise. */
function inForce(approved: ApprovedExemptionContext, accountId: string, now: Date): Fact<ApprovedExemption[]> {
  if (!approved.list.known) return unknown(approved.list.reason);
  return known(
    exemptionsInForce(approved.list.value, accountId, approved.homeAccount ?? accountId, now, approved.maxDays),
  );
}

/**
 * block-account-public-access for one account, reading its live settings first. It overrides every bucket of the
 * account: the approved exemptions it would neutralise are listed first, and by default it does not apply while any
 * exist (accountBpaOverridesExemptions).
 */
export async function remediateAccount(
  account: AccountBpaState | string,
  options: RemediateAccountOptions,
  deps: RemediateAccountDeps,
): Promise<Outcome[]> {
  if (!options.actions.includes('block-account-public-access')) return [];
  const accountId = typeof account === 'string' ? account : account.accountId;
  const clock = deps.now ?? (() => new Date());
  const live = await readAccountPublicAccessBlock(deps.s3control, accountId);
  const wanted = options.bpaFlags ?? BPA_FLAGS;
  const action = 'block-account-public-access';
  const approved = options.approved ? await options.approved() : NO_APPROVED_EXEMPTIONS;
  const exemptions = inForce(approved, accountId, clock());
  return [
    await run(
      {
        action,
        targetKind: 'account',
        target: accountId,
        mode: modeOf(options, action),
        plan: planBlockAccountPublicAccess({
          accountId,
          publicAccessBlock: live,
          wanted,
          exemptions,
          overrideExemptions: options.accountBpaOverridesExemptions === true,
        }),
        ...(exemptions.known ? { neutralises: exemptions.value } : {}),
        planned: (flags) => ({ kind: 'bpa', flags }),
        apply: (flags) => applyBlockAccountPublicAccess(deps.s3control, accountId, flags, deps.applyOptions),
      },
      deps,
      clock(),
    ),
  ];
}
