/**
 * Low-level decoding shared by the configuration-item normaliser: the typed error, layered JSON decoding (Config
 * nests JSON strings inside JSON, sometimes twice) and timestamps in every form the Config APIs and SDKs produce.
 */

/**
 * A whole input, or one part of it, is not what AWS sends. `path` says where, `problem` says what. It carries no stack
 * trace: it reports bad input, not a bug, is always caught to become an unknown part or a NOT_APPLICABLE, and
 * capturing a trace made each damaged item cost as much as several good ones.
 */
export class MalformedInputError extends Error {
  override readonly name = 'MalformedInputError' as const;
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${path}: ${problem}`);
    Error.stackTraceLimit = limit;
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

/** A plain JSON object (not null, not an array, not a Date). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

const DEFAULT_MAX_DEPTH = 4;

interface Decoded {
  readonly value: unknown;
  /** Set when `value` came out of JSON.parse. */
  readonly parsed?: boolean;
  /** Set when decoding stopped at a string that is not JSON (the message JSON.parse gave). */
  readonly parseError?: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function decodeLayers(value: unknown, maxDepth: number): Decoded {
  let current = value;
  let parsed = false;
  for (let depth = 0; depth < maxDepth && typeof current === 'string'; depth++) {
    try {
      current = JSON.parse(current);
      parsed = true;
    } catch (error) {
      return { value: current, parseError: errorText(error) };
    }
  }
  return parsed ? { value: current, parsed } : { value: current };
}

/** JSON.parse repeatedly while the value is a string that parses; stops at maxDepth (default 4). Never throws. */
export function parseMaybeJson(value: unknown, maxDepth: number = DEFAULT_MAX_DEPTH): unknown {
  // Only strings are decoded; everything else is returned as is (hot path: already-parsed invocation-model values).
  return typeof value === 'string' ? decodeLayers(value, maxDepth).value : value;
}

const MAX_SHOWN = 40;

/** A short, safe description of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value)})`;
    case 'number':
    case 'boolean':
      return `a ${typeof value} (${String(value)})`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * Decodes a value that must end up as a JSON object (an object as-is, or a JSON string of one, possibly
 * double-encoded). Throws MalformedInputError naming `path` otherwise.
 */
export function decodeObject(value: unknown, path: string): JsonObject {
  if (isJsonObject(value)) return value;
  return objectOf(decodeLayers(value, DEFAULT_MAX_DEPTH), path);
}

/**
 * decodeObject, except that a value that decodes to null gives null (Config's "none configured"). Decodes once:
 * the values are often large JSON strings (a bucket policy wrapper).
 */
export function decodeObjectOrNull(value: unknown, path: string): JsonObject | null {
  if (isJsonObject(value)) return value;
  const decoded = decodeLayers(value, DEFAULT_MAX_DEPTH);
  return decoded.value === null ? null : objectOf(decoded, path);
}

function objectOf(decoded: Decoded, path: string): JsonObject {
  if (decoded.parseError !== undefined) throw new MalformedInputError(path, `not valid JSON (${decoded.parseError})`);
  if (typeof decoded.value === 'string') {
    throw new MalformedInputError(path, `still a JSON string after ${DEFAULT_MAX_DEPTH} decodings`);
  }
  const value = decoded.value;
  // Either the caller's non-string value (isJsonObject decides) or what JSON.parse made, which is never a Date.
  const isObject =
    decoded.parsed === true
      ? typeof value === 'object' && value !== null && !Array.isArray(value)
      : isJsonObject(value);
  if (!isObject) {
    throw new MalformedInputError(path, `expected an object, received ${describeValue(value)}`);
  }
  return value as JsonObject;
}

/** First defined (not undefined) value among the given keys, e.g. camelCase then PascalCase. */
export function pick(object: JsonObject, first: string, second?: string, third?: string): unknown {
  // Fixed parameters rather than `...keys`: this runs a few dozen times per item, and each rest list is garbage.
  // The value is read before the own-property check: most keys tried are absent, and a read is the cheaper test.
  if (object[first] !== undefined && Object.hasOwn(object, first)) return object[first];
  if (second === undefined) return undefined;
  if (object[second] !== undefined && Object.hasOwn(object, second)) return object[second];
  if (third === undefined) return undefined;
  if (object[third] !== undefined && Object.hasOwn(object, third)) return object[third];
  return undefined;
}

/** The value as a non-empty string, else undefined. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Epoch values below this are seconds (until the year 5138); above, milliseconds (since March 1973). */
const EPOCH_SECONDS_LIMIT = 1e11;

function isoOrUndefined(date: Date): string | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function fromEpoch(epoch: number): string | undefined {
  if (!Number.isFinite(epoch) || epoch < 0) return undefined;
  return isoOrUndefined(new Date(epoch < EPOCH_SECONDS_LIMIT ? epoch * 1000 : epoch));
}

// 2019-02-12T07:29:16.288Z, 2017-02-04T06:10:33.880000-05:00 (boto3), 2019-02-12 07:29:16+00:00 (Python str()),
// 2023-08-04T12:36:15.490+0000 (CloudWatch), 2019-02-12 (date only).
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The number written by `count` ASCII digits at `from`, or -1. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let index = from; index < from + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A day that exists in the Gregorian calendar (no February 30th, February 29th only in leap years). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/**
 * Fast path for `2019-02-12T07:29:16.288Z`, the form Config itself writes (and what toISOString returns for it):
 * checked field by field without a regex or a Date. Anything else, or any out-of-range field, takes the general path.
 */
function isCanonicalIso(text: string): boolean {
  if (
    text.length !== 24 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 || // .
    text.charCodeAt(23) !== 90 // Z
  ) {
    return false;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || !isCalendarDay(year, month, day)) return false;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  return (
    hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && digitsAt(text, 20, 3) >= 0
  );
}

function fromIsoLike(text: string): string | undefined {
  const match = ISO_LIKE.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const millis = fraction.slice(0, 3).padEnd(3, '0');
  // A time without a zone is UTC in everything AWS writes; JS would read it as local time.
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${offset}`);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject calendar overflow (2019-02-30 would otherwise roll into March): the shifted-back date must match.
  const offsetMinutes =
    offset === 'Z'
      ? 0
      : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const sameDay =
    local.getUTCFullYear() === Number(year) &&
    local.getUTCMonth() + 1 === Number(month) &&
    local.getUTCDate() === Number(day) &&
    local.getUTCHours() === Number(hour) &&
    local.getUTCMinutes() === Number(minute) &&
    local.getUTCSeconds() === Number(second);
  return sameDay ? date.toISOString() : undefined;
}

/** ISO string / Date / epoch seconds or ms -> ISO-8601 string; undefined when absent or invalid. */
export function toIsoTimestamp(value: unknown): string | undefined {
  if (typeof value === 'string' && isCanonicalIso(value)) return value;
  if (value instanceof Date) return isoOrUndefined(value);
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return fromEpoch(Number(text));
  return fromIsoLike(text);
}

/** Own-key table lookup: input such as "constructor" must not reach Object.prototype. */
export function lookup<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * `target[key] = value` as Object.fromEntries does it: an own data property even for `__proto__` or a name that
 * Object.prototype defines. (Building objects directly avoids the entry arrays fromEntries needs.)
 */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (Object.hasOwn(Object.prototype, key)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

export function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
