import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../../rules/s3-account-level-public-access-blocked/handler';
import { changeEvent, readFixture } from '../builders';

const configMock = mockClient(ConfigServiceClient);
const s3Mock = mockClient(S3Client);
const s3controlMock = mockClient(S3ControlClient);

beforeEach(() => {
  configMock.reset();
  s3Mock.reset();
  s3controlMock.reset();
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
});

describe('s3-account-level-public-access-blocked handler', () => {
  it('evaluates a recorded change and sends the evaluation to AWS Config (TESTMODE)', async () => {
    await handler(
      changeEvent(
        's3-account-level-public-access-blocked',
        readFixture('s3-account-level-public-access-blocked', 'noncompliant-policy-settings-off.json'),
      ),
    );

    expect(configMock).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
    expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::AccountPublicAccessBlock',
          ComplianceResourceId: '111122223333',
          ComplianceType: 'NON_COMPLIANT',
          Annotation: 'Account-level Block Public Access is off for: BlockPublicPolicy, RestrictPublicBuckets.',
          OrderingTimestamp: new Date('2026-05-04T08:00:03.505Z'),
        },
      ],
      ResultToken: 'TESTMODE',
      TestMode: true,
    });
    expect(s3controlMock).not.toHaveReceivedAnyCommand();
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });

  it('reports invalid parameters on the resource instead of guessing', async () => {
    await handler(
      changeEvent(
        's3-account-level-public-access-blocked',
        readFixture('s3-account-level-public-access-blocked', 'noncompliant-policy-settings-off.json'),
        '{"exemptionTags":"x"}',
      ),
    );

    const [call] = configMock.commandCalls(PutEvaluationsCommand);
    expect(call.args[0].input.Evaluations).toEqual([
      expect.objectContaining({ ComplianceResourceId: '111122223333', ComplianceType: 'NOT_APPLICABLE' }),
    ]);
    expect(call.args[0].input.Evaluations?.[0].Annotation).toMatch(
      /^Invalid rule parameters: Invalid rule parameter "exemptionTags": received "x"; expected one of the parameters this rule accepts: /,
    );
  });
});
