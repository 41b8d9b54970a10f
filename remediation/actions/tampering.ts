/**
 * Signs that someone inside a bucket or an account is keeping bucketguard from doing its job. Pure: reads the words
 * of an unknown Fact (`GetPublicAccessBlock failed: AccessDenied (403)`, from aws/live-s3) and the flags.
 *
 * A read denied to bucketguard's own role is something an attacker can cause (a bucket policy or an SCP that denies
 * it), so it is never a reason to stop: it is reported as tampering, and the fix goes ahead where it does not need
 * the read (all four flags on tightens whatever is set now).
 */
import { BPA_FLAGS, type BpaFlag, type Fact, type PublicAccessBlockFlags } from '../../model/types';

/** `<Operation> failed: AccessDenied (403)`: the reason readBucketState gives a denied read. */
const DENIED_READ = /^(\w+) failed: (AccessDenied|AllAccessDisabled)\b/;

/** The operation that was denied (`GetBucketTagging`), or undefined when the reason is not an access denial. */
export function deniedOperation(reason: string): string | undefined {
  return DENIED_READ.exec(reason)?.[1];
}

/** The denied operation behind an unknown fact, if that is why it is unknown. */
export function deniedRead<T>(fact: Fact<T>): string | undefined {
  return fact.known ? undefined : deniedOperation(fact.reason);
}

/** True when the configuration asks for every Block Public Access flag: the write then needs no read first. */
export function coversAllFlags(wanted: readonly BpaFlag[]): boolean {
  return BPA_FLAGS.every((flag) => wanted.includes(flag));
}

type FlagSet = PublicAccessBlockFlags | null | undefined | readonly BpaFlag[];

function isFlagList(set: FlagSet): set is readonly BpaFlag[] {
  return Array.isArray(set);
}

/** Every flag on in any of the inputs (flag settings or lists of flags): the merge never turns a flag off. */
export function unionFlags(...sets: readonly FlagSet[]): PublicAccessBlockFlags {
  const on = (flag: BpaFlag): boolean =>
    sets.some((set) => (isFlagList(set) ? set.includes(flag) : set?.[flag] === true));
  const flags = {} as Record<BpaFlag, boolean>;
  for (const flag of BPA_FLAGS) flags[flag] = on(flag);
  return flags;
}

/** The flags `expected` has on that `actual` has off (null: every flag off). */
export function flagsTurnedOff(expected: PublicAccessBlockFlags, actual: PublicAccessBlockFlags | null): BpaFlag[] {
  return BPA_FLAGS.filter((flag) => expected[flag] && actual?.[flag] !== true);
}
