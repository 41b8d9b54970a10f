import {
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { PublishCommand } from '@aws-sdk/client-sns';
import { readBucketState } from '../../../aws/live-s3';
import { createOfflineClients, createOfflineWorld } from '../../../bin/offline/response-clients';
import { known } from '../../../model/types';
import { bucketState } from '../../remediation/helpers';

describe('offline clients (real SDK clients answered in-process)', () => {
  const world = () =>
    createOfflineWorld(
      [
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
      [
        {
          kind: 'account',
          accountId: '111122223333',
          source: 'config-invocation',
          status: 'OK',
          publicAccessBlock: known(null),
        },
      ],
    );

  it('round-trips a recorded state through the real S3 API shapes', async () => {
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
  });

  it('answers like S3 for deleted buckets and missing configurations', async () => {
    const { s3, s3control } = createOfflineClients(world());
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'example-gone' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(s3control.send(new GetPublicAccessBlockCommand({ AccountId: '111122223333' }))).rejects.toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
    });
  });

  it('fails loudly, never over the network, for a command it does not answer or a bucket it does not know', async () => {
    const { s3 } = createOfflineClients(world());
    await expect(s3.send(new ListBucketsCommand({}))).rejects.toThrow(
      'offline replay: ListBucketsCommand is not answered offline',
    );
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'example-unknown' }))).rejects.toThrow(
      'offline replay: no recorded item or event describes bucket example-unknown',
    );
  });

  it('captures SNS Publish instead of sending it', async () => {
    const offline = world();
    const { sns } = createOfflineClients(offline);
    expect(
      await sns.send(
        new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111122223333:t', Subject: 's', Message: 'm' }),
      ),
    ).toMatchObject({
      MessageId: 'offline-1',
    });
    expect(offline.published).toEqual([
      { topicArn: 'arn:aws:sns:us-east-1:111122223333:t', subject: 's', message: 'm' },
    ]);
  });
});
