/**
 * A CloudWatch Logs JSON filter-pattern evaluator for tests, following "Filter and pattern syntax"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 * - `{ SELECTOR OP VALUE }` with `&&`, `||` and parentheses; `&&` binds tighter than `||`;
 * - selectors `$.a.b`, `$.a[0].b` (property names: letters, digits, '-', '_');
 * - `=` / `!=` against a quoted or unquoted string; `*` at the start and/or end is a wildcard (`*Event`, `Event*`,
 *   `*vent*`, `*`), a `*` in the middle is a literal character (`Ev*ent` matches only "Ev*ent");
 * - `=`, `!=`, `<`, `<=`, `>`, `>=` against a number (integer, decimal, scientific notation, optional sign);
 * - `IS TRUE`, `IS FALSE`, `IS NULL`, `NOT EXISTS`;
 * - a comparison only applies to a value node (string or number): when the selector is missing or points at an
 *   object, array, boolean or null, both `=` and `!=` are false ("the filter will not be applied"). Use NOT EXISTS
 *   to match a missing field.
 * Unquoted values that look like numbers compare numerically with numbers and textually with strings (CloudTrail
 * account ids are strings). Regex values (`%...%`) and non-JSON (term / space-delimited) patterns are not
 * implemented and throw, so no test can pass by accident.
 */

export class FilterPatternError extends Error {
  override readonly name = 'FilterPatternError';
}

type Selector = readonly (string | number)[];
type Literal = { kind: 'string'; text: string } | { kind: 'number'; value: number; text: string };
type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'compare'; selector: Selector; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Literal }
  | { kind: 'is'; selector: Selector; what: 'TRUE' | 'FALSE' | 'NULL' }
  | { kind: 'notExists'; selector: Selector };

type Token =
  | { t: 'lbrace' | 'rbrace' | 'lparen' | 'rparen' | 'and' | 'or' }
  | { t: 'op'; op: '=' | '!=' | '<' | '<=' | '>' | '>=' }
  | { t: 'selector'; path: Selector; raw: string }
  | { t: 'quoted'; text: string }
  | { t: 'word'; text: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const s = pattern;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '{' || c === '}' || c === '(' || c === ')') {
      tokens.push({ t: c === '{' ? 'lbrace' : c === '}' ? 'rbrace' : c === '(' ? 'lparen' : 'rparen' });
      i++;
    } else if (s.startsWith('&&', i)) {
      tokens.push({ t: 'and' });
      i += 2;
    } else if (s.startsWith('||', i)) {
      tokens.push({ t: 'or' });
      i += 2;
    } else if (s.startsWith('!=', i) || s.startsWith('<=', i) || s.startsWith('>=', i)) {
      tokens.push({ t: 'op', op: s.slice(i, i + 2) as '!=' | '<=' | '>=' });
      i += 2;
    } else if (c === '=' || c === '<' || c === '>') {
      tokens.push({ t: 'op', op: c });
      i++;
    } else if (c === '$') {
      let j = i + 1;
      const path: (string | number)[] = [];
      while (j < s.length) {
        const property = /^\.([A-Za-z0-9_-]+)/.exec(s.slice(j));
        const index = /^\[(\d+)\]/.exec(s.slice(j));
        if (property) {
          path.push(property[1]);
          j += property[0].length;
        } else if (index) {
          if (path.length === 0)
            throw new FilterPatternError(`Array index must follow a property: ${s.slice(i, j + 3)}`);
          path.push(Number(index[1]));
          j += index[0].length;
        } else break;
      }
      if (path.length === 0) throw new FilterPatternError(`Bad selector at ${JSON.stringify(s.slice(i, i + 20))}`);
      tokens.push({ t: 'selector', path, raw: s.slice(i, j) });
      i = j;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) {
          text += s[j + 1];
          j += 2;
        } else {
          text += s[j++];
        }
      }
      if (j >= s.length) throw new FilterPatternError(`Unterminated string in ${pattern}`);
      tokens.push({ t: 'quoted', text });
      i = j + 1;
    } else if (c === '%') {
      throw new FilterPatternError('Regex values (%...%) are not implemented by this evaluator');
    } else {
      let j = i;
      while (j < s.length && !/[\s(){}"&|=!<>]/.test(s[j])) j++;
      if (j === i) throw new FilterPatternError(`Unexpected ${JSON.stringify(c)} in ${pattern}`);
      tokens.push({ t: 'word', text: s.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parsePattern(): Expr {
    this.expect('lbrace');
    const expr = this.parseOr();
    this.expect('rbrace');
    if (this.i !== this.tokens.length) throw new FilterPatternError('Unexpected input after the closing }');
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private expect(t: Token['t']): Token {
    const token = this.tokens[this.i];
    if (!token || token.t !== t)
      throw new FilterPatternError(`Expected ${t}, found ${token ? token.t : 'end of pattern'}`);
    this.i++;
    return token;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.peek()?.t === 'or') {
      this.i++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.peek()?.t === 'and') {
      this.i++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.peek()?.t === 'lparen') {
      this.i++;
      const inner = this.parseOr();
      this.expect('rparen');
      return inner;
    }
    const selector = this.expect('selector') as Extract<Token, { t: 'selector' }>;
    const next = this.tokens[this.i++];
    if (!next) throw new FilterPatternError(`Missing operator after ${selector.raw}`);
    if (next.t === 'word' && next.text === 'IS') {
      const what = this.tokens[this.i++];
      if (what?.t === 'word' && (what.text === 'TRUE' || what.text === 'FALSE' || what.text === 'NULL')) {
        return { kind: 'is', selector: selector.path, what: what.text };
      }
      throw new FilterPatternError(`Expected TRUE, FALSE or NULL after ${selector.raw} IS`);
    }
    if (next.t === 'word' && next.text === 'NOT') {
      const what = this.tokens[this.i++];
      if (what?.t === 'word' && what.text === 'EXISTS') return { kind: 'notExists', selector: selector.path };
      throw new FilterPatternError(`Expected EXISTS after ${selector.raw} NOT`);
    }
    if (next.t !== 'op') throw new FilterPatternError(`Expected an operator after ${selector.raw}`);
    const raw = this.tokens[this.i++];
    let value: Literal;
    if (raw?.t === 'quoted') value = { kind: 'string', text: raw.text };
    else if (raw?.t === 'word') {
      value = NUMBER.test(raw.text)
        ? { kind: 'number', value: Number(raw.text), text: raw.text }
        : { kind: 'string', text: raw.text };
    } else throw new FilterPatternError(`Expected a value after ${selector.raw} ${next.op}`);
    if (!['=', '!='].includes(next.op) && value.kind !== 'number') {
      throw new FilterPatternError(`${next.op} needs a number, got ${JSON.stringify(value.text)}`);
    }
    return { kind: 'compare', selector: selector.path, op: next.op, value };
  }
}

const MISSING = Symbol('missing');

function resolve(selector: Selector, event: unknown): unknown {
  let current: unknown = event;
  for (const step of selector) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return MISSING;
      current = current[step];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !(step in current)) {
        return MISSING;
      }
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

function stringMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const leading = pattern.startsWith('*');
  const trailing = pattern.length > 1 && pattern.endsWith('*');
  const core = pattern.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return value.includes(core);
  if (leading) return value.endsWith(core);
  if (trailing) return value.startsWith(core);
  return value === pattern;
}

function equalsValue(literal: Literal, value: string | number): boolean {
  if (literal.kind === 'number') {
    return typeof value === 'number' ? value === literal.value : value === literal.text;
  }
  if (literal.text === '*') return true;
  return typeof value === 'string' ? stringMatches(literal.text, value) : stringMatches(literal.text, String(value));
}

function evaluate(expr: Expr, event: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluate(expr.left, event) && evaluate(expr.right, event);
    case 'or':
      return evaluate(expr.left, event) || evaluate(expr.right, event);
    case 'notExists':
      return resolve(expr.selector, event) === MISSING;
    case 'is': {
      const value = resolve(expr.selector, event);
      return expr.what === 'TRUE' ? value === true : expr.what === 'FALSE' ? value === false : value === null;
    }
    case 'compare': {
      const value = resolve(expr.selector, event);
      if (typeof value !== 'string' && typeof value !== 'number') return false;
      switch (expr.op) {
        case '=':
          return equalsValue(expr.value, value);
        case '!=':
          return !equalsValue(expr.value, value);
        default: {
          if (typeof value !== 'number' || expr.value.kind !== 'number') return false;
          const bound = expr.value.value;
          return expr.op === '<'
            ? value < bound
            : expr.op === '<='
              ? value <= bound
              : expr.op === '>'
                ? value > bound
                : value >= bound;
        }
      }
    }
  }
}

export interface CompiledFilterPattern {
  readonly source: string;
  matches(event: unknown): boolean;
  /** Matches a raw log message: false when it is not a JSON object, as CloudWatch Logs does. */
  matchesMessage(message: string): boolean;
}

export function compileFilterPattern(pattern: string): CompiledFilterPattern {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{')) {
    throw new FilterPatternError('Only JSON filter patterns ({ ... }) are implemented by this evaluator');
  }
  const expr = new Parser(tokenize(trimmed)).parsePattern();
  return {
    source: pattern,
    matches: (event) => evaluate(expr, event),
    matchesMessage: (message) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        return false;
      }
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && evaluate(expr, parsed);
    },
  };
}
