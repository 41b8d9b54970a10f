import { handler } from '../../../rules/s3-account-level-public-access-blocked/handler';
import { describeRuleHandler } from '../handler-harness';

describeRuleHandler({
  ruleId: 's3-account-level-public-access-blocked',
  handler,
  cases: [
    {
      fixture: 'noncompliant-policy-settings-off.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::AccountPublicAccessBlock',
        ComplianceResourceId: '111122223333',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'Account-level Block Public Access is off for: BlockPublicPolicy, RestrictPublicBuckets.',
        OrderingTimestamp: new Date('2026-05-04T08:00:03.505Z'),
      },
    },
  ],
});
