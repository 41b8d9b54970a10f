/** The re-check after a stopped fix: schedule group, the Scheduler role, and the remediation role's two grants. */
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, resourcesOfType, synthBucketGuard } from './helpers';

const result = synthBucketGuard({ props: { mode: 'remediate' } });
const remediationFn = logicalId(result, result.guard.remediation.function);
const schedulerRole = logicalId(result, result.guard.recheck.role);
const group = logicalId(result, result.guard.recheck.group);

it('creates one schedule group, and tells the remediation function its name and the Scheduler role', () => {
  expect(Object.keys(resourcesOfType(result, 'AWS::Scheduler::ScheduleGroup'))).toEqual([group]);
  const env = resourcesOfType(result, 'AWS::Lambda::Function')[remediationFn].Properties.Environment as {
    Variables: Record<string, unknown>;
  };
  expect(env.Variables.BUCKETGUARD_RECHECK_GROUP).toEqual(expect.stringMatching(/^BucketGuard.*Recheck.*Group/));
  expect(env.Variables.BUCKETGUARD_RECHECK_ROLE_ARN).toEqual({ 'Fn::GetAtt': [schedulerRole, 'Arn'] });
});

it('the Scheduler role is assumed by scheduler.amazonaws.com of this account and invokes the remediation function only', () => {
  result.template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    },
  });
  const policies = Object.values(resourcesOfType(result, 'AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(schedulerRole),
  );
  expect(policies.map((policy) => policy.Properties.PolicyDocument)).toEqual([
    {
      Version: '2012-10-17',
      Statement: [
        { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [remediationFn, 'Arn'] } },
      ],
    },
  ]);
});

it('the remediation role creates schedules in that group only and passes the role to Scheduler only', () => {
  result.template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        {
          Action: 'scheduler:CreateSchedule',
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':schedule/')])],
          },
        },
        {
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [schedulerRole, 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
      ]),
    },
  });
});
