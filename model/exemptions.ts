import { BoundedMemo } from './bounded-memo';
import type { Fact } from './types';

/**
 * How a deployment names and uses exemptions (rule parameters `exemptionTag`, `exemptions`, `exemptionsParameter`,
 * `maxExemptionDays`). The tag is only a request: an approved list entry (approved-exemptions.ts) grants.
 */
export interface ExemptionSettings {
  /** Tag with which a bucket's owner requests an exemption; its value is the reason, `<tagKey>-until` the end date. */
  readonly tagKey: string;
  /** off: nothing is exempt, whatever the list says. */
  readonly enabled: boolean;
  /** SSM parameter holding the approved list; absent = no list, nothing is approved. */
  readonly parameterName?: string;
  /** Entries ending further away than this are not honoured (default 90). */
  readonly maxDays?: number;
}

export const DEFAULT_EXEMPTION_TAG = 'bucketguard:exempt';
export const DEFAULT_EXEMPTION_SETTINGS: ExemptionSettings = { tagKey: DEFAULT_EXEMPTION_TAG, enabled: true };

export type ExemptionStatus =
  | { readonly state: 'none' }
  | { readonly state: 'disabled' }
  | { readonly state: 'active'; readonly reason: string; readonly until?: string }
  | { readonly state: 'expired'; readonly reason: string; readonly until: string }
  /** The until tag is present but not a date: not honoured (fail safe), and said so. */
  | { readonly state: 'invalid'; readonly reason: string; readonly untilRaw: string }
  /** Tags could not be read: rules evaluate normally and say so; remediation does nothing (fail closed). */
  | { readonly state: 'unknown'; readonly why: string };

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO-8601 date-time; the zone is optional (none means UTC, so the verdict never depends on the host's TZ). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;

/** `new Date()` rolls 2026-02-30 over to March 2; a typo must not silently become another day. */
function isCalendarDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day)
  );
}

/** A date-only value exempts through the end of that day (UTC); a full timestamp until that instant. */
export function parseUntil(raw: string): Date | undefined {
  // An exemption end date is one of a few values repeated on many buckets, and every bucket rule reads it: each text
  // is read once (kept as a number, as a Date can be changed by whoever receives it).
  let time = PARSED_UNTIL.get(raw);
  if (time === undefined) time = PARSED_UNTIL.remember(raw, parseUntilUncached(raw)?.getTime() ?? null);
  return time === null ? undefined : new Date(time);
}

const PARSED_UNTIL = new BoundedMemo<string, number | null>(256);

function parseUntilUncached(raw: string): Date | undefined {
  const trimmed = raw.trim();
  const dateOnly = DATE_ONLY.exec(trimmed);
  if (dateOnly) {
    if (!isCalendarDate(dateOnly[1], dateOnly[2], dateOnly[3])) return undefined;
    return new Date(`${trimmed}T23:59:59.999Z`);
  }
  const dateTime = DATE_TIME.exec(trimmed);
  if (!dateTime || !isCalendarDate(dateTime[1], dateTime[2], dateTime[3])) return undefined;
  if (Number(dateTime[4]) > 23 || Number(dateTime[5]) > 59 || Number(dateTime[6] ?? '0') > 59) return undefined;
  const date = new Date(dateTime[7] === undefined ? `${trimmed}Z` : trimmed);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function untilTagKey(settings: ExemptionSettings): string {
  return `${settings.tagKey}-until`;
}

/** Own string-valued tag only: a tag key such as `constructor` must not find Object.prototype members. */
function tagValue(tags: Readonly<Record<string, string>>, key: string): string | undefined {
  if (!Object.hasOwn(tags, key)) return undefined;
  const value: unknown = tags[key];
  return typeof value === 'string' ? value : undefined;
}

export function checkExemption(
  tags: Fact<Readonly<Record<string, string>>>,
  settings: ExemptionSettings,
  now: Date,
): ExemptionStatus {
  if (!settings.enabled) return { state: 'disabled' };
  if (!tags.known) return { state: 'unknown', why: tags.reason };
  const reasonRaw = tagValue(tags.value, settings.tagKey);
  if (reasonRaw === undefined) return { state: 'none' };
  const reason = reasonRaw.trim() === '' ? '(no reason given)' : reasonRaw.trim();
  const untilRaw = tagValue(tags.value, untilTagKey(settings));
  if (untilRaw === undefined) return { state: 'active', reason };
  const until = parseUntil(untilRaw);
  if (!until) return { state: 'invalid', reason, untilRaw };
  const untilText = untilRaw.trim();
  return until.getTime() >= now.getTime()
    ? { state: 'active', reason, until: untilText }
    : { state: 'expired', reason, until: untilText };
}
