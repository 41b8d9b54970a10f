import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  InvalidResultTokenException,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
  ResourceNotDiscoveredException,
} from '@aws-sdk/client-config-service';
import { GetBucketOwnershipControlsCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient, S3ControlServiceException } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  createRuleHandler,
  EvaluationDeliveryError,
  type HandlerOptions,
  InvalidInvocationError,
} from '../../../rules/config-protocol/adapter';
import { BASE_PERMISSIONS, rulePermissions } from '../../../rules/config-protocol/permissions';
import {
  ACCOUNT,
  apiBucketItem,
  echoAccountRule,
  echoBucketRule,
  invocation,
  loadEvent,
  NOW,
  SCHEDULED,
} from './adapter-support';

const configMock = mockClient(ConfigServiceClient);
const s3Mock = mockClient(S3Client);
const s3controlMock = mockClient(S3ControlClient);

const TOKEN =
  'eyJlbmNyeXB0ZWREYXRhIjpbMTIsLTQ1LDg4LDEwMiwtNyw1NSwtMTE5LDMzXSwibWF0ZXJpYWxTZXRTZXJpYWxOdW1iZXIiOjEsIml2UGFyYW1ldGVyU3BlYyI6eyJpdiI6WzEsMiwzLDQsNSw2LDcsOCw5LDEwLDExLDEyXX19';

const sleep = jest.fn(async (_ms: number) => {});

function options(extra: Partial<HandlerOptions> = {}): HandlerOptions {
  return {
    clients: () => ({ config: new ConfigServiceClient({}), s3: new S3Client({}), s3control: new S3ControlClient({}) }),
    now: () => NOW,
    retry: { attempts: 3, baseDelayMs: 100 },
    sleep,
    random: () => 0.5,
    ...extra,
  };
}

function accessDenied(): S3ControlServiceException {
  return new S3ControlServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: 'Access Denied',
  });
}

function putCalls(): Array<Record<string, unknown>> {
  return configMock
    .commandCalls(PutEvaluationsCommand)
    .map((call) => call.args[0].input as unknown as Record<string, unknown>);
}

const ALL_ON_LIVE = {
  PublicAccessBlockConfiguration: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
};

beforeEach(() => {
  configMock.reset();
  s3Mock.reset();
  s3controlMock.reset();
  sleep.mockClear();
  configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  s3controlMock.on(GetPublicAccessBlockCommand).resolves(ALL_ON_LIVE);
  s3Mock
    .on(GetBucketOwnershipControlsCommand)
    .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
});

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
      'Invalid rule parameters: Invalid rule parameter "strcit": received "true"; expected one of the parameters this rule accepts: strict, exemptionTag, exemptions (parameter names are case-sensitive).',
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

describe('ScheduledNotification', () => {
  const names = Array.from({ length: 250 }, (_, i) => `example-sweep-${String(i).padStart(3, '0')}`);

  function mockInventory(unprocessedOnFirstCall: number) {
    configMock
      .on(ListDiscoveredResourcesCommand)
      .resolves({
        resourceIdentifiers: names.slice(0, 100).map((id) => ({ resourceType: 'AWS::S3::Bucket', resourceId: id })),
        nextToken: 'page-2',
      })
      .on(ListDiscoveredResourcesCommand, { nextToken: 'page-2' })
      .resolves({
        resourceIdentifiers: names.slice(100, 200).map((id) => ({ resourceType: 'AWS::S3::Bucket', resourceId: id })),
        nextToken: 'page-3',
      })
      .on(ListDiscoveredResourcesCommand, { nextToken: 'page-3' })
      .resolves({
        resourceIdentifiers: names.slice(200).map((id) => ({ resourceType: 'AWS::S3::Bucket', resourceId: id })),
      });
    let first = true;
    configMock.on(BatchGetResourceConfigCommand).callsFake((input: { resourceKeys: Array<{ resourceId: string }> }) => {
      const keys = input.resourceKeys;
      const held = first ? keys.slice(0, unprocessedOnFirstCall) : [];
      first = false;
      const served = keys.filter((k) => !held.includes(k));
      return {
        baseConfigurationItems: served.map((k) =>
          apiBucketItem(k.resourceId, { publicRead: k.resourceId.endsWith('7') }),
        ),
        unprocessedResourceKeys: held,
      };
    });
  }

  it('sweeps every bucket (pagination, unprocessed keys retried) and delivers in batches of 100/100/50', async () => {
    mockInventory(10);
    const report = await createRuleHandler(
      echoBucketRule({ silentWhenCompliant: true }),
      options(),
    )(invocation(SCHEDULED));

    expect(configMock.commandCalls(ListDiscoveredResourcesCommand).map((c) => c.args[0].input)).toEqual([
      { resourceType: 'AWS::S3::Bucket', limit: 100 },
      { resourceType: 'AWS::S3::Bucket', limit: 100, nextToken: 'page-2' },
      { resourceType: 'AWS::S3::Bucket', limit: 100, nextToken: 'page-3' },
    ]);
    const batchInputs = configMock.commandCalls(BatchGetResourceConfigCommand).map((c) => c.args[0].input);
    expect(batchInputs.map((i) => i.resourceKeys?.length)).toEqual([100, 10, 100, 50]);
    expect(batchInputs[1].resourceKeys).toEqual(
      names.slice(0, 10).map((id) => ({ resourceType: 'AWS::S3::Bucket', resourceId: id })),
    );
    expect(sleep).toHaveBeenCalledWith(50); // random 0.5 x base 100 on the first retry

    const calls = putCalls();
    expect(calls.map((c) => (c.Evaluations as unknown[]).length)).toEqual([100, 100, 50]);
    const all = calls.flatMap((c) => c.Evaluations as Array<Record<string, unknown>>);
    expect(new Set(all.map((e) => e.ComplianceResourceId))).toEqual(new Set(names));
    expect(all.every((e) => (e.OrderingTimestamp as Date).toISOString() === '2024-09-09T00:00:00.373Z')).toBe(true);
    expect(all.find((e) => e.ComplianceResourceId === 'example-sweep-017')).toEqual({
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceResourceId: 'example-sweep-017',
      ComplianceType: 'NON_COMPLIANT',
      Annotation: 'accountBpa=flags(1111) ownership=known("BucketOwnerEnforced") strict=false',
      OrderingTimestamp: new Date('2024-09-09T00:00:00.373Z'),
    });
    // Empty annotation: the key is omitted, not sent as "".
    expect(all.find((e) => e.ComplianceResourceId === 'example-sweep-010')).toEqual({
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceResourceId: 'example-sweep-010',
      ComplianceType: 'COMPLIANT',
      OrderingTimestamp: new Date('2024-09-09T00:00:00.373Z'),
    });
    expect(calls.every((c) => c.ResultToken === 'token-abc' && c.TestMode === false)).toBe(true);
    // The account BPA is read once per account, not once per bucket.
    expect(s3controlMock).toHaveReceivedCommandTimes(GetPublicAccessBlockCommand, 1);
    expect(report.delivered).toBe(250);
  });

  it('delivers what it read, then fails naming the buckets BatchGetResourceConfig never returned', async () => {
    mockInventory(0);
    configMock
      .on(BatchGetResourceConfigCommand)
      .callsFake((input: { resourceKeys: Array<{ resourceType: string; resourceId: string }> }) => {
        const stuck = input.resourceKeys.filter((k) => k.resourceId === 'example-sweep-042');
        return {
          baseConfigurationItems: input.resourceKeys
            .filter((k) => k.resourceId !== 'example-sweep-042')
            .map((k) => apiBucketItem(k.resourceId)),
          unprocessedResourceKeys: stuck,
        };
      });
    const handler = createRuleHandler(echoBucketRule(), options());
    await expect(handler(invocation(SCHEDULED))).rejects.toThrow(
      new EvaluationDeliveryError(
        [
          {
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'example-sweep-042',
            reason: 'BatchGetResourceConfig left it unprocessed after 3 attempt(s)',
          },
        ],
        249,
      ).message,
    );
    expect(putCalls().flatMap((c) => c.Evaluations as unknown[])).toHaveLength(249);
  });

  it('evaluates an account rule periodically on the live read (no item: account undefined)', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: false,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: false,
      },
    });
    const report = await createRuleHandler(echoAccountRule(), options())(invocation(SCHEDULED));
    expect(configMock).not.toHaveReceivedCommand(ListDiscoveredResourcesCommand);
    expect(report.evaluations).toEqual([
      {
        resourceType: 'AWS::::Account',
        resourceId: ACCOUNT,
        compliance: 'COMPLIANT',
        annotation: 'account=none accountBpa=flags(1010)',
        orderingTimestamp: '2024-09-09T00:00:00.373Z',
      },
    ]);
  });

  it('hands an account rule known(null) when s3control has no configuration', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).rejects(
      new S3ControlServiceException({
        name: 'NoSuchPublicAccessBlockConfiguration',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const report = await createRuleHandler(echoAccountRule(), options())(invocation(SCHEDULED));
    expect(report.evaluations[0].annotation).toBe('account=none accountBpa=known(null)');
  });

  it('hands an account rule an unknown Fact (not "never configured") when nothing can be read', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).rejects(accessDenied());
    configMock
      .on(BatchGetResourceConfigCommand)
      .rejects(
        Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
      );
    const report = await createRuleHandler(echoAccountRule(), options())(invocation(SCHEDULED));
    expect(report.evaluations[0].annotation).toBe(
      'account=none accountBpa=unknown(GetPublicAccessBlock (account 123456789012) failed: AccessDenied (403); AWS Config BatchGetResourceConfig failed: AccessDeniedException (400))',
    );
  });

  it('gives every account NOT_APPLICABLE on AWS::::Account when parameters are invalid', async () => {
    const report = await createRuleHandler(
      echoAccountRule(),
      options(),
    )(invocation(SCHEDULED, { ruleParameters: '{"flags":"all"}' }));
    expect(report.evaluations).toEqual([
      {
        resourceType: 'AWS::::Account',
        resourceId: ACCOUNT,
        compliance: 'NOT_APPLICABLE',
        annotation:
          'Invalid rule parameters: Invalid rule parameter "flags": received "all"; expected no parameters (this rule accepts none).',
        orderingTimestamp: '2024-09-09T00:00:00.373Z',
      },
    ]);
    expect(s3controlMock).not.toHaveReceivedAnyCommand();
  });
});

describe('AWS::S3::AccountPublicAccessBlock change', () => {
  it('re-evaluates every bucket of the account with the new setting from the item (bucket rule)', async () => {
    configMock.on(ListDiscoveredResourcesCommand).resolves({
      resourceIdentifiers: [
        { resourceType: 'AWS::S3::Bucket', resourceId: 'example-a' },
        { resourceType: 'AWS::S3::Bucket', resourceId: 'example-b' },
        { resourceType: 'AWS::S3::Bucket', resourceId: 'example-other-account' },
      ],
    });
    configMock.on(BatchGetResourceConfigCommand).resolves({
      baseConfigurationItems: [
        apiBucketItem('example-a', { publicRead: true }),
        apiBucketItem('example-b'),
        apiBucketItem('example-other-account', { accountId: '111122223333' }),
      ],
      unprocessedResourceKeys: [],
    });
    const report = await createRuleHandler(
      echoBucketRule(),
      options(),
    )(loadEvent('invocations/change-account-bpa-bucket-rule.json'));
    expect(s3controlMock).not.toHaveReceivedCommand(GetPublicAccessBlockCommand);
    expect(report.evaluations).toEqual([
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'example-a',
        compliance: 'NON_COMPLIANT',
        annotation: 'accountBpa=flags(0000) ownership=known("BucketOwnerEnforced") strict=false',
        orderingTimestamp: '2024-09-07T08:00:02.000Z',
      },
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'example-b',
        compliance: 'COMPLIANT',
        annotation: 'accountBpa=flags(0000) ownership=known("BucketOwnerEnforced") strict=false',
        orderingTimestamp: '2024-09-07T08:00:02.000Z',
      },
      {
        resourceType: 'AWS::S3::AccountPublicAccessBlock',
        resourceId: ACCOUNT,
        compliance: 'NOT_APPLICABLE',
        annotation:
          'This rule evaluates buckets; the account-level Block Public Access change re-evaluated 2 bucket(s).',
        orderingTimestamp: '2024-09-07T08:00:00.000Z',
      },
    ]);
  });

  it('is NOT_APPLICABLE for a bucket rule whose scope does not include account BPA', async () => {
    const rule = echoBucketRule({ resourceTypes: ['AWS::S3::Bucket'] });
    const report = await createRuleHandler(
      rule,
      options(),
    )(loadEvent('invocations/change-account-bpa-bucket-rule.json'));
    expect(configMock).not.toHaveReceivedCommand(ListDiscoveredResourcesCommand);
    expect(report.evaluations).toEqual([
      {
        resourceType: 'AWS::S3::AccountPublicAccessBlock',
        resourceId: ACCOUNT,
        compliance: 'NOT_APPLICABLE',
        annotation: 'This rule evaluates AWS::S3::Bucket; AWS::S3::AccountPublicAccessBlock is not in its scope.',
        orderingTimestamp: '2024-09-07T08:00:00.000Z',
      },
    ]);
  });

  it('evaluates the item itself for an account rule', async () => {
    const report = await createRuleHandler(
      echoAccountRule(),
      options(),
    )(loadEvent('invocations/change-account-bpa-account-rule.json'));
    expect(s3controlMock).not.toHaveReceivedAnyCommand();
    expect(report.evaluations).toEqual([
      {
        resourceType: 'AWS::S3::AccountPublicAccessBlock',
        resourceId: ACCOUNT,
        compliance: 'COMPLIANT',
        annotation: 'account=OK/config-invocation/flags(0000) accountBpa=flags(0000)',
        orderingTimestamp: '2024-09-07T08:00:00.000Z',
      },
    ]);
  });

  it('reports a deleted account configuration NOT_APPLICABLE and lets the account rule judge the removal', async () => {
    const item = {
      resourceType: 'AWS::S3::AccountPublicAccessBlock',
      resourceId: ACCOUNT,
      awsAccountId: ACCOUNT,
      configurationItemStatus: 'ResourceDeleted',
      configurationItemCaptureTime: '2024-09-07T09:00:00.000Z',
      configuration: null,
      supplementaryConfiguration: {},
    };
    const report = await createRuleHandler(
      echoAccountRule(),
      options(),
    )(invocation({ messageType: 'ConfigurationItemChangeNotification', configurationItem: item }));
    expect(report.evaluations).toEqual([
      {
        resourceType: 'AWS::S3::AccountPublicAccessBlock',
        resourceId: ACCOUNT,
        compliance: 'NOT_APPLICABLE',
        annotation: 'Account-level Block Public Access configuration was deleted (ResourceDeleted).',
        orderingTimestamp: '2024-09-07T09:00:00.000Z',
      },
      {
        resourceType: 'AWS::::Account',
        resourceId: ACCOUNT,
        compliance: 'COMPLIANT',
        annotation: 'account=ResourceDeleted/config-invocation/known(null) accountBpa=known(null)',
        orderingTimestamp: '2024-09-07T09:00:00.000Z',
      },
    ]);
  });

  it('gives a bucket rule NOT_APPLICABLE for a bucket item when the rule is an account rule', async () => {
    const report = await createRuleHandler(
      echoAccountRule(),
      options(),
    )(loadEvent('invocations/change-public-read-acl.json'));
    expect(report.evaluations[0]).toMatchObject({
      resourceId: 'example-inv-public-read',
      compliance: 'NOT_APPLICABLE',
      annotation: 'This rule evaluates the account-level Block Public Access setting, not buckets.',
    });
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

describe('PutEvaluations delivery', () => {
  it('retries exactly the FailedEvaluations with backoff and succeeds', async () => {
    mockSweepOf(['example-x', 'example-y', 'example-z']);
    configMock
      .on(PutEvaluationsCommand)
      .resolvesOnce({
        FailedEvaluations: [
          {
            ComplianceResourceType: 'AWS::S3::Bucket',
            ComplianceResourceId: 'example-y',
            ComplianceType: 'COMPLIANT',
            OrderingTimestamp: new Date('2024-09-09T00:00:00.373Z'),
          },
        ],
      })
      .resolves({ FailedEvaluations: [] });
    const report = await createRuleHandler(
      echoBucketRule({ silentWhenCompliant: true }),
      options(),
    )(invocation(SCHEDULED));
    const calls = putCalls();
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'example-y',
          ComplianceType: 'COMPLIANT',
          OrderingTimestamp: new Date('2024-09-09T00:00:00.373Z'),
        },
      ],
      ResultToken: 'token-abc',
      TestMode: false,
    });
    expect(sleep).toHaveBeenCalledWith(50);
    expect(report.delivered).toBe(3);
  });

  it('throws the exact list of evaluations still failing after every attempt, and counts only the delivered', async () => {
    mockSweepOf(['example-x', 'example-y']);
    configMock.on(PutEvaluationsCommand).callsFake((input: { Evaluations: Array<Record<string, unknown>> }) => ({
      FailedEvaluations: input.Evaluations.filter((e) => e.ComplianceResourceId === 'example-y'),
    }));
    const error = (await createRuleHandler(
      echoBucketRule(),
      options(),
    )(invocation(SCHEDULED)).catch((e: unknown) => e)) as EvaluationDeliveryError;
    expect(error).toBeInstanceOf(EvaluationDeliveryError);
    expect(error.message).toBe(
      '1 evaluation(s) not delivered to AWS Config (1 delivered): AWS::S3::Bucket/example-y (returned in FailedEvaluations after 3 attempt(s))',
    );
    expect(error.undelivered).toEqual([
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'example-y',
        reason: 'returned in FailedEvaluations after 3 attempt(s)',
      },
    ]);
    expect(putCalls().map((c) => (c.Evaluations as unknown[]).length)).toEqual([2, 1, 1]);
    // Full jitter (random 0.5) over base 100 doubling: 50 then 100.
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([50, 100]);
  });

  it('does not retry a non-retryable error and lists everything as undelivered', async () => {
    mockSweepOf(['example-x']);
    configMock
      .on(PutEvaluationsCommand)
      .rejects(
        new InvalidResultTokenException({ message: 'The resultToken is invalid.', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(createRuleHandler(echoBucketRule(), options())(invocation(SCHEDULED))).rejects.toThrow(
      '1 evaluation(s) not delivered to AWS Config (0 delivered): AWS::S3::Bucket/example-x (PutEvaluations failed: InvalidResultTokenException (400): The resultToken is invalid. (not retryable))',
    );
    expect(putCalls()).toHaveLength(1);
  });

  it('retries throttling errors and succeeds', async () => {
    mockSweepOf(['example-x']);
    configMock
      .on(PutEvaluationsCommand)
      .rejectsOnce(
        Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({ FailedEvaluations: [] });
    const report = await createRuleHandler(echoBucketRule(), options())(invocation(SCHEDULED));
    expect(report.delivered).toBe(1);
    expect(putCalls()).toHaveLength(2);
  });

  function mockSweepOf(ids: string[]) {
    configMock.on(ListDiscoveredResourcesCommand).resolves({
      resourceIdentifiers: ids.map((id) => ({ resourceType: 'AWS::S3::Bucket', resourceId: id })),
    });
    configMock.on(BatchGetResourceConfigCommand).resolves({
      baseConfigurationItems: ids.map((id) => apiBucketItem(id)),
      unprocessedResourceKeys: [],
    });
  }
});

describe('permissions', () => {
  it('BASE_PERMISSIONS are the Config calls every rule makes', () => {
    expect(BASE_PERMISSIONS).toEqual([
      'config:BatchGetResourceConfig',
      'config:GetResourceConfigHistory',
      'config:ListDiscoveredResources',
      'config:PutEvaluations',
    ]);
  });

  it('rulePermissions adds what the rule needs and declares, sorted and unique', () => {
    expect(rulePermissions(echoBucketRule())).toEqual([
      'config:BatchGetResourceConfig',
      'config:GetResourceConfigHistory',
      'config:ListDiscoveredResources',
      'config:PutEvaluations',
      'kms:Decrypt',
      's3:GetAccountPublicAccessBlock',
      's3:GetBucketOwnershipControls',
    ]);
    expect(
      rulePermissions(echoBucketRule({ needs: { accountBpa: false, ownership: false }, permissions: [] })),
    ).toEqual([...BASE_PERMISSIONS]);
  });
});
