/**
 * Policy principals by S3's definition of public (public-semantics.md §1.3): `*` and `{"AWS":"*"}` are anyone, a
 * public web identity provider is anyone, an account, user, role, service or canonical user is fixed.
 */

import { isAccountId } from '../model/arn';

export type PrincipalKind =
  /** `"*"` or `{"AWS":"*"}`: anonymous, anyone. */
  | 'anyone'
  /** A bare 12-digit account id. */
  | 'account'
  /** An IAM/STS ARN in a named account: root, user, role, assumed-role, federated-user. */
  | 'iamPrincipal'
  | 'service'
  | 'canonicalUser'
  | 'cloudFrontOai'
  /** Web identity providers anyone can sign in to (graph.facebook.com, accounts.google.com, ...). */
  | 'publicIdp'
  /** A SAML or OIDC provider ARN owned by one account. */
  | 'accountIdp'
  /** IAM unique id (AIDA..., AROA...): what IAM shows after the named principal was deleted. */
  | 'uniqueId'
  /** A principal value with a wildcard that is not plain `*`: IAM does not allow it; treated as public. */
  | 'wildcard'
  | 'unrecognised';

export interface ParsedPrincipal {
  readonly kind: PrincipalKind;
  /** The principal element key: `AWS`, `Service`, `Federated`, `CanonicalUser` (or what the policy says). */
  readonly type: string;
  readonly value: string;
  /** The 12-digit account the principal belongs to, when its form names one. */
  readonly account?: string;
  /** True when S3 counts it as a fixed (trusted, non-public) principal. */
  readonly fixed: boolean;
  /** `*`, `AWS 111122223333`, `Federated graph.facebook.com`, `Service cloudtrail.amazonaws.com`. */
  readonly label: string;
}

/** An IAM/STS principal ARN in a named account (root, user, role, assumed-role, federated-user); captures the account. */
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):./;
const CLOUDFRONT_OAI_ARN = /^arn:aws[a-z-]*:iam::cloudfront:user\/CloudFront Origin Access Identity ./;
const ACCOUNT_IDP_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(?:saml-provider|oidc-provider)\/./;
const IAM_UNIQUE_ID = /^A[A-Z0-9]{15,127}$/;

export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

function principal(
  kind: PrincipalKind,
  type: string,
  value: string,
  fixed: boolean,
  account?: string,
): ParsedPrincipal {
  return { kind, type, value, fixed, label: kind === 'anyone' ? '*' : `${type} ${value}`, account };
}

function classifyPrincipal(type: string, value: string): ParsedPrincipal {
  switch (type) {
    case 'AWS': {
      if (value === '*') return principal('anyone', type, value, false);
      if (isAccountId(value)) return principal('account', type, value, true, value);
      const arnAccount = IAM_PRINCIPAL_ARN.exec(value)?.[1];
      if (arnAccount !== undefined) {
        return hasWildcard(value)
          ? principal('wildcard', type, value, false, arnAccount)
          : principal('iamPrincipal', type, value, true, arnAccount);
      }
      if (CLOUDFRONT_OAI_ARN.test(value)) return principal('cloudFrontOai', type, value, true);
      if (hasWildcard(value)) return principal('wildcard', type, value, false);
      if (IAM_UNIQUE_ID.test(value)) return principal('uniqueId', type, value, true);
      return principal('unrecognised', type, value, true);
    }
    case 'Service':
      return hasWildcard(value) ? principal('wildcard', type, value, false) : principal('service', type, value, true);
    case 'CanonicalUser':
      return hasWildcard(value)
        ? principal('wildcard', type, value, false)
        : principal('canonicalUser', type, value, true);
    case 'Federated': {
      const idp = ACCOUNT_IDP_ARN.exec(value);
      if (idp && !hasWildcard(value)) return principal('accountIdp', type, value, true, idp[1]);
      return principal('publicIdp', type, value, false);
    }
    default:
      return principal('unrecognised', type, value, false);
  }
}

const ANYONE: ParsedPrincipal = Object.freeze(principal('anyone', 'AWS', '*', false));

/**
 * Every principal a Principal/NotPrincipal element names, classified. `"*"` is one `anyone` entry; an absent or
 * empty element gives an empty list; a shape IAM would reject gives one non-fixed `unrecognised` entry (fail safe).
 */
export function parsePrincipals(element: unknown): ParsedPrincipal[] {
  if (element === undefined || element === null) return [];
  if (element === '*') return [ANYONE];
  if (typeof element !== 'object' || Array.isArray(element)) {
    return [principal('unrecognised', typeof element, String(element), false)];
  }
  const parsed: ParsedPrincipal[] = [];
  const record = element as Record<string, unknown>;
  for (const type of Object.keys(record)) {
    const raw = record[type];
    if (!Array.isArray(raw)) {
      parsed.push(parsePrincipalValue(type, raw));
      continue;
    }
    // for...of, not an index loop: a hole in a sparse list is read as undefined, as before.
    for (const value of raw) parsed.push(parsePrincipalValue(type, value));
  }
  return parsed;
}

function parsePrincipalValue(type: string, value: unknown): ParsedPrincipal {
  if (typeof value === 'string') return classifyPrincipal(type, value.trim());
  return principal('unrecognised', type, JSON.stringify(value) ?? String(value), false);
}
