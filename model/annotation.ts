/**
 * Annotation text, written once for rules, the Config adapter, emails and the CLI: AWS Config's 256-character limit
 * (counted in UTF-16 units, as Config counts; a surrogate pair is never cut), notes that survive a cut, and the
 * "could not evaluate" wording.
 */
import type { Fact } from './types';

export const MAX_ANNOTATION_LENGTH = 256;
const TRUNCATION_MARK = ' [truncated]';

/** Config accepts 1-256 characters; longer text keeps its first 244 and says it was cut (the RDK convention). */
export function truncateAnnotation(text: string): string {
  if (text.length <= MAX_ANNOTATION_LENGTH) return text;
  return cutAt(text, MAX_ANNOTATION_LENGTH - TRUNCATION_MARK.length).trimEnd() + TRUNCATION_MARK;
}

/** The first `length` UTF-16 units, one fewer when that would split a surrogate pair (an emoji in a tag value). */
function cutAt(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

/** `main` then `note`, within 256 characters: the note (exemption, unknown inputs) survives, the main text is cut. */
export function appendNote(main: string, note: string): string {
  if (note === '') return main;
  if (main === '') return truncateAnnotation(note);
  const joined = `${main} ${note}`;
  if (joined.length <= MAX_ANNOTATION_LENGTH) return joined;
  const room = MAX_ANNOTATION_LENGTH - note.length - 1 - TRUNCATION_MARK.length;
  if (room < 40) return truncateAnnotation(joined);
  return `${cutAt(main, room).trimEnd()}${TRUNCATION_MARK} ${note}`;
}

/** Every "could not decide" annotation starts with this; scan reports such results as INSUFFICIENT_DATA. */
export const COULD_NOT_EVALUATE_PREFIX = 'Could not evaluate:';

/** `bucket policy unknown (GetBucketPolicy failed: AccessDenied (403))`; the part after the name is the Fact's reason. */
export function unknownInput(name: string, fact: Fact<unknown>): string {
  return fact.known ? name : `${name} unknown (${withoutFinalPeriod(fact.reason)})`;
}

export function withoutFinalPeriod(text: string): string {
  // Most reasons have no final period: no regex (and no new string) for them.
  return text.endsWith('.') ? text.replace(/\.+$/, '') : text;
}

/** Lone surrogates (from damaged input quoted in a reason) become U+FFFD: Config rejects malformed Unicode. */
export function wellFormed(text: string): string {
  // Nearly every annotation is well formed: checking first returns it as it is, without a copy.
  return text.isWellFormed() ? text : text.toWellFormed();
}
