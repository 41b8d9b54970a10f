/** Policies and ACLs in words, for the emails (the same words as the rules' annotations). Pure. */

import type { AclGrant, BucketAcl, BucketPolicy, PolicyPrincipal, PolicyStatement } from '../../model/types';
import { id, quoted } from './format-parts';
import { withoutMarks } from './text';

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function principalText(principal: PolicyPrincipal | undefined): string {
  if (principal === undefined) return 'nobody named';
  if (principal === '*') return 'everyone (*)';
  return Object.entries(principal)
    .map(([kind, values]) => `${id(kind)} ${list(values).map(id).join(', ')}`)
    .join('; ');
}

function shortList(values: readonly string[], max = 3): string {
  return values.length <= max
    ? values.join(', ')
    : `${values.slice(0, max).join(', ')} and ${values.length - max} more`;
}

export function statementText(statement: PolicyStatement, index: number): string {
  const name = statement.Sid ? quoted(statement.Sid) : `#${index + 1}`;
  const actions =
    statement.Action !== undefined
      ? shortList(list(statement.Action).map(id))
      : `all but ${shortList(list(statement.NotAction).map(id))}`;
  const who =
    statement.NotPrincipal !== undefined
      ? `everyone except ${principalText(statement.NotPrincipal)}`
      : principalText(statement.Principal);
  const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
  const condition = keys.length > 0 ? ` if ${shortList([...new Set(keys)].map(id))}` : '';
  return `${name}: ${id(statement.Effect)} ${actions} to ${who}${condition}`;
}

export function describePolicy(policy: BucketPolicy): string[] {
  return markedPolicyLines(policy).map(withoutMarks);
}

export function markedPolicyLines(policy: BucketPolicy): string[] {
  const shown = policy.Statement.slice(0, 5).map(statementText);
  const more = policy.Statement.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more statement(s)`] : shown;
}

function grantText(grant: AclGrant): string {
  const grantee = grant.grantee;
  switch (grantee.kind) {
    case 'group':
      return `${id(grantee.group)} ${id(grant.permission)}`;
    case 'canonicalUser':
      return `user ${id(grantee.displayName ?? `${grantee.id.slice(0, 12)}...`)} ${id(grant.permission)}`;
    case 'email':
      return `${id(grantee.email)} ${id(grant.permission)}`;
    case 'unrecognised':
      return `unrecognised grantee ${id(grant.permission)}`;
  }
}

export function describeAcl(acl: BucketAcl): string {
  return withoutMarks(markedAcl(acl));
}

export function markedAcl(acl: BucketAcl): string {
  return acl.grants.length === 0 ? 'no grants besides the owner' : acl.grants.map(grantText).join(', ');
}
