/**
 * Shared wording, so every rule, the exposure analysis, the emails and the CLI name settings the same way.
 */
import {
  ACCESS_TYPES,
  type AccessType,
  BPA_FLAGS,
  type BpaFlag,
  type Fact,
  type PublicAccessBlockFlags,
} from './types';

/** The S3 API / console spelling of each Block Public Access flag. */
export const BPA_FLAG_NAMES: Readonly<Record<BpaFlag, string>> = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
};

/** How each access type reads in an annotation (`Public read, ACL write via ...`). */
export const ACCESS_TYPE_WORDS: Readonly<Record<AccessType, string>> = {
  read: 'read',
  write: 'write',
  list: 'list',
  readAcp: 'ACL read',
  writeAcp: 'ACL write',
};

/** `read, list` in canonical order, duplicates dropped. */
export function describeAccessTypes(types: Iterable<AccessType>): string {
  // Called for most annotations: a list is searched directly rather than copied into a Set and mapped.
  const chosen: readonly AccessType[] = Array.isArray(types) ? types : [...types];
  let text = '';
  for (const type of ACCESS_TYPES) {
    if (!chosen.includes(type)) continue;
    text = text === '' ? ACCESS_TYPE_WORDS[type] : `${text}, ${ACCESS_TYPE_WORDS[type]}`;
  }
  return text;
}

/** Flags of `flags` that are not on, in canonical order. */
export function flagsOff(flags: PublicAccessBlockFlags | null, checked: readonly BpaFlag[]): BpaFlag[] {
  return BPA_FLAGS.filter((flag) => checked.includes(flag) && flags?.[flag] !== true);
}

/**
 * `RestrictPublicBuckets (bucket)`, `(account)` or `(bucket and account)`: where `flag` is known to be on, as the
 * annotations name what neutralises a grant; undefined when it is on at neither level.
 */
export function flagInForce(
  flag: BpaFlag,
  bucketBpa: Fact<PublicAccessBlockFlags | null>,
  accountBpa: Fact<PublicAccessBlockFlags | null>,
): string | undefined {
  const atBucket = bucketBpa.known && bucketBpa.value?.[flag] === true;
  const atAccount = accountBpa.known && accountBpa.value?.[flag] === true;
  if (!atBucket && !atAccount) return undefined;
  return `${BPA_FLAG_NAMES[flag]} (${atBucket ? (atAccount ? 'bucket and account' : 'bucket') : 'account'})`;
}

export function describeFlags(flags: readonly BpaFlag[]): string {
  let text = '';
  for (let index = 0; index < flags.length; index++) {
    const name = BPA_FLAG_NAMES[flags[index]] ?? ''; // as join() writes a missing one
    text = index === 0 ? name : `${text}, ${name}`;
  }
  return text;
}

/** `79a59df9…` for a 64-hex canonical id; short ids stay as they are. */
export function shortCanonicalId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
