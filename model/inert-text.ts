/**
 * Untrusted text (event fields, tag values, policy Sids, bucket names, error messages) made inert before it reaches
 * an email or a terminal: no escape sequences, no control or format characters (bidi overrides, zero-width), no
 * lone surrogates, and a length cap. Pure: used by the notifier's text helpers and by the CLI's table output.
 */

/** Longest untrusted value shown; the rest is counted, not shown (a 100 kB user agent must not fill an email). */
export const MAX_VALUE_LENGTH = 512;

// ESC [ ... final byte (CSI), ESC ] ... BEL or ESC \ (OSC, e.g. OSC 8 hyperlinks), ESC P/X/^/_ ... ST (DCS and other
// strings), then any other two-character ESC sequence. The C1 forms (U+009B, U+009D...) are single control characters
// and go with the rest below; their parameters are left as harmless printable text.
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[\s\S]?/g;
/** Line and tab breaks become one space: a value never starts a line of its own. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const BREAKING = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** C0, DEL, C1, every format character (Cf: bidi embeddings/overrides/isolates, zero-width, BOM, soft hyphen...). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\p{Cf}]/gu;

/** Strips escape sequences and control/format characters, replaces lone surrogates; line breaks become spaces. */
export function stripControls(text: string): string {
  return text.toWellFormed().replace(ESCAPE_SEQUENCE, '').replace(BREAKING, ' ').replace(INVISIBLE, '');
}

/** At most `max` characters (code points, so never half a pair), then how many were left out. */
export function capLength(text: string, max = MAX_VALUE_LENGTH): string {
  if (text.length <= max) return text;
  const characters = [...text];
  if (characters.length <= max) return text;
  return `${characters.slice(0, max).join('')}... (${characters.length - max} more characters)`;
}

/**
 * The longest start of `text` within `room` UTF-16 units, never half a surrogate pair: for hard limits counted in
 * UTF-16 units (SNS subjects, ASFF fields, chat descriptions), where the caller adds its own "..." or note.
 */
export function headWithin(text: string, room: number): string {
  if (text.length <= room) return text;
  let head = '';
  for (const character of text) {
    if (head.length + character.length > room) break;
    head += character;
  }
  return head;
}

/** An untrusted value as plain inert text: stripped, then capped. */
export function inertText(text: string, max = MAX_VALUE_LENGTH): string {
  return capLength(stripControls(text), max);
}

/** An untrusted value shown as data: inert, in double quotes, embedded quotes and backslashes escaped. */
export function quotedText(text: string, max = MAX_VALUE_LENGTH): string {
  return `"${inertText(text, max).replace(/["\\]/g, (character) => `\\${character}`)}"`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NON_PRINTABLE = /[\u0000-\u001f\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu;

/**
 * For a terminal: every non-printable character shown as a `\uXXXX` escape (ESC is `\u001b`), so a table cell can
 * neither move the cursor nor reorder the line, and what was there stays visible. Lone surrogates become `\uD8xx`.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(
    NON_PRINTABLE,
    (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
