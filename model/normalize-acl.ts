/**
 * The bucket ACL of a configuration item or an API response: Config's Java-serialised grant list (bare group names,
 * `FullControl`-style permissions), the S3 API's URIs and `READ`-style permissions, header grants. Throws
 * MalformedInputError for anything it cannot read faithfully: an unreadable grant fails the whole ACL.
 */
import {
  decodeObject,
  describeValue,
  isJsonObject,
  lookup,
  MalformedInputError,
  nonEmptyString,
  pick,
} from './normalize-json';
import type { AclGrant, AclPermission, BucketAcl, Grantee, PredefinedGroup } from './types';

// ACL

const GROUP_PATHS: Readonly<Record<string, PredefinedGroup>> = {
  'global/allusers': 'AllUsers',
  'global/authenticatedusers': 'AuthenticatedUsers',
  's3/logdelivery': 'LogDelivery',
};
const GROUP_NAMES: Readonly<Record<string, PredefinedGroup>> = {
  allusers: 'AllUsers',
  authenticatedusers: 'AuthenticatedUsers',
  logdelivery: 'LogDelivery',
};
const GROUP_ENUM_NAMES: Readonly<Record<string, PredefinedGroup>> = {
  AllUsers: 'AllUsers',
  AuthenticatedUsers: 'AuthenticatedUsers',
  LogDelivery: 'LogDelivery',
};
// Also matches header grants (`uri="http://…"`) and Java's GroupGrantee.toString() (`GroupGrantee [http://…]`).
const GROUP_URI =
  /^(?:uri\s*=\s*"?|groupgrantee\s*\[)?https?:\/\/acs\.amazonaws\.com\/groups\/([a-z0-9]+\/[a-z]+)\/?(?:"|\])?$/i;

/** http://acs.amazonaws.com/groups/global/AllUsers etc. (any case, http/https) or bare names -> group. */
export function groupFromUri(uriOrName: string): PredefinedGroup | undefined {
  // Config writes the bare enum names; those need no trimming, lower-casing or regex.
  const exact = lookup(GROUP_ENUM_NAMES, uriOrName);
  if (exact) return exact;
  const text = uriOrName.trim();
  const byName = lookup(GROUP_NAMES, text.toLowerCase());
  if (byName) return byName;
  const match = GROUP_URI.exec(text);
  return match ? lookup(GROUP_PATHS, match[1].toLowerCase()) : undefined;
}

const PERMISSIONS: Readonly<Record<string, AclPermission>> = {
  fullcontrol: 'FULL_CONTROL',
  read: 'READ',
  write: 'WRITE',
  readacp: 'READ_ACP',
  writeacp: 'WRITE_ACP',
};

const PERMISSION_SPELLINGS: Readonly<Record<string, AclPermission>> = {
  FullControl: 'FULL_CONTROL',
  Read: 'READ',
  Write: 'WRITE',
  ReadAcp: 'READ_ACP',
  WriteAcp: 'WRITE_ACP',
  FULL_CONTROL: 'FULL_CONTROL',
  READ: 'READ',
  WRITE: 'WRITE',
  READ_ACP: 'READ_ACP',
  WRITE_ACP: 'WRITE_ACP',
};

/** 'FullControl' | 'FULL_CONTROL' | 'Read' | 'READ' | 'ReadAcp' | 'READ_ACP' ... -> AclPermission. */
export function normalizeAclPermission(value: string): AclPermission | undefined {
  // Config's own spellings (FullControl, Read, ...) first: no regex, no new strings.
  const exact = lookup(PERMISSION_SPELLINGS, value);
  if (exact) return exact;
  const key = value
    .trim()
    .replace(/[_\s-]/g, '')
    .toLowerCase();
  return lookup(PERMISSIONS, key);
}

function unrecognisedGrantee(raw: unknown): Grantee {
  return { kind: 'unrecognised', raw: typeof raw === 'string' ? raw : JSON.stringify(raw) };
}

function parseGrantee(raw: unknown, grantPath: () => string): Grantee {
  if (raw === undefined || raw === null) throw new MalformedInputError(`${grantPath()}.grantee`, 'missing');
  if (typeof raw === 'string') {
    // Config serialises predefined groups as bare enum names ("AllUsers").
    const group = groupFromUri(raw);
    return group ? { kind: 'group', group } : unrecognisedGrantee(raw);
  }
  // A number, a list, or an object naming nobody is a damaged grant, not an unknown grantee type: read as "not
  // public" it turned a public-read bucket COMPLIANT in the fuzz suite, so the ACL becomes unknown instead.
  if (!isJsonObject(raw)) {
    throw new MalformedInputError(
      `${grantPath()}.grantee`,
      `expected a group name or a grantee object, received ${describeValue(raw)}`,
    );
  }
  // Java SDK v1 Grantee#getTypeIdentifier/getIdentifier, in case a serialiser used the getters.
  const typeIdentifier = pick(raw, 'typeIdentifier');
  const identifier = nonEmptyString(pick(raw, 'identifier'));
  const uri = nonEmptyString(pick(raw, 'uri', 'URI', 'Uri')) ?? (typeIdentifier === 'uri' ? identifier : undefined);
  if (uri !== undefined) {
    const group = groupFromUri(uri);
    return group ? { kind: 'group', group } : unrecognisedGrantee(raw);
  }
  const id = nonEmptyString(pick(raw, 'id', 'ID', 'Id')) ?? (typeIdentifier === 'id' ? identifier : undefined);
  if (id !== undefined) {
    const displayName = nonEmptyString(pick(raw, 'displayName', 'DisplayName'));
    return displayName === undefined ? { kind: 'canonicalUser', id } : { kind: 'canonicalUser', id, displayName };
  }
  const email =
    nonEmptyString(pick(raw, 'emailAddress', 'EmailAddress')) ??
    (typeIdentifier === 'emailAddress' ? identifier : undefined);
  if (email !== undefined) return { kind: 'email', email };
  // An unknown shape that names something stays an unrecognised grantee; one that names nothing at all is damage.
  if (Object.values(raw).every((value) => value === null || value === undefined || value === '')) {
    throw new MalformedInputError(`${grantPath()}.grantee`, 'names no grantee (no id, uri or emailAddress)');
  }
  return unrecognisedGrantee(raw);
}

/** `grantPath` builds the grant's path for an error message only (grants are parsed for every item). */
function parseGrant(raw: unknown, grantPath: () => string): AclGrant {
  if (!isJsonObject(raw))
    throw new MalformedInputError(grantPath(), `expected a grant object, received ${describeValue(raw)}`);
  const grantee = parseGrantee(pick(raw, 'grantee', 'Grantee'), grantPath);
  const permissionRaw = pick(raw, 'permission', 'Permission');
  const permission = typeof permissionRaw === 'string' ? normalizeAclPermission(permissionRaw) : undefined;
  if (permission === undefined) {
    throw new MalformedInputError(
      `${grantPath()}.permission`,
      `expected FullControl, Read, Write, ReadAcp or WriteAcp, received ${describeValue(permissionRaw)}`,
    );
  }
  return { grantee, permission };
}

/** Same grantee (every field, displayName included) and same permission: what comparing their JSON would say. */
function sameGrant(a: AclGrant, b: AclGrant): boolean {
  if (a.permission !== b.permission) return false;
  const x = a.grantee;
  const y = b.grantee;
  switch (x.kind) {
    case 'group':
      return y.kind === 'group' && x.group === y.group;
    case 'canonicalUser':
      return y.kind === 'canonicalUser' && x.id === y.id && x.displayName === y.displayName;
    case 'email':
      return y.kind === 'email' && x.email === y.email;
    case 'unrecognised':
      return y.kind === 'unrecognised' && x.raw === y.raw;
  }
}

/** Adds `grant` unless an equal one is there; an equal later grant replaces the earlier in its place (as a Map would). */
function addGrant(grants: AclGrant[], grant: AclGrant): void {
  for (let index = 0; index < grants.length; index++) {
    if (sameGrant(grants[index], grant)) {
      grants[index] = grant;
      return;
    }
  }
  grants.push(grant);
}

/** Config's ACL serialisation (string or object) -> BucketAcl; throws MalformedInputError. */
export function parseConfigAcl(value: unknown, path = 'AccessControlList'): BucketAcl {
  const acl = decodeObject(value, path);
  // Java's AccessControlList keeps grants in grantList or grantSet (one of them null). Read every list present so
  // that no grant can be hidden; S3's own API shape (Grants) is accepted too.
  const listKeys = ['grantList', 'grantSet', 'Grants'] as const;
  let sawList = false;
  // Duplicates dropped by comparing fields (a linear scan: ACLs hold at most 100 grants, usually 1 to 3).
  const grantList: AclGrant[] = [];
  for (const key of listKeys) {
    const list = acl[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      throw new MalformedInputError(`${path}.${key}`, `expected a list of grants, received ${describeValue(list)}`);
    }
    sawList = true;
    for (let index = 0; index < list.length; index++) {
      if (!(index in list)) continue; // a hole in a sparse array, which forEach skipped
      addGrant(
        grantList,
        parseGrant(list[index], () => `${path}.${key}[${index}]`),
      );
    }
  }
  if (!sawList) throw new MalformedInputError(path, 'no grant list (expected grantList or grantSet)');
  const owner = pick(acl, 'owner', 'Owner');
  const ownerId = isJsonObject(owner) ? nonEmptyString(pick(owner, 'id', 'ID')) : undefined;
  return ownerId === undefined ? { grants: grantList } : { ownerId, grants: grantList };
}
