/**
 * Is a bucket ACL public? (public-semantics.md §2) "Amazon S3 considers a bucket or object ACL public if it grants
 * any permissions to members of the predefined AllUsers or AuthenticatedUsers groups." LogDelivery and canonical-user
 * grants are not public.
 *
 * Access types of a bucket grant: READ = list + read (S3: READ on a bucket lists its objects; AWS Config's
 * public-read rule counts a public READ grant as public read), WRITE = write, READ_ACP = readAcp,
 * WRITE_ACP = writeAcp, FULL_CONTROL = all five.
 */
import { BoundedMemo } from '../model/bounded-memo';
import type { AccessType, AclGrant, AclPermission, BucketAcl, Grantee } from '../model/types';

export interface GrantVerdict {
  readonly grant: AclGrant;
  /** `grant AllUsers READ` */
  readonly ref: string;
  readonly public: boolean;
  readonly accessTypes: readonly AccessType[];
}

export interface AclAnalysis {
  readonly public: boolean;
  readonly grants: readonly GrantVerdict[];
}

const ALL_TYPES: readonly AccessType[] = ['read', 'write', 'list', 'readAcp', 'writeAcp'];

const ACCESS_OF_PERMISSION: Readonly<Record<AclPermission, readonly AccessType[]>> = {
  READ: ['read', 'list'],
  WRITE: ['write'],
  READ_ACP: ['readAcp'],
  WRITE_ACP: ['writeAcp'],
  FULL_CONTROL: ALL_TYPES,
};

/** An unrecognised grantee that still names a public group (e.g. a group URI normalisation did not map). */
const PUBLIC_GROUP_TEXT = /AllUsers|AuthenticatedUsers/i;

/** Access types of an ACL permission; an unknown permission string is assumed to grant everything (fail safe). */
export function accessTypesOfPermission(permission: AclPermission): readonly AccessType[] {
  return ACCESS_OF_PERMISSION[permission] ?? ALL_TYPES;
}

export function isPublicGrantee(grantee: Grantee): boolean {
  switch (grantee.kind) {
    case 'group':
      return grantee.group === 'AllUsers' || grantee.group === 'AuthenticatedUsers';
    case 'unrecognised':
      return PUBLIC_GROUP_TEXT.test(grantee.raw);
    default:
      return false;
  }
}

/** Short grantee label used in refs and reports: `AllUsers`, `CanonicalUser 79a59df900b9…`, `email a@example.com`. */
export function granteeLabel(grantee: Grantee): string {
  switch (grantee.kind) {
    case 'group':
      return grantee.group;
    case 'canonicalUser':
      return `CanonicalUser ${grantee.id.length > 12 ? `${grantee.id.slice(0, 12)}…` : grantee.id}`;
    case 'email':
      return `email ${grantee.email}`;
    case 'unrecognised':
      return `unrecognised grantee ${grantee.raw}`;
  }
}

export function grantRef(grant: AclGrant): string {
  return `grant ${granteeLabel(grant.grantee)} ${grant.permission}`;
}

/**
 * The public-access and cross-account rules analyse the same normalised ACL object one after the other when the CLI
 * or the bench runs every rule on an item, so the last analysis is kept (one entry, held strongly; ACLs are readonly
 * after normalisation, so it cannot go stale).
 */
const LAST_ANALYSED = new BoundedMemo<object, AclAnalysis>(1);

export function analyseAcl(acl: BucketAcl): AclAnalysis {
  if (typeof acl !== 'object' || acl === null) return analyseUncached(acl);
  return LAST_ANALYSED.get(acl) ?? LAST_ANALYSED.remember(acl, analyseUncached(acl));
}

function analyseUncached(acl: BucketAcl): AclAnalysis {
  const grants: GrantVerdict[] = [];
  let isPublic = false;
  const list: unknown = acl?.grants;
  if (!Array.isArray(list)) return { public: false, grants };
  for (const grant of list as readonly AclGrant[]) {
    if (!grant?.grantee) continue;
    const grantIsPublic = isPublicGrantee(grant.grantee);
    if (grantIsPublic) isPublic = true;
    grants.push({
      grant,
      ref: grantRef(grant),
      public: grantIsPublic,
      accessTypes: accessTypesOfPermission(grant.permission),
    });
  }
  return { public: isPublic, grants };
}
