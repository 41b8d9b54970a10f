/**
 * Account ids and ARNs, read one way everywhere. `parseArn` is the AWS SDK's own parser (@aws-sdk/util-arn-parser,
 * pure: no client, no I/O); the hand-written readers below exist only where every principal of every statement is
 * read (policy analysis), and accept every partition (aws, aws-cn, aws-us-gov, aws-iso*, ...), never only `arn:aws:`.
 */
import { type ARN, parse, validate } from '@aws-sdk/util-arn-parser';

export type { ARN } from '@aws-sdk/util-arn-parser';

/** An AWS account id: exactly 12 digits (the same test as `/^\d{12}$/`, without a regex). */
export function isAccountId(value: string): boolean {
  return value.length === 12 && digitsAt(value, 0, 12);
}

/** Whether `count` ASCII digits start at `from`. */
export function digitsAt(value: string, from: number, count: number): boolean {
  if (value.length < from + count) return false;
  for (let index = from; index < from + count; index++) {
    const code = value.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** The parts of an ARN, or undefined when `text` is not one. */
export function parseArn(text: string | undefined): ARN | undefined {
  if (text === undefined || !validate(text)) return undefined;
  return parse(text);
}

/**
 * The account field of an ARN when it is a 12-digit id (`arn.split(':')[4]`, without splitting the whole ARN: this
 * runs for every ARN-valued condition of every statement).
 */
export function arnAccount(arn: string): string | undefined {
  let start = 0;
  for (let field = 0; field < 4; field++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    start = colon + 1;
  }
  const end = arn.indexOf(':', start);
  const account = end < 0 ? arn.slice(start) : arn.slice(start, end);
  return isAccountId(account) ? account : undefined;
}

/** Region prefixes of the partitions other than `aws` (longest first where one prefix contains another). */
const PARTITION_PREFIXES: readonly (readonly [string, string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-iso-', 'aws-iso'],
  ['eusc-', 'aws-eusc'],
];

/** The partition of a Region (`cn-north-1` -> `aws-cn`); `aws` when the Region is unknown or commercial. */
export function partitionOf(region: string | undefined): string {
  if (region === undefined) return 'aws';
  for (const [prefix, partition] of PARTITION_PREFIXES) if (region.startsWith(prefix)) return partition;
  return 'aws';
}

/** `arn:<partition>:s3:::<bucket>` (bucket ARNs carry neither Region nor account). */
export function bucketArn(bucket: string, region?: string): string {
  return `arn:${partitionOf(region)}:s3:::${bucket}`;
}
