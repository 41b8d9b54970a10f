import {
  GetBucketAclCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
  S3ControlServiceException,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  ALL_BUCKET_PARTS,
  type BucketPart,
  describeAwsError,
  loggingFromApi,
  readAccountPublicAccessBlock,
  readBucketState,
} from '../../aws/live-s3';
import { createS3Clients, s3ClientConfig } from '../../aws/s3-clients';
import { known, unknown } from '../../model/types';

const s3 = mockClient(S3Client);
const s3control = mockClient(S3ControlClient);
const BUCKET = 'amzn-s3-demo-bucket';
const OWNER_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const FIXED_NOW = () => new Date('2026-11-23T10:00:00.000Z');

/** An S3 error as the SDK raises it; `message` is absent for RGW-style bodies ("UnknownError"). */
function s3Error(name: string, status: number, message = 'UnknownError'): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

const PUBLIC_READ_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: {
    Sid: 'PublicRead',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${BUCKET}/*`,
  },
});

function answerEverything(): void {
  s3.on(GetBucketAclCommand).resolves({
    Owner: { ID: OWNER_ID, DisplayName: 'owner' },
    Grants: [
      { Grantee: { Type: 'CanonicalUser', ID: OWNER_ID, DisplayName: 'owner' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'WRITE' },
      { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'security@example.com' }, Permission: 'READ_ACP' },
    ],
  });
  s3.on(GetBucketPolicyCommand).resolves({ Policy: PUBLIC_READ_POLICY });
  s3.on(GetPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true },
  });
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended', MFADelete: 'Disabled' });
  s3.on(GetBucketOwnershipControlsCommand).resolves({
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
  });
  s3.on(GetBucketTaggingCommand).resolves({
    TagSet: [
      { Key: 'team', Value: 'security' },
      { Key: 'bucketguard:exempt', Value: 'CDN origin' },
    ],
  });
  s3.on(GetBucketLoggingCommand).resolves({ LoggingEnabled: { TargetBucket: 'example-logs', TargetPrefix: 'app/' } });
}

beforeEach(() => {
  s3.reset();
  s3control.reset();
});

describe('readBucketState', () => {
  test('reads every part into the same BucketState the Config path builds', async () => {
    answerEverything();
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, {
      accountId: '111122223333',
      region: 'eu-west-1',
      now: FIXED_NOW,
    });
    expect(state).toEqual({
      kind: 'bucket',
      name: BUCKET,
      accountId: '111122223333',
      region: 'eu-west-1',
      arn: `arn:aws:s3:::${BUCKET}`,
      source: 'live-s3',
      status: 'OK',
      captureTime: '2026-11-23T10:00:00.000Z',
      acl: known({
        ownerId: OWNER_ID,
        grants: [
          { grantee: { kind: 'canonicalUser', id: OWNER_ID, displayName: 'owner' }, permission: 'FULL_CONTROL' },
          { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' },
          { grantee: { kind: 'group', group: 'LogDelivery' }, permission: 'WRITE' },
          { grantee: { kind: 'email', email: 'security@example.com' }, permission: 'READ_ACP' },
        ],
      }),
      policy: known({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublicRead',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${BUCKET}/*`,
          },
        ],
      }),
      // A flag the API omits was never set: false.
      publicAccessBlock: known({
        blockPublicAcls: true,
        ignorePublicAcls: false,
        blockPublicPolicy: true,
        restrictPublicBuckets: false,
      }),
      versioning: known({ status: 'Suspended', mfaDelete: false }),
      ownership: known('BucketOwnerPreferred'),
      tags: known({ team: 'security', 'bucketguard:exempt': 'CDN origin' }),
      logging: known({ targetBucket: 'example-logs', targetPrefix: 'app/' }),
    });
    const received = s3.calls().map((call) => [call.args[0].constructor.name, call.args[0].input]);
    expect(received.sort()).toEqual([
      ['GetBucketAclCommand', { Bucket: BUCKET }],
      ['GetBucketLoggingCommand', { Bucket: BUCKET }],
      ['GetBucketOwnershipControlsCommand', { Bucket: BUCKET }],
      ['GetBucketPolicyCommand', { Bucket: BUCKET }],
      ['GetBucketTaggingCommand', { Bucket: BUCKET }],
      ['GetBucketVersioningCommand', { Bucket: BUCKET }],
      ['GetPublicAccessBlockCommand', { Bucket: BUCKET }],
    ]);
  });

  test('"not configured" errors become known empty values', async () => {
    answerEverything();
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist'));
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration', 404));
    s3.on(GetBucketOwnershipControlsCommand).rejects(s3Error('OwnershipControlsNotFoundError', 404));
    s3.on(GetBucketTaggingCommand).rejects(s3Error('NoSuchTagSet', 404));
    s3.on(GetBucketVersioningCommand).resolves({});
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET);
    expect(state.status).toBe('OK');
    expect(state.policy).toEqual(known(null));
    expect(state.publicAccessBlock).toEqual(known(null));
    expect(state.ownership).toEqual(known(null));
    expect(state.tags).toEqual(known({}));
    expect(state.versioning).toEqual(known({ status: 'Off', mfaDelete: null }));
  });

  test('GetBucketLogging without LoggingEnabled means logging is off; no response is unknown', async () => {
    s3.on(GetBucketLoggingCommand).resolves({});
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['logging'] });
    expect(state.logging).toEqual(known(null));
    expect(loggingFromApi(undefined)).toEqual(unknown('GetBucketLogging returned no response'));
  });

  test('NoSuchTagSetError (older spelling) also means no tags', async () => {
    s3.on(GetBucketTaggingCommand).rejects(s3Error('NoSuchTagSetError', 404));
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['tags'] });
    expect(state.tags).toEqual(known({}));
  });

  const denyOne: Record<BucketPart, (error: Error) => void> = {
    acl: (error) => s3.on(GetBucketAclCommand).rejects(error),
    policy: (error) => s3.on(GetBucketPolicyCommand).rejects(error),
    publicAccessBlock: (error) => s3.on(GetPublicAccessBlockCommand).rejects(error),
    versioning: (error) => s3.on(GetBucketVersioningCommand).rejects(error),
    ownership: (error) => s3.on(GetBucketOwnershipControlsCommand).rejects(error),
    tags: (error) => s3.on(GetBucketTaggingCommand).rejects(error),
    logging: (error) => s3.on(GetBucketLoggingCommand).rejects(error),
  };

  test.each([
    ['acl', 'GetBucketAcl'],
    ['policy', 'GetBucketPolicy'],
    ['publicAccessBlock', 'GetPublicAccessBlock'],
    ['versioning', 'GetBucketVersioning'],
    ['ownership', 'GetBucketOwnershipControls'],
    ['tags', 'GetBucketTagging'],
    ['logging', 'GetBucketLogging'],
  ] as const)(
    'AccessDenied on %s makes only that part unknown, naming the call and the code',
    async (part, operation) => {
      answerEverything();
      denyOne[part](s3Error('AccessDenied', 403, 'Access Denied'));
      const state = await readBucketState(s3 as unknown as S3Client, BUCKET);
      expect(state.status).toBe('OK');
      expect(state[part]).toEqual(unknown(`${operation} failed: AccessDenied (403)`));
      for (const other of ALL_BUCKET_PARTS.filter((p) => p !== part)) expect(state[other]?.known).toBe(true);
    },
  );

  test.each([
    ['SlowDown', 503, 'GetBucketVersioning failed: SlowDown (503)'],
    ['InternalError', 500, 'GetBucketVersioning failed: InternalError (500)'],
    ['PermanentRedirect', 301, 'GetBucketVersioning failed: PermanentRedirect (301)'],
  ])('%s (after the SDK gave up retrying) is unknown with its status', async (name, status, reason) => {
    s3.on(GetBucketVersioningCommand).rejects(s3Error(name, status));
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['versioning'] });
    expect(state.versioning).toEqual(unknown(reason));
  });

  test('a network failure without an HTTP status is described by its code', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7480'), { code: 'ECONNREFUSED' });
    s3.on(GetBucketAclCommand).rejects(refused);
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['acl'] });
    expect(state.acl).toEqual(unknown('GetBucketAcl failed: ECONNREFUSED'));
  });

  test('NoSuchBucket on every call means the bucket is gone: ResourceDeleted', async () => {
    s3.onAnyCommand().rejects(s3Error('NoSuchBucket', 404));
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET);
    expect(state.status).toBe('ResourceDeleted');
    expect(state.acl).toEqual(unknown('GetBucketAcl failed: NoSuchBucket (404)'));
  });

  test('NoSuchBucket on only some calls (deleted mid-read) keeps status OK with those parts unknown', async () => {
    answerEverything();
    s3.on(GetBucketTaggingCommand).rejects(s3Error('NoSuchBucket', 404));
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET);
    expect(state.status).toBe('OK');
    expect(state.tags).toEqual(unknown('GetBucketTagging failed: NoSuchBucket (404)'));
  });

  test('parts not requested are not called and are unknown("not read")', async () => {
    answerEverything();
    const parts: BucketPart[] = ['acl', 'policy', 'publicAccessBlock', 'versioning', 'tags'];
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts });
    expect(state.ownership).toEqual(unknown('not read'));
    expect(s3).not.toHaveReceivedCommand(GetBucketOwnershipControlsCommand);
    expect(s3.calls()).toHaveLength(5);
  });

  test('no parts at all: no calls, status OK, everything unknown', async () => {
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: [] });
    expect(s3.calls()).toHaveLength(0);
    expect(state.status).toBe('OK');
    expect(state.acl).toEqual(unknown('not read'));
  });

  test('the parts of one bucket are requested in parallel', async () => {
    let received = 0;
    let releaseAll: () => void = () => {};
    const allReceived = new Promise<void>((resolve) => {
      releaseAll = resolve;
    });
    // Every call waits until all seven are in flight: a sequential reader would never finish.
    s3.onAnyCommand().callsFake(async () => {
      received++;
      if (received === ALL_BUCKET_PARTS.length) releaseAll();
      await allReceived;
      throw s3Error('AccessDenied', 403);
    });
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET);
    expect(received).toBe(7);
    expect(state.versioning).toEqual(unknown('GetBucketVersioning failed: AccessDenied (403)'));
  });

  test('a policy that is not valid JSON is unknown, never "no policy"', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: '{"Statement": [' });
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['policy'] });
    expect(state.policy.known).toBe(false);
    expect(state.policy.known ? '' : state.policy.reason).toMatch(
      /^GetBucketPolicy returned a policy bucketguard cannot read: GetBucketPolicy\.Policy: not valid JSON/,
    );
  });

  test('an ACL with an unrecognised permission is unknown as a whole; odd grantees are kept, not dropped', async () => {
    s3.on(GetBucketAclCommand).resolves({
      Grants: [
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
          Permission: 'SUPER' as 'READ',
        },
      ],
    });
    let state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['acl'] });
    expect(state.acl).toEqual(unknown('GetBucketAcl returned an unrecognised permission "SUPER"'));

    s3.on(GetBucketAclCommand).resolves({
      Grants: [{ Grantee: { Type: 'Group', URI: 'http://example.com/groups/other' }, Permission: 'READ' }],
    });
    state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['acl'] });
    expect(state.acl).toEqual(
      known({
        grants: [
          {
            grantee: { kind: 'unrecognised', raw: '{"Type":"Group","URI":"http://example.com/groups/other"}' },
            permission: 'READ',
          },
        ],
      }),
    );
  });

  test('GetBucketOwnershipControls answering 200 without a rule (S3-compatible servers) is unknown, not "ACLs active"', async () => {
    s3.on(GetBucketOwnershipControlsCommand).resolves({});
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['ownership'] });
    expect(state.ownership).toEqual(unknown('GetBucketOwnershipControls returned no recognised rule (null)'));
  });

  test('BucketOwnerEnforced and MFA delete Enabled are read as such', async () => {
    s3.on(GetBucketOwnershipControlsCommand).resolves({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled', MFADelete: 'Enabled' });
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['ownership', 'versioning'] });
    expect(state.ownership).toEqual(known('BucketOwnerEnforced'));
    expect(state.versioning).toEqual(known({ status: 'Enabled', mfaDelete: true }));
  });

  test('an unrecognised versioning status is unknown', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Paused' as 'Enabled' });
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['versioning'] });
    expect(state.versioning).toEqual(unknown('GetBucketVersioning returned an unrecognised status "Paused"'));
  });

  test('Ceph RGW answers GetPublicAccessBlock with four false flags instead of 404: known, all false', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    });
    const state = await readBucketState(s3 as unknown as S3Client, BUCKET, { parts: ['publicAccessBlock'] });
    expect(state.publicAccessBlock).toEqual(
      known({
        blockPublicAcls: false,
        ignorePublicAcls: false,
        blockPublicPolicy: false,
        restrictPublicBuckets: false,
      }),
    );
  });
});

describe('readAccountPublicAccessBlock', () => {
  const s3controlClient = s3control as unknown as S3ControlClient;

  test('reads the four account flags through S3 Control', async () => {
    s3control.on(GetAccountPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    await expect(readAccountPublicAccessBlock(s3controlClient, '111122223333')).resolves.toEqual(
      known({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }),
    );
    expect(s3control).toHaveReceivedCommandWith(GetAccountPublicAccessBlockCommand, { AccountId: '111122223333' });
  });

  test('never configured (NoSuchPublicAccessBlockConfiguration) is known null', async () => {
    s3control.on(GetAccountPublicAccessBlockCommand).rejects(
      new S3ControlServiceException({
        name: 'NoSuchPublicAccessBlockConfiguration',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'The public access block configuration was not found',
      }),
    );
    await expect(readAccountPublicAccessBlock(s3controlClient, '111122223333')).resolves.toEqual(known(null));
  });

  test('AccessDenied is unknown with the reason', async () => {
    s3control.on(GetAccountPublicAccessBlockCommand).rejects(
      new S3ControlServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'Access Denied',
      }),
    );
    await expect(readAccountPublicAccessBlock(s3controlClient, '111122223333')).resolves.toEqual(
      unknown('GetPublicAccessBlock (account 111122223333) failed: AccessDenied (403)'),
    );
  });
});

describe('describeAwsError', () => {
  test.each([
    ['an S3 service error', s3Error('AccessDenied', 403, 'Access Denied'), 'AccessDenied (403)'],
    ['an RGW error without <Message>', s3Error('NoSuchBucket', 404), 'NoSuchBucket (404)'],
    ['throttling', s3Error('SlowDown', 503), 'SlowDown (503)'],
    [
      'an SDK timeout',
      Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }),
      'TimeoutError',
    ],
    ['a socket error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    ['a plain Error', new Error('something odd'), 'something odd'],
    ['a TypeError (a bug, not the service)', new TypeError('x is not a function'), 'TypeError: x is not a function'],
    ['a string', 'boom', 'boom'],
    ['undefined', undefined, 'undefined'],
    ['an object with only a status', { $metadata: { httpStatusCode: 500 } }, 'Error (500)'],
  ])('%s', (_label, error, expected) => {
    expect(describeAwsError(error)).toBe(expected);
  });
});

describe('createS3Clients', () => {
  test('an endpoint gets path-style addressing, adaptive retry and checksums only when required', () => {
    const config = s3ClientConfig({
      endpoint: 'http://127.0.0.1:7480',
      region: 'us-east-1',
      maxAttempts: 4,
      profile: 'audit',
    });
    expect(config).toMatchObject({
      endpoint: 'http://127.0.0.1:7480',
      forcePathStyle: true,
      region: 'us-east-1',
      retryMode: 'adaptive',
      maxAttempts: 4,
      profile: 'audit',
      followRegionRedirects: false,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });

  test('without an endpoint: virtual-hosted style, region redirects followed', () => {
    const config = s3ClientConfig({ region: 'eu-west-1' });
    expect(config.forcePathStyle).toBeUndefined();
    expect(config.endpoint).toBeUndefined();
    expect(config.followRegionRedirects).toBe(true);
    expect(config.retryMode).toBe('adaptive');
  });

  test('builds both clients in the requested region', async () => {
    const clients = createS3Clients({ region: 'eu-central-1' });
    await expect(clients.s3.config.region()).resolves.toBe('eu-central-1');
    await expect(clients.s3control.config.region()).resolves.toBe('eu-central-1');
  });
});
