/**
 * Who outside the bucket owner's account (and the accounts it trusts) can use the bucket? Public grants count too.
 *
 * Rules:
 * - Policy, Allow statements only. A public statement (policy.ts) is reported with `public: true`.
 * - A named account (account id, IAM/STS ARN, SAML/OIDC provider ARN) outside the owner and trusted accounts is
 *   cross-account.
 * - AWS service principals are fine only when a condition restricts them to the owner or a trusted account
 *   (aws:SourceAccount / aws:SourceOwner, or aws:SourceArn whose account field is fixed): otherwise any account can
 *   make the service act on this bucket (confused deputy), and the service is reported.
 * - `*` limited by conditions: the accounts pinned by aws:PrincipalAccount, aws:SourceAccount, aws:SourceOwner,
 *   s3:DataAccessPointAccount or the account field of aws:PrincipalArn / aws:SourceArn / s3:DataAccessPointArn, or the
 *   organisations of aws:PrincipalOrgID, are reported when outside; a statement limited only by network keys
 *   (aws:SourceIp, aws:SourceVpc, aws:SourceVpce) is not counted but reported as a caveat.
 * - ACL (unless ACLs are disabled by BucketOwnerEnforced): AllUsers/AuthenticatedUsers are public; canonical users
 *   other than the bucket owner (acl.ownerId), email grantees and unrecognised grantees are cross-account; the
 *   LogDelivery group is not.
 * - `trustedAccounts` may hold account ids, organisation ids (`o-...`) and canonical user ids.
 * Block Public Access is NOT applied here (combine with analyseExposure: RestrictPublicBuckets also blocks
 * cross-account access granted by a public policy).
 */

import { arnAccount, isAccountId } from '../model/arn';
import type { AccessType, BucketState } from '../model/types';
import { analyseAcl, granteeLabel } from './acl';
import { type ConditionEntry, requiresListedValue } from './conditions';
import { analysePolicyInDetail, describeLimitedStatement } from './policy';
import type { ParsedPrincipal } from './principals';

export interface CrossAccountGrant {
  readonly layer: 'policy' | 'acl';
  readonly ref: string;
  /** account id, canonical id, '*' (public), service principal... */
  readonly grantee: string;
  readonly public: boolean;
  readonly accessTypes: readonly AccessType[];
}

export interface CrossAccountOptions {
  readonly ownerAccountId?: string;
  readonly trustedAccounts: readonly string[];
}

export interface CrossAccountAnalysis {
  readonly grants: readonly CrossAccountGrant[];
  readonly caveats: readonly string[];
}

/** Condition keys whose values (or whose ARN account field) name the account a request comes from or acts for. */
const ACCOUNT_KEYS: ReadonlySet<string> = new Set([
  'aws:principalaccount',
  'aws:sourceaccount',
  'aws:sourceowner',
  's3:dataaccesspointaccount',
]);
const ARN_ACCOUNT_KEYS: ReadonlySet<string> = new Set(['aws:principalarn', 'aws:sourcearn', 's3:dataaccesspointarn']);
const SERVICE_RESTRICTING_KEYS: ReadonlySet<string> = new Set([
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourcearn',
]);

/**
 * Accounts a condition entry pins requests to, or undefined when the entry does not pin to fixed accounts
 * (wrong operator, wildcard or variable in the account, ARN without an account field).
 */
function pinnedAccounts(entry: ConditionEntry): readonly string[] | undefined {
  if (!requiresListedValue(entry)) return undefined;
  const byArn = ARN_ACCOUNT_KEYS.has(entry.keyLower);
  if (!byArn && !ACCOUNT_KEYS.has(entry.keyLower)) return undefined;
  const accounts: string[] = [];
  for (const value of entry.values) {
    const account = byArn ? arnAccount(value) : isAccountId(value) ? value : undefined;
    if (!account) return undefined;
    accounts.push(account);
  }
  return accounts;
}

function pinnedOrgs(entry: ConditionEntry): readonly string[] | undefined {
  if (!requiresListedValue(entry) || entry.keyLower !== 'aws:principalorgid') return undefined;
  if (entry.values.some((value) => value.includes('*') || value.includes('?') || value.includes('${'))) {
    return undefined;
  }
  return entry.values;
}

/**
 * Who is inside (owner, trusted ids, the ACL's owner) and what was found so far, for one analysis. A small class
 * rather than a set of closures: it is created once per bucket and its methods allocate nothing.
 */
class Reach {
  readonly grants: CrossAccountGrant[] = [];
  readonly caveats: string[] = [];
  private canonicalOwnerCaveat = false;

  constructor(
    private readonly owner: string | undefined,
    private readonly trusted: readonly string[],
    private readonly aclOwnerId: string | undefined,
  ) {}

  isInside(id: string): boolean {
    return id === this.owner || this.trusted.includes(id);
  }

  allInside(ids: readonly string[]): boolean {
    for (const id of ids) if (!this.isInside(id)) return false;
    return true;
  }

  canonicalIsInside(id: string): boolean {
    if (this.trusted.includes(id)) return true;
    if (this.aclOwnerId === undefined) {
      if (!this.canonicalOwnerCaveat) {
        this.caveats.push(
          "The bucket owner's canonical user id is unknown; every canonical user was reported as outside.",
        );
        this.canonicalOwnerCaveat = true;
      }
      return false;
    }
    return id === this.aclOwnerId;
  }

  /** One grant per layer, ref and grantee (a linear scan: a bucket has a handful of grants). */
  add(grant: CrossAccountGrant): void {
    for (const other of this.grants) {
      if (other.grantee === grant.grantee && other.ref === grant.ref && other.layer === grant.layer) return;
    }
    this.grants.push(grant);
  }

  grantTo(ref: string, accessTypes: readonly AccessType[], grantee: string): void {
    this.add({ layer: 'policy', ref, grantee, public: false, accessTypes });
  }
}

export function analyseCrossAccount(bucket: BucketState, options: CrossAccountOptions): CrossAccountAnalysis {
  const owner = options.ownerAccountId ?? bucket.accountId;
  const aclOwnerId = bucket.acl.known ? bucket.acl.value.ownerId : undefined;
  const reach = new Reach(owner, options.trustedAccounts, aclOwnerId);
  const { grants, caveats } = reach;
  if (!owner) caveats.push('The bucket owner account is unknown; every named account was reported as outside.');

  // Policy
  const policy = bucket.policy;
  if (!policy.known) {
    caveats.push(`Bucket policy could not be read (${policy.reason}); policy grants were not checked.`);
  } else if (policy.value !== null) {
    // The principals and conditions analysePolicy already parsed (and, when the public-access rule ran on this item,
    // the very same analysis) are reused rather than parsed again.
    const analysed = analysePolicyInDetail(policy.value).statements;
    for (let index = 0; index < analysed.length; index++) {
      const { statement, verdict, principals, conditions: entries } = analysed[index];
      if (statement.Effect === 'Deny') continue;
      const ref = verdict.ref;
      if (verdict.public) {
        reach.add({ layer: 'policy', ref, grantee: verdict.principal, public: true, accessTypes: verdict.accessTypes });
        continue;
      }
      if (principals.some((p) => !p.fixed)) {
        reachOfLimitedWildcard(entries, ref, describeLimitedStatement(verdict), verdict.accessTypes, reach);
      }
      for (const p of principals) {
        if (p.fixed) classifyFixedPrincipal(p, entries, ref, verdict.accessTypes, reach);
      }
    }
  }

  // ACL
  const ownership = bucket.ownership;
  const aclsDisabled = ownership.known && ownership.value === 'BucketOwnerEnforced';
  if (!aclsDisabled) {
    if (!bucket.acl.known) {
      caveats.push(`Bucket ACL could not be read (${bucket.acl.reason}); ACL grants were not checked.`);
    } else {
      for (const grant of analyseAcl(bucket.acl.value).grants) {
        const grantee = grant.grant.grantee;
        const { ref, accessTypes } = grant;
        if (grant.public) {
          reach.add({ layer: 'acl', ref, accessTypes, grantee: granteeLabel(grantee), public: true });
        } else if (grantee.kind === 'canonicalUser') {
          if (!reach.canonicalIsInside(grantee.id)) {
            reach.add({ layer: 'acl', ref, accessTypes, grantee: grantee.id, public: false });
          }
        } else if (grantee.kind === 'email') {
          reach.add({ layer: 'acl', ref, accessTypes, grantee: grantee.email, public: false });
        } else if (grantee.kind === 'unrecognised') {
          reach.add({ layer: 'acl', ref, accessTypes, grantee: grantee.raw, public: false });
        }
        // LogDelivery: S3 server access logging writes as this group; not another account.
      }
    }
  }
  return { grants, caveats };
}

/** `*` (or a public IdP) made non-public by conditions: who can it still reach? */
function reachOfLimitedWildcard(
  entries: readonly ConditionEntry[],
  ref: string,
  described: string,
  accessTypes: readonly AccessType[],
  reach: Reach,
): void {
  let accountPins: readonly string[] | undefined;
  let orgPins: readonly string[] | undefined;
  for (const entry of entries) {
    const accounts = pinnedAccounts(entry);
    if (accounts) {
      // Condition blocks are ANDed: one entry pinning only inside accounts confines the whole statement.
      if (reach.allInside(accounts)) return;
      accountPins ??= accounts;
      continue;
    }
    const orgs = pinnedOrgs(entry);
    if (orgs) {
      if (reach.allInside(orgs)) return;
      orgPins ??= orgs;
    }
  }
  if (accountPins) {
    for (const account of accountPins) if (!reach.isInside(account)) reach.grantTo(ref, accessTypes, account);
    return;
  }
  if (orgPins) {
    for (const org of orgPins) if (!reach.isInside(org)) reach.grantTo(ref, accessTypes, org);
    return;
  }
  reach.caveats.push(`${described}; no account is named, so it was not counted as cross-account.`);
}

function serviceConfinedToInside(entries: readonly ConditionEntry[], reach: Reach): boolean {
  for (const entry of entries) {
    if (!SERVICE_RESTRICTING_KEYS.has(entry.keyLower)) continue;
    const accounts = pinnedAccounts(entry);
    if (accounts && reach.allInside(accounts)) return true;
  }
  return false;
}

function classifyFixedPrincipal(
  p: ParsedPrincipal,
  entries: readonly ConditionEntry[],
  ref: string,
  accessTypes: readonly AccessType[],
  reach: Reach,
): void {
  switch (p.kind) {
    case 'account':
    case 'iamPrincipal':
    case 'accountIdp':
      if (p.account && !reach.isInside(p.account)) reach.grantTo(ref, accessTypes, p.account);
      return;
    case 'service':
      if (!serviceConfinedToInside(entries, reach)) reach.grantTo(ref, accessTypes, p.value);
      return;
    case 'canonicalUser':
      if (!reach.canonicalIsInside(p.value)) reach.grantTo(ref, accessTypes, p.value);
      return;
    case 'cloudFrontOai':
      reach.caveats.push(`${ref}: ${p.label} cannot be tied to an account; not counted as cross-account.`);
      return;
    case 'uniqueId':
      reach.caveats.push(
        `${ref}: ${p.label} is an IAM unique id (its principal was deleted); it grants nothing and was not counted.`,
      );
      return;
    default:
      reach.grantTo(ref, accessTypes, p.value);
  }
}
