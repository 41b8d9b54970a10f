import { analyseCrossAccount, type CrossAccountGrant } from '../../exposure/cross-account';
import { unknownInput, withoutFinalPeriod } from '../../model/annotation';
import { isAccountId } from '../../model/arn';
import { type AccessType, type BucketState, type EvaluationContext, known, type RuleResult } from '../../model/types';
import { describeAccessTypes, flagInForce, shortCanonicalId } from '../../model/wording';
import type { CommonBucketParameters } from '../parameters';
import { bucketResult, couldNotEvaluate } from '../run-rule';

export interface CrossAccountParameters extends CommonBucketParameters {
  /** Accounts besides the owner that may be granted access. */
  readonly trustedAccounts: readonly string[];
  /** Organizations (aws:PrincipalOrgID) that may be granted access. */
  readonly trustedOrganizations: readonly string[];
}

const CANONICAL_ID = /^[0-9a-f]{64}$/i;

/**
 * Policy statements or ACL grants that let another account (or everyone) use the bucket. A public bucket policy's
 * grants, including those to named accounts, are blocked when RestrictPublicBuckets is in force (bucket or account),
 * as S3 documents; ACL grants count unless ACLs are disabled.
 */
export function evaluateCrossAccount(
  bucket: BucketState,
  params: CrossAccountParameters,
  context: EvaluationContext,
): RuleResult {
  const owner = bucket.accountId;
  // Copies only when a layer is unknown (this runs once per item; spreads and copies are its main cost).
  const assumed: BucketState =
    bucket.policy.known && bucket.acl.known
      ? bucket
      : {
          ...bucket,
          policy: bucket.policy.known ? bucket.policy : known(null),
          acl: bucket.acl.known ? bucket.acl : known({ grants: [] }),
        };
  const trustedAccounts =
    params.trustedOrganizations.length === 0
      ? params.trustedAccounts
      : params.trustedAccounts.concat(params.trustedOrganizations);
  const { grants } = analyseCrossAccount(
    assumed,
    owner !== undefined ? { ownerAccountId: owner, trustedAccounts } : { trustedAccounts },
  );

  // Split in one pass, and below no copies where nothing is filtered out: this runs once per bucket.
  const policyGrants: CrossAccountGrant[] = [];
  const aclGrants: CrossAccountGrant[] = [];
  for (const grant of grants) {
    if (grant.layer === 'policy') policyGrants.push(grant);
    else if (grant.layer === 'acl') aclGrants.push(grant);
  }
  const missing: string[] = [];

  // RestrictPublicBuckets blocks every grant of a public policy, named accounts included.
  const policyIsPublic = policyGrants.some((grant) => grant.public);
  const accountBpa = context.accountBpa;
  const restrictedBy = policyIsPublic
    ? flagInForce('restrictPublicBuckets', bucket.publicAccessBlock, accountBpa)
    : undefined;
  let effectivePolicyGrants = restrictedBy === undefined ? policyGrants : [];
  if (policyIsPublic && restrictedBy === undefined && !bucket.publicAccessBlock.known) {
    missing.push(unknownInput('bucket-level Block Public Access', bucket.publicAccessBlock));
    effectivePolicyGrants = [];
  }
  if (owner === undefined) {
    // Without the owner account a named account may be the owner itself; only public grants are proof.
    if (effectivePolicyGrants.some((grant) => !grant.public)) missing.push('the owner account id is not recorded');
    effectivePolicyGrants = effectivePolicyGrants.filter((grant) => grant.public);
  }
  // An ACL that does not name its owner cannot tell the owner's canonical id from another account's.
  const aclOwnerMissing = bucket.acl.known && bucket.acl.value.ownerId === undefined;
  const undecidableAcl = aclOwnerMissing
    ? aclGrants.filter((grant) => !grant.public && CANONICAL_ID.test(grant.grantee))
    : [];
  if (undecidableAcl.length > 0) missing.push('the ACL does not name the bucket owner');
  const effectiveAclGrants =
    undecidableAcl.length === 0 ? aclGrants : aclGrants.filter((grant) => !undecidableAcl.includes(grant));

  const proven =
    effectiveAclGrants.length === 0
      ? effectivePolicyGrants
      : effectivePolicyGrants.length === 0
        ? effectiveAclGrants
        : [...effectivePolicyGrants, ...effectiveAclGrants];
  if (proven.length > 0) {
    const note =
      !accountBpa.known && effectivePolicyGrants.some((grant) => grant.public)
        ? ` Account-level Block Public Access unknown (${withoutFinalPeriod(accountBpa.reason)}); evaluated as off.`
        : '';
    return bucketResult(bucket, 'NON_COMPLIANT', `Cross-account access ${describeGrants(proven)}.${note}`);
  }

  const unread: string[] = [];
  if (!bucket.policy.known) unread.push(unknownInput('bucket policy', bucket.policy));
  const aclsDisabled = bucket.ownership.known && bucket.ownership.value === 'BucketOwnerEnforced';
  if (!bucket.acl.known && !aclsDisabled) unread.push(unknownInput('bucket ACL', bucket.acl));
  missing.unshift(...unread);
  if (missing.length > 0) return couldNotEvaluate('AWS::S3::Bucket', bucket.name, missing.join('; '));

  if (restrictedBy !== undefined && policyGrants.length > 0) {
    return bucketResult(
      bucket,
      'COMPLIANT',
      `No effective cross-account access: the bucket policy is public, so ${restrictedBy} blocks its grants (${refsOf(policyGrants)}).`,
    );
  }
  const trusted =
    params.trustedAccounts.length + params.trustedOrganizations.length > 0 ? ' and the trusted accounts' : '';
  // A live scan may not know the account id; the grants were still all the owner's own.
  const ownerText = owner === undefined ? "the owner's account" : `account ${owner}`;
  return bucketResult(
    bucket,
    'COMPLIANT',
    `No cross-account access: the bucket policy and ACL grant access only within ${ownerText}${trusted}.`,
  );
}

function refsOf(grants: readonly CrossAccountGrant[]): string {
  return [...new Set(grants.map((grant) => grant.ref))].join(', ');
}

/** `account 123456789012`, `organization o-a1b2c3d4e5`, `* (public)`, `service logging.s3.amazonaws.com`. */
function describeGrantee(grant: CrossAccountGrant): string {
  const grantee = grant.grantee;
  if (grant.public) return `${grantee} (public)`;
  if (isAccountId(grantee)) return `account ${grantee}`;
  if (/^o-[a-z0-9]+$/.test(grantee)) return `organization ${grantee}`;
  if (CANONICAL_ID.test(grantee)) return `canonical user ${shortCanonicalId(grantee)}`;
  if (grantee.endsWith('.amazonaws.com')) return `service ${grantee} (not restricted to this account)`;
  if (grant.layer === 'acl' && grantee.includes('@')) return `email ${grantee}`;
  return grantee;
}

/**
 * `via bucket policy: statement "PartnerRead" gives read, list to account 123456789012; via ACL: canonical user
 * 9e8d7c6b… has FULL_CONTROL`
 */
function describeGrants(grants: readonly CrossAccountGrant[]): string {
  // Runs for every non-compliant bucket: grouped with small parallel lists (first appearance order, as a Map keeps)
  // rather than Maps of spread copies.
  const refs: string[] = [];
  const byRef: CrossAccountGrant[][] = [];
  const whos: string[] = [];
  const permissionsByWho: string[][] = [];
  for (const grant of grants) {
    if (grant.layer === 'policy') {
      const at = refs.indexOf(grant.ref);
      if (at < 0) {
        refs.push(grant.ref);
        byRef.push([grant]);
      } else {
        byRef[at].push(grant);
      }
    } else if (grant.layer === 'acl') {
      const described = describeGrantee(grant);
      const who = described.endsWith(PUBLIC_SUFFIX) ? described.slice(0, -PUBLIC_SUFFIX.length) : described;
      // The last word of `grant <grantee> <PERMISSION>`; lastIndexOf, not /(\S+)$/, which is quadratic on long grantees.
      const permission = grant.ref.slice(grant.ref.lastIndexOf(' ') + 1);
      const at = whos.indexOf(who);
      if (at < 0) {
        whos.push(who);
        permissionsByWho.push([permission]);
      } else if (!permissionsByWho[at].includes(permission)) {
        permissionsByWho[at].push(permission);
      }
    }
  }
  const parts: string[] = [];
  if (refs.length > 0) {
    const statements = refs.map((ref, at) => {
      const list = byRef[at];
      const who = list.map(describeGrantee).join(', ');
      const accessTypes: AccessType[] = [];
      for (const grant of list) for (const type of grant.accessTypes) accessTypes.push(type);
      const types = describeAccessTypes(accessTypes);
      return types === '' ? `${ref} grants ${who}` : `${ref} gives ${types} to ${who}`;
    });
    parts.push(`via bucket policy: ${statements.join('; ')}`);
  }
  if (whos.length > 0) {
    const entries = whos.map((who, at) => `${who} has ${permissionsByWho[at].join(', ')}`);
    parts.push(`via ACL: ${entries.join('; ')}`);
  }
  return parts.join('; ');
}

const PUBLIC_SUFFIX = ' (public)';
