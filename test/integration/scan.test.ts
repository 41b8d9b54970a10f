/**
 * `bucketguard scan` against a real S3 server (Ceph RGW). Buckets in known states are created under a prefix unique
 * to this run; the scan's report, the remediation's effect (read back, and anonymous HTTP access that really works
 * before and really fails after) and idempotence are asserted. Tests run in order and build on each other.
 * RGW differences from AWS are listed in rgw.ts; the tests that meet one say so.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { type BucketPart, readBucketState } from '../../aws/live-s3';
import { createScanCommand } from '../../bin/commands/scan';
import type { ResultRow } from '../../bin/report';
import type { BucketState } from '../../model/types';
import { remediateBucket } from '../../remediation';
import { anonymous, createBucket, putText, rgwSuite } from './rgw';

const { env, s3, prefix } = rgwSuite();

/** The fixture buckets; `private` is also the never-versioned one. */
const NAMES = [
  'private',
  'public-read',
  'allusers-write',
  'public-policy',
  'ip-policy',
  'versioned',
  'suspended',
  'bpa-partial',
  'exempt',
] as const;
type Name = (typeof NAMES)[number];
const bucket = (name: Name): string => `${prefix}-${name}`;
const NOT_EXEMPT = NAMES.filter((name) => name !== 'exempt');
const EXEMPTION_REASON = 'public downloads (integration test)';
const RULES = [
  's3-bucket-public-access-prohibited',
  's3-bucket-level-public-access-blocked',
  's3-bucket-acl-prohibited',
  's3-bucket-versioning-enabled',
];
/** Everything but ownership: RGW misroutes Get/DeleteBucketOwnershipControls (see rgw.ts). */
const READABLE_PARTS: readonly BucketPart[] = ['acl', 'policy', 'publicAccessBlock', 'versioning', 'tags'];
/** The approved list (issue 13): the exempt bucket's tag is only a request; this entry (--exemptions) grants it. */
const EXEMPT_UNTIL = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
const EXEMPTIONS_FILE = join(mkdtempSync(join(tmpdir(), 'bucketguard-scan-rgw-')), 'exemptions.json');
const SCAN = [
  '--exemptions',
  EXEMPTIONS_FILE,
  '--endpoint',
  env.endpoint,
  '--region',
  env.region,
  '--prefix',
  `${prefix}-`,
  '--skip',
  'ownership',
];

interface ScanRun {
  readonly code: number;
  readonly results: ResultRow[];
  readonly notes: string[];
  readonly remediation?: {
    mode: string;
    outcomes: { target: string; action: string; status: string; reason: string }[];
  };
  readonly stderr: string[];
}

async function scan(...args: string[]): Promise<ScanRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await createScanCommand()([...SCAN, '--json', '--rules', RULES.join(','), ...args], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    isTTY: false,
  });
  return { code, ...JSON.parse(out.join('\n')), stderr: err };
}

async function readAll(): Promise<Record<string, BucketState>> {
  const states: Record<string, BucketState> = {};
  for (const name of NAMES) {
    const { captureTime: _time, ...state } = await readBucketState(s3, bucket(name), { parts: READABLE_PARTS });
    states[name] = state as BucketState;
  }
  return states;
}

const ALL_FOUR_ON = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

function policy(name: Name, condition?: Record<string, unknown>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: condition ? 'DocumentationRangeOnly' : 'PublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket(name)}/*`,
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
}

beforeAll(async () => {
  writeFileSync(
    EXEMPTIONS_FILE,
    JSON.stringify([{ bucket: bucket('exempt'), reason: EXEMPTION_REASON, approver: 'secteam', until: EXEMPT_UNTIL }]),
  );
  for (const name of NAMES) await createBucket(s3, bucket(name));
  // Public ACLs first: once BlockPublicAcls is on, RGW (like AWS) rejects them.
  await s3.send(new PutBucketAclCommand({ Bucket: bucket('public-read'), ACL: 'public-read' }));
  await putText(s3, bucket('public-read'), 'hello.txt', 'hello from public-read', 'public-read');
  await s3.send(
    new PutBucketAclCommand({
      Bucket: bucket('allusers-write'),
      GrantFullControl: 'id="tester"',
      GrantWrite: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"',
    }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket('public-policy'), Policy: policy('public-policy') }));
  await putText(s3, bucket('public-policy'), 'hello.txt', 'hello from public-policy');
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket('ip-policy'),
      // A fixed /24 (a documentation range): not public by S3's definition, and not this machine.
      Policy: policy('ip-policy', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }),
    }),
  );
  await putText(s3, bucket('ip-policy'), 'hello.txt', 'hello from ip-policy');
  await putText(s3, bucket('private'), 'hello.txt', 'hello from private');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket('versioned'), VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket('suspended'), VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket('suspended'), VersioningConfiguration: { Status: 'Suspended' } }),
  );
  await s3.send(new PutBucketAclCommand({ Bucket: bucket('bpa-partial'), ACL: 'public-read' }));
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket('bpa-partial'),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    }),
  );
  await s3.send(new PutBucketAclCommand({ Bucket: bucket('exempt'), ACL: 'public-read' }));
  await putText(s3, bucket('exempt'), 'hello.txt', 'hello from exempt', 'public-read');
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: bucket('exempt'),
      Tagging: { TagSet: [{ Key: 'bucketguard:exempt', Value: EXEMPTION_REASON }] },
    }),
  );
});

const ACCOUNT_NOTE = ' Account-level Block Public Access unknown (not read: no --account-id); evaluated as off.';
const OWNERSHIP_NOTE = ' Object Ownership unknown (not read): ACL assumed in effect.';
const BPA_ALL_OFF =
  'Bucket-level Block Public Access is off for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.';
const BPA_ALL_ON =
  'Bucket-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.';
const NOT_PUBLIC = `Not public: no public policy statement or ACL grant.${ACCOUNT_NOTE}`;
/** The limited statement is named, with the condition that limits it (issue 19). */
const NOT_PUBLIC_IP_LIMITED = `Not public: no public policy statement or ACL grant (statement "DocumentationRangeOnly" allows any principal, limited by aws:SourceIp 203.0.113.0/24).${ACCOUNT_NOTE}`;
const OWNER_ONLY = `ACL grants access only to the bucket owner.${OWNERSHIP_NOTE}`;
const NEVER_VERSIONED = 'Versioning has never been enabled on this bucket.';
const EXEMPT = `Exempt until ${EXEMPT_UNTIL}, approved by secteam: ${EXEMPTION_REASON}`;

type Expected = readonly [Name, string, string, string];

function rows(expected: readonly Expected[]): ResultRow[] {
  return expected.map(([name, rule, compliance, annotation]) => ({
    resourceType: 'AWS::S3::Bucket',
    resourceId: bucket(name),
    accountId: null,
    rule,
    compliance: compliance as ResultRow['compliance'],
    annotation,
    source: 'live',
  }));
}

/** The report lists buckets in ListBuckets order (by name); compare as sets of rows. */
function sorted(results: readonly ResultRow[]): ResultRow[] {
  return [...results].sort((a, b) => `${a.resourceId} ${a.rule}`.localeCompare(`${b.resourceId} ${b.rule}`));
}

const [PUBLIC, BUCKET_BPA, ACL, VERSIONING] = RULES;

describe('bucketguard scan against Ceph RGW', () => {
  test('anonymous HTTP access really works before remediation', async () => {
    expect(await anonymous(env, 'GET', `${bucket('public-read')}/hello.txt`)).toEqual({
      status: 200,
      body: 'hello from public-read',
    });
    const list = await anonymous(env, 'GET', bucket('public-read'));
    expect(list.status).toBe(200);
    expect(list.body).toContain('<Key>hello.txt</Key>');
    expect((await anonymous(env, 'PUT', `${bucket('allusers-write')}/anonymous.txt`, 'written by anyone')).status).toBe(
      200,
    );
    expect((await anonymous(env, 'GET', `${bucket('public-policy')}/hello.txt`)).status).toBe(200);
    expect((await anonymous(env, 'GET', `${bucket('exempt')}/hello.txt`)).status).toBe(200);
    // Controls: a private object and a policy limited to another network are not readable anonymously.
    expect((await anonymous(env, 'GET', `${bucket('private')}/hello.txt`)).status).toBe(403);
    expect((await anonymous(env, 'GET', `${bucket('ip-policy')}/hello.txt`)).status).toBe(403);
  });

  test('scan reports exactly the expected compliance and annotation for every bucket and rule', async () => {
    const run = await scan('--fail-on-findings');
    expect(sorted(run.results)).toEqual(
      sorted(
        rows([
          ['private', PUBLIC, 'COMPLIANT', NOT_PUBLIC],
          ['private', BUCKET_BPA, 'NON_COMPLIANT', BPA_ALL_OFF],
          ['private', ACL, 'COMPLIANT', OWNER_ONLY],
          ['private', VERSIONING, 'NON_COMPLIANT', NEVER_VERSIONED],
          [
            'public-read',
            PUBLIC,
            'NON_COMPLIANT',
            `Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket level.${ACCOUNT_NOTE}`,
          ],
          ['public-read', BUCKET_BPA, 'NON_COMPLIANT', BPA_ALL_OFF],
          [
            'public-read',
            ACL,
            'NON_COMPLIANT',
            `ACL grants access beyond the bucket owner: AllUsers READ.${OWNERSHIP_NOTE}`,
          ],
          ['public-read', VERSIONING, 'NON_COMPLIANT', NEVER_VERSIONED],
          [
            'allusers-write',
            PUBLIC,
            'NON_COMPLIANT',
            `Public write via ACL: AllUsers has WRITE; IgnorePublicAcls is off at bucket level.${ACCOUNT_NOTE}`,
          ],
          ['allusers-write', BUCKET_BPA, 'NON_COMPLIANT', BPA_ALL_OFF],
          [
            'allusers-write',
            ACL,
            'NON_COMPLIANT',
            `ACL grants access beyond the bucket owner: AllUsers WRITE.${OWNERSHIP_NOTE}`,
          ],
          ['allusers-write', VERSIONING, 'NON_COMPLIANT', NEVER_VERSIONED],
          [
            'public-policy',
            PUBLIC,
            'NON_COMPLIANT',
            `Public read via bucket policy: statement "PublicRead" allows * (no limiting condition); RestrictPublicBuckets is off at bucket level.${ACCOUNT_NOTE}`,
          ],
          ['public-policy', BUCKET_BPA, 'NON_COMPLIANT', BPA_ALL_OFF],
          ['public-policy', ACL, 'COMPLIANT', OWNER_ONLY],
          ['public-policy', VERSIONING, 'NON_COMPLIANT', NEVER_VERSIONED],
          // "*" limited by a fixed /24 aws:SourceIp is not public by S3's definition.
          ['ip-policy', PUBLIC, 'COMPLIANT', NOT_PUBLIC_IP_LIMITED],
          ['ip-policy', BUCKET_BPA, 'NON_COMPLIANT', BPA_ALL_OFF],
          ['ip-policy', ACL, 'COMPLIANT', OWNER_ONLY],
          ['ip-policy', VERSIONING, 'NON_COMPLIANT', NEVER_VERSIONED],
          ['versioned', PUBLIC, 'COMPLIANT', NOT_PUBLIC],
          ['versioned', BUCKET_BPA, 'NON_COMPLIANT', BPA_ALL_OFF],
          ['versioned', ACL, 'COMPLIANT', OWNER_ONLY],
          ['versioned', VERSIONING, 'COMPLIANT', 'Versioning is enabled.'],
          ['suspended', PUBLIC, 'COMPLIANT', NOT_PUBLIC],
          ['suspended', BUCKET_BPA, 'NON_COMPLIANT', BPA_ALL_OFF],
          ['suspended', ACL, 'COMPLIANT', OWNER_ONLY],
          [
            'suspended',
            VERSIONING,
            'NON_COMPLIANT',
            'Versioning is suspended: new object versions are no longer kept.',
          ],
          // The public-read ACL is neutralised by the bucket's IgnorePublicAcls; the policy flags are still off.
          [
            'bpa-partial',
            PUBLIC,
            'COMPLIANT',
            `Not public: public ACL grant neutralised by IgnorePublicAcls (bucket).${ACCOUNT_NOTE}`,
          ],
          [
            'bpa-partial',
            BUCKET_BPA,
            'NON_COMPLIANT',
            'Bucket-level Block Public Access is off for: BlockPublicPolicy, RestrictPublicBuckets.',
          ],
          [
            'bpa-partial',
            ACL,
            'NON_COMPLIANT',
            `ACL grants access beyond the bucket owner: AllUsers READ.${OWNERSHIP_NOTE}`,
          ],
          ['bpa-partial', VERSIONING, 'NON_COMPLIANT', NEVER_VERSIONED],
          ['exempt', PUBLIC, 'COMPLIANT', EXEMPT],
          ['exempt', BUCKET_BPA, 'COMPLIANT', EXEMPT],
          ['exempt', ACL, 'COMPLIANT', EXEMPT],
          ['exempt', VERSIONING, 'COMPLIANT', EXEMPT],
        ]),
      ),
    );
    expect(run.notes).toEqual([
      'account-level Block Public Access unknown (not read: no --account-id)',
      'not read (--skip): ownership; rules needing them say so',
    ]);
    expect(run.code).toBe(3);
  });

  test('scan --remediate --mode notify reports the plan and changes nothing', async () => {
    const before = await readAll();
    const run = await scan('--remediate', '--mode', 'notify', '--enable-versioning');
    const plan = run.remediation?.outcomes.map((outcome) => [outcome.target, outcome.action, outcome.status]) ?? [];
    expect(run.remediation?.mode).toBe('notify');
    expect(plan.sort()).toEqual(
      [
        ...NOT_EXEMPT.map((name) => [bucket(name), 'block-public-access', 'would-change']),
        ...NOT_EXEMPT.filter((name) => name !== 'versioned').map((name) => [
          bucket(name),
          'enable-versioning',
          'would-change',
        ]),
      ].sort(),
    );
    expect(await readAll()).toEqual(before);
    expect((await anonymous(env, 'GET', `${bucket('public-read')}/hello.txt`)).status).toBe(200);
  });

  test('scan --remediate --mode remediate blocks public access, enables versioning, and leaves the exempt bucket alone', async () => {
    const before = await readAll();
    const run = await scan('--remediate', '--mode', 'remediate', '--enable-versioning', '--fail-on-findings');
    const outcomes = run.remediation?.outcomes.map((outcome) => [outcome.target, outcome.action, outcome.status]) ?? [];
    expect(outcomes.sort()).toEqual(
      [
        ...NOT_EXEMPT.map((name) => [bucket(name), 'block-public-access', 'changed']),
        ...NOT_EXEMPT.filter((name) => name !== 'versioned').map((name) => [
          bucket(name),
          'enable-versioning',
          'changed',
        ]),
      ].sort(),
    );
    expect(run.code).toBe(3); // --fail-on-findings: what the scan found, before it fixed it

    const after = await readAll();
    for (const name of NOT_EXEMPT) {
      expect([name, after[name].publicAccessBlock]).toEqual([name, { known: true, value: ALL_FOUR_ON }]);
      // Suspended and never-enabled buckets are now Enabled (RGW then reports MFADelete as Disabled).
      expect([name, after[name].versioning]).toEqual([
        name,
        { known: true, value: { status: 'Enabled', mfaDelete: false } },
      ]);
      // Only tightened: the ACL, the policy and the tags are as they were.
      expect([name, after[name].acl, after[name].policy, after[name].tags]).toEqual([
        name,
        before[name].acl,
        before[name].policy,
        before[name].tags,
      ]);
    }
    expect(after.exempt).toEqual(before.exempt);
  });

  test('anonymous access really fails after remediation (the exempt bucket still serves)', async () => {
    expect((await anonymous(env, 'GET', `${bucket('public-read')}/hello.txt`)).status).toBe(403);
    expect((await anonymous(env, 'GET', bucket('public-read'))).status).toBe(403);
    expect((await anonymous(env, 'PUT', `${bucket('allusers-write')}/anonymous-2.txt`, 'again')).status).toBe(403);
    expect(await anonymous(env, 'GET', `${bucket('exempt')}/hello.txt`)).toEqual({
      status: 200,
      body: 'hello from exempt',
    });
    // RGW does not enforce RestrictPublicBuckets (AWS does): the public-policy bucket is checked by read-back above
    // and by the rescan below, not by an anonymous request.
  });

  test('a rescan reports the fixed state', async () => {
    const run = await scan();
    const byBucketAndRule = new Map(run.results.map((row) => [`${row.resourceId} ${row.rule}`, row]));
    for (const name of NOT_EXEMPT) {
      expect(byBucketAndRule.get(`${bucket(name)} ${BUCKET_BPA}`)).toMatchObject({
        compliance: 'COMPLIANT',
        annotation: BPA_ALL_ON,
      });
      expect(byBucketAndRule.get(`${bucket(name)} ${VERSIONING}`)).toMatchObject({
        compliance: 'COMPLIANT',
        annotation: 'Versioning is enabled.',
      });
      expect(byBucketAndRule.get(`${bucket(name)} ${PUBLIC}`)?.compliance).toBe('COMPLIANT');
    }
    expect(byBucketAndRule.get(`${bucket('public-policy')} ${PUBLIC}`)?.annotation).toBe(
      `Not public: public policy statement neutralised by RestrictPublicBuckets (bucket).${ACCOUNT_NOTE}`,
    );
    expect(byBucketAndRule.get(`${bucket('public-read')} ${PUBLIC}`)?.annotation).toBe(
      `Not public: public ACL grant neutralised by IgnorePublicAcls (bucket).${ACCOUNT_NOTE}`,
    );
    // The ACL itself was not rewritten (remediation only turns settings on): the ACL rule still reports the grant.
    expect(byBucketAndRule.get(`${bucket('public-read')} ${ACL}`)).toMatchObject({ compliance: 'NON_COMPLIANT' });
    expect(byBucketAndRule.get(`${bucket('exempt')} ${PUBLIC}`)).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: EXEMPT,
    });
  });

  test('remediating twice makes no second change', async () => {
    const before = await readAll();
    const run = await scan('--remediate', '--mode', 'remediate', '--enable-versioning');
    expect(run.remediation?.outcomes).toEqual([]);
    // Asked directly, the engine plans nothing for the fixed buckets.
    for (const name of NOT_EXEMPT) {
      const outcomes = await remediateBucket(
        bucket(name),
        {
          mode: 'remediate',
          actions: ['block-public-access', 'enable-versioning'],
          exemption: { tagKey: 'bucketguard:exempt', enabled: true },
        },
        { s3 },
      );
      expect([name, outcomes.map((outcome) => outcome.status)]).toEqual([name, ['no-change', 'no-change']]);
    }
    expect(await readAll()).toEqual(before);
  });

  test('the CLI entry (bin/cli.ts; the package runs it compiled) scans the endpoint: table on stdout, exit status', async () => {
    const root = join(__dirname, '..', '..');
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'bin', 'cli.ts'),
        'scan',
        ...SCAN,
        '--rules',
        VERSIONING,
        '--no-progress',
        '--fail-on-findings',
      ],
      { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    );
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ {2}COMPLIANCE +RULE +TYPE +RESOURCE +ANNOTATION$/);
    expect(lines.filter((line) => line.startsWith('  COMPLIANT '))).toHaveLength(NAMES.length);
    expect(lines.at(-1)).toBe(`${NAMES.length} results for ${NAMES.length} resources: ${NAMES.length} COMPLIANT`);
  });
});
