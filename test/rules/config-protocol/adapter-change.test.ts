/**
 * The adapter on change notifications (plain and oversized) and on what no rule should ever see: rule parameters,
 * TestMode, unknown message types, invalid envelopes. AWS is aws-sdk-client-mock (adapter-mocks.ts).
 */
import {
  BatchGetResourceConfigCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  ResourceNotDiscoveredException,
} from '@aws-sdk/client-config-service';
import { GetBucketOwnershipControlsCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlServiceException } from '@aws-sdk/client-s3-control';
import { createRuleHandler, InvalidInvocationError } from '../../../rules/config-protocol/adapter';
import { accessDenied, configMock, options, s3controlMock, s3Mock, TOKEN } from './adapter-mocks';
import { ACCOUNT, echoBucketRule, invocation, loadEvent } from './adapter-support';

describe('ConfigurationItemChangeNotification', () => {
  it('evaluates the item with live account BPA and ownership and sends the exact PutEvaluations input', async () => {
    const handler = createRuleHandler(echoBucketRule(), options());
    const report = await handler(loadEvent('invocations/change-public-read-acl.json'));

    expect(configMock).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
    expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'example-inv-public-read',
          ComplianceType: 'NON_COMPLIANT',
          Annotation: 'accountBpa=flags(1111) ownership=known("BucketOwnerEnforced") strict=false',
          OrderingTimestamp: new Date('2024-09-02T10:15:00.123Z'),
        },
      ],
      ResultToken: TOKEN,
      TestMode: false,
    });
    expect(s3controlMock).toHaveReceivedCommandWith(GetPublicAccessBlockCommand, { AccountId: ACCOUNT });
    expect(s3Mock).toHaveReceivedCommandWith(GetBucketOwnershipControlsCommand, { Bucket: 'example-inv-public-read' });
    expect(report).toEqual({
      delivered: 1,
      evaluations: [
        {
          resourceType: 'AWS::S3::Bucket',
          resourceId: 'example-inv-public-read',
          compliance: 'NON_COMPLIANT',
          annotation: 'accountBpa=flags(1111) ownership=known("BucketOwnerEnforced") strict=false',
          orderingTimestamp: '2024-09-02T10:15:00.123Z',
        },
      ],
      testMode: false,
      messageType: 'ConfigurationItemChangeNotification',
    });
  });

  it('accepts invokingEvent given as an object', async () => {
    const event = loadEvent('invocations/change-public-read-acl.json');
    const handler = createRuleHandler(echoBucketRule(), options());
    const report = await handler({ ...event, invokingEvent: JSON.parse(event.invokingEvent as string) });
    expect(report.delivered).toBe(1);
    expect(report.evaluations[0].resourceId).toBe('example-inv-public-read');
  });

  it('does not read account BPA or ownership for a rule that does not need them', async () => {
    const rule = echoBucketRule({ needs: { accountBpa: false, ownership: false } });
    const report = await createRuleHandler(rule, options())(loadEvent('invocations/change-public-read-acl.json'));
    expect(s3controlMock).not.toHaveReceivedCommand(GetPublicAccessBlockCommand);
    expect(s3Mock).not.toHaveReceivedCommand(GetBucketOwnershipControlsCommand);
    expect(report.evaluations[0].annotation).toBe(
      'accountBpa=unknown(not read: this rule does not use it) ownership=unknown(Object Ownership is not recorded in AWS Config configuration items) strict=false',
    );
  });

  it('falls back to the AWS Config AccountPublicAccessBlock item when s3control is denied', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).rejects(accessDenied());
    configMock.on(BatchGetResourceConfigCommand).resolves({
      baseConfigurationItems: [
        {
          version: '1.3',
          accountId: ACCOUNT,
          configurationItemCaptureTime: new Date('2024-09-01T00:00:00.000Z'),
          configurationItemStatus: 'OK',
          resourceType: 'AWS::S3::AccountPublicAccessBlock',
          resourceId: ACCOUNT,
          awsRegion: 'us-east-1',
          availabilityZone: 'Not Applicable',
          configuration:
            '{"blockPublicAcls":true,"ignorePublicAcls":true,"blockPublicPolicy":false,"restrictPublicBuckets":false}',
          supplementaryConfiguration: {},
        },
      ],
      unprocessedResourceKeys: [],
    });
    const report = await createRuleHandler(
      echoBucketRule(),
      options(),
    )(loadEvent('invocations/change-public-read-acl.json'));
    expect(configMock).toHaveReceivedCommandWith(BatchGetResourceConfigCommand, {
      resourceKeys: [{ resourceType: 'AWS::S3::AccountPublicAccessBlock', resourceId: ACCOUNT }],
    });
    expect(report.evaluations[0].annotation).toBe(
      'accountBpa=flags(1100) ownership=known("BucketOwnerEnforced") strict=false',
    );
  });

  it('says why when neither s3control nor AWS Config can tell the account BPA, and when ownership cannot be read', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).rejects(accessDenied());
    configMock.on(BatchGetResourceConfigCommand).resolves({ baseConfigurationItems: [], unprocessedResourceKeys: [] });
    s3Mock
      .on(GetBucketOwnershipControlsCommand)
      .rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }));
    const event = loadEvent('invocations/change-public-read-acl.json');
    const bpaReport = await createRuleHandler(echoBucketRule({ echo: ['accountBpa'] }), options())(event);
    expect(bpaReport.evaluations[0].annotation).toBe(
      'accountBpa=unknown(GetPublicAccessBlock (account 123456789012) failed: AccessDenied (403); AWS Config has no AWS::S3::AccountPublicAccessBlock item for 123456789012)',
    );
    const ownershipReport = await createRuleHandler(echoBucketRule({ echo: ['ownership'] }), options())(event);
    expect(ownershipReport.evaluations[0].annotation).toBe(
      'ownership=unknown(Object Ownership is not recorded in AWS Config configuration items; live read: GetBucketOwnershipControls failed: AccessDenied (403))',
    );
  });

  it('treats "no account-level configuration" from s3control as known(null)', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).rejects(
      new S3ControlServiceException({
        name: 'NoSuchPublicAccessBlockConfiguration',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const report = await createRuleHandler(
      echoBucketRule(),
      options(),
    )(loadEvent('invocations/change-public-read-acl.json'));
    expect(configMock).not.toHaveReceivedCommand(BatchGetResourceConfigCommand);
    expect(report.evaluations[0].annotation).toBe(
      'accountBpa=known(null) ownership=known("BucketOwnerEnforced") strict=false',
    );
  });

  it('reports a deleted bucket NOT_APPLICABLE without reading anything live', async () => {
    const report = await createRuleHandler(
      echoBucketRule(),
      options(),
    )(loadEvent('invocations/change-deleted-bucket.json'));
    expect(s3controlMock).not.toHaveReceivedAnyCommand();
    expect(s3Mock).not.toHaveReceivedAnyCommand();
    expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'example-inv-deleted',
          ComplianceType: 'NOT_APPLICABLE',
          Annotation: 'Bucket was deleted (ResourceDeleted).',
          OrderingTimestamp: new Date('2024-09-05T16:20:00.000Z'),
        },
      ],
      ResultToken: TOKEN,
      TestMode: false,
    });
    expect(report.delivered).toBe(1);
  });

  it('reports eventLeftScope: true as NOT_APPLICABLE for the resource', async () => {
    await createRuleHandler(echoBucketRule(), options())(loadEvent('invocations/change-left-scope.json'));
    expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'example-inv-public-read',
          ComplianceType: 'NOT_APPLICABLE',
          Annotation: 'The resource is no longer in the scope of this rule.',
          OrderingTimestamp: new Date('2024-09-02T10:15:00.123Z'),
        },
      ],
      ResultToken: TOKEN,
      TestMode: false,
    });
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });

  it('reports another resource type NOT_APPLICABLE with the resource id as received', async () => {
    await createRuleHandler(echoBucketRule(), options())(loadEvent('invocations/change-other-resource-type.json'));
    expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::EC2::Instance',
          ComplianceResourceId: 'i-0fedcba9876543210',
          ComplianceType: 'NOT_APPLICABLE',
          Annotation:
            'This rule evaluates AWS::S3::Bucket and AWS::S3::AccountPublicAccessBlock; AWS::EC2::Instance is not in its scope.',
          OrderingTimestamp: new Date('2024-09-06T12:00:00.000Z'),
        },
      ],
      ResultToken: TOKEN,
      TestMode: false,
    });
  });

  it('reports a malformed item NOT_APPLICABLE with the normaliser’s reason', async () => {
    const item = {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-garbled',
      awsAccountId: ACCOUNT,
      configurationItemStatus: 'OK',
      configurationItemCaptureTime: '2024-09-01T01:02:03.000Z',
      configuration: '{"name": "example-garbled", ',
      supplementaryConfiguration: {},
    };
    const report = await createRuleHandler(
      echoBucketRule(),
      options(),
    )(invocation({ messageType: 'ConfigurationItemChangeNotification', configurationItem: item }));
    expect(report.evaluations).toHaveLength(1);
    expect(report.evaluations[0]).toMatchObject({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-garbled',
      compliance: 'NOT_APPLICABLE',
      orderingTimestamp: '2024-09-01T01:02:03.000Z',
    });
    expect(report.evaluations[0].annotation).toMatch(
      /^Malformed configuration item: configurationItem\.configuration: /,
    );
  });

  it('reports a problem (no evaluation, no crash) when the item has no identity', async () => {
    const report = await createRuleHandler(
      echoBucketRule(),
      options(),
    )(invocation({ messageType: 'ConfigurationItemChangeNotification', configurationItem: null }));
    expect(configMock).not.toHaveReceivedCommand(PutEvaluationsCommand);
    expect(report).toEqual({
      delivered: 0,
      evaluations: [],
      testMode: false,
      messageType: 'ConfigurationItemChangeNotification',
      problem:
        'ConfigurationItemChangeNotification without a configurationItem that has a resourceType and resourceId; nothing to evaluate.',
    });
  });
});

describe('rule parameters', () => {
  const event = loadEvent('invocations/change-public-read-acl.json');
  const annotationFor = async (extra: Record<string, unknown>) => {
    const report = await createRuleHandler(echoBucketRule(), options())({ ...event, ...extra });
    return report.evaluations[0];
  };

  it.each([
    ['absent', { ruleParameters: undefined }, 'strict=false'],
    ['"{}"', { ruleParameters: '{}' }, 'strict=false'],
    ['a JSON string', { ruleParameters: '{"strict":"TRUE"}' }, 'strict=true'],
    ['an object', { ruleParameters: { strict: 'true' } }, 'strict=true'],
  ])('ruleParameters %s', async (_label, extra, expected) => {
    const evaluation = await annotationFor(extra);
    expect(evaluation.compliance).toBe('NON_COMPLIANT');
    expect(evaluation.annotation.endsWith(expected)).toBe(true);
  });

  it('gives every evaluated resource NOT_APPLICABLE "Invalid rule parameters: ..." and reads nothing live', async () => {
    const evaluation = await annotationFor({ ruleParameters: '{"strict":"maybe"}' });
    expect(evaluation).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-inv-public-read',
      compliance: 'NOT_APPLICABLE',
      annotation: 'Invalid rule parameters: Invalid rule parameter "strict": received "maybe"; expected true or false.',
      orderingTimestamp: '2024-09-02T10:15:00.123Z',
    });
    expect(s3controlMock).not.toHaveReceivedAnyCommand();
  });

  it('rejects unknown parameter names the same way (a typo must not switch the check off)', async () => {
    const evaluation = await annotationFor({ ruleParameters: '{"strcit":"true"}' });
    expect(evaluation.compliance).toBe('NOT_APPLICABLE');
    expect(evaluation.annotation).toBe(
      'Invalid rule parameters: Invalid rule parameter "strcit": received "true"; expected one of the parameters this rule accepts: strict, exemptionTag, exemptions, exemptionsParameter, maxExemptionDays (parameter names are case-sensitive).',
    );
  });
});

describe('TestMode', () => {
  it('sends TestMode: true with the TESTMODE token (RDK convention)', async () => {
    const report = await createRuleHandler(echoBucketRule(), options())(loadEvent('invocations/change-testmode.json'));
    expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, { ResultToken: 'TESTMODE', TestMode: true });
    expect(report.testMode).toBe(true);
  });
});

describe('OversizedConfigurationItemChangeNotification', () => {
  it('fetches the item with GetResourceConfigHistory (laterTime = capture time, limit 1) and evaluates the API model', async () => {
    const response = loadEvent('invocations/api/get-resource-config-history-oversized.json') as {
      configurationItems: Array<Record<string, unknown>>;
    };
    const item = response.configurationItems[0];
    configMock.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        { ...item, configurationItemCaptureTime: new Date(item.configurationItemCaptureTime as string) },
      ],
    });
    const report = await createRuleHandler(echoBucketRule(), options())(loadEvent('invocations/oversized-bucket.json'));
    expect(configMock).toHaveReceivedCommandWith(GetResourceConfigHistoryCommand, {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-inv-oversized-policy',
      laterTime: new Date('2024-09-08T14:00:00.000Z'),
      limit: 1,
    });
    expect(report.evaluations).toEqual([
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'example-inv-oversized-policy',
        compliance: 'COMPLIANT',
        annotation: 'accountBpa=flags(1111) ownership=known("BucketOwnerEnforced") strict=false',
        orderingTimestamp: '2024-09-08T14:00:00.000Z',
      },
    ]);
    expect(report.messageType).toBe('OversizedConfigurationItemChangeNotification');
  });

  it('reports NOT_APPLICABLE when AWS Config has not discovered the resource', async () => {
    configMock
      .on(GetResourceConfigHistoryCommand)
      .rejects(new ResourceNotDiscoveredException({ message: 'Resource not discovered', $metadata: {} }));
    await createRuleHandler(echoBucketRule(), options())(loadEvent('invocations/oversized-not-discovered.json'));
    expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'example-inv-never-recorded',
          ComplianceType: 'NOT_APPLICABLE',
          Annotation:
            'AWS Config has not discovered this resource (ResourceNotDiscoveredException); nothing to evaluate.',
          OrderingTimestamp: new Date('2024-09-08T15:00:00.000Z'),
        },
      ],
      ResultToken: TOKEN,
      TestMode: false,
    });
  });

  it('fails the invocation (so Lambda retries) when GetResourceConfigHistory is throttled', async () => {
    configMock
      .on(GetResourceConfigHistoryCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(
      createRuleHandler(echoBucketRule(), options())(loadEvent('invocations/oversized-bucket.json')),
    ).rejects.toThrow('Rate exceeded');
    expect(configMock).not.toHaveReceivedCommand(PutEvaluationsCommand);
  });
});

describe('unknown messageType', () => {
  it('logs, sends nothing and reports the problem', async () => {
    const report = await createRuleHandler(
      echoBucketRule(),
      options(),
    )(loadEvent('invocations/unsupported-message-type.json'));
    expect(configMock).not.toHaveReceivedAnyCommand();
    expect(report).toEqual({
      delivered: 0,
      evaluations: [],
      testMode: false,
      messageType: 'ConfigurationSnapshotDeliveryCompleted',
      problem:
        'Unsupported messageType "ConfigurationSnapshotDeliveryCompleted": this rule handles ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification and ScheduledNotification; nothing was evaluated.',
    });
  });
});

describe('invalid envelopes', () => {
  it.each([
    ['not an object', 'hello', 'Not an AWS Config rule invocation: the event must be an object; received a string.'],
    [
      'no resultToken',
      { invokingEvent: '{}' },
      'Not an AWS Config rule invocation: resultToken is missing or empty (received a undefined); PutEvaluations needs it.',
    ],
    [
      'invokingEvent not JSON',
      { resultToken: 'x', invokingEvent: '{"messageType":' },
      'Not an AWS Config rule invocation: invokingEvent is not valid JSON',
    ],
    [
      'invokingEvent an array',
      { resultToken: 'x', invokingEvent: '[1]' },
      'Not an AWS Config rule invocation: invokingEvent must be a JSON object (string or object); received an array.',
    ],
  ])('%s -> InvalidInvocationError', async (_label, event, message) => {
    const handler = createRuleHandler(echoBucketRule(), options());
    const error = await handler(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInvocationError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect(configMock).not.toHaveReceivedAnyCommand();
  });
});
