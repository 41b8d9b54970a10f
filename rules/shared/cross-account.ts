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
import { analyseAcl, granteeLabel } from './acl';
import {
  analysePolicy,
  type ConditionEntry,
  conditionEntries,
  type ParsedPrincipal,
  parsePrincipals,
  requiresListedValue,
} from './policy';
import type { AccessType, BucketState, PolicyStatement } from './types';

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
const ACCOUNT_ID = /^\d{12}$/;

/** The account an ARN names (5th field), when it is a fixed 12-digit id. */
function arnAccount(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && ACCOUNT_ID.test(account) ? account : undefined;
}

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
    const account = byArn ? arnAccount(value) : ACCOUNT_ID.test(value) ? value : undefined;
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

export function analyseCrossAccount(bucket: BucketState, options: CrossAccountOptions): CrossAccountAnalysis {
  const owner = options.ownerAccountId ?? bucket.accountId;
  const trusted = new Set(options.trustedAccounts);
  const isInside = (id: string): boolean => id === owner || trusted.has(id);
  const grants: CrossAccountGrant[] = [];
  const caveats: string[] = [];
  const seen = new Set<string>();
  const add = (grant: CrossAccountGrant): void => {
    const key = `${grant.layer}\u0000${grant.ref}\u0000${grant.grantee}`;
    if (seen.has(key)) return;
    seen.add(key);
    grants.push(grant);
  };
  if (!owner) caveats.push('The bucket owner account is unknown; every named account was reported as outside.');

  const aclOwnerId = bucket.acl.known ? bucket.acl.value.ownerId : undefined;
  let canonicalOwnerCaveat = false;
  const canonicalIsInside = (id: string): boolean => {
    if (trusted.has(id)) return true;
    if (aclOwnerId === undefined) {
      if (!canonicalOwnerCaveat) {
        caveats.push("The bucket owner's canonical user id is unknown; every canonical user was reported as outside.");
        canonicalOwnerCaveat = true;
      }
      return false;
    }
    return id === aclOwnerId;
  };

  // Policy
  const policy = bucket.policy;
  if (!policy.known) {
    caveats.push(`Bucket policy could not be read (${policy.reason}); policy grants were not checked.`);
  } else if (policy.value !== null) {
    const analysis = analysePolicy(policy.value);
    const statements: readonly unknown[] = Array.isArray(policy.value.Statement) ? policy.value.Statement : [];
    for (const verdict of analysis.statements) {
      const statement = statements[verdict.index] as PolicyStatement;
      if (statement.Effect === 'Deny') continue;
      const ref = verdict.ref;
      if (verdict.public) {
        add({ layer: 'policy', ref, grantee: verdict.principal, public: true, accessTypes: verdict.accessTypes });
        continue;
      }
      const entries = conditionEntries(statement.Condition);
      const principals = parsePrincipals(statement.Principal);
      const grantTo = (grantee: string): void =>
        add({ layer: 'policy', ref, grantee, public: false, accessTypes: verdict.accessTypes });
      if (principals.some((p) => !p.fixed)) {
        reachOfLimitedWildcard(entries, ref, verdict.reason, isInside, grantTo, caveats);
      }
      for (const p of principals) {
        if (p.fixed) classifyFixedPrincipal(p, entries, ref, isInside, canonicalIsInside, grantTo, caveats);
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
        const base = { layer: 'acl' as const, ref: grant.ref, accessTypes: grant.accessTypes };
        if (grant.public) {
          add({ ...base, grantee: granteeLabel(grantee), public: true });
        } else if (grantee.kind === 'canonicalUser') {
          if (!canonicalIsInside(grantee.id)) add({ ...base, grantee: grantee.id, public: false });
        } else if (grantee.kind === 'email') {
          add({ ...base, grantee: grantee.email, public: false });
        } else if (grantee.kind === 'unrecognised') {
          add({ ...base, grantee: grantee.raw, public: false });
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
  reason: string,
  isInside: (id: string) => boolean,
  grantTo: (grantee: string) => void,
  caveats: string[],
): void {
  let accountPins: readonly string[] | undefined;
  let orgPins: readonly string[] | undefined;
  for (const entry of entries) {
    const accounts = pinnedAccounts(entry);
    if (accounts) {
      // Condition blocks are ANDed: one entry pinning only inside accounts confines the whole statement.
      if (accounts.every(isInside)) return;
      accountPins ??= accounts;
      continue;
    }
    const orgs = pinnedOrgs(entry);
    if (orgs) {
      if (orgs.every(isInside)) return;
      orgPins ??= orgs;
    }
  }
  if (accountPins) {
    for (const account of accountPins) if (!isInside(account)) grantTo(account);
    return;
  }
  if (orgPins) {
    for (const org of orgPins) if (!isInside(org)) grantTo(org);
    return;
  }
  caveats.push(`${ref} allows any principal, ${reason}; no account is named, so it was not counted as cross-account.`);
}

function serviceConfinedToInside(entries: readonly ConditionEntry[], isInside: (id: string) => boolean): boolean {
  for (const entry of entries) {
    if (!SERVICE_RESTRICTING_KEYS.has(entry.keyLower)) continue;
    const accounts = pinnedAccounts(entry);
    if (accounts?.every(isInside)) return true;
  }
  return false;
}

function classifyFixedPrincipal(
  p: ParsedPrincipal,
  entries: readonly ConditionEntry[],
  ref: string,
  isInside: (id: string) => boolean,
  canonicalIsInside: (id: string) => boolean,
  grantTo: (grantee: string) => void,
  caveats: string[],
): void {
  switch (p.kind) {
    case 'account':
    case 'iamPrincipal':
    case 'accountIdp':
      if (p.account && !isInside(p.account)) grantTo(p.account);
      return;
    case 'service':
      if (!serviceConfinedToInside(entries, isInside)) grantTo(p.value);
      return;
    case 'canonicalUser':
      if (!canonicalIsInside(p.value)) grantTo(p.value);
      return;
    case 'cloudFrontOai':
      caveats.push(`${ref}: ${p.label} cannot be tied to an account; not counted as cross-account.`);
      return;
    case 'uniqueId':
      caveats.push(
        `${ref}: ${p.label} is an IAM unique id (its principal was deleted); it grants nothing and was not counted.`,
      );
      return;
    default:
      grantTo(p.value);
  }
}
