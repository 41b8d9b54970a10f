import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../bin/cli';
import type { ResultRow } from '../../bin/report';
import { RULES } from '../../rules';
import { captureIo, EVENTS, tempInputs } from './cli-support';

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(EVENTS, path), 'utf8'));

async function run(args: string[]) {
  const io = captureIo();
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

async function runJson(args: string[]) {
  const result = await run([...args, '--format', 'json']);
  return { ...result, rows: (JSON.parse(result.stdout) as { results: ResultRow[] }).results };
}

const ALL_ON = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

describe('bucketguard evaluate', () => {
  it('evaluates every configuration item in a directory with every applicable rule', async () => {
    const { code, rows, stderr } = await runJson(['evaluate', join(EVENTS, 'config-items')]);
    expect(code).toBe(0);
    const source = join(EVENTS, 'config-items', 'bucket-invocation-versioning-off.json');
    const forFile = rows.filter((row) => row.source === source);
    expect(forFile.map((row) => row.rule)).toEqual([
      's3-bucket-public-access-prohibited',
      's3-bucket-level-public-access-blocked',
      's3-bucket-acl-prohibited',
      's3-bucket-versioning-enabled',
      's3-bucket-cross-account-access-prohibited',
      's3-bucket-logging-enabled',
      's3-bucket-ssl-requests-only',
    ]);
    expect(forFile.find((row) => row.rule === 's3-bucket-versioning-enabled')).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-scratch',
      accountId: '111122223333',
      rule: 's3-bucket-versioning-enabled',
      compliance: 'NON_COMPLIANT',
      annotation: 'Versioning has never been enabled on this bucket.',
      source,
    });
    // Account items go to the account rule only; deleted buckets are NOT_APPLICABLE for every rule.
    const accountRows = rows.filter((row) => row.source.endsWith('account-bpa-invocation-all-true.json'));
    expect(accountRows.map((row) => [row.rule, row.resourceType, row.compliance])).toEqual([
      ['s3-account-level-public-access-blocked', 'AWS::S3::AccountPublicAccessBlock', 'COMPLIANT'],
    ]);
    const deleted = rows.filter((row) => row.source.endsWith('bucket-invocation-deleted.json'));
    expect(deleted).toHaveLength(RULES.filter((rule) => rule.target === 'bucket').length);
    expect(
      deleted.every(
        (row) => row.compliance === 'NOT_APPLICABLE' && row.annotation === 'Bucket was deleted (ResourceDeleted).',
      ),
    ).toBe(true);
    // The EC2 item has no row, only a note; README is noted.
    expect(rows.some((row) => row.resourceType === 'AWS::EC2::Instance')).toBe(false);
    expect(stderr).toContain(
      'other-ec2-instance.json: AWS::EC2::Instance i-0123456789abcdef0: no bucketguard rule evaluates this type',
    );
  });

  it('reads the items inside invocations, API responses, advanced-query responses and SNS notifications', async () => {
    const { rows } = await runJson([
      'evaluate',
      join(EVENTS, 'invocations'),
      '--rules',
      's3-bucket-versioning-enabled',
    ]);
    const byBucket = Object.fromEntries(rows.map((row) => [row.resourceId, row.compliance]));
    expect(byBucket).toEqual({
      'example-inv-access-logs': 'NON_COMPLIANT',
      'example-inv-static-site': 'COMPLIANT',
      'example-inv-oversized-policy': 'COMPLIANT',
      'example-inv-query-authenticated': 'NON_COMPLIANT',
      'example-inv-private-versioned': 'COMPLIANT',
      'example-inv-deleted': 'NOT_APPLICABLE',
      'example-inv-versioning-suspended': 'NON_COMPLIANT',
      'example-inv-public-read': 'NON_COMPLIANT',
      'example-inv-sns-cross-account': 'COMPLIANT',
    });
    expect(rows.find((row) => row.resourceId === 'example-inv-access-logs')?.annotation).toBe(
      'Versioning is suspended: new object versions are no longer kept.',
    );
  });

  it('uses the account BPA item from the same directory, and --account-public-access-block overrides it', async () => {
    const { dir, cleanup } = tempInputs({
      'account.json': { ...(fixture('config-items/account-bpa-invocation-all-true.json') as object) },
      'bucket.json': fixture('config-items/bucket-invocation-public-read-acl.json'),
    });
    try {
      const args = ['evaluate', dir, '--rules', 's3-bucket-public-access-prohibited'];
      const withItem = await runJson(args);
      expect(withItem.rows.map((row) => [row.resourceId, row.compliance])).toEqual([
        ['example-public-assets', 'COMPLIANT'],
      ]);
      const off =
        '{"BlockPublicAcls":false,"IgnorePublicAcls":false,"BlockPublicPolicy":false,"RestrictPublicBuckets":false}';
      const overridden = await runJson([...args, '--account-public-access-block', off]);
      expect(overridden.rows.map((row) => [row.resourceId, row.compliance])).toEqual([
        ['example-public-assets', 'NON_COMPLIANT'],
      ]);
    } finally {
      cleanup();
    }
  });

  it('says when the account-level BPA is not provided', async () => {
    const { rows } = await runJson([
      'evaluate',
      join(EVENTS, 'config-items', 'bucket-invocation-public-policy.json'),
      '--rules',
      's3-bucket-public-access-prohibited',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].compliance).toBe('NON_COMPLIANT');
    expect(rows[0].annotation).toContain('not provided');
  });

  it('exits 3 with --fail-on-findings when something is NON_COMPLIANT, 0 otherwise', async () => {
    const publicItem = join(EVENTS, 'config-items', 'bucket-invocation-public-read-acl.json');
    expect((await run(['evaluate', publicItem])).code).toBe(0);
    expect((await run(['evaluate', publicItem, '--fail-on-findings'])).code).toBe(3);
    const versioned = join(EVENTS, 'config-items', 'bucket-invocation-private-full-bpa.json');
    const clean = await run(['evaluate', versioned, '--rules', 's3-bucket-versioning-enabled', '--fail-on-findings']);
    expect(clean.code).toBe(0);
  });

  it('prints RFC 4180 CSV', async () => {
    const { stdout } = await run([
      'evaluate',
      join(EVENTS, 'config-items', 'bucket-invocation-versioning-off.json'),
      '--rules',
      's3-bucket-versioning-enabled',
      '--format',
      'csv',
    ]);
    const source = join(EVENTS, 'config-items', 'bucket-invocation-versioning-off.json');
    expect(stdout).toBe(
      'resourceType,resourceId,accountId,rule,compliance,annotation,source\r\n' +
        `AWS::S3::Bucket,example-scratch,111122223333,s3-bucket-versioning-enabled,NON_COMPLIANT,Versioning has never been enabled on this bucket.,${source}\r\n`,
    );
  });

  it('prints a table with a summary line', async () => {
    const { stdout } = await run([
      'evaluate',
      join(EVENTS, 'config-items', 'bucket-invocation-versioning-off.json'),
      '--rules',
      's3-bucket-versioning-enabled,s3-bucket-level-public-access-blocked',
    ]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ {2}COMPLIANCE +RULE +TYPE +RESOURCE +ANNOTATION$/);
    expect(lines.at(-1)).toBe('2 results for 1 resource: 1 NON_COMPLIANT, 1 COMPLIANT');
  });

  it('reports a bad file clearly, keeps going, and exits 1 only when nothing could be evaluated', async () => {
    const { dir, cleanup } = tempInputs({ 'broken.json': '{"resourceType": "AWS::S3::Bucket",', 'notes.txt': 'hello' });
    try {
      const bad = await run(['evaluate', dir]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`bucketguard evaluate: error: ${join(dir, 'broken.json')}: not valid JSON (`);
      expect(bad.stderr).toContain(
        `bucketguard evaluate: note: ${join(dir, 'notes.txt')}: skipped (not a .json, .jsonl or .json.gz file)`,
      );
      const mixed = await run(['evaluate', dir, join(EVENTS, 'config-items', 'bucket-invocation-versioning-off.json')]);
      expect(mixed.code).toBe(0);
      expect(mixed.stderr).toContain('broken.json: not valid JSON');
    } finally {
      cleanup();
    }
  });

  it('reports a malformed configuration item as an error for that item', async () => {
    const { dir, cleanup } = tempInputs({
      'garbled.json': {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'x',
        configurationItemStatus: 'OK',
        configuration: '{oops',
      },
    });
    try {
      const result = await run(['evaluate', dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `${join(dir, 'garbled.json')}: malformed configuration item: configurationItem.configuration`,
      );
    } finally {
      cleanup();
    }
  });

  it.each([
    [['evaluate'], 'bucketguard evaluate: give at least one file or directory to evaluate.'],
    [
      ['evaluate', 'x', '--rules', 'nope'],
      'bucketguard evaluate: --rules: unknown rule id "nope"; valid ids: s3-bucket-public-access-prohibited,',
    ],
    [
      ['evaluate', 'x', '--format', 'xml'],
      'bucketguard evaluate: --format must be one of table, json, csv; received "xml".',
    ],
    [
      ['evaluate', 'x', '--account-public-access-block', '{nope'],
      'bucketguard evaluate: --account-public-access-block must be a JSON object of the four flags (',
    ],
    [['evaluate', 'x', '--bogus'], "bucketguard evaluate: Unknown option '--bogus'"],
  ])('usage error %j -> exit 2', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
  });

  it('accepts camelCase flags in --account-public-access-block', async () => {
    const result = await runJson([
      'evaluate',
      join(EVENTS, 'config-items', 'bucket-invocation-public-read-acl.json'),
      '--rules',
      's3-bucket-public-access-prohibited',
      '--account-public-access-block',
      JSON.stringify(ALL_ON),
    ]);
    expect(result.rows[0].compliance).toBe('COMPLIANT');
  });
});
