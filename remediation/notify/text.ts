/**
 * Plain-text building blocks for the emails: labelled fields, wrapping, subjects SNS accepts, console links.
 * Every text passes stripControls on its way in (no email carries escape, control or format characters), and values
 * marked with untrusted() are capped, optionally quoted, and kept off the start of a line.
 */
import { capLength, headWithin, inertText, quotedText, stripControls } from '../../model/inert-text';

export const SUBJECT_PREFIX = '[bucketguard]';
/** SNS: "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters long." */
export const MAX_SUBJECT_LENGTH = 99;
const LABEL_WIDTH = 14;
const LINE_WIDTH = 76;
/** Cap on one field or paragraph as a whole (its untrusted values are capped one by one, at MAX_VALUE_LENGTH). */
const MAX_TEXT_LENGTH = 4096;

// Untrusted spans inside a text are marked by two private-use characters, which untrusted() removes from the values
// themselves; the helpers below strip them after using them to keep untrusted words off the start of a line.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKERS = /[\uE000\uE001]/g;

/**
 * An untrusted value (from an event or a resource) for field(), paragraph() and subjectLine(): stripped of escape
 * sequences and control/format characters, capped, and marked so that a wrapped value never begins a line.
 * `quoted` (free text: user agents, error messages, Sids, tag values, descriptions) shows it in double quotes;
 * identifiers (bucket names, ARNs, ids) are marked but unquoted, their label says what they are.
 */
export function untrusted(value: string, style: 'quoted' | 'identifier' = 'identifier'): string {
  const clean = value.replace(MARKERS, '');
  return `${OPEN}${style === 'quoted' ? quotedText(clean) : inertText(clean)}${CLOSE}`;
}

/** The longest value a subject keeps whole: a bucket name (3-63) and an account id (12) always fit. */
const MAX_KEPT_LENGTH = 63;

function cleanSubjectText(text: string): string {
  return stripControls(text).replace(MARKERS, '').replace(/\s+/g, ' ').trim();
}

/** `text` cut to at most `room` UTF-16 units with "..." (never half a surrogate pair). */
function cutTo(text: string, room: number): string {
  return text.length <= room ? text : `${headWithin(text, room - 3).trimEnd()}...`;
}

/**
 * Never a control or format character (stripControls), every kind of space as one ASCII space, within SNS's limit.
 * `keep` (the bucket name, the account id) is never cut: when the whole subject is too long, the kept values move to
 * the front, right after the verdict, and the rest of the headline is shortened instead; if even that is too long the
 * "[bucketguard]" prefix goes (the verdict and the kept values stay).
 */
export function subjectLine(tag: string, headline: string, keep: readonly string[] = []): string {
  const clean = cleanSubjectText(`${SUBJECT_PREFIX} ${tag}: ${headline}`);
  // Within 99 UTF-16 units, so within 99 characters however SNS counts them.
  if (clean.length <= MAX_SUBJECT_LENGTH) return clean;
  const kept = keep
    .map((value) => cleanSubjectText(value))
    .filter((value) => value !== '')
    .map((value) => cutTo(value, MAX_KEPT_LENGTH));
  const plain = cutTo(clean, MAX_SUBJECT_LENGTH);
  // A plain cut that leaves every kept value whole (a bucket named early in the headline) is the better subject.
  if (kept.length === 0 || kept.every((value) => plain.slice(0, -3).includes(value))) return plain;
  const verdict = cleanSubjectText(tag);
  const front = `${SUBJECT_PREFIX} ${verdict}: ${kept.join(' ')}`;
  const lead = front.length + 3 <= MAX_SUBJECT_LENGTH ? front : `${verdict}: ${kept.join(' ')}`;
  const rest = cleanSubjectText(headline);
  const room = MAX_SUBJECT_LENGTH - lead.length - 3;
  if (room < 8) return cutTo(lead, MAX_SUBJECT_LENGTH);
  return `${lead} - ${cutTo(rest, room)}`;
}

/** Text with untrusted() values in it, for use outside the helpers (the marks removed; the values stay inert). */
export function withoutMarks(text: string): string {
  return text.replace(MARKERS, '');
}

/** What every helper does first, so an email that forgets untrusted() still carries no control character. */
function inert(text: string): string {
  return capLength(stripControls(text), MAX_TEXT_LENGTH);
}

interface Word {
  readonly text: string;
  /** The word starts inside an untrusted value that began before it. */
  readonly continuesUntrusted: boolean;
}

function words(text: string): Word[] {
  const result: Word[] = [];
  let inside = false;
  let current = '';
  let continues = false;
  const flush = () => {
    if (current !== '') result.push({ text: current, continuesUntrusted: continues });
    current = '';
  };
  for (const character of text) {
    if (character === OPEN || character === CLOSE) {
      if (current === '') continues = false;
      inside = character === OPEN;
      continue;
    }
    if (character === ' ') {
      flush();
      continues = inside;
      continue;
    }
    current += character;
  }
  flush();
  return result;
}

/**
 * Greedy word wrap; words longer than the width (ARNs, URLs) stay whole on their own line. A line that would start
 * inside an untrusted value is indented two more, so no value can forge a line of its own ("[bucketguard] FIXED").
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words(inert(text))) {
    if (line === '') line = word.continuesUntrusted ? `  ${word.text}` : word.text;
    else if (line.length + 1 + word.text.length <= width) line = `${line} ${word.text}`;
    else {
      lines.push(line);
      line = word.continuesUntrusted ? `  ${word.text}` : word.text;
    }
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** `  Label:        value`, continuation lines aligned under the value. */
export function field(label: string, value: string, indent = 2): string[] {
  const head = `${' '.repeat(indent)}${(label === '' ? '' : `${inert(label).replace(MARKERS, '')}:`).padEnd(LABEL_WIDTH)}`;
  const [first, ...rest] = wrap(value, LINE_WIDTH - head.length);
  return [`${head}${first}`, ...rest.map((line) => `${' '.repeat(head.length)}${line}`)];
}

export function paragraph(text: string, indent = 0): string[] {
  return wrap(text, LINE_WIDTH - indent).map((line) => `${' '.repeat(indent)}${line}`);
}

export function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', title, ...lines];
}

// encodeURIComponent throws URIError on a lone surrogate (possible in a damaged event); an email must still go out.
// toWellFormed replaces each lone surrogate with U+FFFD.
// Capped: a 100 kB bucket name in a hostile event must not become a 300 kB link.
const encodeUrlPart = (text: string): string =>
  encodeURIComponent(capLength(text.replace(MARKERS, ''), 1024).toWellFormed());

/** Region codes go into console host names unencoded: anything else in an event never becomes a link. */
export function isRegionCode(value: string | undefined): value is string {
  return value !== undefined && /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value);
}

export function bucketConsoleUrl(bucket: string, region: string | undefined): string {
  const query = isRegionCode(region) ? `region=${region}&tab=permissions` : 'tab=permissions';
  return `https://s3.console.aws.amazon.com/s3/buckets/${encodeUrlPart(bucket)}?${query}`;
}

export function configRuleConsoleUrl(ruleName: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/config/home?region=${region}#/rules/details?configRuleName=${encodeUrlPart(ruleName)}`;
}

export function cloudTrailEventConsoleUrl(eventId: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/cloudtrailv2/home?region=${region}#/events/${encodeUrlPart(eventId)}`;
}

export function alarmConsoleUrl(alarmName: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeUrlPart(alarmName)}`;
}
