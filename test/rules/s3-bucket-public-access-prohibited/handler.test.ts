import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { handler } from '../../../rules/s3-bucket-public-access-prohibited/handler';
import { describeRuleHandler, s3controlMock } from '../handler-harness';

describeRuleHandler({
  ruleId: 's3-bucket-public-access-prohibited',
  handler,
  arrange: () => {
    s3controlMock.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
  },
  cases: [
    {
      fixture: 'noncompliant-public-read-acl.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'example-public-acl',
        ComplianceType: 'COMPLIANT',
        Annotation: 'Not public: public ACL grant neutralised by IgnorePublicAcls (account).',
        OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
      },
      s3controlCalls: () =>
        expect(s3controlMock).toHaveReceivedCommandWith(GetPublicAccessBlockCommand, { AccountId: '111122223333' }),
    },
  ],
});
