/**
 * Settings of the organization deployment (`-c deployment=organization`), from CDK context. Everything the
 * single-account app accepts (infra/context.ts) applies to the member stacks, plus:
 *
 *   organizationId       o-xxxxxxxxxx: the only organization the central bus and asset buckets admit   (required)
 *   homeRegion           the security stack's Region and every account's home Region                   (required)
 *   regions              comma-separated Regions the member stacks go to                   (default: homeRegion)
 *   organizationalUnits  comma-separated OU ids (ou-...) or the root id (r-...) for all accounts        (required)
 *   ouModes              per-OU mode: <ou id>=notify|remediate, comma-separated; one StackSet per mode
 *                        (default: `mode` for every OU)
 *   callAs               SELF (management account) | DELEGATED_ADMIN                           (default: SELF)
 *   failureTolerancePercentage, maxConcurrentPercentage   StackSet operation preferences     (default: 10, 25)
 *   memberEmail          comma-separated addresses for each member account's own topic          (default: none)
 *   assetBucketPrefix    per-Region asset buckets are <prefix>-<region>    (default: bucketguard-assets-<org id>)
 *   email                the central topic's addresses (in the security account)
 */
import type { RemediationMode } from '../../remediation/actions/action-definition';
import { type ContextReader, type ContextSettings, integer, list, region, settingsFromContext, text } from '../context';
import { InvalidBucketGuardPropsError } from '../props';

export type CallAs = 'SELF' | 'DELEGATED_ADMIN';

/** One StackSet: the OUs it targets and the mode its member template is synthesized with. */
export interface MemberGroup {
  readonly mode: RemediationMode;
  readonly organizationalUnits: readonly string[];
}

export interface OrganizationSettings {
  readonly organizationId: string;
  readonly homeRegion: string;
  readonly regions: readonly string[];
  readonly groups: readonly MemberGroup[];
  readonly callAs: CallAs;
  readonly failureTolerancePercentage: number;
  readonly maxConcurrentPercentage: number;
  readonly assetBucketPrefix: string;
  /** Central topic subscriptions. */
  readonly centralEmails: readonly string[];
  /** Settings of every member stack (their `notificationEmails` are `memberEmail`). */
  readonly member: ContextSettings;
}

export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
export const OU_OR_ROOT_ID = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
/** S3 bucket names: 3-63 lowercase letters, digits, hyphens; the Region suffix adds up to 15 characters. */
const BUCKET_PREFIX = /^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/;
const LONGEST_REGION_SUFFIX = '-ap-southeast-5'.length;

function percentage(key: string, value: unknown, fallback: number): number {
  const n = integer(key, value) ?? fallback;
  if (n < 0 || n > 100) throw new InvalidBucketGuardPropsError(key, n, 'a whole number from 0 to 100');
  return n;
}

function groupsOf(ous: readonly string[], ouModes: readonly string[], mode: RemediationMode): MemberGroup[] {
  const modes = new Map<string, RemediationMode>();
  for (const entry of ouModes) {
    const [ou, ouMode, ...rest] = entry.split('=').map((part) => part.trim());
    if (!ou || (ouMode !== 'notify' && ouMode !== 'remediate') || rest.length > 0) {
      throw new InvalidBucketGuardPropsError('ouModes', entry, '"<ou id>=notify" or "<ou id>=remediate"');
    }
    if (!ous.includes(ou)) {
      throw new InvalidBucketGuardPropsError('ouModes', ou, `one of organizationalUnits (${ous.join(', ')})`);
    }
    modes.set(ou, ouMode);
  }
  const groups: MemberGroup[] = [];
  for (const groupMode of ['notify', 'remediate'] as const) {
    const members = ous.filter((ou) => (modes.get(ou) ?? mode) === groupMode);
    if (members.length > 0) groups.push({ mode: groupMode, organizationalUnits: members });
  }
  return groups;
}

export function organizationSettingsFromContext(read: ContextReader): OrganizationSettings {
  const organizationId = text('organizationId', read('organizationId'));
  if (organizationId === undefined || !ORGANIZATION_ID.test(organizationId)) {
    throw new InvalidBucketGuardPropsError('organizationId', read('organizationId'), 'an organization id o-xxxxxxxxxx');
  }
  const homeRegion = region('homeRegion', read('homeRegion'));
  if (homeRegion === undefined) {
    throw new InvalidBucketGuardPropsError('homeRegion', undefined, 'the Region of the security stack, e.g. eu-west-1');
  }
  const regions = (list('regions', read('regions')) ?? [homeRegion]).map((r) => region('regions', r) as string);
  if (!regions.includes(homeRegion)) {
    throw new InvalidBucketGuardPropsError('regions', regions, `a list that includes the home Region ${homeRegion}`);
  }
  if (new Set(regions).size !== regions.length) throw new InvalidBucketGuardPropsError('regions', regions, 'each once');
  const ous = list('organizationalUnits', read('organizationalUnits')) ?? [];
  if (ous.length === 0) {
    throw new InvalidBucketGuardPropsError(
      'organizationalUnits',
      read('organizationalUnits'),
      'OU ids (ou-...), or the root id (r-...) for every account',
    );
  }
  for (const ou of ous) {
    if (!OU_OR_ROOT_ID.test(ou)) throw new InvalidBucketGuardPropsError('organizationalUnits', ou, 'ou-... or r-...');
  }
  if (new Set(ous).size !== ous.length) throw new InvalidBucketGuardPropsError('organizationalUnits', ous, 'each once');
  const callAs = text('callAs', read('callAs')) ?? 'SELF';
  if (callAs !== 'SELF' && callAs !== 'DELEGATED_ADMIN') {
    throw new InvalidBucketGuardPropsError('callAs', callAs, '"SELF" or "DELEGATED_ADMIN"');
  }
  const assetBucketPrefix =
    text('assetBucketPrefix', read('assetBucketPrefix')) ?? `bucketguard-assets-${organizationId}`;
  if (!BUCKET_PREFIX.test(assetBucketPrefix) || assetBucketPrefix.length + LONGEST_REGION_SUFFIX > 63) {
    throw new InvalidBucketGuardPropsError(
      'assetBucketPrefix',
      assetBucketPrefix,
      `lowercase letters, digits and "-", at most ${63 - LONGEST_REGION_SUFFIX} characters (an S3 bucket name with "-<region>")`,
    );
  }
  // The member stacks take the single-account settings; `email` is the central topic's, `memberEmail` theirs.
  const member = settingsFromContext((key) => (key === 'email' ? read('memberEmail') : read(key)));
  const centralEmails = settingsFromContext((key) => (key === 'email' ? read('email') : undefined)).notificationEmails;
  return {
    organizationId,
    homeRegion,
    regions,
    groups: groupsOf(ous, list('ouModes', read('ouModes')) ?? [], (member.mode ?? 'notify') as RemediationMode),
    callAs,
    failureTolerancePercentage: percentage('failureTolerancePercentage', read('failureTolerancePercentage'), 10),
    maxConcurrentPercentage: percentage('maxConcurrentPercentage', read('maxConcurrentPercentage'), 25),
    assetBucketPrefix,
    centralEmails: centralEmails ?? [],
    member,
  };
}
