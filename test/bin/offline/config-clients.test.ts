import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchGetResourceConfigCommand,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
  ResourceNotDiscoveredException,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import {
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { buildWorld, createOfflineClients, toApiModel } from '../../../bin/offline/config-clients';
import { normalizeConfigurationItem } from '../../../model/normalize';
import { EVENTS } from '../cli-support';

const fixture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(EVENTS, path), 'utf8')) as Record<string, unknown>;

const invocationItem = (path: string) =>
  JSON.parse(fixture(path).invokingEvent as string).configurationItem as Record<string, unknown>;

describe('toApiModel', () => {
  it('turns an invocation-model item into the API model (strings, double-encoded ACL, renamed fields, Dates)', () => {
    const item = invocationItem('invocations/change-public-read-acl.json');
    const api = toApiModel(item);
    expect(api).toMatchObject({
      version: '1.3',
      accountId: '123456789012',
      arn: 'arn:aws:s3:::example-inv-public-read',
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-inv-public-read',
      configurationItemCaptureTime: new Date('2024-09-02T10:15:00.123Z'),
      configurationStateId: String(item.configurationStateId),
    });
    expect(typeof api.configuration).toBe('string');
    const supplementary = api.supplementaryConfiguration ?? {};
    expect(JSON.parse(supplementary.BucketVersioningConfiguration)).toEqual({
      status: 'Off',
      isMfaDeleteEnabled: null,
    });
    // Double-encoded: parsing once gives the invocation model's string.
    expect(JSON.parse(supplementary.AccessControlList)).toBe(
      (item.supplementaryConfiguration as Record<string, unknown>).AccessControlList,
    );
    expect(supplementary.IsRequesterPaysEnabled).toBe('false');
    // And it normalises to the same state as the original.
    const fromApi = normalizeConfigurationItem(api);
    const fromInvocation = normalizeConfigurationItem(item);
    expect({ ...fromApi, source: 'x' }).toEqual({ ...fromInvocation, source: 'x' });
  });

  it('leaves an API-model item as it is (no re-encoding)', () => {
    const raw = fixture('invocations/api/get-resource-config-history-oversized.json').configurationItems as Array<
      Record<string, unknown>
    >;
    const api = toApiModel(raw[0]);
    expect(api.supplementaryConfiguration).toEqual(raw[0].supplementaryConfiguration);
    expect(api.configuration).toBe(raw[0].configuration);
  });
});

describe('offline clients', () => {
  const items = [
    invocationItem('invocations/change-public-read-acl.json'),
    invocationItem('invocations/change-deleted-bucket.json'),
    invocationItem('invocations/change-account-bpa-bucket-rule.json'),
    ...(fixture('invocations/api/batch-get-resource-config-buckets.json').baseConfigurationItems as unknown[]),
  ];
  const offline = createOfflineClients(buildWorld(items));
  const { config, s3, s3control } = offline.clients;

  it('answers GetResourceConfigHistory with the API model, and ResourceNotDiscovered for unknown resources', async () => {
    const found = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'example-inv-public-read',
        laterTime: new Date('2024-12-31T00:00:00.000Z'),
        limit: 1,
      }),
    );
    expect(found.configurationItems).toHaveLength(1);
    expect(found.configurationItems?.[0].resourceId).toBe('example-inv-public-read');
    expect(typeof found.configurationItems?.[0].configuration).toBe('string');
    const before = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'example-inv-public-read',
        laterTime: new Date('2020-01-01T00:00:00.000Z'),
      }),
    );
    expect(before.configurationItems).toEqual([]);
    await expect(
      config.send(new GetResourceConfigHistoryCommand({ resourceType: 'AWS::S3::Bucket', resourceId: 'nope' })),
    ).rejects.toBeInstanceOf(ResourceNotDiscoveredException);
  });

  it('lists non-deleted resources in pages with nextToken', async () => {
    const first = await config.send(new ListDiscoveredResourcesCommand({ resourceType: 'AWS::S3::Bucket', limit: 2 }));
    expect(first.resourceIdentifiers?.map((r) => r.resourceId)).toEqual([
      'example-inv-access-logs',
      'example-inv-public-read',
    ]);
    expect(first.nextToken).toBe('2');
    const second = await config.send(
      new ListDiscoveredResourcesCommand({ resourceType: 'AWS::S3::Bucket', limit: 2, nextToken: first.nextToken }),
    );
    expect(second.resourceIdentifiers?.map((r) => r.resourceId)).toEqual(['example-inv-static-site']);
    expect(second.nextToken).toBeUndefined();
  });

  it('answers BatchGetResourceConfig with BaseConfigurationItems (no tags) and skips unknown or deleted keys', async () => {
    const response = await config.send(
      new BatchGetResourceConfigCommand({
        resourceKeys: [
          { resourceType: 'AWS::S3::Bucket', resourceId: 'example-inv-public-read' },
          { resourceType: 'AWS::S3::Bucket', resourceId: 'example-inv-deleted' },
          { resourceType: 'AWS::S3::Bucket', resourceId: 'nope' },
        ],
      }),
    );
    expect(response.baseConfigurationItems?.map((i) => i.resourceId)).toEqual(['example-inv-public-read']);
    expect(response.baseConfigurationItems?.[0]).not.toHaveProperty('tags');
    expect(response.unprocessedResourceKeys).toEqual([]);
  });

  it('records PutEvaluations and accepts them all', async () => {
    offline.takeEvaluations();
    const evaluation = {
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceResourceId: 'b',
      ComplianceType: 'COMPLIANT' as const,
      OrderingTimestamp: new Date(0),
    };
    const response = await config.send(new PutEvaluationsCommand({ Evaluations: [evaluation], ResultToken: 't' }));
    expect(response.FailedEvaluations).toEqual([]);
    expect(offline.takeEvaluations()).toEqual([
      { request: { Evaluations: [evaluation], ResultToken: 't' }, evaluations: [evaluation] },
    ]);
    expect(offline.takeEvaluations()).toEqual([]);
  });

  it('answers account-level GetPublicAccessBlock from the account item, else NoSuchPublicAccessBlockConfiguration', async () => {
    const response = await s3control.send(new GetPublicAccessBlockCommand({ AccountId: '123456789012' }));
    expect(response.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    await expect(s3control.send(new GetPublicAccessBlockCommand({ AccountId: '111122223333' }))).rejects.toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers S3 reads from the recorded state; what Config does not record is a 403 saying so', async () => {
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: 'example-inv-access-logs' }));
    expect(versioning.Status).toBe('Suspended');
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'example-inv-public-read' }))).rejects.toMatchObject({
      name: 'NoSuchBucketPolicy',
    });
    await expect(
      s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'example-inv-public-read' })),
    ).rejects.toMatchObject({ name: 'NotInRecordedInputs', $metadata: { httpStatusCode: 403 } });
    await expect(s3.send(new GetBucketVersioningCommand({ Bucket: 'example-inv-deleted' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });

  it('fails loudly for a call it does not answer, and logs every call', async () => {
    await expect(config.send(new SelectResourceConfigCommand({ Expression: 'SELECT *' }))).rejects.toMatchObject({
      name: 'OfflineUnsupportedOperation',
      message: 'bucketguard replay does not answer SelectResourceConfigCommand offline',
    });
    expect(offline.calls.at(-1)).toEqual({
      client: 'config',
      command: 'SelectResourceConfigCommand',
      input: { Expression: 'SELECT *' },
    });
  });
});
