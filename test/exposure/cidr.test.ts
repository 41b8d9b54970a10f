/** §1.5 of public-semantics.md: CIDR parsing, the per-CIDR width rule and the union address count. */
import {
  analyseSourceIp,
  countIpv6,
  countNonPrivateIpv4,
  type Ipv4Cidr,
  type Ipv6Cidr,
  isBroadCidr,
  parseCidr,
} from '../../exposure/cidr';

const v4 = (text: string): Ipv4Cidr => {
  const cidr = parseCidr(text);
  if (cidr?.family !== 4) throw new Error(`not IPv4: ${text}`);
  return cidr;
};
const v6 = (text: string): Ipv6Cidr => {
  const cidr = parseCidr(text);
  if (cidr?.family !== 6) throw new Error(`not IPv6: ${text}`);
  return cidr;
};

describe('parseCidr', () => {
  it.each<[string, string, number, number, number]>([
    ['a /24', '203.0.113.0/24', 24, 0xcb007100, 0xcb0071ff],
    ['§1.5.1 "a bare address means /32"', '198.51.100.17', 32, 0xc6336411, 0xc6336411],
    ['host bits are cleared', '203.0.113.77/24', 24, 0xcb007100, 0xcb0071ff],
    ['everything', '0.0.0.0/0', 0, 0, 0xffffffff],
    ['surrounding whitespace is ignored', ' 10.0.0.0/8 ', 8, 0x0a000000, 0x0affffff],
  ])('IPv4: %s (%j)', (_label, text, prefix, first, last) => {
    expect(v4(text)).toMatchObject({ prefix, first, last });
  });

  it.each<[string, string, number, bigint]>([
    ['a /32', '2001:db8::/32', 32, 0x20010db8n << 96n],
    ['§1.5.1 "a bare address means /128"', '2001:db8::1', 128, (0x20010db8n << 96n) | 1n],
    ['everything', '::/0', 0, 0n],
    ['embedded IPv4 tail', '::ffff:192.0.2.1', 128, 0xffffc0000201n],
    ['uncompressed, host bits cleared', '2001:db8:0:0:0:0:0:1/64', 64, 0x20010db8n << 96n],
  ])('IPv6: %s (%j)', (_label, text, prefix, first) => {
    expect(v6(text)).toMatchObject({ prefix, first });
  });

  it.each([
    '256.0.0.0',
    '1.2.3.4/33',
    '1.2.3',
    '1.2.3.4/',
    '1.2.3.4/x',
    ':::',
    '1::2::3',
    'fe80::1%eth0',
    '2001:db8::/129',
    'vpc-1',
    '',
    '1:2:3:4:5:6:7:8:9',
  ])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('§1.5.2 per-CIDR width rule', () => {
  it.each<[string, boolean]>([
    ['0.0.0.0/1', true],
    ['198.0.0.0/7', true],
    ['198.0.0.0/8', false],
    ['203.0.113.0/24', false],
    ['10.0.0.0/8', false],
    ['2001:db8::/31', true],
    ['2001:db8::/32', false],
    ['::/0', true],
  ])('%s broad: %s', (text, broad) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error('unparsed');
    expect(isBroadCidr(cidr)).toBe(broad);
  });
});

describe('§1.5.3 union count', () => {
  it('counts distinct addresses, merging overlaps and adjacency', () => {
    expect(countNonPrivateIpv4([v4('203.0.113.0/24'), v4('203.0.113.128/25'), v4('203.0.114.0/24')])).toBe(512);
  });

  it('leaves RFC1918 out of the count', () => {
    expect(countNonPrivateIpv4([v4('10.0.0.0/7')])).toBe(2 ** 24);
    expect(countNonPrivateIpv4([v4('172.16.0.0/12'), v4('192.168.0.0/16')])).toBe(0);
    expect(countNonPrivateIpv4([v4('0.0.0.0/0')])).toBe(2 ** 32 - 2 ** 24 - 2 ** 20 - 2 ** 16);
  });

  it('IPv6 union', () => {
    expect(countIpv6([v6('2001:db8::/32'), v6('2001:db8:1::/48'), v6('2001:db9::/32')])).toBe(1n << 97n);
  });
});

describe('analyseSourceIp', () => {
  it('§1.5.4 every listed CIDR must pass; the first broad one is named', () => {
    expect(analyseSourceIp(['203.0.113.0/24', '0.0.0.0/1', '::/0'])).toMatchObject({
      broad: '0.0.0.0/1 is broader than /8',
      perCidrPublic: true,
      unionPublic: true,
    });
  });

  it('narrow ranges whose union exceeds 2^24 disagree with the per-CIDR rule', () => {
    expect(analyseSourceIp(['198.0.0.0/8', '199.0.0.0/8'])).toEqual({
      broad: undefined,
      perCidrPublic: false,
      unionPublic: true,
      nonPrivateIpv4: 2 ** 25,
      ipv6: 0n,
    });
  });

  it('an invalid value is reported', () => {
    expect(analyseSourceIp(['203.0.113.0/24', 'office'])).toMatchObject({
      invalidValue: 'office',
      perCidrPublic: true,
    });
  });
});

describe('analyseSourceIp remembers each list of values', () => {
  it('answers a repeated list with the same analysis', () => {
    const first = analyseSourceIp(['203.0.113.0/24', '198.51.100.17/32']);
    const again = analyseSourceIp(['203.0.113.0/24', '198.51.100.17/32']);
    expect(again).toBe(first);
    // 256 + 1 addresses, neither range broader than /8: not public by either rule.
    expect(first).toStrictEqual({
      perCidrPublic: false,
      unionPublic: false,
      nonPrivateIpv4: 257,
      ipv6: 0n,
      broad: undefined,
    });
  });

  it('never confuses one value holding a line feed with two values', () => {
    const one = analyseSourceIp(['10.0.0.0/8\n192.0.2.0/24']);
    const two = analyseSourceIp(['10.0.0.0/8', '192.0.2.0/24']);
    expect(one.invalidValue).toBe('10.0.0.0/8\n192.0.2.0/24');
    expect(two.invalidValue).toBeUndefined();
    expect(analyseSourceIp(['10.0.0.0/8', '192.0.2.0/24\n'])).not.toBe(
      analyseSourceIp(['10.0.0.0/8', '192.0.2.0/24\n']),
    );
  });
});
