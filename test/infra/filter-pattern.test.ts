/**
 * The filter-pattern evaluator against the examples CloudWatch Logs documents (FilterAndPatternSyntax: "JSON Metric
 * Filter Examples", "JSON Compound Conditions", "Numeric Comparisons"), so the alarm-table tests rest on a checked
 * evaluator, not on one written to agree with our own patterns.
 */
import { compileFilterPattern, FilterPatternError } from './filter-pattern';

const documented = {
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
};

const compound = {
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [
    { id: 2, email: 'John.Doe@example.com' },
    { id: 3, email: 'Jane.Doe@example.com' },
  ],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
    [7, 8, 9],
  ],
};

const matches = (pattern: string, event: unknown): boolean => compileFilterPattern(pattern).matches(event);

describe('documented JSON filter examples', () => {
  it.each([
    '{ $.eventType = "UpdateTrail" }',
    '{ $.sourceIPAddress != 123.123.* }',
    '{ $.arrayKey[0] = "value" }',
    '{ $.objectList[1].id = 2 }',
    '{ $.SomeObject IS NULL }',
    '{ $.SomeOtherObject NOT EXISTS }',
    '{ $.ThisFlag IS TRUE }',
  ])('%s matches the documented event', (pattern) => {
    expect(matches(pattern, documented)).toBe(true);
  });

  it.each([
    '{ $.eventType = "CreateTrail" }',
    '{ $.sourceIPAddress != 111.111.* }',
    '{ $.arrayKey[1] = "value" }',
    '{ $.objectList[0].id = 2 }',
    '{ $.eventType IS NULL }',
    '{ $.SomeObject NOT EXISTS }',
    '{ $.ThisFlag IS FALSE }',
  ])('%s does not match the documented event', (pattern) => {
    expect(matches(pattern, documented)).toBe(false);
  });

  it('treats a selector that points at an array as not applicable for both = and !=', () => {
    expect(matches('{ $.users = 1 }', { users: [1, 2, 3] })).toBe(false);
    expect(matches('{ $.users != 1 }', { users: [1, 2, 3] })).toBe(false);
  });
});

describe('documented compound conditions (() > && > ||)', () => {
  it.each([
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', true],
    [
      '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }',
      false,
    ],
  ])('%s -> %s', (pattern, expected) => {
    expect(matches(pattern, compound)).toBe(expected);
  });

  it('indexes nested arrays', () => {
    expect(matches('{ $.coordinates[2][0] = 7 }', compound)).toBe(true);
  });
});

describe('documented numeric comparisons', () => {
  const event = {
    latency: 500,
    numbers: [9, 0.005],
    processes: [{}, {}, {}, {}, { averageRuntime: 55.5 }],
    errorCode: 400,
  };
  it.each([
    ['{ $.latency >= 500 }', true],
    ['{ $.latency > 500 }', false],
    ['{ $.numbers[0] < 10e3 }', true],
    ['{ $.numbers[1] < 10e-3 }', true],
    ['{ $.numbers[0] < 10e-3 }', false],
    ['{ $.processes[4].averageRuntime <= 55.5 }', true],
    ['{ $.errorCode = 400 }', true],
    ['{ $.errorCode != 500 }', true],
    ['{ $.errorCode != 400 }', false],
    ['{ $.latency > +1000 }', false],
    ['{ $.latency > -1 }', true],
  ])('%s -> %s', (pattern, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  it('never compares a string field numerically', () => {
    expect(matches('{ $.latency > 1 }', { latency: '500' })).toBe(false);
  });
});

describe('strings and wildcards', () => {
  it('wildcards at the start and/or end, a literal * in the middle', () => {
    expect(matches('{ $.e = *Event }', { e: 'PutEvent' })).toBe(true);
    expect(matches('{ $.e = Event* }', { e: 'EventName' })).toBe(true);
    expect(matches('{ $.e = *vent* }', { e: 'GetEventId' })).toBe(true);
    expect(matches('{ $.e = Ev*ent }', { e: 'EvXent' })).toBe(false);
    expect(matches('{ $.e = Ev*ent }', { e: 'Ev*ent' })).toBe(true);
    expect(matches('{ $.errorCode = "*UnauthorizedOperation" }', { errorCode: 'Client.UnauthorizedOperation' })).toBe(
      true,
    );
    expect(matches('{ $.errorCode = "AccessDenied*" }', { errorCode: 'AccessDeniedException' })).toBe(true);
  });

  it('`= *` matches any string or number, nothing else', () => {
    expect(matches('{ $.v = * }', { v: 'x' })).toBe(true);
    expect(matches('{ $.v = * }', { v: 3 })).toBe(true);
    expect(matches('{ $.v = * }', { v: null })).toBe(false);
    expect(matches('{ $.v = * }', { v: { a: 1 } })).toBe(false);
    expect(matches('{ $.v = * }', {})).toBe(false);
  });

  it('is case sensitive and compares quoted and unquoted values alike', () => {
    expect(matches('{ $.eventSource = s3.amazonaws.com }', { eventSource: 's3.amazonaws.com' })).toBe(true);
    expect(matches('{ $.eventSource = "s3.amazonaws.com" }', { eventSource: 's3.amazonaws.com' })).toBe(true);
    expect(matches('{ $.eventName = createbucket }', { eventName: 'CreateBucket' })).toBe(false);
  });

  it('a missing field matches neither = nor != (NOT EXISTS is the way to test absence)', () => {
    expect(matches('{ $.additionalEventData.MFAUsed != "Yes" }', {})).toBe(false);
    expect(matches('{ $.additionalEventData.MFAUsed = "Yes" }', {})).toBe(false);
    expect(matches('{ $.additionalEventData.MFAUsed NOT EXISTS }', {})).toBe(true);
  });

  it('compares an unquoted number with a string field textually (CloudTrail account ids are strings)', () => {
    expect(matches('{ $.recipientAccountId = 111122223333 }', { recipientAccountId: '111122223333' })).toBe(true);
    expect(matches('{ $.recipientAccountId = "111122223333" }', { recipientAccountId: 111122223333 })).toBe(true);
  });

  it('reads escaped quotes inside quoted strings', () => {
    expect(matches('{ $.m = "say \\"hi\\"" }', { m: 'say "hi"' })).toBe(true);
  });

  it('does not match a log message that is not a JSON object', () => {
    const pattern = compileFilterPattern('{ $.a = 1 }');
    expect(pattern.matchesMessage('a=1')).toBe(false);
    expect(pattern.matchesMessage('[1]')).toBe(false);
    expect(pattern.matchesMessage('{"a":1}')).toBe(true);
  });
});

describe('rejects what it does not implement or what is malformed', () => {
  it.each([
    'ERROR',
    '[ip, user, status_code = 4*]',
    '{ $.a = %regex% }',
    '{ $.a = 1',
    '{ $.a > abc }',
    '{ $.a IS MAYBE }',
    '{ $.a NOT THERE }',
    '{ $ = 1 }',
    '{ $.a = 1 } extra',
    '{ ($.a = 1 }',
    '{ $.a = "unterminated }',
  ])('%s', (pattern) => {
    expect(() => compileFilterPattern(pattern)).toThrow(FilterPatternError);
  });
});
