/**
 * `aws:SourceIp` width rules (public-semantics.md §1.5). Pure arithmetic, no regex compiled per call; IPv6 uses
 * BigInt only when an IPv6 value is present.
 *
 * Per-CIDR rule [doc]: IPv4 broader than /8 or IPv6 broader than /32 is public; RFC1918 ranges never count as broad;
 * a bare address is /32 or /128. Union rule [open, Zelkova]: public when the listed ranges together allow more than
 * 2^24 non-RFC1918 IPv4 (or 2^96 IPv6) addresses, i.e. more than a single /8 (or /32).
 */
import { BoundedMemo } from '../model/bounded-memo';

export type IpFamily = 4 | 6;

export interface Ipv4Cidr {
  readonly family: 4;
  readonly text: string;
  readonly prefix: number;
  /** First address as an unsigned 32-bit integer (host bits cleared). */
  readonly first: number;
  readonly last: number;
}

export interface Ipv6Cidr {
  readonly family: 6;
  readonly text: string;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
}

export type Cidr = Ipv4Cidr | Ipv6Cidr;

/** IPv4 prefixes shorter than this are "broader than /8". */
export const IPV4_BROAD_BELOW = 8;
/** IPv6 prefixes shorter than this are "broader than /32". */
export const IPV6_BROAD_BELOW = 32;
/** Union thresholds: more addresses than one /8 (IPv4) or one /32 (IPv6). */
export const IPV4_UNION_LIMIT = 2 ** 24;
export const IPV6_UNION_LIMIT = 1n << 96n;

const RFC1918: readonly (readonly [number, number])[] = [
  [0x0a000000, 0x0affffff], // 10.0.0.0/8
  [0xac100000, 0xac1fffff], // 172.16.0.0/12
  [0xc0a80000, 0xc0a8ffff], // 192.168.0.0/16
];

const IPV4_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const DIGITS = /^\d{1,3}$/;

function parseIpv4Address(text: string): number | undefined {
  const match = IPV4_PATTERN.exec(text);
  if (!match) return undefined;
  let value = 0;
  for (let octet = 1; octet <= 4; octet++) {
    const part = Number(match[octet]);
    if (part > 255) return undefined;
    value = value * 256 + part;
  }
  return value;
}

function parseIpv6Address(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index];
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4Address(piece);
        if (v4 === undefined) return undefined;
        groups.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!HEX_GROUP.test(piece)) return undefined;
        groups.push(Number.parseInt(piece, 16));
      }
    }
    return groups;
  };
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** Parses `a.b.c.d[/n]` or an IPv6 address with optional `/n`; host bits are cleared. Undefined when invalid. */
export function parseCidr(raw: string): Cidr | undefined {
  const text = raw.trim();
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !DIGITS.test(prefixText)) return undefined;
  if (address.includes(':')) {
    const value = parseIpv6Address(address);
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (value === undefined || prefix > 128) return undefined;
    const size = 1n << BigInt(128 - prefix);
    const first = value - (value % size);
    return { family: 6, text, prefix, first, last: first + size - 1n };
  }
  const value = parseIpv4Address(address);
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (value === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = value - (value % size);
  return { family: 4, text, prefix, first, last: first + size - 1 };
}

function isWithinRfc1918(cidr: Ipv4Cidr): boolean {
  for (const [low, high] of RFC1918) if (cidr.first >= low && cidr.last <= high) return true;
  return false;
}

/** The per-CIDR rule of §1.5.2: broader than /8 (IPv4) or /32 (IPv6), RFC1918 excepted. */
export function isBroadCidr(cidr: Cidr): boolean {
  if (cidr.family === 6) return cidr.prefix < IPV6_BROAD_BELOW;
  return cidr.prefix < IPV4_BROAD_BELOW && !isWithinRfc1918(cidr);
}

/** Number of distinct non-RFC1918 IPv4 addresses covered by the union of the ranges. */
export function countNonPrivateIpv4(cidrs: readonly Ipv4Cidr[]): number {
  const ranges = cidrs.map((cidr) => [cidr.first, cidr.last] as [number, number]).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let currentFirst = -1;
  let currentLast = -2;
  const flush = (): void => {
    if (currentFirst < 0) return;
    let count = currentLast - currentFirst + 1;
    for (const [low, high] of RFC1918) {
      const overlapLow = Math.max(low, currentFirst);
      const overlapHigh = Math.min(high, currentLast);
      if (overlapHigh >= overlapLow) count -= overlapHigh - overlapLow + 1;
    }
    total += count;
  };
  for (const [first, last] of ranges) {
    if (first > currentLast + 1) {
      flush();
      currentFirst = first;
      currentLast = last;
    } else if (last > currentLast) {
      currentLast = last;
    }
  }
  flush();
  return total;
}

/** Number of distinct IPv6 addresses covered by the union of the ranges (the RFC1918 exception is IPv4 only). */
export function countIpv6(cidrs: readonly Ipv6Cidr[]): bigint {
  const ranges = cidrs
    .map((cidr) => [cidr.first, cidr.last] as [bigint, bigint])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0n;
  let currentFirst = -1n;
  let currentLast = -2n;
  for (const [first, last] of ranges) {
    if (first > currentLast + 1n) {
      if (currentFirst >= 0n) total += currentLast - currentFirst + 1n;
      currentFirst = first;
      currentLast = last;
    } else if (last > currentLast) {
      currentLast = last;
    }
  }
  if (currentFirst >= 0n) total += currentLast - currentFirst + 1n;
  return total;
}

export interface SourceIpAnalysis {
  /** The first value that is not an IPv4/IPv6 address or CIDR; such a condition proves no limit. */
  readonly invalidValue?: string;
  /** The first CIDR the per-CIDR rule calls broad, e.g. `0.0.0.0/1 is broader than /8`. */
  readonly broad?: string;
  readonly perCidrPublic: boolean;
  readonly unionPublic: boolean;
  readonly nonPrivateIpv4: number;
  readonly ipv6: bigint;
}

/**
 * Applies §1.5 to the values of one `IpAddress` `aws:SourceIp` entry. Values are ORed by IAM, so every listed CIDR
 * must pass (§1.5.4); the union count is computed alongside so callers can flag disagreement.
 */
export function analyseSourceIp(values: readonly string[]): SourceIpAnalysis {
  // The same office and VPN ranges recur in the policies of many buckets: each list is analysed once. A list is
  // remembered by its values joined with line feeds, so only when no value holds one (no address does).
  let table = ANALYSED_ONE;
  let key = values.length === 1 ? values[0] : undefined;
  if (key === undefined) {
    if (values.some((value) => value.includes('\n'))) return analyseUncached(values);
    table = ANALYSED_LIST;
    key = values.join('\n');
  }
  return table.get(key) ?? table.remember(key, Object.freeze(analyseUncached(values)));
}

const ANALYSED_ONE = new BoundedMemo<string, SourceIpAnalysis>(512);
const ANALYSED_LIST = new BoundedMemo<string, SourceIpAnalysis>(512);

function analyseUncached(values: readonly string[]): SourceIpAnalysis {
  const ipv4: Ipv4Cidr[] = [];
  const ipv6: Ipv6Cidr[] = [];
  let broad: string | undefined;
  for (const value of values) {
    const cidr = parseCidr(value);
    if (!cidr) {
      return { invalidValue: value, perCidrPublic: true, unionPublic: true, nonPrivateIpv4: 0, ipv6: 0n };
    }
    if (broad === undefined && isBroadCidr(cidr)) {
      broad = `${cidr.text} is broader than /${cidr.family === 4 ? IPV4_BROAD_BELOW : IPV6_BROAD_BELOW}`;
    }
    if (cidr.family === 4) ipv4.push(cidr);
    else ipv6.push(cidr);
  }
  const nonPrivateIpv4 = ipv4.length === 0 ? 0 : countNonPrivateIpv4(ipv4);
  const ipv6Count = ipv6.length === 0 ? 0n : countIpv6(ipv6);
  return {
    broad,
    perCidrPublic: broad !== undefined,
    unionPublic: nonPrivateIpv4 > IPV4_UNION_LIMIT || ipv6Count > IPV6_UNION_LIMIT,
    nonPrivateIpv4,
    ipv6: ipv6Count,
  };
}
