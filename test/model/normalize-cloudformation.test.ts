/**
 * The CloudFormation reader never crashes on odd templates: anything inside a bucket or policy becomes a known
 * setting, an unknown one with the reason, or a note; only a value that is not a template at all is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseTemplateText } from '../../bin/templates';
import { MalformedInputError, readTemplate } from '../../model/normalize-cloudformation';

const SHAPES = join(__dirname, '..', 'fixtures', 'templates', 'shapes.yaml');

it('attaches each policy to its bucket whether Bucket is a !Ref, a !Sub of the name or a !Join of it', () => {
  const reading = readTemplate(parseTemplateText(readFileSync(SHAPES, 'utf8'), SHAPES));
  const policyOf = (logicalId: string) => {
    const policy = reading.buckets.find((bucket) => bucket.logicalId === logicalId)?.state.policy;
    return policy?.known ? policy.value?.Statement.map((s) => s.Sid ?? s.Action) : policy;
  };
  expect(policyOf('Website')).toEqual(['PublicReadGetObject']);
  expect(policyOf('Exports')).toEqual(['PartnerRead']);
  expect(policyOf('Imported')).toEqual({
    known: false,
    reason: 'bucket policy ImportedPolicy not resolvable before deploy (Fn::ImportValue is resolved only at deploy)',
  });
  // The Resource of a statement is kept as resolved: the bucket ARN from !Sub '${Website.Arn}/*'.
  const website = reading.buckets.find((bucket) => bucket.logicalId === 'Website')?.state.policy;
  expect(website?.known && website.value?.Statement[0].Resource).toBe('arn:aws:s3:::example-prod-website/*');
});

const intrinsic = fc.oneof(
  fc.record({ Ref: fc.oneof(fc.string(), fc.constant('AWS::AccountId'), fc.constant('B'), fc.constant('P')) }),
  fc.record({ 'Fn::GetAtt': fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })) }),
  fc.record({ 'Fn::Sub': fc.oneof(fc.string(), fc.tuple(fc.string(), fc.dictionary(fc.string(), fc.string()))) }),
  fc.record({ 'Fn::Join': fc.tuple(fc.string(), fc.array(fc.jsonValue(), { maxLength: 3 })) }),
  fc.record({ 'Fn::If': fc.tuple(fc.constant('C'), fc.jsonValue(), fc.jsonValue()) }),
  fc.record({ 'Fn::Select': fc.tuple(fc.integer({ min: -1, max: 3 }), fc.jsonValue()) }),
  fc.record({ 'Fn::FindInMap': fc.array(fc.jsonValue(), { maxLength: 4 }) }),
  fc.record({ 'Fn::ImportValue': fc.string() }),
);
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), intrinsic, fc.array(tie('any'), { maxLength: 3 })),
})).any;

it('reads any bucket and policy properties without throwing', () => {
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.constantFrom(
          'BucketName',
          'AccessControl',
          'PublicAccessBlockConfiguration',
          'OwnershipControls',
          'VersioningConfiguration',
          'Tags',
        ),
        value,
      ),
      value,
      value,
      fc.jsonValue(),
      (bucket, policyBucket, document, conditions) => {
        const template = {
          Parameters: { P: { Type: 'String', Default: 'x' } },
          Conditions: { C: conditions },
          Mappings: { M: { a: { b: 'c' } } },
          Resources: {
            B: { Type: 'AWS::S3::Bucket', Properties: bucket, Condition: 'C' },
            Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: policyBucket, PolicyDocument: document } },
          },
        };
        const reading = readTemplate(template);
        for (const { state } of reading.buckets) expect(state.kind).toBe('bucket');
      },
    ),
    { numRuns: 1500, seed: 16 },
  );
});

it('refuses only what is not a template', () => {
  for (const notATemplate of [null, [], 'Resources', { Resources: [] }, { AWSTemplateFormatVersion: '2010-09-09' }]) {
    expect(() => readTemplate(notATemplate)).toThrow(MalformedInputError);
  }
});
