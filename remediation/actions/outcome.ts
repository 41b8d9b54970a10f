/** Plans and outcomes of the remediation actions: the words the email, the logs, the metrics and the CLI share. */
import type { ApprovedExemption, ExemptionDecision } from '../../model/approved-exemptions';
import { BPA_FLAGS, type PublicAccessBlockFlags, type VersioningState } from '../../model/types';
import type { ActionId, RemediationMode } from './action-definition';

/** One setting moving from one value to another, e.g. `BlockPublicAcls: false -> true`. */
export interface SettingChange {
  readonly setting: string;
  readonly from: string;
  readonly to: string;
}

/** The setting an action manages, as read (before) or as read back (after). */
export type SettingSnapshot =
  | { readonly kind: 'bpa'; readonly flags: PublicAccessBlockFlags | null }
  | { readonly kind: 'versioning'; readonly versioning: VersioningState }
  /** The setting could not be read (e.g. a bucket policy denies bucketguard the read); `reason` says why. */
  | { readonly kind: 'unread'; readonly reason: string };

/**
 * A plan is computed purely from live state + exemption + settings. `skip` means "do not touch" (exempt, deleted,
 * unreadable state); `no-change` means already compliant (idempotence); `change` says exactly what would be set.
 */
export type Plan<TDesired> =
  | { readonly kind: 'skip'; readonly reason: string; readonly before?: SettingSnapshot }
  | { readonly kind: 'no-change'; readonly reason: string; readonly before: SettingSnapshot }
  | {
      readonly kind: 'change';
      readonly reason: string;
      readonly before: SettingSnapshot;
      readonly desired: TDesired;
      readonly changes: readonly SettingChange[];
    };

export type OutcomeStatus = 'would-change' | 'changed' | 'no-change' | 'skipped' | 'failed';

export interface Outcome {
  readonly action: ActionId;
  readonly targetKind: 'bucket' | 'account';
  /** Bucket name or account id. */
  readonly target: string;
  readonly mode: RemediationMode;
  readonly status: OutcomeStatus;
  /** One sentence: why this status. */
  readonly reason: string;
  /** Planned (would-change), applied (changed) or attempted (failed) changes. */
  readonly changes: readonly SettingChange[];
  readonly before?: SettingSnapshot;
  /** Read back after applying (changed, failed) or the planned value (would-change). */
  readonly after?: SettingSnapshot;
  readonly exemption?: ExemptionDecision;
  /** block-account-public-access: the approved bucket exemptions of the account it overrides (or would). */
  readonly neutralises?: readonly ApprovedExemption[];
  /** Set when the anti-flapping guard stopped this remediation. */
  readonly flapping?: FlapStop;
  /**
   * Reads of bucketguard's own role that were denied (a bucket policy or an SCP denying GetBucketPublicAccessBlock,
   * GetBucketTagging): reported as tampering, high severity. The fix went ahead where it does not need the read.
   */
  readonly tampering?: { readonly denied: readonly string[] };
  /** A concurrent writer turned off flags bucketguard had just written (or that were on): restored, and reported. */
  readonly contested?: { readonly flags: readonly string[]; readonly restored: boolean };
  /** The anti-flapping counter could not be updated: the fix was applied anyway (the limit is a brake, not a gate). */
  readonly brakeUnavailable?: string;
}

export interface FlapStop {
  readonly count: number;
  readonly limit: number;
  readonly windowSeconds: number;
  /** ISO-8601: when the current window ends and remediation may resume. */
  readonly windowEndsAt?: string;
  /** The one-time re-check at the end of the window (EventBridge Scheduler), once the handler scheduled it. */
  readonly recheck?: { readonly at: string; readonly scheduled: boolean; readonly detail: string };
}

/** Emails and metrics of these outcomes are high severity: tampering, a stopped fix, a contested one, no brake. */
export function isHighSeverity(outcome: Outcome): boolean {
  return (
    outcome.tampering !== undefined ||
    outcome.flapping !== undefined ||
    outcome.contested !== undefined ||
    outcome.brakeUnavailable !== undefined
  );
}

export const PASCAL_BPA_NAMES: Readonly<Record<(typeof BPA_FLAGS)[number], string>> = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
};

/** `BlockPublicAcls=true, IgnorePublicAcls=false, …` or `none (all four off)`. */
export function describeBpa(flags: PublicAccessBlockFlags | null): string {
  if (flags === null) return 'none (all four off)';
  return BPA_FLAGS.map((flag) => `${PASCAL_BPA_NAMES[flag]}=${flags[flag]}`).join(', ');
}

export function describeVersioning(versioning: VersioningState): string {
  const mfa = versioning.mfaDelete === null ? '' : `, MFA delete ${versioning.mfaDelete ? 'on' : 'off'}`;
  return `${versioning.status}${mfa}`;
}

export function describeSnapshot(snapshot: SettingSnapshot): string {
  switch (snapshot.kind) {
    case 'bpa':
      return describeBpa(snapshot.flags);
    case 'versioning':
      return describeVersioning(snapshot.versioning);
    case 'unread':
      return `unknown (${snapshot.reason})`;
  }
}
