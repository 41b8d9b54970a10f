import { MalformedInputError, parseMaybeJson, toIsoTimestamp } from '../../../rules/shared/normalize';

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
