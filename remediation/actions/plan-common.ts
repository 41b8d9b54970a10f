/** Pieces every plan shares: the bucket checks with their exemption gate, the tighten-only BPA plan. */
import type { ExemptionDecision } from '../../model/approved-exemptions';
import {
  BPA_FLAGS,
  type BpaFlag,
  type ConfigItemStatus,
  type Fact,
  isDeletedStatus,
  type PublicAccessBlockFlags,
} from '../../model/types';
import { PASCAL_BPA_NAMES, type Plan, type SettingChange, type SettingSnapshot } from './outcome';

type ExemptionGate =
  | { readonly proceed: false; readonly reason: string }
  | { readonly proceed: true; readonly note?: string };

/**
 * Only an approved list entry keeps hands off. A tag without one, unreadable tags and an unreadable list are no
 * exemption (issue 13: a member who can tag the bucket, or deny bucketguard the read, must not switch the fix off);
 * the plan says so.
 */
function exemptionGate(exemption: ExemptionDecision): ExemptionGate {
  switch (exemption.state) {
    case 'approved':
      return {
        proceed: false,
        reason: `exempt until ${exemption.entry.until}, approved by ${exemption.entry.approver} (${JSON.stringify(exemption.entry.reason)}): not changed`,
      };
    case 'requested':
      return { proceed: true, note: 'exemption requested by tag, not approved' };
    case 'unreadable':
      return { proceed: true, note: `the exemption list could not be read (${exemption.why}): no exemption applies` };
    case 'none':
      return { proceed: true };
  }
}

type SkipPlan = Extract<Plan<never>, { kind: 'skip' }>;

/** The bucket plan's input these checks read. */
export interface BucketPlanInput {
  readonly bucket: { readonly status: ConfigItemStatus };
  /** The approved list's decision for this bucket and action (decideExemption). */
  readonly exemption: ExemptionDecision;
}

/** The setting a bucket action manages: its live value, its name in words, its snapshot for the outcome. */
export interface ManagedSetting<T> {
  readonly fact: Fact<T>;
  /** `versioning status`: in `cannot read the bucket's versioning status (…)`. */
  readonly what: string;
  readonly snapshot: (value: T) => SettingSnapshot;
}

/**
 * What every bucket plan checks first, in this order: the bucket still exists; no approved exemption applies
 * (exemptionGate); the managed setting can be read. Either the skip plan, or the setting's value and the gate's note.
 */
export function bucketPlanGate<T>(
  input: BucketPlanInput,
  setting: ManagedSetting<T>,
):
  | { readonly proceed: false; readonly plan: SkipPlan }
  | { readonly proceed: true; readonly value: T; readonly note?: string } {
  const { status } = input.bucket;
  if (isDeletedStatus(status)) {
    return { proceed: false, plan: { kind: 'skip', reason: 'the bucket no longer exists' } };
  }
  const gate = exemptionGate(input.exemption);
  const { fact } = setting;
  if (!gate.proceed) {
    return {
      proceed: false,
      plan: fact.known
        ? { kind: 'skip', reason: gate.reason, before: setting.snapshot(fact.value) }
        : { kind: 'skip', reason: gate.reason },
    };
  }
  if (!fact.known) {
    return {
      proceed: false,
      plan: { kind: 'skip', reason: `cannot read the bucket's ${setting.what} (${fact.reason}): not changed` },
    };
  }
  return { proceed: true, value: fact.value, note: gate.note };
}

export function withNote(reason: string, note: string | undefined): string {
  return note === undefined ? reason : `${reason} (${note})`;
}

/** new = old OR wanted: a flag that is on stays on, whatever the configuration asks for. */
function tightenBpa(current: PublicAccessBlockFlags | null, wanted: readonly BpaFlag[]): PublicAccessBlockFlags {
  const desired = {} as Record<BpaFlag, boolean>;
  for (const flag of BPA_FLAGS) desired[flag] = (current?.[flag] ?? false) || wanted.includes(flag);
  return desired;
}

function bpaChanges(current: PublicAccessBlockFlags | null, desired: PublicAccessBlockFlags): SettingChange[] {
  return BPA_FLAGS.filter((flag) => desired[flag] !== (current?.[flag] ?? false)).map((flag) => ({
    setting: PASCAL_BPA_NAMES[flag],
    from: String(current?.[flag] ?? false),
    to: String(desired[flag]),
  }));
}

function flagList(flags: readonly BpaFlag[]): string {
  return flags.map((flag) => PASCAL_BPA_NAMES[flag]).join(', ');
}

/**
 * The tighten-only Block Public Access plan from readable flags, bucket or account: no-change when every wanted flag
 * is already on. `note` (the exemption gate's) ends both reasons; `changeSuffix` ends only the change reason.
 */
export function planBpa(
  current: PublicAccessBlockFlags | null,
  wanted: readonly BpaFlag[],
  note: string | undefined,
  changeSuffix = '',
): Plan<PublicAccessBlockFlags> {
  const before = { kind: 'bpa', flags: current } as const;
  const desired = tightenBpa(current, wanted);
  const changes = bpaChanges(current, desired);
  if (changes.length === 0)
    return { kind: 'no-change', reason: withNote(`${flagList(wanted)} already on`, note), before };
  return {
    kind: 'change',
    reason: withNote(`turn on ${changes.map((change) => change.setting).join(', ')}${changeSuffix}`, note),
    before,
    desired,
    changes,
  };
}
