import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { main } from '../../bin/cli';
import { type InvocationRun, replayInputs } from '../../bin/commands/replay';
import { captureIo, EVENTS, tempInputs } from './cli-support';

const NOW = new Date('2024-09-10T12:00:00.000Z');
const at = (name: string) => join(EVENTS, 'invocations', name);

describe('bucketguard replay (rule invocations through the real handlers, offline)', () => {
  let runs: InvocationRun[];
  beforeAll(async () => {
    runs = (await replayInputs([join(EVENTS, 'invocations')], NOW)).runs;
  });
  const runOf = (name: string) => {
    const found = runs.filter((run) => run.source === at(name));
    expect(found).toHaveLength(1);
    return found[0];
  };
  const compact = (run: InvocationRun) =>
    run.rows.map((row) => [row.resourceType, row.resourceId, row.compliance, row.annotation]);

  it('runs every invocation once, with the rule named by configRuleName', () => {
    expect(runs.map((run) => [basename(run.source), run.rule])).toEqual([
      ['change-absent-rule-parameters.json', 's3-bucket-versioning-enabled'],
      ['change-account-bpa-account-rule.json', 's3-account-level-public-access-blocked'],
      ['change-account-bpa-bucket-rule.json', 's3-bucket-public-access-prohibited'],
      ['change-deleted-bucket.json', 's3-bucket-public-access-prohibited'],
      ['change-invalid-parameters.json', 's3-bucket-versioning-enabled'],
      ['change-left-scope.json', 's3-bucket-public-access-prohibited'],
      ['change-other-resource-type.json', 's3-bucket-public-access-prohibited'],
      ['change-public-read-acl.json', 's3-bucket-public-access-prohibited'],
      ['change-testmode.json', 's3-bucket-versioning-enabled'],
      ['oversized-bucket.json', 's3-bucket-public-access-prohibited'],
      ['oversized-not-discovered.json', 's3-bucket-public-access-prohibited'],
      ['scheduled-account-rule.json', 's3-account-level-public-access-blocked'],
      ['scheduled-bucket-rule.json', 's3-bucket-public-access-prohibited'],
      ['unsupported-message-type.json', 's3-bucket-public-access-prohibited'],
    ]);
    expect(runs.every((run) => run.error === undefined)).toBe(true);
  });

  it('absent ruleParameters: defaults', () => {
    expect(compact(runOf('change-absent-rule-parameters.json'))).toEqual([
      ['AWS::S3::Bucket', 'example-inv-private-versioned', 'COMPLIANT', 'Versioning is enabled.'],
    ]);
  });

  it('TESTMODE: TestMode reported, evaluation made', () => {
    const run = runOf('change-testmode.json');
    expect(run.testMode).toBe(true);
    expect(compact(run)).toEqual([
      [
        'AWS::S3::Bucket',
        'example-inv-versioning-suspended',
        'NON_COMPLIANT',
        'Versioning is suspended: new object versions are no longer kept.',
      ],
    ]);
  });

  it('invalid parameters, left scope, deleted, other type, not discovered: NOT_APPLICABLE with the reason', () => {
    expect(compact(runOf('change-invalid-parameters.json'))).toEqual([
      [
        'AWS::S3::Bucket',
        'example-inv-versioning-suspended',
        'NOT_APPLICABLE',
        'Invalid rule parameters: Invalid rule parameter "mfaDeleteRequired": received "maybe"; expected true or false.',
      ],
    ]);
    expect(compact(runOf('change-left-scope.json'))).toEqual([
      [
        'AWS::S3::Bucket',
        'example-inv-public-read',
        'NOT_APPLICABLE',
        'The resource is no longer in the scope of this rule.',
      ],
    ]);
    expect(compact(runOf('change-deleted-bucket.json'))).toEqual([
      ['AWS::S3::Bucket', 'example-inv-deleted', 'NOT_APPLICABLE', 'Bucket was deleted (ResourceDeleted).'],
    ]);
    expect(compact(runOf('change-other-resource-type.json'))).toEqual([
      [
        'AWS::EC2::Instance',
        'i-0fedcba9876543210',
        'NOT_APPLICABLE',
        'This rule evaluates AWS::S3::Bucket and AWS::S3::AccountPublicAccessBlock; AWS::EC2::Instance is not in its scope.',
      ],
    ]);
    expect(compact(runOf('oversized-not-discovered.json'))).toEqual([
      [
        'AWS::S3::Bucket',
        'example-inv-never-recorded',
        'NOT_APPLICABLE',
        'AWS Config has not discovered this resource (ResourceNotDiscoveredException); nothing to evaluate.',
      ],
    ]);
  });

  it('oversized: the item comes from GetResourceConfigHistory and is evaluated', () => {
    const [row] = runOf('oversized-bucket.json').rows;
    expect([row.resourceId, row.compliance]).toEqual(['example-inv-oversized-policy', 'NON_COMPLIANT']);
    expect(row.annotation).toContain('statement "PublicDownloads"');
  });

  it('account BPA change: every bucket of the account re-evaluated with the new (all off) setting', () => {
    const rows = runOf('change-account-bpa-bucket-rule.json').rows;
    expect(rows.map((row) => [row.resourceId, row.compliance])).toEqual([
      ['example-inv-access-logs', 'COMPLIANT'],
      ['example-inv-oversized-policy', 'NON_COMPLIANT'],
      ['example-inv-private-versioned', 'COMPLIANT'],
      ['example-inv-public-read', 'NON_COMPLIANT'],
      ['example-inv-query-authenticated', 'NON_COMPLIANT'],
      ['example-inv-sns-cross-account', 'COMPLIANT'],
      ['example-inv-static-site', 'NON_COMPLIANT'],
      ['example-inv-versioning-suspended', 'COMPLIANT'],
      ['123456789012', 'NOT_APPLICABLE'],
    ]);
    expect(rows.every((row) => row.accountId === '123456789012')).toBe(true);
    expect(runOf('change-account-bpa-account-rule.json').rows.map((row) => [row.resourceType, row.compliance])).toEqual(
      [['AWS::S3::AccountPublicAccessBlock', 'NON_COMPLIANT']],
    );
  });

  it('scheduled: the bucket rule sweeps every recorded bucket; the account rule reads s3control', () => {
    expect(runOf('scheduled-bucket-rule.json').rows).toHaveLength(8);
    expect(compact(runOf('scheduled-account-rule.json'))).toEqual([
      [
        'AWS::::Account',
        '123456789012',
        'NON_COMPLIANT',
        'Account-level Block Public Access is off for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
      ],
    ]);
  });

  it('an account no input describes: account-level BPA unknown (evaluated as off and said), not "not configured"', async () => {
    const invocation = JSON.parse(readFileSync(at('change-public-read-acl.json'), 'utf8'));
    const event = JSON.parse(invocation.invokingEvent);
    event.configurationItem.awsAccountId = '111122223333';
    const { dir, cleanup } = tempInputs({
      'other-account.json': { ...invocation, accountId: '111122223333', invokingEvent: JSON.stringify(event) },
    });
    try {
      const [run] = (await replayInputs([dir], NOW)).runs;
      expect(compact(run)).toEqual([
        [
          'AWS::S3::Bucket',
          'example-inv-public-read',
          'NON_COMPLIANT',
          'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket level. Account-level Block Public Access unknown; evaluated as off.',
        ],
      ]);
    } finally {
      cleanup();
    }
  });

  it('unsupported message type: no evaluation, a note', () => {
    const run = runOf('unsupported-message-type.json');
    expect(run.rows).toEqual([]);
    expect(run.problem).toMatch(/^Unsupported messageType "ConfigurationSnapshotDeliveryCompleted"/);
  });
});

describe('bucketguard replay command', () => {
  it('prints JSON with results, notifications and plans', async () => {
    const io = captureIo();
    const code = await main(['replay', at('change-testmode.json'), '--format', 'json'], io);
    expect(code).toBe(0);
    const parsed = JSON.parse(io.stdout());
    expect(parsed.results).toEqual([
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'example-inv-versioning-suspended',
        accountId: '123456789012',
        rule: 's3-bucket-versioning-enabled',
        compliance: 'NON_COMPLIANT',
        annotation: 'Versioning is suspended: new object versions are no longer kept.',
        source: at('change-testmode.json'),
      },
    ]);
    expect(parsed.notifications).toEqual([]);
    expect(parsed.plans).toEqual([]);
  });

  it('runs response-path documents through bin/offline/replay-response.ts (notify mode), with the recorded items as state', async () => {
    const result = await replayInputs([
      join(EVENTS, 'config-items', 'bucket-invocation-public-read-acl.json'),
      join(EVENTS, 'eventbridge', 'compliance-public-read-noncompliant.json'),
    ]);
    expect(result.runs).toEqual([]);
    expect(result.notifications).toHaveLength(1);
    // The wording is the response path's; here only that the email is about this bucket.
    expect(result.notifications[0].subject).toContain('example-public-assets');
    expect(result.notifications[0].source).toBe(
      join(EVENTS, 'eventbridge', 'compliance-public-read-noncompliant.json'),
    );
    expect(result.plans.map((plan) => [plan.action, plan.target, plan.status])).toEqual([
      ['block-public-access', 'example-public-assets', 'would-change'],
    ]);
  });

  it('replays the whole events/ tree without a failed invocation and exits 0 (npm start)', async () => {
    const io = captureIo();
    const code = await main(['replay', EVENTS], io);
    expect(code).toBe(0);
    const text = io.stdout();
    expect(text.split('\n')[0]).toMatch(/^Replayed \d+ Config rule invocation\(s\) and \d+ response-path event\(s\)/);
    expect(text).not.toContain('invocation(s) failed');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^Summary: \d+ results for \d+ resources: /);
  });

  it('exits 1 when a rule invocation failed, and says which', async () => {
    const invocation = JSON.parse(
      readFileSync(join(EVENTS, 'invocations', 'change-absent-rule-parameters.json'), 'utf8'),
    ) as Record<string, unknown>;
    const inputs = tempInputs({ 'broken-invocation.json': { ...invocation, invokingEvent: '{not json' } });
    try {
      const io = captureIo();
      const code = await main(['replay', inputs.dir], io);
      expect(code).toBe(1);
      expect(io.stdout()).toContain(
        'error: InvalidInvocationError: Not an AWS Config rule invocation: invokingEvent is not valid JSON',
      );
      expect(io.stdout().trimEnd().split('\n').at(-1)).toContain('; 1 invocation(s) failed');
    } finally {
      inputs.cleanup();
    }
  });

  it('reports a directory of unreadable inputs and exits 1', async () => {
    const io = captureIo();
    const code = await main(['replay', join(EVENTS, 'does-not-exist')], io);
    expect(code).toBe(1);
    expect(io.stdout()).toContain('Input errors:');
  });
});

describe('bucketguard replay --exemptions (the approved list answered offline as the SSM parameter)', () => {
  const approved = JSON.stringify([
    { bucket: 'example-inv-public-read', reason: 'public mirror', approver: 'secteam', until: '2024-10-31' },
  ]);

  it('an approved entry exempts the bucket; the invocation is told where the list is', async () => {
    const [run] = (await replayInputs([at('change-public-read-acl.json')], NOW, { exemptionsText: approved })).runs;
    expect(run.rows.map((row) => [row.resourceId, row.compliance, row.annotation])).toEqual([
      ['example-inv-public-read', 'COMPLIANT', 'Exempt until 2024-10-31, approved by secteam: public mirror'],
    ]);
  });

  it('without the list the same bucket is evaluated normally', async () => {
    const [run] = (await replayInputs([at('change-public-read-acl.json')], NOW)).runs;
    expect(run.rows.map((row) => row.compliance)).toEqual(['NON_COMPLIANT']);
  });

  it('--exemptions with a file that is not a list is a usage error (exit 2)', async () => {
    const { dir, cleanup } = tempInputs({ 'exemptions.json': { not: 'a list' } });
    try {
      const io = captureIo();
      const code = await main(
        ['replay', '--exemptions', join(dir, 'exemptions.json'), at('change-public-read-acl.json')],
        io,
      );
      expect(code).toBe(2);
      expect(io.stderr()).toContain('--exemptions');
    } finally {
      cleanup();
    }
  });
});
