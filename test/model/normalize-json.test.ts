import fc from 'fast-check';
import { MalformedInputError, parseMaybeJson, toIsoTimestamp } from '../../model/normalize';

function encode(value: unknown, times: number): unknown {
  let current = value;
  for (let index = 0; index < times; index++) current = JSON.stringify(current);
  return current;
}

describe('parseMaybeJson', () => {
  const object = { grantList: [], owner: { id: 'x' } };

  it.each([1, 2, 3, 4])('decodes an object encoded %i time(s) with the default depth', (times) => {
    expect(parseMaybeJson(encode(object, times))).toEqual(object);
  });

  it('stops at the depth limit and returns what it has', () => {
    expect(parseMaybeJson(encode(object, 5))).toBe(encode(object, 1));
    expect(parseMaybeJson(encode(object, 3), 1)).toBe(encode(object, 2));
    expect(parseMaybeJson(encode(object, 1), 0)).toBe(encode(object, 1));
  });

  it('returns a string that is not JSON unchanged', () => {
    expect(parseMaybeJson('AllUsers')).toBe('AllUsers');
    expect(parseMaybeJson('{broken')).toBe('{broken');
    expect(parseMaybeJson('"quoted"')).toBe('quoted');
  });

  it('decodes JSON scalars, as the API model stores them', () => {
    expect(parseMaybeJson('false')).toBe(false);
    expect(parseMaybeJson('null')).toBeNull();
    expect(parseMaybeJson('12')).toBe(12);
  });

  it('passes non-strings through and never throws', () => {
    const date = new Date(0);
    for (const value of [undefined, null, 0, true, object, date, [1]]) expect(parseMaybeJson(value)).toBe(value);
  });
});

describe('toIsoTimestamp', () => {
  it.each([
    ['a Date', new Date('2019-02-12T07:29:16.288Z'), '2019-02-12T07:29:16.288Z'],
    ['an ISO string (Config)', '2019-02-12T07:29:16.288Z', '2019-02-12T07:29:16.288Z'],
    ['a boto3 string with microseconds and an offset', '2017-02-04T06:10:33.880000-05:00', '2017-02-04T11:10:33.880Z'],
    ["Python's str(datetime)", '2019-02-12 07:29:16.288000+00:00', '2019-02-12T07:29:16.288Z'],
    ['a +0000 offset (CloudWatch)', '2023-08-04T12:36:15.490+0000', '2023-08-04T12:36:15.490Z'],
    ['a string without a zone (read as UTC)', '2019-02-12T07:29:16', '2019-02-12T07:29:16.000Z'],
    ['minutes only', '2019-02-12T07:29Z', '2019-02-12T07:29:00.000Z'],
    ['a date only', '2019-02-12', '2019-02-12T00:00:00.000Z'],
    ['epoch seconds (boto3 float)', 1549956556.288, '2019-02-12T07:29:16.288Z'],
    ['epoch milliseconds', 1549956556288, '2019-02-12T07:29:16.288Z'],
    ['epoch seconds as a string', '1549956556', '2019-02-12T07:29:16.000Z'],
    ['epoch zero', 0, '1970-01-01T00:00:00.000Z'],
  ])('%s', (_label, value, expected) => {
    expect(toIsoTimestamp(value)).toBe(expected);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an invalid Date', new Date('nope')],
    ['a word', 'yesterday'],
    ['an empty string', ''],
    ['February 30th', '2019-02-30T00:00:00Z'],
    ['hour 25', '2019-02-12T25:00:00Z'],
    ['a negative epoch', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an object', { seconds: 1 }],
  ])('%s -> undefined', (_label, value) => {
    expect(toIsoTimestamp(value)).toBeUndefined();
  });
});

describe('toIsoTimestamp on T forms with a fraction and a zone (read field by field)', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  it('gives the instant JavaScript reads from the same text, for any fields, fraction and offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
        fc.option(
          fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })),
          {
            nil: undefined,
          },
        ),
        (year, month, day, hour, minute, second, fraction, offset) => {
          const zone = offset === undefined ? 'Z' : `${offset[0]}${two(offset[1])}:${two(offset[2])}`;
          const base = `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}`;
          const text = `${base}${fraction === undefined ? '' : `.${fraction}`}${zone}`;
          const millis = (fraction ?? '').slice(0, 3).padEnd(3, '0');
          expect(toIsoTimestamp(text)).toBe(new Date(`${base}.${millis}${zone}`).toISOString());
        },
      ),
    );
  });

  it.each([
    ['day 31 of a 30-day month', '2024-04-31T10:00:00.123456+00:00'],
    ['February 29th of a common year', '2023-02-29T10:00:00.5Z'],
    ['second 60', '2024-04-01T10:00:60.000+02:00'],
    ['an offset of 24 hours', '2024-04-01T10:00:00.000+24:00'],
    ['offset minutes 60', '2024-04-01T10:00:00.000-05:60'],
    ['month 13', '2024-13-01T10:00:00.000000+00:00'],
  ])('%s -> undefined', (_label, text) => {
    expect(toIsoTimestamp(text)).toBeUndefined();
  });

  it('reads a leap day and a fraction cut to milliseconds', () => {
    expect(toIsoTimestamp('2024-02-29T23:59:59.999999-00:30')).toBe('2024-03-01T00:29:59.999Z');
  });
});

describe('MalformedInputError', () => {
  it('carries path and problem and says both', () => {
    const error = new MalformedInputError('configurationItem.resourceId', 'missing');
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.path, error.problem, error.message]).toEqual([
      'MalformedInputError',
      'configurationItem.resourceId',
      'missing',
      'configurationItem.resourceId: missing',
    ]);
  });
});
