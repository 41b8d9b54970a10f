/** Small narrowing helpers for untyped event JSON; no casts elsewhere. */

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * CloudTrail's XML-to-JSON conversion writes single-element arrays in older records (`host: ["…"]`, `acl: [""]`):
 * unwrap them so a field reads the same in every record vintage.
 */
export function scalar(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

export function stringField(record: JsonRecord | undefined, key: string): string | undefined {
  const value = scalar(record?.[key]);
  return typeof value === 'string' ? value : undefined;
}

export function nonEmptyString(record: JsonRecord | undefined, key: string): string | undefined {
  const value = stringField(record, key);
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

export function recordField(record: JsonRecord | undefined, key: string): JsonRecord | undefined {
  const value = scalar(record?.[key]);
  return isRecord(value) ? value : undefined;
}

export function numberField(record: JsonRecord | undefined, key: string): number | undefined {
  const value = scalar(record?.[key]);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** XML lists arrive as an object when they hold one element and as an array otherwise. */
export function asList(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Parses a JSON string, or returns undefined when it is not one (no throw: callers decide what that means). */
export function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
