import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { GetBucketOwnershipControlsCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../../rules/s3-bucket-acl-prohibited/handler';
import { changeEvent, readFixture } from '../builders';

const configMock = mockClient(ConfigServiceClient);
const s3Mock = mockClient(S3Client);
const s3controlMock = mockClient(S3ControlClient);

beforeEach(() => {
  configMock.reset();
  s3Mock.reset();
  s3controlMock.reset();
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  s3Mock
    .on(GetBucketOwnershipControlsCommand)
    .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
});

describe('s3-bucket-acl-prohibited handler', () => {
  it('evaluates a recorded change and sends the evaluation to AWS Config (TESTMODE)', async () => {
    await handler(
      changeEvent(
        's3-bucket-acl-prohibited',
        readFixture('s3-bucket-acl-prohibited', 'noncompliant-public-and-canonical.json'),
      ),
    );

    expect(configMock).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
    expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'example-shared-acl',
          ComplianceType: 'COMPLIANT',
          Annotation: 'ACLs are disabled (Object Ownership: BucketOwnerEnforced).',
          OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
        },
      ],
      ResultToken: 'TESTMODE',
      TestMode: true,
    });
    expect(s3controlMock).not.toHaveReceivedAnyCommand();
    expect(s3Mock).toHaveReceivedCommandWith(GetBucketOwnershipControlsCommand, { Bucket: 'example-shared-acl' });
  });

  it('reports invalid parameters on the resource instead of guessing', async () => {
    await handler(
      changeEvent(
        's3-bucket-acl-prohibited',
        readFixture('s3-bucket-acl-prohibited', 'noncompliant-public-and-canonical.json'),
        '{"exemptionTags":"x"}',
      ),
    );

    const [call] = configMock.commandCalls(PutEvaluationsCommand);
    expect(call.args[0].input.Evaluations).toEqual([
      expect.objectContaining({ ComplianceResourceId: 'example-shared-acl', ComplianceType: 'NOT_APPLICABLE' }),
    ]);
    expect(call.args[0].input.Evaluations?.[0].Annotation).toMatch(
      /^Invalid rule parameters: Invalid rule parameter "exemptionTags": received "x"; expected one of the parameters this rule accepts: /,
    );
  });
});
