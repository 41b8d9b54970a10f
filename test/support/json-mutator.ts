/**
 * A JSON mutator that damages any input the way real inputs get damaged (fields deleted, retyped, nulled, oversized,
 * double-encoded or truncated JSON strings, unicode where ASCII is expected), and whole-event garbage.
 */
import fc from 'fast-check';
import type { Json } from './basics';

/** Marks a path step that goes inside a JSON string (decode, mutate, re-encode). */
export const ENCODED = Symbol('encoded');
export type PathStep = string | number | typeof ENCODED;
export type JsonPath = readonly PathStep[];

export const MUTATION_KINDS = [
  'delete',
  'null',
  'retype',
  'oversize',
  'huge',
  'double-encode',
  'truncate',
  'unicode',
  'rename-key',
  'duplicate',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
  readonly kind: MutationKind;
  /** Picks the target among all paths (modulo their count). */
  readonly pick: number;
  /** Picks the variant of the mutation (which type, which length, where to cut). */
  readonly variant: number;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.oneof(
    {
      arbitrary: fc.constantFrom<MutationKind>('delete', 'null', 'retype', 'truncate', 'double-encode', 'unicode'),
      weight: 48,
    },
    { arbitrary: fc.constantFrom<MutationKind>('oversize', 'rename-key', 'duplicate'), weight: 16 },
    // 1 MB values are costly to build and parse: rare, yet thousands of times in a 100,000-case run.
    { arbitrary: fc.constant<MutationKind>('huge'), weight: 1 },
  ),
  pick: fc.nat(),
  variant: fc.nat(),
});

const MAX_PARSE_DESCEND = 200_000;

function tryParseContainer(text: string): Json | undefined {
  if (text.length < 2 || text.length > MAX_PARSE_DESCEND) return undefined;
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return undefined;
  try {
    const parsed = JSON.parse(text) as Json;
    return typeof parsed === 'object' && parsed !== null ? parsed : typeof parsed === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every path in the value, including paths inside JSON-encoded strings (through ENCODED steps). */
export function collectPaths(
  value: Json,
  prefix: PathStep[] = [],
  out: PathStep[][] = [],
  limit = 5_000,
): PathStep[][] {
  if (out.length >= limit) return out;
  if (prefix.length > 0) out.push(prefix);
  if (Array.isArray(value)) {
    // Long arrays: enough elements to reach every shape, not all of them.
    const shown = Math.min(value.length, 8);
    for (let i = 0; i < shown; i++) collectPaths(value[i], [...prefix, i], out, limit);
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) collectPaths(value[key], [...prefix, key], out, limit);
  } else if (typeof value === 'string') {
    const inner = tryParseContainer(value);
    if (inner !== undefined) collectPaths(inner, [...prefix, ENCODED], out, limit);
  }
  return out;
}

const DELETE = Symbol('delete');
type Replacement = Json | typeof DELETE;

function updateAt(
  value: Json,
  path: JsonPath,
  change: (target: Json, parentIsContainer: boolean) => Replacement,
): Json {
  const [head, ...rest] = path;
  if (head === ENCODED) {
    const inner = JSON.parse(value as string) as Json;
    const replaced = rest.length === 0 ? change(inner, false) : updateAt(inner, rest, change);
    return replaced === DELETE ? '' : JSON.stringify(replaced);
  }
  if (Array.isArray(value) && typeof head === 'number') {
    const copy = value.slice();
    const replaced = rest.length === 0 ? change(copy[head], true) : updateAt(copy[head], rest, change);
    if (replaced === DELETE) copy.splice(head, 1);
    else copy[head] = replaced;
    return copy;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof head === 'string') {
    const copy: Record<string, Json> = { ...value };
    const replaced = rest.length === 0 ? change(copy[head], true) : updateAt(copy[head], rest, change);
    if (replaced === DELETE) delete copy[head];
    else copy[head] = replaced;
    return copy;
  }
  return value;
}

const RETYPES: readonly Json[] = [
  0,
  -1,
  1.5,
  1e21,
  true,
  false,
  '',
  'true',
  '123',
  [],
  {},
  [null],
  { value: null },
  'null',
];
const UNICODE_VALUES: readonly string[] = [
  'ünïcödé',
  '𝕓𝕦𝕔𝕜𝕖𝕥',
  '桶',
  '\u0000',
  '\ud800',
  '\u202e',
  'é'.normalize('NFD'),
  '🪣🪣🪣',
  '\t\n\r',
  'Ａｌｌ Ｕｓｅｒｓ',
];
/** Annotation-length strings around Config's 256-character limit, counted in UTF-16 units and in code points. */
const OVERSIZE_LENGTHS = [255, 256, 257, 300, 769, 1_025, 20_000];
const ONE_MEGABYTE = 1_048_576;

function oversizeString(variant: number): string {
  const length = OVERSIZE_LENGTHS[variant % OVERSIZE_LENGTHS.length];
  return variant % 3 === 0 ? '🪣'.repeat(Math.ceil(length / 2)) : 'x'.repeat(length);
}

function renameKey(key: string, variant: number): string {
  switch (variant % 4) {
    case 0:
      return key.charAt(0).toUpperCase() + key.slice(1);
    case 1:
      return key.charAt(0).toLowerCase() + key.slice(1);
    case 2:
      return key.toUpperCase();
    default:
      return `${key}_`;
  }
}

/** Applies one mutation; returns the value unchanged when the mutation does not apply to the chosen target. */
export function applyMutation(value: Json, mutation: Mutation): Json {
  const paths = collectPaths(value);
  if (paths.length === 0) return value;
  const path = paths[mutation.pick % paths.length];
  const { variant } = mutation;
  if (mutation.kind === 'rename-key') {
    const last = path[path.length - 1];
    if (typeof last !== 'string') return value;
    const parentPath = path.slice(0, -1);
    const rename = (parent: Json): Json => {
      if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) return parent;
      const copy: Record<string, Json> = {};
      for (const [k, v] of Object.entries(parent)) copy[k === last ? renameKey(k, variant) : k] = v;
      return copy;
    };
    return parentPath.length === 0 ? rename(value) : updateAt(value, parentPath, (p) => rename(p));
  }
  return updateAt(value, path, (target, parentIsContainer): Replacement => {
    switch (mutation.kind) {
      case 'delete':
        return parentIsContainer ? DELETE : null;
      case 'null':
        return null;
      case 'retype': {
        // Always a different JSON type: a same-type swap (false -> true) is a value change, not damage.
        const candidates = RETYPES.filter((candidate) => jsonType(candidate) !== jsonType(target));
        return candidates[variant % candidates.length];
      }
      case 'oversize':
        if (Array.isArray(target) && target.length > 0) {
          const copies = [100, 101, 1_000, 10_000][variant % 4];
          return Array.from({ length: copies }, (_, i) => target[i % target.length]);
        }
        return oversizeString(variant);
      case 'huge':
        return 'm'.repeat(ONE_MEGABYTE);
      case 'double-encode':
        return JSON.stringify(target) ?? 'null';
      case 'truncate': {
        // A Date (API-model timestamps) or undefined value has no plain JSON text of its own.
        const text = typeof target === 'string' ? target : (JSON.stringify(target) ?? '');
        if (text.length <= 1) return '';
        return text.slice(0, variant % text.length);
      }
      case 'unicode':
        return UNICODE_VALUES[variant % UNICODE_VALUES.length];
      case 'duplicate':
        return Array.isArray(target) ? [...target, ...target] : [target, target];
      default:
        return target;
    }
  });
}

export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export function jsonType(value: Json | undefined): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'boolean' | 'number' | 'string' | 'object';
}

function getAt(value: Json, path: JsonPath): Json | undefined {
  let current: Json | undefined = value;
  for (const step of path) {
    if (current === undefined) return undefined;
    if (step === ENCODED) current = typeof current === 'string' ? (JSON.parse(current) as Json) : undefined;
    else if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (typeof current === 'object' && current !== null && !Array.isArray(current) && typeof step === 'string')
      current = current[step];
    else return undefined;
  }
  return current;
}

/** Where a mutation lands: the path (ENCODED steps included), the value there, and what holds it. */
export interface MutationSite {
  readonly path: JsonPath;
  readonly target: Json | undefined;
  readonly parent: 'object' | 'array' | 'encoded';
  readonly key: string | undefined;
}

export function mutationSite(value: Json, mutation: Mutation): MutationSite | undefined {
  const paths = collectPaths(value);
  if (paths.length === 0) return undefined;
  const path = paths[mutation.pick % paths.length];
  const last = path[path.length - 1];
  return {
    path,
    target: getAt(value, path),
    parent: last === ENCODED ? 'encoded' : typeof last === 'number' ? 'array' : 'object',
    key: typeof last === 'string' ? last : undefined,
  };
}

/** Free-form maps: any key and value is legitimate there, so removing or renaming an entry is a real change. */
const FREE_FORM_KEYS = new Set(['tags', 'BucketTaggingConfiguration', 'tagSets']);
/** Keys whose null or absence has a documented meaning (no policy, no bucket BPA, item status OK). */
const DOCUMENTED_ABSENT_KEYS = new Set([
  'policyText',
  'PublicAccessBlockConfiguration',
  'configurationItemStatus',
  'isMfaDeleteEnabled',
]);

/**
 * Keys whose value is null (server access logging off) or any name: a plain string where null was is another record
 * AWS could make (logging switched on to that bucket, with that prefix), not damage.
 */
const NULL_OR_NAME_KEYS = new Set(['destinationBucketName', 'logFilePrefix']);

/** For a null-or-name key: only a mutation that leaves neither null nor a plain string damages it. */
function damagesNullOrName(target: Json | undefined, mutation: Mutation): boolean {
  if (mutation.kind === 'retype') {
    const candidates = RETYPES.filter((candidate) => jsonType(candidate) !== jsonType(target));
    return typeof candidates[mutation.variant % candidates.length] !== 'string';
  }
  return mutation.kind === 'duplicate' || mutation.kind === 'rename-key';
}

const isJsonContainerText = (target: Json | undefined): boolean =>
  typeof target === 'string' && tryParseContainer(target) !== undefined;

/**
 * Whether a mutation damages the input (the result is not something AWS would record) rather than changing it to
 * another legitimate value. Removing an array element (one grant, one statement), editing a tag, replacing one
 * plain string by another, or nulling a field whose null is documented are legitimate changes; a value of the wrong
 * type, cut or re-encoded JSON, a renamed or removed structural key, are damage.
 */
export function isDamage(site: MutationSite, mutation: Mutation): boolean {
  const inFreeForm = site.path.some((step) => typeof step === 'string' && FREE_FORM_KEYS.has(step));
  const plainString = typeof site.target === 'string' && !isJsonContainerText(site.target);
  if (site.key !== undefined && NULL_OR_NAME_KEYS.has(site.key) && (site.target === null || plainString)) {
    return damagesNullOrName(site.target, mutation);
  }
  switch (mutation.kind) {
    case 'retype':
    case 'double-encode':
    case 'duplicate':
      return true;
    case 'truncate':
    case 'unicode':
    case 'huge':
      return !plainString;
    case 'oversize':
      return Array.isArray(site.target) || !plainString;
    case 'delete':
      if (site.parent === 'array') return false;
      return !inFreeForm && !(site.key !== undefined && DOCUMENTED_ABSENT_KEYS.has(site.key));
    case 'null':
      return site.target !== null && !(site.key !== undefined && DOCUMENTED_ABSENT_KEYS.has(site.key));
    case 'rename-key':
      return (
        site.parent === 'object' && !inFreeForm && !(site.key !== undefined && DOCUMENTED_ABSENT_KEYS.has(site.key))
      );
    default:
      return false;
  }
}

export function applyMutations(value: Json, mutations: readonly Mutation[]): Json {
  return mutations.reduce<Json>((current, mutation) => applyMutation(current, mutation), value);
}

/** Whole-event damage that is not a JSON edit: wrong top-level types. */
export const garbageEventArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, 0, '', 'null', '{}', [], {}, true, '{"invokingEvent":', Number.NaN),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string(),
);

// ---------------------------------------------------------------------------------------------------------------
