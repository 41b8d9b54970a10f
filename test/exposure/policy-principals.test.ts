/**
 * Test vectors for exposure/policy.ts: §1.3 principals, each tied to the sentence (or [derived]/[open] rule) of the
 * reference notes (public-semantics.md) it relies on.
 */
import { analyseStatement } from '../../exposure/policy';
import { parsePrincipals } from '../../exposure/principals';
import type { PolicyPrincipal } from '../../model/types';
import { OWNER_CANONICAL, statement, verdictOf } from './policy-statements';

describe('§1.3 principals', () => {
  it.each<[string, PolicyPrincipal, boolean, string, string]>([
    ['[PRINC] "For anonymous users, the following elements are equivalent": "*"', '*', true, '*', 'no Condition'],
    ['[PRINC] anonymous equivalent: {"AWS":"*"}', { AWS: '*' }, true, '*', 'no Condition'],
    ['[PRINC] anonymous equivalent in a list: {"AWS":["*"]}', { AWS: ['*'] }, true, '*', 'no Condition'],
    [
      '[doc BPA example 1] {"Federated":"graph.facebook.com"} is public',
      { Federated: 'graph.facebook.com' },
      true,
      'Federated graph.facebook.com',
      'no Condition',
    ],
    [
      '[derived] other public web IdP: accounts.google.com',
      { Federated: 'accounts.google.com' },
      true,
      'Federated accounts.google.com',
      'no Condition',
    ],
    [
      '[derived] other public web IdP: www.amazon.com',
      { Federated: 'www.amazon.com' },
      true,
      'Federated www.amazon.com',
      'no Condition',
    ],
    [
      '[derived] other public web IdP: cognito-identity.amazonaws.com',
      { Federated: 'cognito-identity.amazonaws.com' },
      true,
      'Federated cognito-identity.amazonaws.com',
      'no Condition',
    ],
    [
      '[doc] "An AWS principal" as a bare account id is fixed',
      { AWS: '111122223333' },
      false,
      'AWS 111122223333',
      'fixed principals only',
    ],
    [
      '[doc] account root ARN is fixed',
      { AWS: 'arn:aws:iam::111122223333:root' },
      false,
      'AWS arn:aws:iam::111122223333:root',
      'fixed principals only',
    ],
    [
      '[doc] "user" ARN is fixed',
      { AWS: 'arn:aws:iam::111122223333:user/alice' },
      false,
      'AWS arn:aws:iam::111122223333:user/alice',
      'fixed principals only',
    ],
    [
      '[doc] "role" ARN is fixed',
      { AWS: 'arn:aws:iam::123456789012:role/reader' },
      false,
      'AWS arn:aws:iam::123456789012:role/reader',
      'fixed principals only',
    ],
    [
      '[doc] assumed-role session ARN is fixed',
      { AWS: 'arn:aws:sts::123456789012:assumed-role/reader/session' },
      false,
      'AWS arn:aws:sts::123456789012:assumed-role/reader/session',
      'fixed principals only',
    ],
    [
      '[doc] CloudFront OAI user ARN is fixed',
      { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE1' },
      false,
      'AWS arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE1',
      'fixed principals only',
    ],
    [
      '[doc] CanonicalUser is fixed',
      { CanonicalUser: OWNER_CANONICAL },
      false,
      `CanonicalUser ${OWNER_CANONICAL}`,
      'fixed principals only',
    ],
    [
      '[doc] "...or service principal" is fixed',
      { Service: 'cloudtrail.amazonaws.com' },
      false,
      'Service cloudtrail.amazonaws.com',
      'fixed principals only',
    ],
    [
      '[derived] an IAM unique id (deleted principal) is fixed',
      { AWS: 'AIDAJQABLZS4A3QDU576Q' },
      false,
      'AWS AIDAJQABLZS4A3QDU576Q',
      'fixed principals only',
    ],
    [
      '"fixed only if all of them are fixed": several fixed principals',
      { AWS: ['111122223333', 'arn:aws:iam::123456789012:root'], Service: 'logging.s3.amazonaws.com' },
      false,
      'AWS 111122223333, AWS arn:aws:iam::123456789012:root, Service logging.s3.amazonaws.com',
      'fixed principals only',
    ],
    [
      '"fixed only if all of them are fixed": a fixed account next to "*"',
      { AWS: ['111122223333', '*'] },
      true,
      '*',
      'no Condition',
    ],
    [
      '"fixed only if all of them are fixed": a fixed account next to a public IdP',
      { AWS: '111122223333', Federated: 'graph.facebook.com' },
      true,
      'Federated graph.facebook.com',
      'no Condition',
    ],
  ])('%s', (_rule, Principal, expectedPublic, principal, reason) => {
    const verdict = verdictOf({ Principal });
    expect(verdict).toMatchObject({ public: expectedPublic, principal, reason, ref: 'statement "S"' });
    expect(verdict.caveats).toEqual([]);
  });

  it('[derived][NOTP] NotPrincipal with Allow "allows all principals except..." is public without a limiting condition', () => {
    expect(verdictOf({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } })).toEqual({
      index: 0,
      sid: 'S',
      ref: 'statement "S"',
      public: true,
      principal: 'NotPrincipal',
      reason: 'no Condition',
      accessTypes: ['read'],
      caveats: [],
    });
  });

  it('[derived] NotPrincipal is read as "*": a fixed aws:SourceVpce limits it, with no caveat (corrected 2026-12)', () => {
    const verdict = verdictOf({
      Principal: undefined,
      NotPrincipal: { AWS: '111122223333' },
      Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
    });
    expect(verdict).toMatchObject({
      public: false,
      principal: 'NotPrincipal',
      reason: 'limited by aws:SourceVpce vpce-1a2b3c4d',
    });
    expect(verdict.caveats).toEqual([]);
  });

  it.each<[string, PolicyPrincipal]>([
    ['[open] SAML provider ARN belongs to one account', { Federated: 'arn:aws:iam::111122223333:saml-provider/Corp' }],
    [
      '[open] OIDC provider ARN belongs to one account',
      { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
    ],
  ])('%s: fixed, with a caveat', (_rule, Principal) => {
    const verdict = verdictOf({ Principal });
    expect(verdict.public).toBe(false);
    expect(verdict.caveats).toEqual([
      `statement "S": federated principal ${(Principal as { Federated: string }).Federated} belongs to one account and was treated as fixed (unverified).`,
    ]);
  });

  it('[PRINC] "You cannot use a wildcard to match part of a principal name or ARN": treated as public', () => {
    const verdict = verdictOf({ Principal: { AWS: 'arn:aws:iam::*:root' } });
    expect(verdict).toMatchObject({ public: true, principal: 'AWS arn:aws:iam::*:root', reason: 'no Condition' });
    expect(verdict.caveats).toEqual([
      'statement "S": principal AWS arn:aws:iam::*:root contains a wildcard, which IAM does not allow; treated as public.',
    ]);
  });

  it('an unrecognised principal type is treated as public (fail safe)', () => {
    const verdict = verdictOf({ Principal: { Unknown: 'someone' } });
    expect(verdict.public).toBe(true);
    expect(verdict.caveats).toEqual([
      'statement "S": principal Unknown someone is not a recognised principal type; treated as public.',
    ]);
  });

  it('an AWS principal string of no known form is fixed (it names no one in particular), with a caveat', () => {
    const verdict = verdictOf({ Principal: { AWS: 'alice' } });
    expect(verdict).toMatchObject({ public: false, principal: 'AWS alice', reason: 'fixed principals only' });
    expect(verdict.caveats).toEqual([
      'statement "S": principal AWS alice is not a recognised form; treated as a fixed principal.',
    ]);
  });

  it('[derived] "Deny grants nothing": a Deny statement for "*" is never public', () => {
    expect(verdictOf({ Effect: 'Deny', Action: 's3:*' })).toEqual({
      index: 0,
      sid: 'S',
      ref: 'statement "S"',
      public: false,
      principal: '*',
      reason: 'Deny grants no access',
      accessTypes: [],
      caveats: [],
    });
  });

  it('[derived] Deny with NotPrincipal is never public', () => {
    expect(verdictOf({ Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: '111122223333' } })).toMatchObject({
      public: false,
      principal: 'NotPrincipal',
    });
  });

  it('a statement without Principal grants nothing in a bucket policy, with a caveat', () => {
    const verdict = verdictOf({ Principal: undefined });
    expect(verdict).toMatchObject({
      public: false,
      principal: '(none)',
      reason: 'no Principal: grants nothing in a bucket policy',
    });
    expect(verdict.caveats).toEqual([
      'statement "S" has no Principal; a bucket policy statement needs one, so it was treated as granting nothing.',
    ]);
  });

  it('an Effect other than Allow/Deny is evaluated as Allow (fail safe)', () => {
    const verdict = analyseStatement({ ...statement(), Effect: 'allow' as 'Allow' }, 0);
    expect(verdict.public).toBe(true);
    expect(verdict.caveats).toEqual(['statement "S": Effect "allow" is not Allow or Deny; evaluated as Allow.']);
  });

  it('parsePrincipals classifies every form', () => {
    expect(
      parsePrincipals({
        AWS: ['111122223333', 'arn:aws:iam::123456789012:role/r'],
        Service: 's3.amazonaws.com',
        CanonicalUser: OWNER_CANONICAL,
      }).map((p) => [p.kind, p.account, p.fixed]),
    ).toEqual([
      ['account', '111122223333', true],
      ['iamPrincipal', '123456789012', true],
      ['service', undefined, true],
      ['canonicalUser', undefined, true],
    ]);
    expect(parsePrincipals(undefined)).toEqual([]);
    expect(parsePrincipals({})).toEqual([]);
  });
});
