/**
 * An incremental reader for the JSON files bucketguard reads, fed chunk by chunk, so a Config snapshot bigger than
 * memory is read element by element. It only finds where each value starts and ends (strings, brackets, depth);
 * every element's text is then parsed by the native JSON.parse, which is what keeps it fast: a tokenizer written in
 * JavaScript (the streaming parsers on npm) costs several times JSON.parse on these inputs.
 *
 * What is streamed (one event per element, never the whole array held):
 *  - a top-level array (`[item, item, ...]`);
 *  - the `configurationItems`, `baseConfigurationItems` and `Results` arrays of a top-level object (a Config
 *    snapshot file, GetResourceConfigHistory / BatchGetResourceConfig / SelectResourceConfig responses);
 * the other members of a top-level object come whole, one event each; several top-level values in a row (JSON Lines)
 * each come as their own value. An element nested deeper than `maxDepth` is skipped with a reason (never parsed, so
 * nothing downstream recurses that deep); broken structure throws JsonStreamError.
 */

export const STREAMED_KEYS: ReadonlySet<string> = new Set(['configurationItems', 'baseConfigurationItems', 'Results']);

/** No AWS document comes near it (a configuration item is about 8 levels deep); deep enough never to cut one. */
export const MAX_DEPTH = 100;

export type JsonEvent =
  /** A whole top-level scalar or string (a JSON Lines row of an object comes as object-start ... object-end). */
  | { readonly type: 'value'; readonly line: number; readonly value: unknown }
  /** A top-level array (no key) or a streamed member array of a top-level object (its key). */
  | { readonly type: 'array-start'; readonly line: number; readonly key?: string }
  | { readonly type: 'element'; readonly index: number; readonly value: unknown; readonly key?: string }
  | { readonly type: 'array-end'; readonly count: number; readonly key?: string }
  | { readonly type: 'object-start'; readonly line: number }
  /** A member of a top-level object that is not streamed, parsed whole. */
  | { readonly type: 'member'; readonly key: string; readonly value: unknown }
  | { readonly type: 'object-end' }
  /** An element (or member) not parsed: nested deeper than maxDepth. */
  | { readonly type: 'skipped'; readonly reason: string; readonly index?: number; readonly key?: string };

export class JsonStreamError extends Error {
  override readonly name = 'JsonStreamError';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

const isWhitespace = (byte: number): boolean => byte === 0x20 || byte === NEWLINE || byte === 0x0d || byte === 0x09;

/** What the reader expects next inside a container. */
type Expect = 'first-or-close' | 'value' | 'comma-or-close' | 'key' | 'colon';

interface Frame {
  readonly kind: 'array' | 'object';
  /** The member key of a streamed array inside a top-level object. */
  readonly key?: string;
  expect: Expect;
  count: number;
  /** The key just read, while its value is expected (objects). */
  pendingKey?: string;
}

/** The value being captured: where it started, the earlier chunks' bytes, and the scanner's state. */
interface Capture {
  readonly role: 'element' | 'member' | 'key' | 'top';
  readonly scalar: boolean;
  parts: Buffer[];
  start: number;
  depth: number;
  inString: boolean;
  /** The first byte of the next chunk is escaped (this chunk ended inside a string on an odd run of backslashes). */
  escaped: boolean;
  tooDeep: boolean;
}

export class JsonStreamReader {
  private readonly frames: Frame[] = [];
  private capture: Capture | undefined;
  private events: JsonEvent[] = [];
  private line = 1;
  private started = false;
  private offset = 0;

  constructor(
    private readonly maxDepth: number = MAX_DEPTH,
    /** When set, array elements whose text does not hold these bytes are not parsed (no event; still counted). */
    private readonly onlyContaining?: Buffer,
  ) {}

  /** Feeds the next chunk; the events it completed are taken with `take()`. Throws JsonStreamError. */
  push(chunk: Buffer): void {
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      // A UTF-8 byte order mark, as some editors write one.
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    const n = chunk.length;
    while (i < n) {
      if (this.capture) {
        const end = this.scan(chunk, i);
        if (end < 0) {
          this.keepPart(chunk);
          break;
        }
        this.complete(chunk, end);
        i = end;
        continue;
      }
      const byte = chunk[i];
      if (isWhitespace(byte)) {
        if (byte === NEWLINE && this.frames.length === 0) this.line++;
        i++;
        continue;
      }
      i = this.structural(chunk, i, byte);
    }
    this.offset += n;
  }

  /** No more input: a value still open is an error; a trailing scalar completes. */
  end(): void {
    const capture = this.capture;
    if (capture) {
      if (capture.scalar) this.complete(Buffer.alloc(0), 0);
      else throw new JsonStreamError('the input ends inside a value');
    }
    if (this.frames.length > 0) throw new JsonStreamError(`the input ends inside ${this.describeFrame()}`);
    if (this.eventsSeen + this.events.length === 0) throw new JsonStreamError('the input is empty (no JSON value)');
  }

  private eventsSeen = 0;

  take(): JsonEvent[] {
    const taken = this.events;
    this.events = [];
    this.eventsSeen += taken.length;
    return taken;
  }

  private emit(event: JsonEvent): void {
    this.events.push(event);
  }

  private describeFrame(): string {
    const frame = this.frames[this.frames.length - 1];
    return frame.key ? `the "${frame.key}" array` : frame.kind === 'array' ? 'the top-level array' : 'an object';
  }

  private fail(what: string, chunk: Buffer, at: number): never {
    const shown = JSON.stringify(String.fromCharCode(chunk[at]));
    throw new JsonStreamError(`${what}: unexpected ${shown} at byte ${this.offset + at}`);
  }

  /** A significant byte outside any captured value. Returns the next index. */
  private structural(chunk: Buffer, i: number, byte: number): number {
    const frame = this.frames[this.frames.length - 1];
    if (!frame) {
      // Top level: a new value (the first, or the next of a JSON Lines file).
      if (byte === OPEN_BRACKET) {
        this.frames.push({ kind: 'array', expect: 'first-or-close', count: 0 });
        this.emit({ type: 'array-start', line: this.line });
        return i + 1;
      }
      if (byte === OPEN_BRACE) {
        this.frames.push({ kind: 'object', expect: 'first-or-close', count: 0 });
        this.emit({ type: 'object-start', line: this.line });
        return i + 1;
      }
      this.begin('top', chunk, i);
      return i;
    }
    switch (frame.expect) {
      case 'first-or-close':
      case 'comma-or-close': {
        const close = frame.kind === 'array' ? CLOSE_BRACKET : CLOSE_BRACE;
        if (byte === close) {
          this.frames.pop();
          if (frame.kind === 'array') this.emit({ type: 'array-end', count: frame.count, ...keyOf(frame) });
          else this.emit({ type: 'object-end' });
          if (this.frames.length > 0) this.frames[this.frames.length - 1].expect = 'comma-or-close';
          return i + 1;
        }
        if (frame.expect === 'comma-or-close') {
          if (byte !== COMMA) this.fail(`expected "," or a closing bracket in ${this.describeFrame()}`, chunk, i);
          frame.expect = frame.kind === 'array' ? 'value' : 'key';
          return i + 1;
        }
        if (frame.kind === 'object') {
          frame.expect = 'key';
          return this.structural(chunk, i, byte);
        }
        frame.expect = 'value';
        return this.structural(chunk, i, byte);
      }
      case 'key':
        if (byte !== QUOTE) this.fail('expected a member name', chunk, i);
        this.begin('key', chunk, i);
        return i;
      case 'colon':
        if (byte !== COLON) this.fail('expected ":" after a member name', chunk, i);
        frame.expect = 'value';
        return i + 1;
      case 'value':
        if (
          frame.kind === 'object' &&
          this.frames.length === 1 &&
          byte === OPEN_BRACKET &&
          frame.pendingKey !== undefined &&
          STREAMED_KEYS.has(frame.pendingKey)
        ) {
          const key = frame.pendingKey;
          frame.pendingKey = undefined;
          this.frames.push({ kind: 'array', key, expect: 'first-or-close', count: 0 });
          this.emit({ type: 'array-start', line: this.line, key });
          return i + 1;
        }
        if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE || byte === COMMA || byte === COLON) {
          this.fail(`expected a value in ${this.describeFrame()}`, chunk, i);
        }
        this.begin(frame.kind === 'array' ? 'element' : 'member', chunk, i);
        return i;
    }
  }

  private begin(role: Capture['role'], chunk: Buffer, i: number): void {
    const byte = chunk[i];
    this.capture = {
      role,
      scalar: byte !== QUOTE && byte !== OPEN_BRACE && byte !== OPEN_BRACKET,
      parts: [],
      start: i,
      depth: 0,
      inString: false,
      escaped: false,
      tooDeep: false,
    };
  }

  private keepPart(chunk: Buffer): void {
    const capture = this.capture;
    if (!capture) return;
    // A value too deep to read is skipped: its bytes are not kept.
    if (!capture.tooDeep) capture.parts.push(capture.start === 0 ? chunk : chunk.subarray(capture.start));
    capture.start = 0;
  }

  /**
   * Scans the captured value from `i`: returns the index just past its end, or -1 when it goes on into the next
   * chunk (the state is kept). Strings are skipped with indexOf, counting the backslashes before each quote.
   */
  private scan(chunk: Buffer, from: number): number {
    const capture = this.capture as Capture;
    const n = chunk.length;
    let i = from;
    if (capture.scalar) {
      while (i < n) {
        const byte = chunk[i];
        if (byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE || isWhitespace(byte)) return i;
        i++;
      }
      return -1;
    }
    let depth = capture.depth;
    while (i < n) {
      if (capture.inString) {
        if (capture.escaped) {
          capture.escaped = false;
          i++;
          continue;
        }
        let quote = chunk.indexOf(QUOTE, i);
        while (quote !== -1) {
          let k = quote - 1;
          while (k >= i && chunk[k] === BACKSLASH) k--;
          if ((quote - 1 - k) % 2 === 0) break;
          quote = chunk.indexOf(QUOTE, quote + 1);
        }
        if (quote === -1) {
          let k = n - 1;
          while (k >= i && chunk[k] === BACKSLASH) k--;
          capture.escaped = (n - 1 - k) % 2 === 1;
          capture.depth = depth;
          return -1;
        }
        capture.inString = false;
        i = quote + 1;
        if (depth === 0) return i;
        continue;
      }
      const byte = chunk[i];
      if (byte === QUOTE) {
        capture.inString = true;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth++;
        if (depth > this.maxDepth && !capture.tooDeep) {
          capture.tooDeep = true;
          capture.parts = [];
        }
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    capture.depth = depth;
    return -1;
  }

  private complete(chunk: Buffer, end: number): void {
    const capture = this.capture as Capture;
    this.capture = undefined;
    const frame = this.frames[this.frames.length - 1];
    if (capture.tooDeep) {
      const reason = `nested more than ${this.maxDepth} levels deep (bucketguard reads up to ${this.maxDepth}); not read`;
      if (capture.role === 'element' && frame) {
        this.emit({ type: 'skipped', reason, index: frame.count, ...keyOf(frame) });
        frame.count++;
        frame.expect = 'comma-or-close';
      } else if (capture.role === 'member' && frame) {
        this.emit({ type: 'skipped', reason, key: frame.pendingKey ?? '' });
        frame.pendingKey = undefined;
        frame.expect = 'comma-or-close';
      } else {
        this.emit({ type: 'skipped', reason });
      }
      return;
    }
    const last = chunk.subarray(capture.start, end);
    const bytes = capture.parts.length > 0 ? Buffer.concat([...capture.parts, last]) : last;
    if (this.onlyContaining && capture.role === 'element' && frame && !bytes.includes(this.onlyContaining)) {
      frame.count++;
      frame.expect = 'comma-or-close';
      return;
    }
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const where = frame
        ? ` in ${this.describeFrame()}${capture.role === 'element' ? ` (element ${frame.count})` : ''}`
        : '';
      throw new JsonStreamError(`${error instanceof Error ? error.message : String(error)}${where}`);
    }
    switch (capture.role) {
      case 'top':
        this.emit({ type: 'value', line: this.line, value });
        return;
      case 'key':
        if (!frame) return;
        frame.pendingKey = value as string;
        frame.expect = 'colon';
        return;
      case 'member':
        if (!frame) return;
        this.emit({ type: 'member', key: frame.pendingKey ?? '', value });
        frame.pendingKey = undefined;
        frame.count++;
        frame.expect = 'comma-or-close';
        return;
      case 'element':
        if (!frame) return;
        this.emit({ type: 'element', index: frame.count, value, ...keyOf(frame) });
        frame.count++;
        frame.expect = 'comma-or-close';
        return;
    }
  }
}

function keyOf(frame: Frame): { key?: string } {
  return frame.key !== undefined ? { key: frame.key } : {};
}

/** The events of a whole input, read chunk by chunk. */
export async function* jsonEvents(
  chunks: AsyncIterable<Buffer>,
  options: { readonly maxDepth?: number; readonly onlyContaining?: string } = {},
): AsyncGenerator<JsonEvent> {
  const filter = options.onlyContaining !== undefined ? Buffer.from(options.onlyContaining, 'utf8') : undefined;
  const reader = new JsonStreamReader(options.maxDepth ?? MAX_DEPTH, filter);
  for await (const chunk of chunks) {
    reader.push(chunk);
    yield* reader.take();
  }
  reader.end();
  yield* reader.take();
}
