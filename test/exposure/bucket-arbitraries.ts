/**
 * fast-check generators shared by the semantics robustness properties (exposure, cross-account): every part of a
 * bucket's state known or unknown, with the principals, conditions and grants that decide whether it is public.
 */
import fc from 'fast-check';
import { type Fact, known, unknown } from '../../model/types';

export const flagsArb = fc.record({
  blockPublicAcls: fc.boolean(),
  ignorePublicAcls: fc.boolean(),
  blockPublicPolicy: fc.boolean(),
  restrictPublicBuckets: fc.boolean(),
});
export const factArb = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof(
    value.map((v) => known(v) as Fact<T>),
    fc.string().map((reason) => unknown<T>(reason)),
  );
const granteeArb = fc.oneof(
  fc.constantFrom('AllUsers', 'AuthenticatedUsers', 'LogDelivery').map((group) => ({ kind: 'group' as const, group })),
  fc.stringMatching(/^[0-9a-f]{1,64}$/).map((id) => ({ kind: 'canonicalUser' as const, id })),
  fc.string().map((raw) => ({ kind: 'unrecognised' as const, raw })),
);
const aclArb = fc.record({
  ownerId: fc.option(fc.constant('3f1c5a7e9b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5f7'), {
    nil: undefined,
  }),
  grants: fc.array(
    fc.record({
      grantee: granteeArb,
      permission: fc.constantFrom('FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP' as const),
    }),
    { maxLength: 4 },
  ),
});
const statementArb = fc.record({
  Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
  Principal: fc.oneof(
    fc.constant('*' as const),
    fc.dictionary(
      fc.constantFrom('AWS', 'Service', 'Federated', 'CanonicalUser'),
      fc.constantFrom('*', '111122223333', '123456789012', 'arn:aws:iam::123456789012:role/r', 's3.amazonaws.com'),
    ),
  ),
  Action: fc.constantFrom('*', 's3:GetObject', 's3:Put*'),
  Condition: fc.option(
    fc.constantFrom(
      { StringEquals: { 'aws:SourceAccount': '111122223333' } },
      { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      { IpAddress: { 'aws:SourceIp': ['0.0.0.0/1'] } },
      { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
    ),
    { nil: undefined },
  ),
});
/** Known/unknown combinations of the four parts that decide exposure; `bucket(parts)` fills in the rest. */
export const stateArb = fc.record({
  policy: factArb(fc.option(fc.record({ Statement: fc.array(statementArb, { maxLength: 4 }) }), { nil: null })),
  acl: factArb(aclArb),
  publicAccessBlock: factArb(fc.option(flagsArb, { nil: null })),
  ownership: factArb(fc.constantFrom(null, 'BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter' as const)),
});
