import { headWithin } from '../../model/inert-text';

describe('headWithin', () => {
  it('keeps text that fits, and otherwise the longest start within the room in UTF-16 units', () => {
    expect(headWithin('abc', 3)).toBe('abc');
    expect(headWithin('abcdef', 4)).toBe('abcd');
    expect(headWithin('abc', 0)).toBe('');
  });

  it('never splits a surrogate pair: a pair that does not fit whole is left out', () => {
    expect(headWithin('ab\uD83D\uDE00c', 3)).toBe('ab');
    expect(headWithin('ab\uD83D\uDE00c', 4)).toBe('ab\uD83D\uDE00');
  });
});
