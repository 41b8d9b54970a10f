/**
 * The local-AWS harness itself (test/integration/moto.ts), which later suites build on: acting as other accounts,
 * the state reset, and the one wire fix it makes (moto's timestamps in JSON bodies).
 */
import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  actAsAccount,
  epochTimestamps,
  MOTO_ACCOUNT_ID,
  motoClient,
  motoS3Clients,
  motoSuite,
  resetMoto,
} from './moto';

const { env } = motoSuite();

const bucketNames = async (s3: ReturnType<typeof motoS3Clients>['s3']) =>
  ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name).sort();

describe('moto harness', () => {
  test('plain credentials are account 123456789012; AssumeRole credentials act as the account named in the role ARN', async () => {
    expect((await motoClient(STSClient).send(new GetCallerIdentityCommand({}))).Account).toBe(MOTO_ACCOUNT_ID);
    const member = await actAsAccount('111122223333');
    expect(member.credentials.sessionToken).toEqual(expect.any(String));
    const identity = await motoClient(STSClient, member).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('111122223333');
  });

  test("each account sees only its own buckets, and a reset clears every account's state", async () => {
    const accounts = await Promise.all(['111111111111', '222222222222', '333333333333'].map((id) => actAsAccount(id)));
    for (const account of accounts) {
      await motoS3Clients(account).s3.send(new CreateBucketCommand({ Bucket: `bg-harness-${account.accountId}` }));
    }
    for (const account of accounts) {
      expect(await bucketNames(motoS3Clients(account).s3)).toEqual([`bg-harness-${account.accountId}`]);
    }
    expect(await bucketNames(motoS3Clients().s3)).toEqual([]);
    await resetMoto(env);
    expect(await bucketNames(motoS3Clients(accounts[0]).s3)).toEqual([]);
  });

  test('moto timestamps become epoch seconds, in timestamp members only', () => {
    expect(
      epochTimestamps({
        configurationItemCaptureTime: '2026-12-04 02:47:24.284207+00:00',
        resourceCreationTime: '2026-12-04T02:47:24+00:00',
        JoinedTimestamp: '2026-12-04 02:47:24',
        items: [{ CreationDate: '2026-12-04 02:47:24.5+01:00' }],
        annotation: '2026-12-04 02:47:24.284207+00:00',
        configuration: '{"creationDate":"2026-12-04 02:47:24+00:00"}',
        notificationTime: 'not a date',
        epochTime: 1796352444,
      }),
    ).toEqual({
      configurationItemCaptureTime: 1796352444.284,
      resourceCreationTime: 1796352444,
      JoinedTimestamp: 1796352444,
      items: [{ CreationDate: 1796348844.5 }],
      annotation: '2026-12-04 02:47:24.284207+00:00',
      configuration: '{"creationDate":"2026-12-04 02:47:24+00:00"}',
      notificationTime: 'not a date',
      epochTime: 1796352444,
    });
  });
});
