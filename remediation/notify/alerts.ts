/**
 * The high-severity part of an email: tampering (a read denied to bucketguard), a fix contested by a concurrent
 * writer, remediation stopped by the anti-flapping limit, and a brake that could not be checked. Pure.
 */
import { isHighSeverity, type Outcome } from '../actions/outcome';
import type { RecheckMarker } from '../response/recheck';
import { field, paragraph, section, untrusted } from './text';

export type Severity = 'high' | 'normal';

export function severityOf(outcomes: readonly Outcome[]): Severity {
  return outcomes.some(isHighSeverity) ? 'high' : 'normal';
}

/** The subject tag of a set of outcomes, strongest first; undefined when no outcome says anything. */
export function outcomeTag(outcomes: readonly Outcome[]): string | undefined {
  if (outcomes.some((outcome) => outcome.tampering !== undefined)) return 'TAMPERING';
  if (outcomes.some((outcome) => outcome.status === 'failed')) return 'FIX FAILED';
  if (outcomes.some((outcome) => outcome.flapping !== undefined)) return 'STOPPED';
  if (outcomes.some((outcome) => outcome.contested?.restored === true)) return 'RESTORED';
  if (outcomes.some((outcome) => outcome.status === 'changed' && outcome.brakeUnavailable !== undefined)) {
    return 'FIXED (NO BRAKE)';
  }
  if (outcomes.some((outcome) => outcome.status === 'changed')) return 'FIXED';
  if (outcomes.some((outcome) => outcome.status === 'would-change')) return 'DRY RUN';
  const skipped = outcomes.filter((outcome) => outcome.status === 'skipped');
  if (skipped.length === 0) return undefined;
  return skipped.every((outcome) => outcome.exemption?.state === 'approved') ? 'EXEMPT' : 'NOT FIXED';
}

/** `{ severity: 'high' }` for a high-severity email, nothing otherwise. */
export function severityField(outcomes: readonly Outcome[]): { readonly severity?: 'high' } {
  return severityOf(outcomes) === 'high' ? { severity: 'high' } : {};
}

/** Why this is high severity, one paragraph per sign, in words a responder can act on. */
export function alertSection(outcomes: readonly Outcome[], recheck: RecheckMarker | undefined): string[] {
  const lines: string[] = [];
  for (const outcome of outcomes) {
    const who = `${outcome.action} on ${untrusted(outcome.target)}`;
    if (outcome.tampering) {
      lines.push(
        ...paragraph(
          `Tampering: bucketguard's role was denied ${outcome.tampering.denied.map((call) => untrusted(call)).join(', ')} ` +
            `(${who}). A bucket policy, an SCP or a permissions boundary denies bucketguard the read; find who added the ` +
            'deny. The fix went ahead where it does not need the read.',
          2,
        ),
      );
    }
    if (outcome.contested) {
      const flags = outcome.contested.flags.map((flag) => untrusted(flag)).join(', ');
      lines.push(
        ...paragraph(
          `Contested: a concurrent writer turned ${flags} off during the fix (${who}); ` +
            (outcome.contested.restored ? 'bucketguard restored them.' : 'bucketguard could not restore them.'),
          2,
        ),
      );
    }
    if (outcome.flapping) {
      const { recheck: scheduled, windowEndsAt } = outcome.flapping;
      const next = scheduled
        ? scheduled.scheduled
          ? `A one-time re-check is scheduled for ${untrusted(scheduled.at)}: if the bucket is still open then, it is fixed again.`
          : `No re-check could be scheduled (${untrusted(scheduled.detail)}): re-run remediation by hand after ${untrusted(windowEndsAt ?? scheduled.at)}.`
        : windowEndsAt
          ? `Remediation resumes with the next finding after ${untrusted(windowEndsAt)}.`
          : '';
      lines.push(
        ...paragraph(
          `Stopped: something keeps undoing ${who} (${outcome.flapping.count} fixes within ${outcome.flapping.windowSeconds} s). ${next}`.trim(),
          2,
        ),
      );
    }
    if (outcome.brakeUnavailable) {
      lines.push(
        ...paragraph(
          `No brake: the anti-flapping counter could not be updated (${untrusted(outcome.brakeUnavailable)}); ` +
            `${who} was applied anyway. Check the flap table and the remediation role.`,
          2,
        ),
      );
    }
  }
  if (lines.length === 0 && recheck === undefined) return [];
  return section('Alert', [
    ...(lines.length > 0 ? field('Severity', 'HIGH') : []),
    ...(recheck !== undefined
      ? paragraph(
          `This is bucketguard's scheduled re-check: the anti-flapping limit stopped ${untrusted(recheck.action)} on ` +
            `${untrusted(recheck.target)} until ${untrusted(recheck.windowEndsAt)}; the live state was read again.`,
          2,
        )
      : []),
    ...lines,
  ]);
}
