/**
 * An EventBridge event-pattern matcher for tests, following the documented content-filtering semantics
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html):
 * - every field named in the pattern must match (AND); the values listed for one field are alternatives (OR);
 * - `$or` at any level: at least one sub-pattern matches;
 * - a field whose event value is an array matches when any element matches;
 * - literal strings, numbers, booleans and null match by equality (null and "" are different);
 * - `prefix`, `suffix` (optionally `equals-ignore-case`), `equals-ignore-case`, `wildcard`, `anything-but`
 *   (value, list, prefix, suffix, equals-ignore-case, wildcard), `numeric`, `exists`, `cidr` (IPv4);
 * - `exists` only looks at leaves: an object, a missing field and an empty array have no leaf value.
 * Anything else in a pattern throws: a test must never pass because the matcher ignored an operator.
 */

export class EventPatternError extends Error {
  override readonly name = 'EventPatternError';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Scalar = null | boolean | number | string;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern))
    throw new EventPatternError(`A pattern must be a JSON object, got ${JSON.stringify(pattern)}`);
  if (Object.keys(pattern).length === 0) throw new EventPatternError('An empty pattern is not allowed');
  return matchObject(pattern, event as Json, '');
}

function matchObject(pattern: Record<string, unknown>, event: Json | undefined, path: string): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    const here = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isObject)) {
        throw new EventPatternError(`${here}: $or needs an array of at least two patterns`);
      }
      if (!rule.some((alternative) => matchObject(alternative, event, path))) return false;
      continue;
    }
    const value = isObject(event) ? (event[key] as Json | undefined) : undefined;
    if (Array.isArray(rule)) {
      if (rule.length === 0) throw new EventPatternError(`${here}: an empty list matches nothing and is rejected`);
      if (!matchLeaf(rule, value, here)) return false;
    } else if (isObject(rule)) {
      if (Object.keys(rule).length === 0) throw new EventPatternError(`${here}: empty object`);
      const candidates = Array.isArray(value) ? value : [value];
      if (!candidates.some((candidate) => matchObject(rule, candidate, here))) return false;
    } else {
      throw new EventPatternError(`${here}: leaf values must be in a list, got ${JSON.stringify(rule)}`);
    }
  }
  return true;
}

/** The scalar leaves at a field: none when missing, an object, or an empty array. */
function leaves(value: Json | undefined): Scalar[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.filter(isScalar);
  return isScalar(value) ? [value] : [];
}

function matchLeaf(matchers: unknown[], value: Json | undefined, path: string): boolean {
  const values = leaves(value);
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) {
      if (Object.keys(matcher).length !== 1 || typeof matcher.exists !== 'boolean') {
        throw new EventPatternError(`${path}: {"exists": true|false}`);
      }
      return matcher.exists === values.length > 0;
    }
    return values.some((v) => matchValue(matcher, v, path));
  });
}

function sameScalar(a: Scalar, b: Scalar): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return a === b;
}

function stringOrIgnoreCase(spec: unknown, path: string, op: string): { text: string; ignoreCase: boolean } {
  if (typeof spec === 'string') return { text: spec, ignoreCase: false };
  if (isObject(spec) && Object.keys(spec).length === 1 && typeof spec['equals-ignore-case'] === 'string') {
    return { text: spec['equals-ignore-case'], ignoreCase: true };
  }
  throw new EventPatternError(`${path}: ${op} takes a string or {"equals-ignore-case": string}`);
}

function wildcardToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && (glob[i + 1] === '*' || glob[i + 1] === '\\')) {
      source += `\\${glob[i + 1]}`;
      i++;
    } else if (c === '*') {
      source += '.*';
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function matchValue(matcher: unknown, value: Scalar, path: string): boolean {
  if (isScalar(matcher)) return sameScalar(matcher, value);
  if (!isObject(matcher) || Object.keys(matcher).length !== 1) {
    throw new EventPatternError(`${path}: unsupported matcher ${JSON.stringify(matcher)}`);
  }
  const [op, spec] = Object.entries(matcher)[0];
  switch (op) {
    case 'prefix':
    case 'suffix': {
      const { text, ignoreCase } = stringOrIgnoreCase(spec, path, op);
      if (typeof value !== 'string') return false;
      const [v, t] = ignoreCase ? [value.toLowerCase(), text.toLowerCase()] : [value, text];
      return op === 'prefix' ? v.startsWith(t) : v.endsWith(t);
    }
    case 'equals-ignore-case': {
      if (typeof spec !== 'string') throw new EventPatternError(`${path}: equals-ignore-case takes a string`);
      return typeof value === 'string' && value.toLowerCase() === spec.toLowerCase();
    }
    case 'wildcard': {
      if (typeof spec !== 'string') throw new EventPatternError(`${path}: wildcard takes a string`);
      return typeof value === 'string' && wildcardToRegExp(spec).test(value);
    }
    case 'numeric': {
      if (!Array.isArray(spec) || (spec.length !== 2 && spec.length !== 4)) {
        throw new EventPatternError(`${path}: numeric takes [op, n] or [op, n, op, n]`);
      }
      const conditions: { cmp: string; bound: number }[] = [];
      for (let i = 0; i < spec.length; i += 2) {
        const [cmp, bound] = [spec[i], spec[i + 1]];
        if (typeof bound !== 'number') throw new EventPatternError(`${path}: numeric bound must be a number`);
        if (typeof cmp !== 'string' || !['<', '<=', '=', '>', '>='].includes(cmp)) {
          throw new EventPatternError(`${path}: unknown numeric operator ${JSON.stringify(cmp)}`);
        }
        conditions.push({ cmp, bound });
      }
      if (typeof value !== 'number') return false;
      return conditions.every(({ cmp, bound }) =>
        cmp === '<'
          ? value < bound
          : cmp === '<='
            ? value <= bound
            : cmp === '='
              ? value === bound
              : cmp === '>'
                ? value > bound
                : value >= bound,
      );
    }
    case 'cidr': {
      if (typeof spec !== 'string' || !/^[\d.]+\/\d{1,2}$/.test(spec)) {
        throw new EventPatternError(`${path}: cidr takes an IPv4 "a.b.c.d/n" (IPv6 is not implemented here)`);
      }
      const [base, bits] = spec.split('/');
      const network = ipv4ToInt(base);
      const ip = typeof value === 'string' ? ipv4ToInt(value) : undefined;
      if (network === undefined || Number(bits) > 32) throw new EventPatternError(`${path}: bad cidr ${spec}`);
      if (ip === undefined) return false;
      const size = 2 ** (32 - Number(bits));
      return Math.floor(ip / size) === Math.floor(network / size);
    }
    case 'anything-but': {
      if (isScalar(spec)) return !sameScalar(spec, value);
      if (Array.isArray(spec)) {
        if (!spec.every(isScalar)) throw new EventPatternError(`${path}: anything-but list takes scalars`);
        return !spec.some((s) => sameScalar(s, value));
      }
      if (isObject(spec) && Object.keys(spec).length === 1) {
        const [inner, arg] = Object.entries(spec)[0];
        if (inner === 'prefix' || inner === 'suffix' || inner === 'wildcard') {
          const args = Array.isArray(arg) ? arg : [arg];
          return !args.some((a) => matchValue({ [inner]: a }, value, path));
        }
        if (inner === 'equals-ignore-case') {
          const args = Array.isArray(arg) ? arg : [arg];
          return !args.some((a) => matchValue({ 'equals-ignore-case': a }, value, path));
        }
      }
      throw new EventPatternError(`${path}: unsupported anything-but ${JSON.stringify(spec)}`);
    }
    default:
      throw new EventPatternError(`${path}: unknown operator ${JSON.stringify(op)}`);
  }
}
