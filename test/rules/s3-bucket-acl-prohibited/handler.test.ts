import { GetBucketOwnershipControlsCommand } from '@aws-sdk/client-s3';
import { handler } from '../../../rules/s3-bucket-acl-prohibited/handler';
import { describeRuleHandler, s3Mock } from '../handler-harness';

describeRuleHandler({
  ruleId: 's3-bucket-acl-prohibited',
  handler,
  arrange: () => {
    s3Mock
      .on(GetBucketOwnershipControlsCommand)
      .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
  },
  cases: [
    {
      fixture: 'noncompliant-public-and-canonical.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'example-shared-acl',
        ComplianceType: 'COMPLIANT',
        Annotation: 'ACLs are disabled (Object Ownership: BucketOwnerEnforced).',
        OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
      },
      s3Calls: () =>
        expect(s3Mock).toHaveReceivedCommandWith(GetBucketOwnershipControlsCommand, { Bucket: 'example-shared-acl' }),
    },
  ],
});
