import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { handler } from '../../../rules/s3-bucket-logging-enabled/handler';
import { changeEvent } from '../builders';
import { configMock, describeRuleHandler } from '../handler-harness';

describeRuleHandler({
  ruleId: 's3-bucket-logging-enabled',
  handler,
  cases: [
    {
      fixture: 'noncompliant-off.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'example-unlogged',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'Server access logging is not enabled.',
        OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
      },
    },
    {
      fixture: 'compliant-logged.api.json',
      evaluation: {
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'example-logged',
        ComplianceType: 'COMPLIANT',
        Annotation: 'Server access logs go to bucket "example-access-logs" with prefix "example-logged/".',
        OrderingTimestamp: new Date('2026-05-04T09:12:44.381Z'),
      },
    },
  ],
});

describe('s3-bucket-logging-enabled handler: another resource type', () => {
  it('reports it NOT_APPLICABLE', async () => {
    const item = JSON.parse(
      readFileSync(join(__dirname, '../../../events/config-items/other-ec2-instance.json'), 'utf8'),
    ) as Record<string, unknown>;
    await handler(changeEvent('s3-bucket-logging-enabled', item));
    const [call] = configMock.commandCalls(PutEvaluationsCommand);
    expect(call.args[0].input.Evaluations).toEqual([
      expect.objectContaining({ ComplianceResourceType: 'AWS::EC2::Instance', ComplianceType: 'NOT_APPLICABLE' }),
    ]);
    expect(call.args[0].input.Evaluations?.[0].Annotation).toMatch(/AWS::EC2::Instance is not in its scope\.$/);
  });
});
