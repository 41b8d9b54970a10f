import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { handler } from '../../../rules/s3-bucket-cross-account-access-prohibited/handler';
import { describeRuleHandler, s3controlMock } from '../handler-harness';

describeRuleHandler({
  ruleId: 's3-bucket-cross-account-access-prohibited',
  handler,
  arrange: () => {
    s3controlMock.on(GetPublicAccessBlockCommand).rejects(
      Object.assign(new Error('The public access block configuration was not found'), {
        name: 'NoSuchPublicAccessBlockConfiguration',
        $metadata: { httpStatusCode: 404 },
      }),
    );
  },
  cases: [
    {
      fixture: 'noncompliant-other-account-policy.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'example-shared-policy',
        ComplianceType: 'NON_COMPLIANT',
        Annotation:
          'Cross-account access via bucket policy: statement "PartnerRead" gives read, list to account 123456789012.',
        OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
      },
      s3controlCalls: () =>
        expect(s3controlMock).toHaveReceivedCommandWith(GetPublicAccessBlockCommand, { AccountId: '111122223333' }),
    },
  ],
});
