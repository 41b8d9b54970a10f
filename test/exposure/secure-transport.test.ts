/**
 * Properties of the TLS-deny analysis (exposure/secure-transport.ts): adding statements never loses coverage; a policy
 * of Allow statements never covers anything; the documented statement covers both targets whatever surrounds it.
 */
import fc from 'fast-check';
import { analyseDeny, INSECURE_TRANSPORT } from '../../exposure/secure-transport';
import type { BucketPolicy, PolicyStatement } from '../../model/types';
import { fuzzRuns } from '../support/fuzz-settings';

const ARN = 'arn:aws:s3:::example-bucket';
const DOCUMENTED: PolicyStatement = {
  Sid: 'AllowSSLRequestsOnly',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [ARN, `${ARN}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

const patternArb = fc.constantFrom(
  '*',
  's3:*',
  'S3:*',
  's3:GetObject',
  's3:Put*',
  's3:?etObject',
  'ec2:*',
  '',
  's3:',
  '*Object',
);
const resourceArb = fc.constantFrom(
  '*',
  ARN,
  `${ARN}/*`,
  `${ARN}*`,
  `${ARN}/logs/*`,
  'arn:aws:s3:::example-other/*',
  'arn:aws:s3:::*',
  `${ARN}/?*`,
  'arn:aws:s3:::example-b?cket',
);
const listOr = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { maxLength: 3 }));
const conditionArb = fc.constantFrom<PolicyStatement['Condition']>(
  undefined,
  { Bool: { 'aws:SecureTransport': 'false' } },
  { Bool: { 'aws:SecureTransport': false } },
  { BoolIfExists: { 'aws:SecureTransport': 'false' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { 'ForAllValues:Bool': { 'aws:SecureTransport': 'false' } },
  { Bool: { 'aws:SecureTransport': 'false' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { NumericLessThan: { 's3:TlsVersion': '1.2' } },
);
const principalArb = fc.constantFrom<PolicyStatement['Principal']>(
  '*',
  { AWS: '*' },
  { AWS: ['*', 'arn:aws:iam::123456789012:root'] },
  { AWS: 'arn:aws:iam::123456789012:root' },
  { Service: 'logging.s3.amazonaws.com' },
  undefined,
);

const statementArb: fc.Arbitrary<PolicyStatement> = fc
  .record({
    Sid: fc.option(fc.constantFrom('A', 'B', ' ', 'DenyHttp'), { nil: undefined }),
    Effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
    principal: principalArb,
    notPrincipal: fc.boolean(),
    actions: listOr(patternArb),
    notAction: fc.boolean(),
    resources: listOr(resourceArb),
    notResource: fc.boolean(),
    Condition: conditionArb,
  })
  .map(({ principal, notPrincipal, actions, notAction, resources, notResource, ...rest }) => {
    const statement: Record<string, unknown> = { ...rest };
    if (rest.Sid === undefined) delete statement.Sid;
    if (rest.Condition === undefined) delete statement.Condition;
    if (principal !== undefined) statement[notPrincipal ? 'NotPrincipal' : 'Principal'] = principal;
    statement[notAction ? 'NotAction' : 'Action'] = actions;
    statement[notResource ? 'NotResource' : 'Resource'] = resources;
    return statement as unknown as PolicyStatement;
  });

const policy = (statements: readonly PolicyStatement[]): BucketPolicy => ({
  Version: '2012-10-17',
  Statement: statements,
});
const runs = { numRuns: fuzzRuns(2_000) };

describe('analyseDeny (properties)', () => {
  it('adding statements never uncovers a target', () => {
    fc.assert(
      fc.property(fc.array(statementArb, { maxLength: 4 }), fc.array(statementArb, { maxLength: 3 }), (base, extra) => {
        const before = analyseDeny(policy(base), ARN, INSECURE_TRANSPORT);
        const after = analyseDeny(policy([...base, ...extra]), ARN, INSECURE_TRANSPORT);
        for (const target of ['bucket', 'objects'] as const) {
          if (before.coveredBy[target].length > 0) expect(after.coveredBy[target].length).toBeGreaterThan(0);
        }
      }),
      runs,
    );
  });

  it('Allow statements alone cover nothing', () => {
    fc.assert(
      fc.property(fc.array(statementArb, { maxLength: 5 }), (statements) => {
        const allows = statements.map((statement) => ({ ...statement, Effect: 'Allow' as const }));
        expect(analyseDeny(policy(allows), ARN, INSECURE_TRANSPORT).open).toEqual(['bucket', 'objects']);
      }),
      runs,
    );
  });

  it('the documented statement covers both targets wherever it stands', () => {
    fc.assert(
      fc.property(fc.array(statementArb, { maxLength: 5 }), fc.nat(), (statements, at) => {
        const list = [...statements];
        list.splice(at % (list.length + 1), 0, DOCUMENTED);
        expect(analyseDeny(policy(list), ARN, INSECURE_TRANSPORT).open).toEqual([]);
      }),
      runs,
    );
  });

  it('a statement is full only when it has no gap, and then covers what it names', () => {
    fc.assert(
      fc.property(fc.array(statementArb, { maxLength: 5 }), (statements) => {
        const analysis = analyseDeny(policy(statements), ARN, INSECURE_TRANSPORT);
        for (const reach of analysis.statements) {
          expect(reach.full).toBe(reach.gaps.length === 0);
          for (const target of reach.targets) {
            if (reach.full) expect(analysis.coveredBy[target]).toContain(reach.ref);
          }
        }
        for (const target of analysis.open) expect(analysis.coveredBy[target]).toEqual([]);
      }),
      runs,
    );
  });

  it('no policy covers nothing', () => {
    expect(analyseDeny(null, ARN, INSECURE_TRANSPORT)).toEqual({
      coveredBy: { bucket: [], objects: [] },
      open: ['bucket', 'objects'],
      statements: [],
      allowsInstead: [],
    });
  });
});
