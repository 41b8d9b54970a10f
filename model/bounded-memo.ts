/**
 * The one memo table of the decision code: remembers computed values by key, at most `limit` of them, and is emptied
 * when full. Values that repeat from bucket to bucket are computed once per distinct key; a long sweep that sees more
 * distinct keys than the limit computes them again instead of growing memory.
 *
 * The last entry remembered is also kept in two fields and checked first, so a memo of limit 1 (the analysis of the
 * object the previous rule just analysed) never touches the Map: keying a Map by object identity costs V8 more than
 * the analysis it saves. Emptying, rather than evicting one entry, keeps a hit to one comparison or one Map lookup.
 *
 * Callers look up, and on a miss compute and remember, in two plain calls (no callback, so no closure per call):
 *   let value = MEMO.get(key);
 *   if (value === undefined) value = MEMO.remember(key, compute(key));
 * `undefined` means "not remembered", so a computation that can find nothing remembers `null` instead.
 */
export class BoundedMemo<K, V> {
  private readonly entries = new Map<K, V>();
  private lastKey: K | undefined = undefined;
  private lastValue: V | undefined = undefined;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`BoundedMemo limit must be a positive integer, got ${limit}`);
    }
  }

  get(key: K): V | undefined {
    if (key === this.lastKey) return this.lastValue;
    return this.limit === 1 ? undefined : this.entries.get(key);
  }

  /** Remembers `value` for `key` after a miss (emptying the table first when it is full) and returns `value`. */
  remember(key: K, value: V): V {
    this.lastKey = key;
    this.lastValue = value;
    if (this.limit > 1) {
      if (this.entries.size >= this.limit) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  /** How many entries are remembered (at most `limit`). */
  get size(): number {
    return this.limit === 1 ? (this.lastValue === undefined ? 0 : 1) : this.entries.size;
  }
}
