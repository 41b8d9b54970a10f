import { BoundedMemo } from '../../model/bounded-memo';

describe('BoundedMemo', () => {
  it('gives back what was remembered, and undefined for a key never remembered', () => {
    const memo = new BoundedMemo<string, number | null>(4);
    expect(memo.remember('a', 1)).toBe(1);
    expect(memo.remember('none', null)).toBeNull();
    expect(memo.get('a')).toBe(1);
    expect(memo.get('none')).toBeNull();
    expect(memo.get('b')).toBeUndefined();
    expect(memo.size).toBe(2);
  });

  it('hands out the very object it was given (callers share readonly values)', () => {
    const memo = new BoundedMemo<string, { readonly n: number }>(2);
    const value = { n: 1 };
    memo.remember('k', value);
    expect(memo.get('k')).toBe(value);
  });

  it('is emptied when full, then remembers the new entry', () => {
    const memo = new BoundedMemo<number, string>(3);
    for (const key of [1, 2, 3]) memo.remember(key, `v${key}`);
    expect(memo.size).toBe(3);
    memo.remember(4, 'v4');
    expect(memo.size).toBe(1);
    expect([1, 2, 3].map((key) => memo.get(key))).toEqual([undefined, undefined, undefined]);
    expect(memo.get(4)).toBe('v4');
  });

  it('never holds more than its limit, however many keys it sees', () => {
    const memo = new BoundedMemo<number, number>(10);
    let largest = 0;
    for (let key = 0; key < 1000; key++) {
      memo.remember(key, key);
      largest = Math.max(largest, memo.size);
    }
    expect(largest).toBe(10);
  });

  it('with limit 1 remembers only the last key, compared by identity for objects', () => {
    const memo = new BoundedMemo<object, string>(1);
    const first = { n: 1 };
    const second = { n: 1 };
    memo.remember(first, 'first');
    expect(memo.get(first)).toBe('first');
    expect(memo.get(second)).toBeUndefined();
    memo.remember(second, 'second');
    expect(memo.get(second)).toBe('second');
    expect(memo.get(first)).toBeUndefined();
    expect(memo.size).toBe(1);
  });

  it('finds an earlier key after later ones (the last entry is only checked first)', () => {
    const memo = new BoundedMemo<string, number>(8);
    memo.remember('a', 1);
    memo.remember('b', 2);
    expect(memo.get('a')).toBe(1);
    expect(memo.get('b')).toBe(2);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects the limit %p', (limit) => {
    expect(() => new BoundedMemo(limit)).toThrow(`BoundedMemo limit must be a positive integer, got ${limit}`);
  });
});
