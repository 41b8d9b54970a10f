import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { mapWithConcurrency } from '../../aws/pool';
import type { CliIo } from '../../bin/io';
import { UsageError } from '../../bin/io';
import { DEFAULT_CONCURRENCY, parseScanArgs } from '../../bin/scan/args';
import { ListBucketsError, listAllBuckets } from '../../bin/scan/list-buckets';
import { createProgress } from '../../bin/scan/progress';

const RULE_IDS = ['s3-bucket-public-access-prohibited', 's3-bucket-versioning-enabled'];

describe('parseScanArgs', () => {
  test('defaults: every part, concurrency 16, table, progress, no remediation', () => {
    expect(parseScanArgs([], RULE_IDS)).toEqual({
      parts: ['acl', 'policy', 'publicAccessBlock', 'versioning', 'ownership', 'tags', 'logging'],
      skipped: [],
      concurrency: DEFAULT_CONCURRENCY,
      maxAttempts: 5,
      format: 'table',
      progress: true,
      failOnFindings: false,
      help: false,
    });
  });

  test('every option', () => {
    const options = parseScanArgs(
      [
        '--endpoint',
        'http://127.0.0.1:7480',
        '--region',
        'eu-west-1',
        '--profile',
        'audit',
        '--account-id',
        '111122223333',
        '--bucket',
        'amzn-s3-demo-bucket1',
        '--bucket',
        'amzn-s3-demo-bucket2',
        '--prefix',
        'amzn-',
        '--rules',
        's3-bucket-versioning-enabled',
        '--account-public-access-block',
        '{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":false,"RestrictPublicBuckets":false}',
        '--fail-on-findings',
        '--skip',
        'ownership,tags',
        '--concurrency',
        '4',
        '--max-attempts',
        '8',
        '--format',
        'csv',
        '--no-progress',
        '--exemption-tag',
        'acme:exempt',
        '--remediate',
        '--mode',
        'remediate',
        '--enable-versioning',
        '--block-account-public-access',
      ],
      RULE_IDS,
    );
    expect(options).toEqual({
      endpoint: 'http://127.0.0.1:7480',
      region: 'eu-west-1',
      profile: 'audit',
      accountId: '111122223333',
      buckets: ['amzn-s3-demo-bucket1', 'amzn-s3-demo-bucket2'],
      prefix: 'amzn-',
      rules: ['s3-bucket-versioning-enabled'],
      assumedAccountBpa: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: false,
        restrictPublicBuckets: false,
      },
      failOnFindings: true,
      parts: ['acl', 'policy', 'publicAccessBlock', 'versioning', 'logging'],
      skipped: ['ownership', 'tags'],
      concurrency: 4,
      maxAttempts: 8,
      format: 'csv',
      progress: false,
      exemptionTag: 'acme:exempt',
      remediation: {
        mode: 'remediate',
        actions: ['block-public-access', 'enable-versioning', 'block-account-public-access'],
      },
      help: false,
    });
  });

  test('--json is --format json and turns the progress bar off', () => {
    expect(parseScanArgs(['--json'], RULE_IDS)).toMatchObject({ format: 'json', progress: false });
  });

  test('--remediate alone is a dry run of block-public-access', () => {
    expect(parseScanArgs(['--remediate'], RULE_IDS).remediation).toEqual({
      mode: 'notify',
      actions: ['block-public-access'],
    });
  });

  test.each([
    [['--concurrency', '0'], '--concurrency must be a whole number from 1 to 256; received "0".'],
    [['--concurrency', '1000'], '--concurrency must be a whole number from 1 to 256; received "1000".'],
    [['--concurrency', '2.5'], '--concurrency must be a whole number from 1 to 256; received "2.5".'],
    [['--account-id', '12345'], '--account-id must be 12 digits; received "12345".'],
    [['--endpoint', 'localhost:7480'], '--endpoint must be an http or https URL; received "localhost:7480".'],
    [['--endpoint', 'not a url'], '--endpoint must be a URL such as http://127.0.0.1:7480; received "not a url".'],
    [
      ['--rules', 's3-nope'],
      '--rules: unknown rule id "s3-nope"; valid ids: s3-bucket-public-access-prohibited, s3-bucket-versioning-enabled.',
    ],
    [
      ['--rules', ','],
      '--rules: unknown rule ids (none given); valid ids: s3-bucket-public-access-prohibited, s3-bucket-versioning-enabled.',
    ],
    [
      ['--account-public-access-block', '{"BlockPublicAcls":"yes"}'],
      '--account-public-access-block must be a JSON object of the four flags (PublicAccessBlockConfiguration.BlockPublicAcls: expected true or false, received a string ("yes")).',
    ],
    [
      ['--skip', 'owner'],
      '--skip must list bucket parts (acl, policy, publicAccessBlock, versioning, ownership, tags, logging); received "owner".',
    ],
    [['--format', 'xml'], '--format must be one of table, json, csv; received "xml".'],
    [['--json', '--format', 'csv'], '--json contradicts --format csv.'],
    [
      ['--mode', 'remediate'],
      '--mode, --enable-versioning and --block-account-public-access only apply with --remediate.',
    ],
    [
      ['--enable-versioning'],
      '--mode, --enable-versioning and --block-account-public-access only apply with --remediate.',
    ],
    [
      ['--remediate', '--block-account-public-access'],
      '--block-account-public-access needs --account-id or --organization.',
    ],
    [['--remediate', '--mode', 'fix'], '--mode must be notify or remediate; received "fix".'],
    [['--bucket', 'a/b'], '--bucket must be a bucket name; received "a/b".'],
    [['extra'], 'scan takes no file arguments; received "extra".'],
    [
      ['--exemption-tag', 'aws:exempt'],
      '--exemption-tag: Invalid rule parameter "exemptionTag": received "aws:exempt"; expected an S3 tag key of at most 122 characters (letters, digits, spaces and _ . : / = + - @), not starting with aws:.',
    ],
  ])('%j is a usage error', (args, message) => {
    expect(() => parseScanArgs(args, RULE_IDS)).toThrow(new UsageError(message));
  });

  test('an unknown option is a usage error naming it', () => {
    expect(() => parseScanArgs(['--endpint', 'x'], RULE_IDS)).toThrow(UsageError);
    expect(() => parseScanArgs(['--endpint', 'x'], RULE_IDS)).toThrow(/--endpint/);
  });
});

describe('listAllBuckets', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());

  test('follows ContinuationToken pages and keeps each bucket Region', async () => {
    s3.on(ListBucketsCommand, { ContinuationToken: undefined }).resolves({
      Buckets: [
        { Name: 'amzn-s3-demo-bucket1', BucketRegion: 'us-east-1' },
        { Name: 'amzn-s3-demo-bucket2', BucketRegion: 'eu-west-1' },
      ],
      ContinuationToken: 'page-2',
    });
    s3.on(ListBucketsCommand, { ContinuationToken: 'page-2' }).resolves({
      Buckets: [{ Name: 'amzn-s3-demo-bucket3' }],
    });
    await expect(listAllBuckets(s3 as unknown as S3Client, { pageSize: 2 })).resolves.toEqual([
      { name: 'amzn-s3-demo-bucket1', region: 'us-east-1' },
      { name: 'amzn-s3-demo-bucket2', region: 'eu-west-1' },
      { name: 'amzn-s3-demo-bucket3' },
    ]);
    expect(s3).toHaveReceivedCommandTimes(ListBucketsCommand, 2);
    expect(s3).toHaveReceivedNthCommandWith(1, ListBucketsCommand, { MaxBuckets: 2 });
    expect(s3).toHaveReceivedNthCommandWith(2, ListBucketsCommand, { MaxBuckets: 2, ContinuationToken: 'page-2' });
  });

  test('sends the prefix and also applies it (servers such as RGW ignore it)', async () => {
    s3.on(ListBucketsCommand).resolves({
      Buckets: [{ Name: 'team-a-logs' }, { Name: 'team-b-logs' }, { Name: 'team-a-web' }],
    });
    await expect(listAllBuckets(s3 as unknown as S3Client, { prefix: 'team-a-' })).resolves.toEqual([
      { name: 'team-a-logs' },
      { name: 'team-a-web' },
    ]);
    expect(s3).toHaveReceivedCommandWith(ListBucketsCommand, { Prefix: 'team-a-', MaxBuckets: 1000 });
  });

  test('a token handed back twice stops with an error instead of looping', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'a' }], ContinuationToken: 'same' });
    await expect(listAllBuckets(s3 as unknown as S3Client)).rejects.toThrow(
      new ListBucketsError('ListBuckets returned the continuation token "same" twice'),
    );
  });
});

describe('mapWithConcurrency', () => {
  test('never has more than `limit` tasks in flight and keeps the input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const items = Array.from({ length: 40 }, (_, index) => index);
    const results = await mapWithConcurrency(items, 5, async (item) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, (item * 7) % 5));
      inFlight--;
      return item * 2;
    });
    expect(peak).toBe(5);
    expect(results).toEqual(items.map((item) => item * 2));
  });

  test('fewer items than the limit: one task each', async () => {
    let peak = 0;
    let inFlight = 0;
    await mapWithConcurrency([1, 2], 16, async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await Promise.resolve();
      inFlight--;
    });
    expect(peak).toBe(2);
  });

  test('rejects a limit below 1', async () => {
    await expect(mapWithConcurrency([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});

describe('createProgress', () => {
  function capture(isTTY: boolean): { io: CliIo; err: string[] } {
    const err: string[] = [];
    return { io: { out: () => {}, err: (text) => err.push(text), isTTY }, err };
  }

  test('draws nothing when stderr is not a terminal', () => {
    const { io, err } = capture(false);
    const progress = createProgress(io, 3, { enabled: true, label: 'buckets' });
    progress.tick();
    progress.done('done');
    expect(err).toEqual([]);
  });

  test('draws nothing when disabled (--json, --no-progress) even on a terminal', () => {
    const { io, err } = capture(true);
    const progress = createProgress(io, 3, { enabled: false, label: 'buckets' });
    progress.tick();
    progress.done('done');
    expect(err).toEqual([]);
  });

  test('on a terminal: a bar redrawn in place, throttled, replaced by the summary', () => {
    const { io, err } = capture(true);
    let now = 0;
    const progress = createProgress(io, 4, { enabled: true, label: 'buckets', clock: () => now });
    progress.tick(); // within 100 ms of the first draw: not redrawn
    now = 150;
    progress.tick();
    progress.tick();
    progress.tick(); // the last one always draws
    progress.done('Scanned 4 buckets.');
    const redraw = '\u001b[1A\u001b[2K';
    expect(err).toEqual([
      `[${'-'.repeat(30)}] 0/4 buckets`,
      `${redraw}[${'#'.repeat(15)}${'-'.repeat(15)}] 2/4 buckets`,
      `${redraw}[${'#'.repeat(30)}] 4/4 buckets`,
      `${redraw}Scanned 4 buckets.`,
    ]);
  });
});
