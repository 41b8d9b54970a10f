/**
 * Fixtures and expected-state builders shared by the normalisation tests (events/config-items, documentation ids).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REASON_OWNERSHIP_NOT_RECORDED } from '../../model/normalize';
import {
  type AclGrant,
  type BucketPolicy,
  type BucketState,
  known,
  type PredefinedGroup,
  type PublicAccessBlockFlags,
  unknown,
} from '../../model/types';

export const FIXTURES = join(__dirname, '../../events/config-items');
export const OWNER = '3f1c5a7e9b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5f7';

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

/** A fixture as a mutable object, for building malformed variants. */
export function fixtureObject(name: string): Record<string, unknown> {
  return fixture(name) as Record<string, unknown>;
}

/** The exact message this Node's JSON.parse gives (V8 wording differs between Node majors). */
export function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

export const ownerGrant: AclGrant = { grantee: { kind: 'canonicalUser', id: OWNER }, permission: 'FULL_CONTROL' };
export const groupGrant = (group: PredefinedGroup, permission: AclGrant['permission']): AclGrant => ({
  grantee: { kind: 'group', group },
  permission,
});
export const ALL_TRUE: PublicAccessBlockFlags = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
export const ACL_FLAGS_ONLY: PublicAccessBlockFlags = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

/** Defaults = a private invocation-model bucket in 111122223333/us-east-1 with no policy, no BPA, versioning Off. */
export function bucket(name: string, captureTime: string, overrides: Partial<BucketState> = {}): BucketState {
  return {
    kind: 'bucket',
    name,
    accountId: '111122223333',
    region: 'us-east-1',
    arn: `arn:aws:s3:::${name}`,
    source: 'config-invocation',
    status: 'OK',
    captureTime,
    policy: known(null),
    acl: known({ ownerId: OWNER, grants: [ownerGrant] }),
    publicAccessBlock: known(null),
    versioning: known({ status: 'Off', mfaDelete: null }),
    ownership: unknown(REASON_OWNERSHIP_NOT_RECORDED),
    tags: known({}),
    logging: known(null),
    ...overrides,
  };
}

export const policyFact = (policy: BucketPolicy) => known<BucketPolicy | null>(policy);
export const aclWith = (...grants: AclGrant[]) => known({ ownerId: OWNER, grants: [ownerGrant, ...grants] });
