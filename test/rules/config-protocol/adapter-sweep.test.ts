/**
 * The adapter on periodic sweeps (and the account-level BPA fan-out, which sweeps too) and PutEvaluations delivery:
 * pagination, unprocessed keys, batches of 100, FailedEvaluations re-sent by bucketguard's own loop, and thrown
 * errors (the SDK's retries already spent) failing the invocation with the list. AWS is aws-sdk-client-mock
 * (adapter-mocks.ts); the SDK's retries themselves are tested on the wire in adapter-retry.test.ts.
 */
import {
  BatchGetResourceConfigCommand,
  InvalidResultTokenException,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { GetPublicAccessBlockCommand, S3ControlServiceException } from '@aws-sdk/client-s3-control';
import { createRuleHandler, EvaluationDeliveryError } from '../../../rules/config-protocol/adapter';
import { accessDenied, configMock, options, putCalls, s3controlMock, sleep } from './adapter-mocks';
import {
  ACCOUNT,
  apiBucketItem,
  echoAccountRule,
  echoBucketRule,
  invocation,
  loadEvent,
  SCHEDULED,
} from './adapter-support';

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

  it('does not retry an error send() threw (the SDK decided) and lists everything as undelivered', async () => {
    mockSweepOf(['example-x']);
    configMock
      .on(PutEvaluationsCommand)
      .rejects(
        new InvalidResultTokenException({ message: 'The resultToken is invalid.', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(createRuleHandler(echoBucketRule(), options())(invocation(SCHEDULED))).rejects.toThrow(
      '1 evaluation(s) not delivered to AWS Config (0 delivered): AWS::S3::Bucket/example-x (PutEvaluations failed: InvalidResultTokenException (400): The resultToken is invalid.)',
    );
    expect(putCalls()).toHaveLength(1);
  });

  it('does not retry throttling again once the SDK gave up: one call, the invocation fails naming its attempts', async () => {
    // aws-sdk-client-mock replaces send(): this is what the SDK throws after its own attempts (adapter-retry.test.ts
    // shows those on the wire). Retrying it here again would stack a second layer on the SDK's.
    mockSweepOf(['example-x', 'example-y']);
    configMock.on(PutEvaluationsCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400, attempts: 5 },
      }),
    );
    const error = (await createRuleHandler(
      echoBucketRule(),
      options(),
    )(invocation(SCHEDULED)).catch((e: unknown) => e)) as EvaluationDeliveryError;
    expect(error).toBeInstanceOf(EvaluationDeliveryError);
    expect(error.undelivered.map((u) => [u.resourceId, u.reason])).toEqual([
      ['example-x', 'PutEvaluations failed: ThrottlingException (400): Rate exceeded after 5 SDK attempt(s)'],
      ['example-y', 'PutEvaluations failed: ThrottlingException (400): Rate exceeded after 5 SDK attempt(s)'],
    ]);
    expect(putCalls()).toHaveLength(1);
    expect(sleep).not.toHaveBeenCalled();
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
