/**
 * Account ids and ARNs, read one way everywhere. `parseArn` is the AWS SDK's own parser (@aws-sdk/util-arn-parser,
 * pure: no client, no I/O); the small readers below are for the account field, which policy analysis reads from every
 * principal and ARN-valued condition, and accept every partition (aws, aws-cn, aws-us-gov, aws-iso*, ...).
 */
import { type ARN, parse, validate } from '@aws-sdk/util-arn-parser';

export type { ARN } from '@aws-sdk/util-arn-parser';

const ACCOUNT_ID = /^\d{12}$/;

/** An AWS account id: exactly 12 digits. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** The parts of an ARN, or undefined when `text` is not one. */
export function parseArn(text: string | undefined): ARN | undefined {
  if (text === undefined || !validate(text)) return undefined;
  return parse(text);
}

/** Four `:`-separated fields, then the account field when it is 12 digits (the whole field: `:` or the end follows). */
const ARN_ACCOUNT = /^(?:[^:]*:){4}(\d{12})(?::|$)/;

/** The account field of an ARN (`arn.split(':')[4]`) when it is a 12-digit id. */
export function arnAccount(arn: string): string | undefined {
  return ARN_ACCOUNT.exec(arn)?.[1];
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
