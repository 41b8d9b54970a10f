/**
 * What the installed CLI promises: --version, the shipped events found wherever it is installed, a quiet end when
 * the reader of stdout goes away (`| head`), --rule-parameters, one meaning of --fail-on-findings, and no input
 * dropped in silence (unrouted events, advanced-query rows without resource ids).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../bin/cli';
import { bundledEventsDir, packageRoot, packageVersion } from '../../bin/package-info';
import type { ResultRow } from '../../bin/report';
import { parseRuleParametersOption } from '../../bin/rule-parameters';
import { RULES } from '../../rules';
import { captureIo, EVENTS, REPO, tempInputs } from './cli-support';

async function run(args: string[]) {
  const io = captureIo();
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('--version and the package root', () => {
  it('prints the package.json version', async () => {
    const version = (
      JSON.parse(require('node:fs').readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(packageVersion()).toBe(version);
  });

  it('finds events/ from its own location, not the working directory', () => {
    expect(packageRoot()).toBe(REPO);
    expect(bundledEventsDir(REPO)).toBe('events');
    expect(bundledEventsDir('/')).toBe(join(REPO, 'events').slice(1));
    expect(bundledEventsDir(join(REPO, 'test', 'bin'))).toBe(join('..', '..', 'events'));
  });
});

describe('a closed stdout (bucketguard replay | head)', () => {
  it('ends quietly with exit 0, without an EPIPE stack trace', () => {
    // The JSON report (~110 KB) is more than a pipe holds, so the write meets a closed pipe (without the handler
    // this prints "Error: write EPIPE" and exits 1).
    const script = `set -o pipefail; node --import tsx bin/cli.ts replay events --json | head -c 14`;
    const result = spawnSync('bash', ['-c', script], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout).toBe('{\n  "results":');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('replay never drops an input in silence', () => {
  const custom = {
    version: '0',
    id: 'c0ffee00-0000-4000-8000-000000000001',
    'detail-type': 'Order Placed',
    source: 'com.example.shop',
    account: '111122223333',
    time: '2026-01-05T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { orderId: 'o-1' },
  };

  it('an EventBridge event no bucketguard rule matches is listed as not routed, with the reason', async () => {
    const inputs = tempInputs({ 'custom.json': custom });
    try {
      const { code, stdout } = await run(['replay', inputs.dir]);
      expect(stdout).toContain(
        `Not routed (no bucketguard EventBridge rule or trigger would deliver these):\n  ${join(inputs.dir, 'custom.json')}: EventBridge detail-type "Order Placed" (source "com.example.shop") is none that bucketguard's rules match (Config Rules Compliance Change, AWS API Call via CloudTrail, CloudWatch Alarm State Change)`,
      );
      expect(stdout).toContain('Summary: No results.; 0 notification(s); 0 remediation plan(s); 1 not routed');
      expect(code).toBe(1);
      const json = await run(['replay', inputs.dir, '--json']);
      expect((JSON.parse(json.stdout) as { problems: { message: string }[] }).problems[0].message).toMatch(
        /^not routed: EventBridge detail-type "Order Placed"/,
      );
    } finally {
      inputs.cleanup();
    }
  });

  it("a bucketguard detail-type from a source that is not AWS's is not routed either", async () => {
    const real = JSON.parse(
      require('node:fs').readFileSync(join(EVENTS, 'eventbridge', 'compliance-public-read-noncompliant.json'), 'utf8'),
    ) as Record<string, unknown>;
    const inputs = tempInputs({ 'spoofed.json': { ...real, source: 'com.example.config' } });
    try {
      const { stdout } = await run(['replay', inputs.dir]);
      expect(stdout).toContain(
        `${join(inputs.dir, 'spoofed.json')}: EventBridge source "com.example.config" is not aws.config: bucketguard's rule for "Config Rules Compliance Change" would not deliver it`,
      );
    } finally {
      inputs.cleanup();
    }
  });
});

describe('advanced-query rows of only configuration / supplementaryConfiguration', () => {
  it('are evaluated when the configuration names the bucket, with a note', async () => {
    const row = {
      configuration: { name: 'example-aq-bucket', owner: { id: 'abc' }, creationDate: '2025-01-01T00:00:00.000Z' },
      supplementaryConfiguration: {
        BucketVersioningConfiguration: { status: 'Enabled', isMfaDeleteEnabled: null },
      },
    };
    const inputs = tempInputs({ 'rows.json': { Results: [JSON.stringify(row)] } });
    try {
      const { code, stdout, stderr } = await run([
        'evaluate',
        inputs.dir,
        '--rules',
        's3-bucket-versioning-enabled',
        '--json',
      ]);
      expect(code).toBe(0);
      expect(stderr).toContain(
        `note: ${join(inputs.dir, 'rows.json')}#item0: advanced-query row without resourceType/resourceId: evaluated as bucket example-aq-bucket (named by its configuration)`,
      );
      const rows = (JSON.parse(stdout) as { results: ResultRow[] }).results;
      expect(rows.map((r) => [r.resourceId, r.compliance, r.annotation])).toEqual([
        ['example-aq-bucket', 'COMPLIANT', 'Versioning is enabled.'],
      ]);
    } finally {
      inputs.cleanup();
    }
  });

  it('stay a problem when nothing says they are buckets', async () => {
    const inputs = tempInputs({ 'rows.json': { Results: [JSON.stringify({ configuration: { name: 'x' } })] } });
    try {
      const { code, stderr } = await run(['evaluate', inputs.dir]);
      expect(stderr).toContain('malformed configuration item: configurationItem.resourceType: missing');
      expect(code).toBe(1);
    } finally {
      inputs.cleanup();
    }
  });
});

describe('--rule-parameters JSON|@file', () => {
  it('accepts the ruleParameters shape, from a string or a file, and checks it with each rule', () => {
    const value = '{"s3-bucket-versioning-enabled":{"mfaDeleteRequired":true}}';
    expect(parseRuleParametersOption(value, RULES)).toEqual({
      's3-bucket-versioning-enabled': { mfaDeleteRequired: 'true' },
    });
    expect(parseRuleParametersOption('@params.json', RULES, () => value)).toEqual({
      's3-bucket-versioning-enabled': { mfaDeleteRequired: 'true' },
    });
    expect(() => parseRuleParametersOption('{"s3-nope":{}}', RULES)).toThrow(
      /^--rule-parameters: unknown rule id "s3-nope"; valid ids: s3-bucket-public-access-prohibited, /,
    );
    expect(() => parseRuleParametersOption('{"s3-bucket-versioning-enabled":{"mfa":"true"}}', RULES)).toThrow(
      /^--rule-parameters: s3-bucket-versioning-enabled: /,
    );
    expect(() => parseRuleParametersOption('[1]', RULES)).toThrow(
      '--rule-parameters must be a JSON object like {"<rule id>": {"<parameter>": "<value>"}}.',
    );
  });

  it('evaluate uses them: MFA delete required makes a versioned bucket without it NON_COMPLIANT', async () => {
    const item = join(EVENTS, 'config-items');
    const plain = await run(['evaluate', item, '--rules', 's3-bucket-versioning-enabled', '--json']);
    const strict = await run([
      'evaluate',
      item,
      '--rules',
      's3-bucket-versioning-enabled',
      '--json',
      '--rule-parameters',
      '{"s3-bucket-versioning-enabled":{"mfaDeleteRequired":"true"}}',
    ]);
    const count = (stdout: string) =>
      (JSON.parse(stdout) as { results: ResultRow[] }).results.filter((r) => r.compliance === 'NON_COMPLIANT').length;
    expect(count(strict.stdout)).toBeGreaterThan(count(plain.stdout));
    expect((await run(['evaluate', item, '--rule-parameters', '{oops'])).code).toBe(2);
  });
});

describe('--fail-on-findings means one thing', () => {
  it('evaluate exits 3 for a result that could not be decided, as scan and check-template do', async () => {
    const inputs = tempInputs({
      'rows.json': {
        Results: [JSON.stringify({ configuration: { name: 'example-aq-bucket', owner: { id: 'abc' } } })],
      },
    });
    try {
      const args = ['evaluate', inputs.dir, '--rules', 's3-bucket-versioning-enabled'];
      const ran = await run([...args, '--json']);
      expect((JSON.parse(ran.stdout) as { results: ResultRow[] }).results[0].annotation).toMatch(
        /^Could not evaluate:/,
      );
      expect((await run([...args, '--fail-on-findings'])).code).toBe(3);
      expect((await run(args)).code).toBe(0);
    } finally {
      inputs.cleanup();
    }
  });
});
