import {
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_EXEMPTION_SETTINGS } from '../../../model/exemptions';
import { known, unknown } from '../../../model/types';
import { type FlapStore, InMemoryFlapStore } from '../../../remediation/flap-store/flap-store';
import { remediateAccount, remediateBucket } from '../../../remediation/response/engine';
import { ALL_ON, awsError, bucketState } from '../helpers';

const s3Mock = mockClient(S3Client);
const controlMock = mockClient(S3ControlClient);
const s3 = new S3Client({ region: 'us-east-1' });
const s3control = new S3ControlClient({ region: 'us-east-1' });
const ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const NOW = new Date('2024-03-20T12:00:00Z');
const deps = (extra: { flapStore?: FlapStore } = {}) => ({
  s3,
  now: () => NOW,
  applyOptions: { sleep: async () => {} },
  ...extra,
});
const remediate = {
  mode: 'remediate',
  actions: ['block-public-access'],
  exemption: DEFAULT_EXEMPTION_SETTINGS,
} as const;

/** A bucket with no BPA configuration whose Put succeeds and reads back as all on. */
function publicBucket(tags: { Key: string; Value: string }[] = []): void {
  if (tags.length === 0) s3Mock.on(GetBucketTaggingCommand).rejects(awsError('NoSuchTagSet', 404));
  else s3Mock.on(GetBucketTaggingCommand).resolves({ TagSet: tags });
  s3Mock
    .on(GetPublicAccessBlockCommand)
    .rejectsOnce(awsError('NoSuchPublicAccessBlockConfiguration', 404))
    .resolves({ PublicAccessBlockConfiguration: ON });
  s3Mock.on(PutPublicAccessBlockCommand).resolves({});
}

beforeEach(() => {
  s3Mock.reset();
  controlMock.reset();
});

describe('remediateBucket', () => {
  it('reads live state, applies, verifies: changed with before and after', async () => {
    publicBucket();
    const outcomes = await remediateBucket(bucketState('example-private-data'), remediate, deps());
    expect(outcomes).toEqual([
      {
        action: 'block-public-access',
        targetKind: 'bucket',
        target: 'example-private-data',
        mode: 'remediate',
        status: 'changed',
        reason: 'PutPublicAccessBlock succeeded; verified by reading it back',
        exemption: { state: 'none' },
        before: { kind: 'bpa', flags: null },
        after: { kind: 'bpa', flags: ALL_ON },
        changes: [
          { setting: 'BlockPublicAcls', from: 'false', to: 'true' },
          { setting: 'IgnorePublicAcls', from: 'false', to: 'true' },
          { setting: 'BlockPublicPolicy', from: 'false', to: 'true' },
          { setting: 'RestrictPublicBuckets', from: 'false', to: 'true' },
        ],
      },
    ]);
    expect(s3Mock).toHaveReceivedCommandWith(PutPublicAccessBlockCommand, { ExpectedBucketOwner: '111122223333' });
  });

  it('AccessDenied on the tag read: fixed all the same (the approved list alone decides), reported as tampering', async () => {
    publicBucket();
    s3Mock.on(GetBucketTaggingCommand).rejects(awsError('AccessDenied', 403));
    const [outcome] = await remediateBucket('example-private-data', remediate, deps());
    expect(outcome).toMatchObject({
      status: 'changed',
      exemption: { state: 'none' },
      tampering: { denied: ['GetBucketTagging'] },
    });
    expect(s3Mock).toHaveReceivedCommandTimes(PutPublicAccessBlockCommand, 1);
  });

  it('any other failure of the tag read (throttling) no longer matters either: tags are only a request', async () => {
    publicBucket();
    s3Mock.on(GetBucketTaggingCommand).rejects(awsError('SlowDown', 503));
    const [outcome] = await remediateBucket('example-private-data', remediate, deps());
    expect(outcome).toMatchObject({ status: 'changed', exemption: { state: 'none' } });
    expect(outcome.tampering).toBeUndefined();
  });

  it('a bucket with an approved exemption is never changed', async () => {
    publicBucket();
    const approved = async () => ({
      list: known([{ bucket: 'example-product-*', reason: 'CDN origin', approver: 'secteam', until: '2024-04-30' }]),
      maxDays: 90,
    });
    const [outcome] = await remediateBucket('example-product-images', { ...remediate, approved }, deps());
    expect(outcome).toMatchObject({
      status: 'skipped',
      reason: 'exempt until 2024-04-30, approved by secteam ("CDN origin"): not changed',
    });
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
  });

  it.each([
    ['no end date', [{ Key: 'bucketguard:exempt', Value: 'Public product images; approved in SEC-1234' }]],
    [
      'far end date',
      [
        { Key: 'bucketguard:exempt', Value: 'mine' },
        { Key: 'bucketguard:exempt-until', Value: '9999-12-31' },
      ],
    ],
  ])('a tag alone (%s) is only a request: the fix goes ahead and says so', async (_name, tags) => {
    publicBucket(tags);
    const [outcome] = await remediateBucket('example-product-images', remediate, deps());
    expect(outcome).toMatchObject({
      status: 'changed',
      exemption: { state: 'requested' },
    });
  });

  it('an unreadable list is treated as none: the fix goes ahead and the plan says why', async () => {
    publicBucket([{ Key: 'bucketguard:exempt', Value: 'launch week' }]);
    const approved = async () => ({
      list: unknown<never>('GetParameter failed: AccessDeniedException (400)'),
      maxDays: 90,
    });
    const [outcome] = await remediateBucket('example-old-website', { ...remediate, mode: 'notify', approved }, deps());
    expect(outcome).toMatchObject({
      status: 'would-change',
      reason:
        'dry run: would turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets (the exemption list could not be read (GetParameter failed: AccessDeniedException (400)): no exemption applies)',
      after: { kind: 'bpa', flags: ALL_ON },
    });
  });

  it('per-action modes override the default mode', async () => {
    publicBucket();
    s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    const outcomes = await remediateBucket(
      'example-build-cache',
      { ...remediate, actions: ['enable-versioning', 'block-public-access'], modes: { 'enable-versioning': 'notify' } },
      deps(),
    );
    expect(outcomes.map((outcome) => [outcome.action, outcome.mode, outcome.status])).toEqual([
      ['block-public-access', 'remediate', 'changed'],
      ['enable-versioning', 'notify', 'would-change'],
    ]);
    expect(s3Mock).not.toHaveReceivedCommand(PutBucketVersioningCommand);
    // One tag read serves both actions.
    expect(s3Mock).toHaveReceivedCommandTimes(GetBucketTaggingCommand, 1);
  });

  it('already compliant -> no-change, no write', async () => {
    s3Mock.on(GetBucketTaggingCommand).resolves({ TagSet: [] });
    s3Mock.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ON });
    const [outcome] = await remediateBucket('example-private-data', remediate, deps());
    expect(outcome.status).toBe('no-change');
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
  });

  it('ignores account actions and returns nothing when no bucket action is requested', async () => {
    expect(await remediateBucket('b', { ...remediate, actions: ['block-account-public-access'] }, deps())).toEqual([]);
    expect(s3Mock.calls()).toHaveLength(0);
  });
});

describe('anti-flapping', () => {
  it('stops after the limit within the window, and starts again once the window has passed', async () => {
    const store = new InMemoryFlapStore(3, 3600);
    let now = NOW;
    const run = async () => {
      s3Mock.reset();
      publicBucket();
      const [outcome] = await remediateBucket('example-private-data', remediate, {
        ...deps({ flapStore: store }),
        now: () => now,
      });
      return outcome;
    };
    expect((await run()).status).toBe('changed');
    expect((await run()).status).toBe('changed');
    expect((await run()).status).toBe('changed');
    const stopped = await run();
    expect(stopped).toMatchObject({
      status: 'skipped',
      reason:
        'already remediated 3 times since 2024-03-20T12:00:00.000Z (limit 3 per 3600 s): something keeps undoing it, so bucketguard stopped until 2024-03-20T13:00:00.000Z; find and fix the source',
      flapping: { count: 3, limit: 3, windowSeconds: 3600, windowEndsAt: '2024-03-20T13:00:00.000Z' },
    });
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
    now = new Date(NOW.getTime() + 3601 * 1000);
    expect((await run()).status).toBe('changed');
  });

  it('counts per action and target: another bucket is unaffected', async () => {
    const store = new InMemoryFlapStore(1, 3600);
    publicBucket();
    expect((await remediateBucket('a-bucket', remediate, deps({ flapStore: store })))[0].status).toBe('changed');
    s3Mock.reset();
    publicBucket();
    expect((await remediateBucket('a-bucket', remediate, deps({ flapStore: store })))[0].status).toBe('skipped');
    s3Mock.reset();
    publicBucket();
    expect((await remediateBucket('b-bucket', remediate, deps({ flapStore: store })))[0].status).toBe('changed');
  });

  it('an unreachable counter table: applied anyway, and the outcome says so (a brake, not a gate)', async () => {
    publicBucket();
    const broken: FlapStore = {
      limit: 3,
      windowSeconds: 3600,
      recordAttempt: async () => {
        throw awsError('ProvisionedThroughputExceededException', 400);
      },
    };
    const [outcome] = await remediateBucket('example-private-data', remediate, deps({ flapStore: broken }));
    expect(outcome).toMatchObject({
      status: 'changed',
      reason:
        'PutPublicAccessBlock succeeded; verified by reading it back (the anti-flapping counter could not be updated: ProvisionedThroughputExceededException (400); applied anyway)',
      brakeUnavailable: 'ProvisionedThroughputExceededException (400)',
    });
    expect(s3Mock).toHaveReceivedCommandTimes(PutPublicAccessBlockCommand, 1);
  });

  it('dry runs are not counted', async () => {
    const store = new InMemoryFlapStore(1, 3600);
    publicBucket();
    await remediateBucket('example-private-data', { ...remediate, mode: 'notify' }, deps({ flapStore: store }));
    await remediateBucket('example-private-data', { ...remediate, mode: 'notify' }, deps({ flapStore: store }));
    expect((await store.recordAttempt('block-public-access#example-private-data', NOW)).count).toBe(1);
  });
});

describe('remediateAccount', () => {
  it('tightens the account configuration, keeping flags that are on', async () => {
    controlMock
      .on(GetAccountPublicAccessBlockCommand)
      .resolvesOnce({
        PublicAccessBlockConfiguration: { ...ON, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      })
      .resolves({ PublicAccessBlockConfiguration: ON });
    controlMock.on(PutAccountPublicAccessBlockCommand).resolves({});
    const [outcome] = await remediateAccount(
      '111122223333',
      {
        mode: 'remediate',
        actions: ['block-account-public-access'],
        bpaFlags: ['blockPublicPolicy', 'restrictPublicBuckets'],
      },
      { s3control, applyOptions: { sleep: async () => {} } },
    );
    expect(outcome).toMatchObject({
      action: 'block-account-public-access',
      targetKind: 'account',
      target: '111122223333',
      status: 'changed',
      changes: [
        { setting: 'BlockPublicPolicy', from: 'false', to: 'true' },
        { setting: 'RestrictPublicBuckets', from: 'false', to: 'true' },
      ],
    });
    expect(controlMock).toHaveReceivedCommandWith(PutAccountPublicAccessBlockCommand, {
      AccountId: '111122223333',
      PublicAccessBlockConfiguration: ON,
    });
  });

  it('unreadable account settings -> skipped, nothing written', async () => {
    controlMock.on(GetAccountPublicAccessBlockCommand).rejects(awsError('AccessDenied', 403));
    const [outcome] = await remediateAccount(
      '111122223333',
      { mode: 'remediate', actions: ['block-account-public-access'] },
      { s3control },
    );
    expect(outcome).toMatchObject({
      status: 'skipped',
      reason:
        "cannot read the account's Block Public Access settings (GetPublicAccessBlock (account 111122223333) failed: AccessDenied (403)): not changed",
    });
    expect(controlMock).not.toHaveReceivedCommand(PutAccountPublicAccessBlockCommand);
  });
});
