/** Pieces every plan shares: the exemption gate (fail closed) and the tighten-only BPA merge. Pure. */
import { type ExemptionStatus, untilTagKey } from '../../rules/shared/exemptions';
import { BPA_FLAGS, type BpaFlag, type PublicAccessBlockFlags } from '../../rules/shared/types';
import { PASCAL_BPA_NAMES, type SettingChange } from './outcome';

export type ExemptionGate =
  | { readonly proceed: false; readonly reason: string }
  | { readonly proceed: true; readonly note?: string };

/**
 * Active exemption: hands off. Tags unreadable: hands off too (fail closed), since the bucket may be exempt.
 * Expired or unparseable end dates are not honoured, and the plan says so.
 */
export function exemptionGate(exemption: ExemptionStatus, tagKey: string): ExemptionGate {
  switch (exemption.state) {
    case 'active':
      return {
        proceed: false,
        reason: `exempt by tag ${tagKey} (${JSON.stringify(exemption.reason)}${exemption.until ? `, until ${exemption.until}` : ''}): not changed`,
      };
    case 'unknown':
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

export function withNote(reason: string, note: string | undefined): string {
  return note === undefined ? reason : `${reason} (${note})`;
}

/** new = old OR wanted: a flag that is on stays on, whatever the configuration asks for. */
export function tightenBpa(current: PublicAccessBlockFlags | null, wanted: readonly BpaFlag[]): PublicAccessBlockFlags {
  const desired = {} as Record<BpaFlag, boolean>;
  for (const flag of BPA_FLAGS) desired[flag] = (current?.[flag] ?? false) || wanted.includes(flag);
  return desired;
}

export function bpaChanges(current: PublicAccessBlockFlags | null, desired: PublicAccessBlockFlags): SettingChange[] {
  return BPA_FLAGS.filter((flag) => desired[flag] !== (current?.[flag] ?? false)).map((flag) => ({
    setting: PASCAL_BPA_NAMES[flag],
    from: String(current?.[flag] ?? false),
    to: String(desired[flag]),
  }));
}

export function flagList(flags: readonly BpaFlag[]): string {
  return flags.map((flag) => PASCAL_BPA_NAMES[flag]).join(', ');
}
