/**
 * The EventBridge matcher against the cases EventBridge documents (content filtering, arrays, null and empty
 * strings), so the routing tests rest on checked semantics.
 */
import { EventPatternError, matchesEventPattern } from './event-pattern-matcher';

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: [
    'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
    'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0',
  ],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'source-ip': '10.0.0.123',
    FileName: 'image.png',
    eventVersion: '',
    responseElements: null,
    location: { region: 'us-west-1', zone: 'us-west-1a' },
    tags: [{ key: 'env', value: 'prod' }],
    flag: false,
  },
};

const m = (pattern: unknown): boolean => matchesEventPattern(pattern, ec2Event);

describe('equality, AND across fields, OR within a list', () => {
  it('matches the documented instance-termination pattern', () => {
    expect(
      m({
        source: ['aws.ec2'],
        'detail-type': ['EC2 Instance State-change Notification'],
        detail: { state: ['terminated'] },
      }),
    ).toBe(true);
  });
  it('every field must match', () => {
    expect(m({ source: ['aws.ec2'], detail: { state: ['running'] } })).toBe(false);
  });
  it('any listed value may match', () => {
    expect(m({ detail: { state: ['running', 'terminated'] } })).toBe(true);
  });
  it('a missing field never matches a value', () => {
    expect(m({ detail: { missing: ['x'] } })).toBe(false);
  });
  it('array event values match when any element matches', () => {
    expect(m({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] })).toBe(true);
    expect(m({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-nope'] })).toBe(false);
  });
  it('nested objects and arrays of objects', () => {
    expect(m({ detail: { location: { zone: ['us-west-1a'] } } })).toBe(true);
    expect(m({ detail: { tags: { key: ['env'], value: ['prod'] } } })).toBe(true);
    expect(m({ detail: { tags: { key: ['owner'] } } })).toBe(false);
  });
  it('null and "" are different values', () => {
    expect(m({ detail: { eventVersion: [''] } })).toBe(true);
    expect(m({ detail: { eventVersion: [null] } })).toBe(false);
    expect(m({ detail: { responseElements: [null] } })).toBe(true);
    expect(m({ detail: { responseElements: [''] } })).toBe(false);
  });
  it('numbers and booleans compare by value and type', () => {
    expect(m({ detail: { 'c-count': [5] } })).toBe(true);
    expect(m({ detail: { 'c-count': ['5'] } })).toBe(false);
    expect(m({ detail: { flag: [false] } })).toBe(true);
  });
});

describe('operators', () => {
  it('prefix and suffix, case-sensitive unless equals-ignore-case', () => {
    expect(m({ time: [{ prefix: '2017-12-22' }] })).toBe(true);
    expect(m({ time: [{ prefix: '2018' }] })).toBe(false);
    expect(m({ detail: { FileName: [{ suffix: '.png' }] } })).toBe(true);
    expect(m({ detail: { FileName: [{ suffix: '.PNG' }] } })).toBe(false);
    expect(m({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.PNG' } }] } })).toBe(true);
    expect(m({ detail: { state: [{ prefix: { 'equals-ignore-case': 'TERM' } }] } })).toBe(true);
  });
  it('equals-ignore-case', () => {
    expect(m({ detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } })).toBe(true);
  });
  it('anything-but: value, list, prefix, suffix; the field must exist', () => {
    expect(m({ detail: { state: [{ 'anything-but': 'initializing' }] } })).toBe(true);
    expect(m({ detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } })).toBe(false);
    expect(m({ detail: { state: [{ 'anything-but': { prefix: 'term' } }] } })).toBe(false);
    expect(m({ detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } })).toBe(true);
    expect(m({ detail: { missing: [{ 'anything-but': 'x' }] } })).toBe(false);
  });
  it('numeric ranges only match numbers', () => {
    expect(m({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } })).toBe(true);
    expect(m({ detail: { 'c-count': [{ numeric: ['>', 5] }] } })).toBe(false);
    expect(m({ detail: { state: [{ numeric: ['>', 0] }] } })).toBe(false);
  });
  it('exists looks at leaf values only', () => {
    expect(m({ detail: { state: [{ exists: true }] } })).toBe(true);
    expect(m({ detail: { missing: [{ exists: false }] } })).toBe(true);
    expect(m({ detail: { state: [{ exists: false }] } })).toBe(false);
    expect(m({ detail: { responseElements: [{ exists: true }] } })).toBe(true);
    expect(m({ detail: { location: [{ exists: true }] } })).toBe(false);
  });
  it('cidr (IPv4)', () => {
    expect(m({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } })).toBe(true);
    expect(m({ detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } })).toBe(false);
  });
  it('wildcard, with \\* as a literal star', () => {
    expect(m({ resources: [{ wildcard: 'arn:aws:ec2:us-east-1:*:instance/i-b188560f' }] })).toBe(true);
    expect(m({ detail: { FileName: [{ wildcard: 'image\\*.png' }] } })).toBe(false);
    expect(matchesEventPattern({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' })).toBe(true);
  });
  it('$or at any level', () => {
    expect(m({ detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { state: ['terminated'] }] } })).toBe(true);
    expect(m({ $or: [{ source: ['aws.s3'] }, { region: ['eu-west-1'] }] })).toBe(false);
  });
});

describe('rejects patterns EventBridge would reject or this matcher does not know', () => {
  it.each([
    [{}],
    [{ source: 'aws.ec2' }],
    [{ source: [] }],
    [{ detail: { state: [{ regex: 'x' }] } }],
    [{ detail: { state: [{ numeric: ['!', 1] }] } }],
    [{ $or: [{ source: ['aws.ec2'] }] }],
    [{ detail: { 'source-ip': [{ cidr: '2001:db8::/32' }] } }],
  ])('%j', (pattern) => {
    expect(() => m(pattern)).toThrow(EventPatternError);
  });
});
