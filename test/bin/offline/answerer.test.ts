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
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
} from '@aws-sdk/client-s3-control';
import { PublishCommand } from '@aws-sdk/client-sns';
import { readBucketState } from '../../../aws/live-s3';
import { createOfflineClients } from '../../../bin/offline/answerer';
import { createWorld, forkWorld, type OfflineWorld, takeEvaluations, toApiModel } from '../../../bin/offline/world';
import { normalizeConfigurationItem } from '../../../model/normalize';
import { known } from '../../../model/types';
import { ALL_ON, bucketState } from '../../remediation/helpers';
import { EVENTS } from '../cli-support';

const fixture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(EVENTS, path), 'utf8')) as Record<string, unknown>;

const invocationItem = (path: string) =>
  JSON.parse(fixture(path).invokingEvent as string).configurationItem as Record<string, unknown>;

/** Recorded Config items (account 123456789012, with its account item) and two states no item describes. */
function world(): OfflineWorld {
  return createWorld({
    items: [
      invocationItem('invocations/change-public-read-acl.json'),
      invocationItem('invocations/change-deleted-bucket.json'),
      invocationItem('invocations/change-account-bpa-bucket-rule.json'),
      ...(fixture('invocations/api/batch-get-resource-config-buckets.json').baseConfigurationItems as unknown[]),
    ],
    buckets: [
      bucketState('example-website', {
        policy: known({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }] }),
        acl: known({
          ownerId: 'owner',
          grants: [{ grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' }],
        }),
        versioning: known({ status: 'Suspended', mfaDelete: false }),
        tags: known({ team: 'web' }),
      }),
      bucketState('example-gone', { status: 'ResourceDeleted' }),
    ],
    accounts: [
      {
        kind: 'account',
        accountId: '111122223333',
        source: 'config-invocation',
        status: 'OK',
        publicAccessBlock: known(null),
      },
    ],
  });
}

describe('the offline world', () => {
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

  it('keeps the latest item per resource as its state, counts what it could normalise, and forks apart', () => {
    const older = { ...invocationItem('invocations/change-public-read-acl.json') };
    const newer = {
      ...older,
      configurationItemCaptureTime: '2025-01-01T00:00:00.000Z',
      configurationItemStatus: 'ResourceDeleted',
    };
    const recorded = createWorld({ items: [newer, older, 'not an item'] });
    expect(recorded.itemCount).toBe(2);
    expect(recorded.buckets.get('example-inv-public-read')?.status).toBe('ResourceDeleted');
    const fork = forkWorld(recorded);
    fork.buckets.delete('example-inv-public-read');
    expect(recorded.buckets.has('example-inv-public-read')).toBe(true);
    expect(fork.history).toBe(recorded.history);
  });
});

describe('offline Config answers', () => {
  const recorded = world();
  const { config } = createOfflineClients(recorded);

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

  it('lists non-deleted resources in pages with nextToken (recorded items only, not added states)', async () => {
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

  it('captures PutEvaluations and accepts them all', async () => {
    takeEvaluations(recorded);
    const evaluation = {
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceResourceId: 'b',
      ComplianceType: 'COMPLIANT' as const,
      OrderingTimestamp: new Date(0),
    };
    const response = await config.send(new PutEvaluationsCommand({ Evaluations: [evaluation], ResultToken: 't' }));
    expect(response.FailedEvaluations).toEqual([]);
    expect(takeEvaluations(recorded)).toEqual([
      { request: { Evaluations: [evaluation], ResultToken: 't' }, evaluations: [evaluation] },
    ]);
    expect(takeEvaluations(recorded)).toEqual([]);
  });
});

describe('offline S3 answers', () => {
  it('round-trips a state through the real S3 API shapes', async () => {
    const { s3 } = createOfflineClients(world());
    const state = await readBucketState(s3, 'example-website', {
      parts: ['acl', 'policy', 'publicAccessBlock', 'versioning', 'tags'],
    });
    expect(state).toMatchObject({
      policy: known({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }] }),
      acl: known({ ownerId: 'owner', grants: [{ grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' }] }),
      publicAccessBlock: known(null),
      versioning: known({ status: 'Suspended', mfaDelete: false }),
      tags: known({ team: 'web' }),
    });
    expect((await s3.send(new GetBucketAclCommand({ Bucket: 'example-website' }))).Grants).toEqual([
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
    ]);
  });

  it('answers from recorded items: Suspended versioning, no policy', async () => {
    const { s3 } = createOfflineClients(world());
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: 'example-inv-access-logs' }));
    expect(versioning.Status).toBe('Suspended');
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'example-inv-public-read' }))).rejects.toMatchObject({
      name: 'NoSuchBucketPolicy',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('applies writes to the world, so a read-back sees them', async () => {
    const offline = world();
    const { s3 } = createOfflineClients(offline);
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: 'example-website', VersioningConfiguration: { Status: 'Enabled' } }),
    );
    expect(await s3.send(new GetBucketVersioningCommand({ Bucket: 'example-website' }))).toMatchObject({
      Status: 'Enabled',
      MFADelete: 'Disabled',
    });
    expect(offline.buckets.get('example-website')?.versioning).toEqual(known({ status: 'Enabled', mfaDelete: false }));
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'example-website',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    expect(offline.buckets.get('example-website')?.publicAccessBlock).toEqual(known(ALL_ON));
    expect(
      (await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'example-website' }))).PublicAccessBlockConfiguration,
    ).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });

  it('answers like S3 for deleted buckets (an S3ServiceException), recorded or not', async () => {
    const { s3 } = createOfflineClients(world());
    for (const Bucket of ['example-gone', 'example-inv-deleted']) {
      const rejection = s3.send(new GetBucketPolicyCommand({ Bucket }));
      await expect(rejection).rejects.toBeInstanceOf(S3ServiceException);
      await expect(rejection).rejects.toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
    }
  });

  it('says what the recorded inputs cannot tell as "offline replay: <reason>"', async () => {
    const { s3 } = createOfflineClients(world());
    await expect(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'example-inv-public-read' }))).rejects.toThrow(
      new Error('offline replay: Object Ownership is not recorded in AWS Config configuration items'),
    );
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'example-unknown' }))).rejects.toThrow(
      new Error('offline replay: no recorded item or event describes bucket example-unknown'),
    );
    // Through the live reader, the reason reaches the annotation or email as a sentence.
    const state = await readBucketState(s3, 'example-inv-public-read', { parts: ['ownership'] });
    expect(state.ownership).toEqual({
      known: false,
      reason:
        'GetBucketOwnershipControls failed: offline replay: Object Ownership is not recorded in AWS Config configuration items',
    });
  });

  it('fails loudly, never over the network, for a command it does not answer, and logs every call', async () => {
    const offline = world();
    const { s3, config } = createOfflineClients(offline);
    await expect(s3.send(new ListBucketsCommand({}))).rejects.toThrow(
      new Error('offline replay: ListBucketsCommand is not answered offline'),
    );
    await expect(config.send(new SelectResourceConfigCommand({ Expression: 'SELECT *' }))).rejects.toThrow(
      new Error('offline replay: SelectResourceConfigCommand is not answered offline'),
    );
    expect(offline.calls).toEqual([
      { client: 's3', command: 'ListBucketsCommand', input: {} },
      { client: 'config', command: 'SelectResourceConfigCommand', input: { Expression: 'SELECT *' } },
    ]);
  });
});

describe('offline S3 Control and SNS answers', () => {
  it('answers account-level GetPublicAccessBlock from the account item or state', async () => {
    const { s3control } = createOfflineClients(world());
    const response = await s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: '123456789012' }));
    expect(response.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    await expect(
      s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: '111122223333' })),
    ).rejects.toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration', $metadata: { httpStatusCode: 404 } });
  });

  it('an account nothing describes is unknown, not "no configuration"', async () => {
    const { s3control } = createOfflineClients(createWorld());
    await expect(s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: '111122223333' }))).rejects.toThrow(
      new Error('offline replay: no recorded item or event describes account 111122223333'),
    );
  });

  it('applies account-level writes, so a read-back sees them', async () => {
    const offline = world();
    const { s3control } = createOfflineClients(offline);
    const flags = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    };
    await s3control.send(
      new PutAccountPublicAccessBlockCommand({ AccountId: '111122223333', PublicAccessBlockConfiguration: flags }),
    );
    expect(
      (await s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: '111122223333' })))
        .PublicAccessBlockConfiguration,
    ).toEqual(flags);
  });

  it('captures SNS Publish instead of sending it', async () => {
    const offline = world();
    const { sns } = createOfflineClients(offline);
    expect(
      await sns.send(
        new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111122223333:t', Subject: 's', Message: 'm' }),
      ),
    ).toMatchObject({ MessageId: 'offline-1' });
    expect(offline.published).toEqual([
      { topicArn: 'arn:aws:sns:us-east-1:111122223333:t', subject: 's', message: 'm' },
    ]);
  });

  it('keeps what an email subscriber reads of a per-protocol message (MessageStructure json)', async () => {
    const offline = world();
    const { sns } = createOfflineClients(offline);
    const send = (Message: string) =>
      sns.send(
        new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111122223333:t', MessageStructure: 'json', Message }),
      );
    await send(JSON.stringify({ default: '{"version":"1.0"}', email: 'the text' }));
    await send(JSON.stringify({ default: 'only the default' }));
    await send('not json');
    expect(offline.published.map((published) => published.message)).toEqual([
      'the text',
      'only the default',
      'not json',
    ]);
  });

  it('never resolves credentials', async () => {
    const { s3 } = createOfflineClients(world());
    await expect(s3.config.credentials()).rejects.toThrow('offline replay: the offline clients never sign a request');
  });
});
