import { handler } from '../../../rules/s3-bucket-versioning-enabled/handler';
import { describeRuleHandler } from '../handler-harness';

describeRuleHandler({
  ruleId: 's3-bucket-versioning-enabled',
  handler,
  cases: [
    {
      fixture: 'noncompliant-suspended.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'example-suspended',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'Versioning is suspended: new object versions are no longer kept.',
        OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
      },
    },
  ],
});
