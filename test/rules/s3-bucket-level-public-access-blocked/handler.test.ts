import { handler } from '../../../rules/s3-bucket-level-public-access-blocked/handler';
import { describeRuleHandler } from '../handler-harness';

describeRuleHandler({
  ruleId: 's3-bucket-level-public-access-blocked',
  handler,
  cases: [
    {
      fixture: 'noncompliant-partial.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'example-partial-bpa',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'Bucket-level Block Public Access is off for: IgnorePublicAcls, RestrictPublicBuckets.',
        OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
      },
    },
  ],
});
