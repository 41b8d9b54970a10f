import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../../rules/s3-bucket-cross-account-access-prohibited/handler';
import { changeEvent, readFixture } from '../builders';

const configMock = mockClient(ConfigServiceClient);
const s3Mock = mockClient(S3Client);
const s3controlMock = mockClient(S3ControlClient);

beforeEach(() => {
  configMock.reset();
  s3Mock.reset();
  s3controlMock.reset();
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  s3controlMock.on(GetPublicAccessBlockCommand).rejects(
    Object.assign(new Error('The public access block configuration was not found'), {
      name: 'NoSuchPublicAccessBlockConfiguration',
      $metadata: { httpStatusCode: 404 },
    }),
  );
});

describe('s3-bucket-cross-account-access-prohibited handler', () => {
  it('evaluates a recorded change and sends the evaluation to AWS Config (TESTMODE)', async () => {
    await handler(
      changeEvent(
        's3-bucket-cross-account-access-prohibited',
        readFixture('s3-bucket-cross-account-access-prohibited', 'noncompliant-other-account-policy.json'),
      ),
    );

    expect(configMock).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
    expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'example-shared-policy',
          ComplianceType: 'NON_COMPLIANT',
          Annotation:
            'Cross-account access via bucket policy: statement "PartnerRead" gives read, list to account 123456789012.',
          OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
        },
      ],
      ResultToken: 'TESTMODE',
      TestMode: true,
    });
    expect(s3controlMock).toHaveReceivedCommandWith(GetPublicAccessBlockCommand, { AccountId: '111122223333' });
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });

  it('reports invalid parameters on the resource instead of guessing', async () => {
    await handler(
      changeEvent(
        's3-bucket-cross-account-access-prohibited',
        readFixture('s3-bucket-cross-account-access-prohibited', 'noncompliant-other-account-policy.json'),
        '{"exemptionTags":"x"}',
      ),
    );

    const [call] = configMock.commandCalls(PutEvaluationsCommand);
    expect(call.args[0].input.Evaluations).toEqual([
      expect.objectContaining({ ComplianceResourceId: 'example-shared-policy', ComplianceType: 'NOT_APPLICABLE' }),
    ]);
    expect(call.args[0].input.Evaluations?.[0].Annotation).toMatch(
      /^Invalid rule parameters: Invalid rule parameter "exemptionTags": received "x"; expected one of the parameters this rule accepts: /,
    );
  });
});
