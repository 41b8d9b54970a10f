/**
 * Test vectors for exposure/policy.ts: §1.5 aws:SourceIp CIDR width (public-semantics.md).
 */
import { withCondition } from './policy-statements';

describe('§1.5 aws:SourceIp CIDR width', () => {
  const ip = (values: string | string[], operator = 'IpAddress') =>
    withCondition({ [operator]: { 'aws:SourceIp': values } });

  it.each<[string, string | string[], string]>([
    [
      '§1.5.2 "Which addresses are public does not matter": 203.0.113.0/24 is non-public',
      '203.0.113.0/24',
      'limited by aws:SourceIp 203.0.113.0/24',
    ],
    ['§1.5.2 "a /8 is not broader than /8"', '198.0.0.0/8', 'limited by aws:SourceIp 198.0.0.0/8'],
    ['§1.5.1 a bare IPv4 address means /32', '198.51.100.17', 'limited by aws:SourceIp 198.51.100.17'],
    ['§1.5.1 a bare IPv6 address means /128', '2001:db8::1', 'limited by aws:SourceIp 2001:db8::1'],
    ['§1.5.2 IPv6 /32 is not broader than /32', '2001:db8::/32', 'limited by aws:SourceIp 2001:db8::/32'],
    ['§1.5.2 RFC1918 10.0.0.0/8 never counts as broad', '10.0.0.0/8', 'limited by aws:SourceIp 10.0.0.0/8'],
    [
      '§1.5.3 RFC1918 ranges are left out of the union count',
      ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '203.0.113.0/24'],
      'limited by aws:SourceIp 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 1 more',
    ],
    [
      '§1.5.3 exactly 2^24 non-RFC1918 addresses does not exceed the threshold',
      ['198.0.0.0/9', '198.128.0.0/9'],
      'limited by aws:SourceIp 198.0.0.0/9, 198.128.0.0/9',
    ],
  ])('%s', (_rule, values, reason) => {
    expect(ip(values)).toMatchObject({ public: false, reason, caveats: [] });
  });

  it.each<[string, string | string[], string]>([
    [
      '[doc] "very broad IP ranges (for example, 0.0.0.0/1) are evaluated as public"',
      '0.0.0.0/1',
      'no limiting condition: aws:SourceIp 0.0.0.0/1 is broader than /8',
    ],
    ['[doc] 0.0.0.0/0', '0.0.0.0/0', 'no limiting condition: aws:SourceIp 0.0.0.0/0 is broader than /8'],
    [
      '[doc] "values broader than /8 for IPv4": /7',
      '198.0.0.0/7',
      'no limiting condition: aws:SourceIp 198.0.0.0/7 is broader than /8',
    ],
    [
      '[doc] "...and /32 for IPv6": /31',
      '2001:db8::/31',
      'no limiting condition: aws:SourceIp 2001:db8::/31 is broader than /32',
    ],
    ['[doc] IPv6 ::/0', '::/0', 'no limiting condition: aws:SourceIp ::/0 is broader than /32'],
    [
      '§1.5.4 "every listed CIDR must pass"',
      ['203.0.113.0/24', '0.0.0.0/1'],
      'no limiting condition: aws:SourceIp 0.0.0.0/1 is broader than /8',
    ],
    [
      'an unparseable value proves no limit',
      'not-an-ip',
      'no limiting condition: aws:SourceIp value "not-an-ip" is not an IP address or CIDR',
    ],
  ])('%s: public', (_rule, values, reason) => {
    expect(ip(values)).toMatchObject({ public: true, reason, caveats: [] });
  });

  it.each<[string, string, string]>([
    [
      '§1.5.1 "NotIpAddress ... on their own are public"',
      'NotIpAddress',
      'no limiting condition: NotIpAddress on aws:SourceIp is a negated operator',
    ],
    [
      '§1.5.1 "IpAddressIfExists on their own are public"',
      'IpAddressIfExists',
      'no limiting condition: IpAddressIfExists holds when aws:SourceIp is absent',
    ],
    [
      '§1.5.1 "Only IpAddress ... limits": StringEquals does not',
      'StringEquals',
      'no limiting condition: aws:SourceIp limits only with IpAddress',
    ],
  ])('%s', (_rule, operator, reason) => {
    expect(ip('203.0.113.0/24', operator)).toMatchObject({ public: true, reason });
  });

  it('§1.5.1 "including ForAnyValue:IpAddress" limits', () => {
    expect(ip('203.0.113.0/24', 'ForAnyValue:IpAddress')).toMatchObject({
      public: false,
      reason: 'limited by aws:SourceIp 203.0.113.0/24',
    });
  });

  it('§1.5.3 [open] narrow CIDRs whose union exceeds 2^24: public, marked unverified', () => {
    const verdict = ip(['198.0.0.0/8', '199.0.0.0/8']);
    expect(verdict).toMatchObject({
      public: true,
      reason:
        'no limiting condition: aws:SourceIp ranges together cover 33554432 non-RFC1918 IPv4 addresses (more than a /8 or /32)',
    });
    expect(verdict.caveats).toEqual([
      'statement "S": for aws:SourceIp the per-CIDR rule says not public but the address-count rule says public ' +
        '(33554432 non-RFC1918 IPv4 addresses); treated as public (unverified).',
    ]);
  });

  it('§1.5.3 [open] a /7 that is half RFC1918: per-CIDR public, union not; public, marked unverified', () => {
    const verdict = ip('10.0.0.0/7');
    expect(verdict).toMatchObject({
      public: true,
      reason: 'no limiting condition: aws:SourceIp 10.0.0.0/7 is broader than /8',
    });
    expect(verdict.caveats).toEqual([
      'statement "S": for aws:SourceIp the per-CIDR rule says public but the address-count rule says not public ' +
        '(16777216 non-RFC1918 IPv4 addresses); treated as public (unverified).',
    ]);
  });

  it('§1.5.3 [open] IPv6 union beyond 2^96', () => {
    const verdict = ip(['2001:db8::/32', '2001:db9::/32']);
    expect(verdict.public).toBe(true);
    expect(verdict.caveats).toEqual([
      'statement "S": for aws:SourceIp the per-CIDR rule says not public but the address-count rule says public ' +
        '(158456325028528675187087900672 IPv6 addresses); treated as public (unverified).',
    ]);
  });

  it('a union caveat is dropped when another key limits the statement', () => {
    const verdict = withCondition({
      IpAddress: { 'aws:SourceIp': ['198.0.0.0/8', '199.0.0.0/8'] },
      StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
    });
    expect(verdict).toMatchObject({ public: false, caveats: [] });
  });
});
