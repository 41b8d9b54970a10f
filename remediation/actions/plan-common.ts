/** Pieces every plan shares: the bucket checks with their exemption gate (fail closed), the tighten-only BPA plan. */
import { type ExemptionStatus, untilTagKey } from '../../model/exemptions';
import {
  BPA_FLAGS,
  type BpaFlag,
  type ConfigItemStatus,
  type Fact,
  isDeletedStatus,
  type PublicAccessBlockFlags,
} from '../../model/types';
import { PASCAL_BPA_NAMES, type Plan, type SettingChange, type SettingSnapshot } from './outcome';
import { deniedOperation } from './tampering';

type ExemptionGate =
  | { readonly proceed: false; readonly reason: string }
  | { readonly proceed: true; readonly note?: string };

/**
 * Active exemption: hands off. Tags unreadable: hands off too (fail closed), since the bucket may be exempt, unless
 * the read was denied to bucketguard (tampering: the fix goes ahead).
 * Expired or unparseable end dates are not honoured, and the plan says so.
 */
function exemptionGate(exemption: ExemptionStatus, tagKey: string): ExemptionGate {
  switch (exemption.state) {
    case 'active':
      return {
        proceed: false,
        reason: `exempt by tag ${tagKey} (${JSON.stringify(exemption.reason)}${exemption.until ? `, until ${exemption.until}` : ''}): not changed`,
      };
    case 'unknown':
      // A denied read is something the bucket's owner can cause (a bucket policy denying bucketguard): never a
      // reason to stop. The engine reports it as tampering. Any other failure (throttling, 5xx) stays fail-closed.
      if (deniedOperation(exemption.why) !== undefined) {
        return { proceed: true, note: `tags unreadable (${exemption.why}): no exemption can be honoured` };
      }
      return {
        proceed: false,
        reason: `cannot read the bucket's tags (${exemption.why}), so an exemption cannot be ruled out: not changed`,
      };
    case 'expired':
      return { proceed: true, note: `exemption ${JSON.stringify(exemption.reason)} expired ${exemption.until}` };
    case 'invalid':
      return {
        proceed: true,
        note: `exemption ignored: ${untilTagKey({ tagKey, enabled: true })}=${JSON.stringify(exemption.untilRaw)} is not a date`,
      };
    case 'none':
    case 'disabled':
      return { proceed: true };
  }
}

type SkipPlan = Extract<Plan<never>, { kind: 'skip' }>;

/** The bucket plan's input these checks read. */
export interface BucketPlanInput {
  readonly bucket: { readonly status: ConfigItemStatus };
  readonly exemption: ExemptionStatus;
  readonly exemptionTag: string;
}

/** The setting a bucket action manages: its live value, its name in words, its snapshot for the outcome. */
export interface ManagedSetting<T> {
  readonly fact: Fact<T>;
  /** `versioning status`: in `cannot read the bucket's versioning status (…)`. */
  readonly what: string;
  readonly snapshot: (value: T) => SettingSnapshot;
}

/**
 * What every bucket plan checks first, in this order: the bucket still exists; no exemption applies (exemptionGate,
 * fail closed); the managed setting can be read. Either the skip plan, or the setting's value and the gate's note.
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
  const gate = exemptionGate(input.exemption, input.exemptionTag);
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
