/**
 * Documentation constants, the Json type, and bucket names and timestamps.
 */
import fc from 'fast-check';

export const ACCOUNT_ID = '111122223333';
export const OTHER_ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
/** Made-up canonical user ids (64 hex characters). */
export const OWNER_CANONICAL_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
export const OTHER_CANONICAL_ID = 'be2fe74dc7e8125d8f8fcae89d90e6dfdecabf8f96e1a69d55e949b009fd95a7';
export const CONFIG_RULE_PREFIX = 'bucketguard-';
export const RESULT_TOKEN = 'eyJlbmNyeXB0ZWREYXRhIjpbMTIsMzQsNTZdLCJpdkxlbmd0aCI6MTJ9';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------------------------------------------------------
// Names and scalars

const lowerAlnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');

/** Bucket names S3 accepts (3-63 chars, lowercase letters, digits, hyphens, dots; starts/ends alphanumeric). */
export const validBucketNameArb: fc.Arbitrary<string> = fc
  .tuple(
    lowerAlnum,
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-.'), minLength: 1, maxLength: 40 }),
    lowerAlnum,
  )
  .map(([first, middle, last]) => `${first}${middle.replace(/\.\.+/g, '.')}${last}`);

/** Names nothing legitimate would carry: unicode, control characters, path tricks, huge, empty. */
export const exoticNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'ünïcödé-bücket',
    '𝕓𝕦𝕔𝕜𝕖𝕥',
    '桶-バケット',
    'bucket\u0000nul',
    'bucket\u202eevil',
    '\ud800lone-surrogate',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, literally
    '${aws:username}',
    'arn:aws:s3:::*',
    '*',
    'a'.repeat(64),
    'b'.repeat(769),
    '🪣'.repeat(200),
    'UPPER_case_Bucket',
    'bucket\nwith\nnewlines',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
);

/** Mostly valid names, sometimes exotic ones (unicode bucket names are part of the brief). */
export const bucketNameArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: validBucketNameArb, weight: 8 },
  { arbitrary: exoticNameArb, weight: 2 },
);

export const isoTimeArb: fc.Arbitrary<string> = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

// ---------------------------------------------------------------------------------------------------------------
