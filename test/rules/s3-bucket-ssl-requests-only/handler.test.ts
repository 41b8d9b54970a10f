import { handler } from '../../../rules/s3-bucket-ssl-requests-only/handler';
import { describeRuleHandler } from '../handler-harness';

describeRuleHandler({
  ruleId: 's3-bucket-ssl-requests-only',
  handler,
  cases: [
    {
      fixture: 'compliant-deny-http.api.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'example-ssl-only-api',
        ComplianceType: 'COMPLIANT',
        Annotation:
          'The bucket policy denies plain HTTP to every principal and S3 action on the bucket and its objects (statement "AllowSSLRequestsOnly").',
        OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
      },
    },
    {
      fixture: 'noncompliant-objects-only.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'example-objects-only',
        ComplianceType: 'NON_COMPLIANT',
        Annotation:
          'Requests over plain HTTP are not denied on the bucket (arn:aws:s3:::example-objects-only): statement "DenyHttpObjects" covers only the objects.',
        OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
      },
    },
  ],
});
