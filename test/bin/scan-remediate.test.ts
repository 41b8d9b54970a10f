import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetPublicAccessBlockCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import 'aws-sdk-client-mock-jest';
import { createScanCommand } from '../../bin/commands/scan';
import { readExemptionsFile } from '../../bin/exemptions-file';
import { runScan } from '../../bin/scan/run-scan';
import { RULES } from '../../rules';
import {
  accountBpaNeverConfigured,
  answerBucket,
  capture,
  deps,
  FOUR_ON,
  listBuckets,
  NOW,
  resetScanMocks,
  row,
  runJson,
  s3controlMock,
  s3Error,
  s3Mock,
} from './scan-support';

beforeEach(() => {
  resetScanMocks();
});

/** The approved list the deployment would hold: amzn-s3-demo-exempt (and acme-* buckets) for 30 days from NOW. */
const EXEMPTIONS = join(mkdtempSync(join(tmpdir(), 'bucketguard-scan-')), 'exemptions.json');
writeFileSync(
  EXEMPTIONS,
  JSON.stringify([
    {
      bucket: 'amzn-s3-demo-exempt',
      reason: 'public downloads',
      approver: 'secteam',
      until: new Date(NOW.getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
    },
  ]),
);

describe('bucketguard scan --remediate', () => {
  const args = [
    '--rules',
    's3-bucket-public-access-prohibited,s3-bucket-versioning-enabled',
    '--exemptions',
    EXEMPTIONS,
  ];

  function publicAndExempt(): void {
    listBuckets('amzn-s3-demo-public', 'amzn-s3-demo-exempt', 'amzn-s3-demo-fine');
    answerBucket('amzn-s3-demo-public', { publicRead: true });
    answerBucket('amzn-s3-demo-exempt', { publicRead: true, tags: { 'bucketguard:exempt': 'public downloads' } });
    answerBucket('amzn-s3-demo-fine', { bpa: FOUR_ON, versioning: 'Enabled' });
  }

  test('--mode notify (the default) plans, and changes nothing', async () => {
    publicAndExempt();
    const { document } = await runJson([...args, '--remediate']);
    expect(document.remediation).toEqual({
      mode: 'notify',
      outcomes: [
        expect.objectContaining({
          target: 'amzn-s3-demo-public',
          action: 'block-public-access',
          status: 'would-change',
          reason: 'dry run: would turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets',
        }),
      ],
    });
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
    expect(s3Mock).not.toHaveReceivedCommand(PutBucketVersioningCommand);
  });

  test('--mode remediate turns on all four flags where a rule flagged public access, reads back; exempt and fine buckets untouched', async () => {
    publicAndExempt();
    s3Mock.on(PutPublicAccessBlockCommand).callsFake(() => {
      // From now on the bucket reads back with the flags on.
      s3Mock
        .on(GetPublicAccessBlockCommand, { Bucket: 'amzn-s3-demo-public' })
        .resolves({ PublicAccessBlockConfiguration: FOUR_ON });
      return {};
    });
    const { document, code } = await runJson([...args, '--remediate', '--mode', 'remediate', '--fail-on-findings']);
    expect(s3Mock).toHaveReceivedCommandTimes(PutPublicAccessBlockCommand, 1);
    expect(s3Mock).toHaveReceivedCommandWith(PutPublicAccessBlockCommand, {
      Bucket: 'amzn-s3-demo-public',
      PublicAccessBlockConfiguration: FOUR_ON,
    });
    expect(document.remediation?.outcomes.map((outcome) => [outcome.target, outcome.action, outcome.status])).toEqual([
      ['amzn-s3-demo-public', 'block-public-access', 'changed'],
    ]);
    // Versioning is opt-in: not enabled without --enable-versioning.
    expect(s3Mock).not.toHaveReceivedCommand(PutBucketVersioningCommand);
    // The report shows what was found; the exit status says findings were there.
    expect(code).toBe(3);
  });

  test('--enable-versioning adds the versioning action for buckets the versioning rule flagged', async () => {
    publicAndExempt();
    const { document } = await runJson([...args, '--remediate', '--enable-versioning']);
    expect(document.remediation?.outcomes.map((outcome) => [outcome.target, outcome.action, outcome.status])).toEqual([
      ['amzn-s3-demo-public', 'block-public-access', 'would-change'],
      ['amzn-s3-demo-public', 'enable-versioning', 'would-change'],
    ]);
  });

  test('--block-account-public-access plans the account-level change when the account rule flags it (dry run)', async () => {
    listBuckets();
    accountBpaNeverConfigured();
    const { document } = await runJson([
      '--account-id',
      '111122223333',
      '--rules',
      's3-account-level-public-access-blocked',
      '--remediate',
      '--block-account-public-access',
    ]);
    expect(document.remediation?.outcomes.map((outcome) => [outcome.target, outcome.action, outcome.status])).toEqual([
      ['111122223333', 'block-account-public-access', 'would-change'],
    ]);
    expect(s3controlMock.commandCalls(GetAccountPublicAccessBlockCommand).length).toBeGreaterThan(0);
    expect(s3controlMock.calls().every((call) => call.args[0] instanceof GetAccountPublicAccessBlockCommand)).toBe(
      true,
    );
  });

  test('--exemption-tag: the custom key is the request tag; a request alone is reported and remediated', async () => {
    listBuckets('amzn-s3-demo-public');
    answerBucket('amzn-s3-demo-public', { publicRead: true, tags: { 'acme:exempt': 'partner downloads' } });
    const { document } = await runJson([
      '--rules',
      's3-bucket-public-access-prohibited',
      '--exemption-tag',
      'acme:exempt',
      '--remediate',
    ]);
    expect(document.results).toEqual([
      row(
        'amzn-s3-demo-public',
        's3-bucket-public-access-prohibited',
        'NON_COMPLIANT',
        expect.stringMatching(/ Exemption requested, not approved\.$/),
      ),
    ]);
    expect(document.remediation?.outcomes.map((outcome) => [outcome.status, outcome.reason])).toEqual([
      [
        'would-change',
        'dry run: would turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets (exemption requested by tag, not approved)',
      ],
    ]);
  });

  test('--exemptions: an approved entry makes the bucket COMPLIANT and keeps remediation off it', async () => {
    listBuckets('amzn-s3-demo-exempt');
    answerBucket('amzn-s3-demo-exempt', { publicRead: true });
    const { document } = await runJson([
      '--rules',
      's3-bucket-public-access-prohibited',
      '--exemptions',
      EXEMPTIONS,
      '--remediate',
      '--mode',
      'remediate',
    ]);
    expect(document.results).toEqual([
      row(
        'amzn-s3-demo-exempt',
        's3-bucket-public-access-prohibited',
        'COMPLIANT',
        expect.stringMatching(/^Exempt until \d{4}-\d{2}-\d{2}, approved by secteam: public downloads$/),
      ),
    ]);
    expect(document.remediation?.outcomes).toEqual([]);
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
  });

  test('--exemptions with an invalid list is a usage error naming the entry', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'bucketguard-scan-')), 'bad.json');
    writeFileSync(bad, JSON.stringify([{ bucket: '*', reason: 'r', approver: 'a', until: '2030-01-01' }]));
    await expect(runJson(['--exemptions', bad])).rejects.toThrow(
      `--exemptions: ${bad}: exemptions[0]: "bucket" must be a bucket name or pattern (a-z 0-9 . - * ?), not only wildcards`,
    );
  });

  test('a failed change makes the exit status 1 and says why', async () => {
    publicAndExempt();
    s3Mock.on(PutPublicAccessBlockCommand).rejects(s3Error('AccessDenied', 403));
    const { document, code } = await runJson([...args, '--remediate', '--mode', 'remediate']);
    expect(document.remediation?.outcomes).toEqual([
      expect.objectContaining({
        target: 'amzn-s3-demo-public',
        status: 'failed',
        reason: expect.stringContaining('AccessDenied (403)'),
      }),
    ]);
    expect(code).toBe(1);
  });

  test('a remediation entry that throws becomes a failed outcome for that bucket, the others still run', async () => {
    publicAndExempt();
    const report = await runScan(
      {
        rules: RULES.filter((rule) => rule.id === 's3-bucket-public-access-prohibited'),
        parts: ['acl', 'policy', 'publicAccessBlock', 'versioning', 'tags'],
        concurrency: 2,
        remediation: { mode: 'remediate', actions: ['block-public-access'] },
        exemptions: readExemptionsFile(EXEMPTIONS, NOW).context,
      },
      {
        clients: { s3: new S3Client({ region: 'us-east-1' }) },
        now: () => NOW,
        remediateBucket: async () => {
          throw new TypeError('boom');
        },
      },
    );
    expect(report.outcomes).toEqual([
      {
        action: 'block-public-access',
        targetKind: 'bucket',
        target: 'amzn-s3-demo-public',
        mode: 'remediate',
        status: 'failed',
        reason: 'remediation stopped by an unexpected error (TypeError: boom); state unknown, check the bucket',
        changes: [],
      },
    ]);
  });

  test('table output lists the plan after the report', async () => {
    publicAndExempt();
    const { io, out } = capture();
    await createScanCommand(deps())([...args, '--remediate'], io);
    const text = out.join('\n');
    expect(text).toContain(
      [
        'Remediation plan (--mode notify: dry run, nothing was changed)',
        '  STATUS        ACTION               TARGET               DETAIL',
        '  would-change  block-public-access  amzn-s3-demo-public  dry run: would turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets',
        '',
        '1 outcomes: 1 would-change',
      ].join('\n'),
    );
  });
});
