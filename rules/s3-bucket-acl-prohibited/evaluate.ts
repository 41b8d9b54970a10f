import { unknownInput, withoutFinalPeriod } from '../../model/annotation';
import type { AclGrant, AclPermission, BucketState, EvaluationContext, Grantee, RuleResult } from '../../model/types';
import { shortCanonicalId } from '../../model/wording';
import type { CommonBucketParameters } from '../parameters';
import { bucketResult, couldNotEvaluate } from '../run-rule';

export interface AclProhibitedParameters extends CommonBucketParameters {
  /** Accept the S3 log delivery group's WRITE and READ_ACP grants (server access logging set up through ACLs). */
  readonly allowLogDelivery: boolean;
}

/** What the `log-delivery-write` canned ACL grants; anything more for LogDelivery is still reported. */
const LOG_DELIVERY_PERMISSIONS: readonly AclPermission[] = ['WRITE', 'READ_ACP'];

/** `AllUsers`, `canonical user 79a59df9…`, `email ops@example.com`: the same names the other rules use. */
export function describeGrantee(grantee: Grantee): string {
  switch (grantee.kind) {
    case 'group':
      return grantee.group;
    case 'canonicalUser':
      return `canonical user ${shortCanonicalId(grantee.id)}`;
    case 'email':
      return `email ${grantee.email}`;
    case 'unrecognised':
      return 'unrecognised grantee';
  }
}

/** `AllUsers READ, WRITE; canonical user 79a59df9… FULL_CONTROL` (one entry per grantee, in ACL order). */
export function describeGrants(grants: readonly AclGrant[]): string {
  // Grouped in small parallel lists (first seen first, as a Map keeps them): this runs for most non-compliant buckets.
  const names: string[] = [];
  const permissionsByName: AclPermission[][] = [];
  for (const grant of grants) {
    const name = describeGrantee(grant.grantee);
    const at = names.indexOf(name);
    if (at < 0) {
      names.push(name);
      permissionsByName.push([grant.permission]);
    } else if (!permissionsByName[at].includes(grant.permission)) {
      permissionsByName[at].push(grant.permission);
    }
  }
  return names.map((name, at) => `${name} ${permissionsByName[at].join(', ')}`).join('; ');
}

export function evaluateAclProhibited(
  bucket: BucketState,
  params: AclProhibitedParameters,
  _context: EvaluationContext,
): RuleResult {
  const ownership = bucket.ownership;
  if (ownership.known && ownership.value === 'BucketOwnerEnforced') {
    return bucketResult(bucket, 'COMPLIANT', 'ACLs are disabled (Object Ownership: BucketOwnerEnforced).');
  }
  // Config items do not carry Object Ownership; the grants still decide, and the annotation says ownership was unknown.
  const ownershipNote = ownership.known
    ? ''
    : ` Object Ownership unknown (${withoutFinalPeriod(ownership.reason)}): ACL assumed in effect.`;
  const acl = bucket.acl;
  if (!acl.known) {
    return couldNotEvaluate('AWS::S3::Bucket', bucket.name, unknownInput('bucket ACL', acl));
  }
  const { ownerId, grants } = acl.value;
  const isOwner = (grantee: Grantee) =>
    grantee.kind === 'canonicalUser' && ownerId !== undefined && grantee.id === ownerId;
  const isAllowedLogDelivery = (grant: AclGrant) =>
    params.allowLogDelivery &&
    grant.grantee.kind === 'group' &&
    grant.grantee.group === 'LogDelivery' &&
    LOG_DELIVERY_PERMISSIONS.includes(grant.permission);
  // Grants beyond the owner, in ACL order. Without the owner's id a canonical-user grant cannot be told apart from
  // the owner's own grant: it is undecidable rather than proven. (One pass: this runs for every bucket.)
  const undecidable: AclGrant[] = [];
  const proven: AclGrant[] = [];
  for (let index = 0; index < grants.length; index++) {
    if (!(index in grants)) continue; // a hole, which filter() skipped
    const grant = grants[index];
    if (isOwner(grant.grantee) || isAllowedLogDelivery(grant)) continue;
    if (ownerId === undefined && grant.grantee.kind === 'canonicalUser') undecidable.push(grant);
    else proven.push(grant);
  }
  if (proven.length > 0) {
    return bucketResult(
      bucket,
      'NON_COMPLIANT',
      `ACL grants access beyond the bucket owner: ${describeGrants(proven)}.${ownershipNote}`,
    );
  }
  if (undecidable.length > 0) {
    return couldNotEvaluate(
      'AWS::S3::Bucket',
      bucket.name,
      `the ACL does not name the bucket owner, so its canonical-user grants (${describeGrants(undecidable)}) cannot be checked`,
    );
  }
  const logDeliveryKept = grants.some(isAllowedLogDelivery);
  return bucketResult(
    bucket,
    'COMPLIANT',
    (logDeliveryKept
      ? 'ACL grants access only to the bucket owner and the S3 log delivery group (allowLogDelivery).'
      : 'ACL grants access only to the bucket owner.') + ownershipNote,
  );
}
