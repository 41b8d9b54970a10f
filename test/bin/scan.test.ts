import {
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
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
import { createScanCommand, type ScanCommandDeps, scanClients } from '../../bin/commands/scan';
import type { CliIo } from '../../bin/io';
import type { ResultRow } from '../../bin/report';
import { parseScanArgs } from '../../bin/scan/args';
import type { ScanClients } from '../../bin/scan/read-account';
import { runScan } from '../../bin/scan/run-scan';
import { RULES } from '../../rules';

const s3Mock = mockClient(S3Client);
const s3controlMock = mockClient(S3ControlClient);
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const NOW = new Date('2026-11-23T10:00:00.000Z');
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const FOUR_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: 'UnknownError',
  });
}

/** S3 Control's answer for an account that never configured account-level Block Public Access. */
function accountBpaNeverConfigured(): void {
  s3controlMock.on(GetAccountPublicAccessBlockCommand).rejects(
    new S3ControlServiceException({
      name: 'NoSuchPublicAccessBlockConfiguration',
      $fault: 'client',
      $metadata: { httpStatusCode: 404 },
      message: 'not found',
    }),
  );
}

interface BucketSetup {
  readonly publicRead?: boolean;
  readonly bpa?: typeof FOUR_ON;
  readonly versioning?: 'Enabled' | 'Suspended';
  readonly tags?: Record<string, string>;
  readonly denyVersioning?: boolean;
}

/** Answers the six bucket-level reads for one bucket, as S3 would. */
function answerBucket(name: string, setup: BucketSetup = {}): void {
  const input = { Bucket: name };
  s3Mock.on(GetBucketAclCommand, input).resolves({
    Owner: { ID: OWNER },
    Grants: [
      { Grantee: { Type: 'CanonicalUser', ID: OWNER }, Permission: 'FULL_CONTROL' },
      ...(setup.publicRead
        ? [{ Grantee: { Type: 'Group' as const, URI: ALL_USERS }, Permission: 'READ' as const }]
        : []),
    ],
  });
  s3Mock.on(GetBucketPolicyCommand, input).rejects(s3Error('NoSuchBucketPolicy', 404));
  if (setup.bpa) s3Mock.on(GetPublicAccessBlockCommand, input).resolves({ PublicAccessBlockConfiguration: setup.bpa });
  else s3Mock.on(GetPublicAccessBlockCommand, input).rejects(s3Error('NoSuchPublicAccessBlockConfiguration', 404));
  if (setup.denyVersioning) s3Mock.on(GetBucketVersioningCommand, input).rejects(s3Error('AccessDenied', 403));
  else s3Mock.on(GetBucketVersioningCommand, input).resolves(setup.versioning ? { Status: setup.versioning } : {});
  s3Mock
    .on(GetBucketOwnershipControlsCommand, input)
    .resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } });
  if (setup.tags) {
    s3Mock
      .on(GetBucketTaggingCommand, input)
      .resolves({ TagSet: Object.entries(setup.tags).map(([Key, Value]) => ({ Key, Value })) });
  } else {
    s3Mock.on(GetBucketTaggingCommand, input).rejects(s3Error('NoSuchTagSet', 404));
  }
}

function listBuckets(...names: string[]): void {
  s3Mock.on(ListBucketsCommand).resolves({ Buckets: names.map((Name) => ({ Name, BucketRegion: 'us-east-1' })) });
}

interface Captured {
  readonly io: CliIo;
  readonly out: string[];
  readonly err: string[];
}

function capture(isTTY = false): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text) => out.push(text), err: (text) => err.push(text), isTTY }, out, err };
}

function deps(overrides: Partial<ScanClients> = {}): ScanCommandDeps {
  return {
    now: () => NOW,
    clients: (options) => ({
      s3: new S3Client({ region: 'us-east-1' }),
      ...(options.accountId !== undefined ? { s3control: new S3ControlClient({ region: 'us-east-1' }) } : {}),
      ...overrides,
    }),
  };
}

async function runJson(args: string[], extra: Partial<ScanClients> = {}) {
  const captured = capture();
  const code = await createScanCommand(deps(extra))(['--json', ...args], captured.io);
  const document = JSON.parse(captured.out.join('\n')) as {
    results: ResultRow[];
    notes: string[];
    remediation?: { mode: string; outcomes: { target: string; action: string; status: string; reason: string }[] };
  };
  return { code, document, ...captured };
}

const row = (
  resourceId: string,
  rule: string,
  compliance: string,
  annotation: string,
  accountId: string | null = null,
) => ({
  resourceType: 'AWS::S3::Bucket',
  resourceId,
  accountId,
  rule,
  compliance,
  annotation,
  source: 'live',
});

beforeEach(() => {
  s3Mock.reset();
  s3controlMock.reset();
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

  test('--account-id reads account-level BPA through S3 Control and runs the account rule', async () => {
    listBuckets('amzn-s3-demo-public');
    answerBucket('amzn-s3-demo-public', { publicRead: true });
    s3controlMock.on(GetAccountPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: FOUR_ON });
    const { document, code } = await runJson([
      '--account-id',
      '111122223333',
      '--rules',
      's3-account-level-public-access-blocked,s3-bucket-public-access-prohibited',
    ]);
    expect(s3controlMock).toHaveReceivedCommandWith(GetAccountPublicAccessBlockCommand, { AccountId: '111122223333' });
    expect(document.results).toEqual([
      {
        resourceType: 'AWS::::Account',
        resourceId: '111122223333',
        accountId: '111122223333',
        rule: 's3-account-level-public-access-blocked',
        compliance: 'COMPLIANT',
        annotation:
          'Account-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
        source: 'live',
      },
      // The account's IgnorePublicAcls neutralises the bucket's public ACL.
      row(
        'amzn-s3-demo-public',
        's3-bucket-public-access-prohibited',
        'COMPLIANT',
        'Not public: public ACL grant neutralised by IgnorePublicAcls (account).',
        '111122223333',
      ),
    ]);
    expect(document.notes).toEqual([]);
    expect(code).toBe(0);
  });

  test('--account-public-access-block assumes the account settings instead of reading them (as evaluate does)', async () => {
    listBuckets('amzn-s3-demo-public');
    answerBucket('amzn-s3-demo-public', { publicRead: true });
    const { document } = await runJson([
      '--account-id',
      '111122223333',
      '--account-public-access-block',
      '{"blockPublicAcls":false,"ignorePublicAcls":false,"blockPublicPolicy":false,"restrictPublicBuckets":false}',
      '--rules',
      's3-bucket-public-access-prohibited',
    ]);
    expect(s3controlMock).not.toHaveReceivedCommand(GetAccountPublicAccessBlockCommand);
    expect(document.results).toEqual([
      row(
        'amzn-s3-demo-public',
        's3-bucket-public-access-prohibited',
        'NON_COMPLIANT',
        'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
        '111122223333',
      ),
    ]);
  });

  test('account-level BPA never configured: the account rule is NON_COMPLIANT', async () => {
    listBuckets();
    accountBpaNeverConfigured();
    const { document } = await runJson([
      '--account-id',
      '111122223333',
      '--rules',
      's3-account-level-public-access-blocked',
    ]);
    expect(document.results.map((result) => [result.resourceType, result.compliance, result.annotation])).toEqual([
      [
        'AWS::::Account',
        'NON_COMPLIANT',
        'Account-level Block Public Access has never been configured: all four settings are off for every bucket in the account.',
      ],
    ]);
  });
});

describe('bucketguard scan --remediate', () => {
  const args = ['--rules', 's3-bucket-public-access-prohibited,s3-bucket-versioning-enabled'];

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

  test('--exemption-tag: the rules and the remediation honour the custom key', async () => {
    listBuckets('amzn-s3-demo-public');
    answerBucket('amzn-s3-demo-public', { publicRead: true, tags: { 'acme:exempt': 'partner downloads' } });
    const { document } = await runJson([
      '--rules',
      's3-bucket-public-access-prohibited',
      '--exemption-tag',
      'acme:exempt',
      '--remediate',
      '--mode',
      'remediate',
    ]);
    expect(document.results).toEqual([
      row(
        'amzn-s3-demo-public',
        's3-bucket-public-access-prohibited',
        'COMPLIANT',
        'Exempt by tag acme:exempt: "partner downloads".',
      ),
    ]);
    expect(document.remediation?.outcomes).toEqual([]);
    expect(s3Mock).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
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
