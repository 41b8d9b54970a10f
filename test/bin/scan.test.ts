import {
  GetBucketOwnershipControlsCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import 'aws-sdk-client-mock-jest';
import { createScanCommand, scanClients } from '../../bin/commands/scan';
import { parseScanArgs } from '../../bin/scan/args';
import {
  answerBucket,
  capture,
  deps,
  FOUR_ON,
  listBuckets,
  resetScanMocks,
  row,
  runJson,
  s3Error,
  s3Mock,
} from './scan-support';

beforeEach(() => {
  resetScanMocks();
});

describe('bucketguard scan', () => {
  test('reads every bucket and reports each rule: a public-read bucket, a compliant one, an unreadable setting', async () => {
    listBuckets('amzn-s3-demo-public', 'amzn-s3-demo-private', 'amzn-s3-demo-denied');
    answerBucket('amzn-s3-demo-public', { publicRead: true });
    answerBucket('amzn-s3-demo-private', { bpa: FOUR_ON, versioning: 'Enabled' });
    answerBucket('amzn-s3-demo-denied', { bpa: FOUR_ON, denyVersioning: true });

    const { code, document, err } = await runJson([
      '--fail-on-findings',
      '--rules',
      's3-bucket-public-access-prohibited,s3-bucket-versioning-enabled',
    ]);

    expect(document.results).toEqual([
      row(
        'amzn-s3-demo-public',
        's3-bucket-public-access-prohibited',
        'NON_COMPLIANT',
        'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket level. Account-level Block Public Access unknown (not read: no --account-id); evaluated as off.',
      ),
      row(
        'amzn-s3-demo-public',
        's3-bucket-versioning-enabled',
        'NON_COMPLIANT',
        'Versioning has never been enabled on this bucket.',
      ),
      row(
        'amzn-s3-demo-private',
        's3-bucket-public-access-prohibited',
        'COMPLIANT',
        'Not public: no public policy statement or ACL grant. Account-level Block Public Access unknown (not read: no --account-id); evaluated as off.',
      ),
      row('amzn-s3-demo-private', 's3-bucket-versioning-enabled', 'COMPLIANT', 'Versioning is enabled.'),
      row(
        'amzn-s3-demo-denied',
        's3-bucket-public-access-prohibited',
        'COMPLIANT',
        'Not public: no public policy statement or ACL grant. Account-level Block Public Access unknown (not read: no --account-id); evaluated as off.',
      ),
      // AccessDenied on one read: that rule cannot decide, and says exactly why.
      row(
        'amzn-s3-demo-denied',
        's3-bucket-versioning-enabled',
        'INSUFFICIENT_DATA',
        'Could not evaluate: versioning unknown (GetBucketVersioning failed: AccessDenied (403)).',
      ),
    ]);
    expect(document.notes).toEqual(['account-level Block Public Access unknown (not read: no --account-id)']);
    expect(code).toBe(3);
    // --json: machine output only, nothing on stderr.
    expect(err).toEqual([]);
  });

  test('exit 0 when every result is COMPLIANT; the table ends with the summary line', async () => {
    listBuckets('amzn-s3-demo-private');
    answerBucket('amzn-s3-demo-private', { bpa: FOUR_ON, versioning: 'Enabled' });
    const { io, out, err } = capture();
    const code = await createScanCommand(deps())(['--fail-on-findings', '--rules', 's3-bucket-versioning-enabled'], io);
    expect(code).toBe(0);
    expect(out.join('\n').split('\n')).toEqual([
      '  COMPLIANCE  RULE                          TYPE    RESOURCE              ANNOTATION',
      'live',
      '  COMPLIANT   s3-bucket-versioning-enabled  bucket  amzn-s3-demo-private  Versioning is enabled.',
      '',
      '1 result for 1 resource: 1 COMPLIANT',
    ]);
    // Not a terminal: no progress bar, only the notes.
    expect(err).toEqual([
      'bucketguard scan: note: account-level Block Public Access unknown (not read: no --account-id)',
    ]);
  });

  test('csv: the same columns as evaluate', async () => {
    listBuckets('amzn-s3-demo-private');
    answerBucket('amzn-s3-demo-private', { bpa: FOUR_ON, versioning: 'Suspended' });
    const { io, out } = capture();
    await createScanCommand(deps())(['--format', 'csv', '--rules', 's3-bucket-versioning-enabled'], io);
    expect(out.join('')).toBe(
      'resourceType,resourceId,accountId,rule,compliance,annotation,source\r\n' +
        'AWS::S3::Bucket,amzn-s3-demo-private,,s3-bucket-versioning-enabled,NON_COMPLIANT,Versioning is suspended: new object versions are no longer kept.,live\r\n',
    );
  });

  test('follows ListBuckets pages', async () => {
    s3Mock
      .on(ListBucketsCommand, { ContinuationToken: undefined })
      .resolves({ Buckets: [{ Name: 'amzn-s3-demo-a' }], ContinuationToken: 'next' });
    s3Mock.on(ListBucketsCommand, { ContinuationToken: 'next' }).resolves({ Buckets: [{ Name: 'amzn-s3-demo-b' }] });
    answerBucket('amzn-s3-demo-a', { versioning: 'Enabled' });
    answerBucket('amzn-s3-demo-b', { versioning: 'Enabled' });
    const { document } = await runJson(['--rules', 's3-bucket-versioning-enabled']);
    expect(document.results.map((result) => result.resourceId)).toEqual(['amzn-s3-demo-a', 'amzn-s3-demo-b']);
    expect(s3Mock).toHaveReceivedCommandTimes(ListBucketsCommand, 2);
  });

  test('--bucket reads only the named buckets, without ListBuckets', async () => {
    answerBucket('amzn-s3-demo-named', { versioning: 'Enabled' });
    const { document } = await runJson(['--bucket', 'amzn-s3-demo-named', '--rules', 's3-bucket-versioning-enabled']);
    expect(document.results.map((result) => result.resourceId)).toEqual(['amzn-s3-demo-named']);
    expect(s3Mock).not.toHaveReceivedCommand(ListBucketsCommand);
  });

  test('--skip ownership never calls GetBucketOwnershipControls; the ACL rule says ownership is unknown', async () => {
    listBuckets('amzn-s3-demo-private');
    answerBucket('amzn-s3-demo-private', { bpa: FOUR_ON });
    const { document } = await runJson(['--skip', 'ownership', '--rules', 's3-bucket-acl-prohibited']);
    expect(s3Mock).not.toHaveReceivedCommand(GetBucketOwnershipControlsCommand);
    expect(document.results).toEqual([
      row(
        'amzn-s3-demo-private',
        's3-bucket-acl-prohibited',
        'COMPLIANT',
        'ACL grants access only to the bucket owner. Object Ownership unknown (not read): ACL assumed in effect.',
      ),
    ]);
    expect(document.notes).toContain('not read (--skip): ownership; rules needing them say so');
  });

  test('server access logging and the TLS Deny are read live (GetBucketLogging, GetBucketPolicy)', async () => {
    listBuckets('amzn-s3-demo-logged', 'amzn-s3-demo-unlogged');
    answerBucket('amzn-s3-demo-logged', { logsTo: { bucket: 'amzn-s3-demo-logs', prefix: 'logged/' } });
    answerBucket('amzn-s3-demo-unlogged');
    const { document } = await runJson(['--rules', 's3-bucket-logging-enabled,s3-bucket-ssl-requests-only']);
    const noPolicy = 'No bucket policy: requests over plain HTTP (aws:SecureTransport false) are not denied.';
    expect(document.results).toEqual([
      row(
        'amzn-s3-demo-logged',
        's3-bucket-logging-enabled',
        'COMPLIANT',
        'Server access logs go to bucket "amzn-s3-demo-logs" with prefix "logged/".',
      ),
      row('amzn-s3-demo-logged', 's3-bucket-ssl-requests-only', 'NON_COMPLIANT', noPolicy),
      row(
        'amzn-s3-demo-unlogged',
        's3-bucket-logging-enabled',
        'NON_COMPLIANT',
        'Server access logging is not enabled.',
      ),
      row('amzn-s3-demo-unlogged', 's3-bucket-ssl-requests-only', 'NON_COMPLIANT', noPolicy),
    ]);
  });

  test('each bucket is read through a client for its own Region', async () => {
    s3Mock.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'amzn-s3-demo-east', BucketRegion: 'us-east-1' },
        { Name: 'amzn-s3-demo-west', BucketRegion: 'eu-west-1' },
      ],
    });
    answerBucket('amzn-s3-demo-east', { versioning: 'Enabled' });
    answerBucket('amzn-s3-demo-west', { versioning: 'Enabled' });
    const regional = new Map<string, S3Client>();
    const s3ForRegion = jest.fn((region: string) => {
      const client = regional.get(region) ?? new S3Client({ region });
      regional.set(region, client);
      return client;
    });
    await runJson(['--rules', 's3-bucket-versioning-enabled'], { s3ForRegion });
    expect(s3ForRegion.mock.calls.map(([region]) => region).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('never more than --concurrency buckets in flight', async () => {
    const names = Array.from({ length: 24 }, (_, index) => `amzn-s3-demo-${String(index).padStart(2, '0')}`);
    listBuckets(...names);
    const inFlight = new Map<string, number>();
    let peakBuckets = 0;
    let peakRequests = 0;
    let requests = 0;
    s3Mock.on(GetBucketVersioningCommand).callsFake(async (input: { Bucket: string }) => {
      requests++;
      inFlight.set(input.Bucket, (inFlight.get(input.Bucket) ?? 0) + 1);
      peakBuckets = Math.max(peakBuckets, inFlight.size);
      peakRequests = Math.max(peakRequests, requests);
      await new Promise((resolve) => setTimeout(resolve, 5));
      requests--;
      const left = (inFlight.get(input.Bucket) ?? 1) - 1;
      if (left === 0) inFlight.delete(input.Bucket);
      else inFlight.set(input.Bucket, left);
      return { Status: 'Enabled' };
    });
    const { document } = await runJson([
      '--concurrency',
      '3',
      '--skip',
      'acl,policy,publicAccessBlock,ownership,tags',
      '--rules',
      's3-bucket-versioning-enabled',
    ]);
    expect(document.results).toHaveLength(24);
    expect(document.results.every((result) => result.compliance === 'COMPLIANT')).toBe(true);
    expect(peakBuckets).toBe(3);
    expect(peakRequests).toBe(3);
  });

  test('a progress bar on a terminal (stderr), none with --json or --no-progress', async () => {
    listBuckets('amzn-s3-demo-a', 'amzn-s3-demo-b');
    answerBucket('amzn-s3-demo-a', { versioning: 'Enabled' });
    answerBucket('amzn-s3-demo-b', { versioning: 'Enabled' });
    const args = ['--rules', 's3-bucket-versioning-enabled'];

    const tty = capture(true);
    await createScanCommand(deps())(args, tty.io);
    expect(tty.err[0]).toBe(`[${'-'.repeat(30)}] 0/2 buckets read`);
    expect(tty.err).toContain(`\u001b[1A\u001b[2K[${'#'.repeat(30)}] 2/2 buckets read`);
    const redraw = '\u001b[1A\u001b[2K';
    expect(
      tty.err.some(
        (line) => line.startsWith(redraw) && /^Read 2 buckets in \d+\.\d s\.$/.test(line.slice(redraw.length)),
      ),
    ).toBe(true);

    for (const quiet of [['--json'], ['--no-progress']]) {
      const captured = capture(true);
      await createScanCommand(deps())([...args, ...quiet], captured.io);
      expect(captured.err.some((line) => line.includes('buckets read'))).toBe(false);
    }
  });

  test('ListBuckets denied: a clear error (the CLI exits 1), not a crash', async () => {
    s3Mock.on(ListBucketsCommand).rejects(s3Error('AccessDenied', 403));
    const { io } = capture();
    await expect(createScanCommand(deps())([], io)).rejects.toThrow(
      'ListBuckets failed: AccessDenied (403); check the credentials and s3:ListAllMyBuckets, or name buckets with --bucket',
    );
  });
});

describe('scanClients', () => {
  test('an endpoint: one path-style client, no S3 Control, and the reason account BPA is not read', () => {
    const clients = scanClients(
      parseScanArgs(['--endpoint', 'http://127.0.0.1:7480', '--account-id', '111122223333'], []),
    );
    expect(clients.s3control).toBeUndefined();
    expect(clients.s3ForRegion).toBeUndefined();
    expect(clients.s3controlUnavailable).toBe('not read: S3 Control is not available through --endpoint');
  });

  test('AWS: per-Region clients (cached) and S3 Control when an account id is given', () => {
    const clients = scanClients(parseScanArgs(['--account-id', '111122223333'], []));
    expect(clients.s3control).toBeInstanceOf(S3ControlClient);
    const west = clients.s3ForRegion?.('eu-west-1');
    expect(west).toBeInstanceOf(S3Client);
    expect(clients.s3ForRegion?.('eu-west-1')).toBe(west);
    expect(scanClients(parseScanArgs([], [])).s3control).toBeUndefined();
  });
});
