/** Plain-text building blocks for the emails: labelled fields, wrapping, subjects SNS accepts, console links. */

export const SUBJECT_PREFIX = '[bucketguard]';
/** SNS: "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters long." */
export const MAX_SUBJECT_LENGTH = 99;
const LABEL_WIDTH = 14;
const LINE_WIDTH = 76;

function isControlCharacter(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

export function subjectLine(tag: string, headline: string): string {
  const clean = [...`${SUBJECT_PREFIX} ${tag}: ${headline}`]
    .map((character) => (isControlCharacter(character) ? ' ' : character))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  // Within 99 UTF-16 units, so within 99 characters however SNS counts them; never half a surrogate pair.
  if (clean.length <= MAX_SUBJECT_LENGTH) return clean;
  let cut = '';
  for (const character of clean) {
    if (cut.length + character.length > MAX_SUBJECT_LENGTH - 3) break;
    cut += character;
  }
  return `${cut.trimEnd()}...`;
}

/** Greedy word wrap; words longer than the width (ARNs, URLs) stay whole on their own line. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** `  Label:        value`, continuation lines aligned under the value. */
export function field(label: string, value: string, indent = 2): string[] {
  const head = `${' '.repeat(indent)}${(label === '' ? '' : `${label}:`).padEnd(LABEL_WIDTH)}`;
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
const encodeUrlPart = (text: string): string => encodeURIComponent(text.toWellFormed());

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
