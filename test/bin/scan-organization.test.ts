/**
 * `bucketguard scan --organization` with Organizations, STS, S3 and S3 Control mocked at the client boundary. Each
 * member account's S3 answers are keyed on the credentials AssumeRole handed out, so a call made with the wrong
 * account's credentials finds nothing.
 */
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListBucketsCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createSharedPool } from '../../aws/pool';
import { createScanCommand } from '../../bin/commands/scan';
import { UsageError } from '../../bin/io';
import type { ResultRow } from '../../bin/report';
import { parseScanArgs } from '../../bin/scan/args';
import { chooseAccounts } from '../../bin/scan/organization';
import { RULES } from '../../rules';
import { answerBucket, capture, FOUR_ON, NOW, resetScanMocks, s3controlMock, s3Error, s3Mock } from './scan-support';

const organizationsMock = mockClient(OrganizationsClient);
const stsMock = mockClient(STSClient);

const MANAGEMENT = '111122223333';
const MEMBER_A = '444455556666';
const MEMBER_B = '777788889999';
const DENIED = '123456789012';
const RULE_IDS = ['s3-bucket-public-access-prohibited', 's3-account-level-public-access-blocked'];
const ORG = ['--organization', '--rules', RULE_IDS.join(','), '--region', 'us-east-1'];

/** Buckets per account; a call is answered only when its credentials are that account's. */
const BUCKETS: Record<string, string[]> = {
  [MANAGEMENT]: ['amzn-s3-demo-mgmt'],
  [MEMBER_A]: ['amzn-s3-demo-a-public', 'amzn-s3-demo-a-private'],
  [MEMBER_B]: ['amzn-s3-demo-b'],
};
const keyOf = (account: string) => `ASIA${account}`;

type Account = { Id: string; Name: string; Status: 'ACTIVE' | 'SUSPENDED' };
const account = (Id: string, Status: Account['Status'] = 'ACTIVE'): Account => ({ Id, Name: `name-${Id}`, Status });

function organization(pages: Account[][]): void {
  pages.forEach((Accounts, index) => {
    const input = index === 0 ? {} : { NextToken: `page-${index}` };
    organizationsMock
      .on(ListAccountsCommand, input)
      .resolves({ Accounts, ...(index < pages.length - 1 ? { NextToken: `page-${index + 1}` } : {}) });
  });
}

function assumeRoleAnswers(
  deniedMessage = 'User: arn:aws:sts::111122223333:assumed-role/Admin/me is not authorized to perform: sts:AssumeRole with an explicit deny in a service control policy',
): void {
  stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const accountId = /iam::(\d{12}):/.exec(input.RoleArn)?.[1] ?? '';
    if (accountId === DENIED) {
      throw new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: deniedMessage,
      });
    }
    return {
      Credentials: {
        AccessKeyId: keyOf(accountId),
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date('2026-11-23T11:00:00Z'),
      },
    };
  });
}

/** ListBuckets answers each account with its own buckets, by the caller's credentials. */
function perAccountListing(): void {
  s3Mock.on(ListBucketsCommand).callsFake(async (_input, getClient) => {
    const credentials = await getClient().config.credentials();
    const owner = Object.keys(BUCKETS).find((id) => keyOf(id) === credentials.accessKeyId);
    return { Buckets: (owner ? BUCKETS[owner] : []).map((Name) => ({ Name, BucketRegion: 'us-east-1' })) };
  });
  for (const names of Object.values(BUCKETS)) for (const name of names) answerBucket(name, { bpa: FOUR_ON });
  answerBucket('amzn-s3-demo-a-public', { publicRead: true });
  s3controlMock.on(GetAccountPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: FOUR_ON });
  // Member A never configured account-level BPA, so its public-read bucket is public.
  s3controlMock
    .on(GetAccountPublicAccessBlockCommand, { AccountId: MEMBER_A })
    .rejects(Object.assign(s3Error('NoSuchPublicAccessBlockConfiguration', 404), {}));
}

/** The real client factories (scanClients), so each account's clients carry its assumed credentials. */
async function runJson(args: string[]) {
  const captured = capture();
  const code = await createScanCommand({ now: () => NOW })(['--json', ...args], captured.io);
  const document = JSON.parse(captured.out.join('\n')) as {
    results: ResultRow[];
    notes: string[];
    remediation?: { mode: string; outcomes: { target: string; action: string; status: string }[] };
  };
  return { code, document, ...captured };
}

beforeEach(() => {
  resetScanMocks();
  organizationsMock.reset();
  stsMock.reset();
});

const summary = (results: readonly ResultRow[]) =>
  results.map((result) => [result.accountId, result.resourceId, result.rule, result.compliance]);

describe('bucketguard scan --organization', () => {
  test('lists every page of ListAccounts, scans each ACTIVE account with its own credentials, skips the others', async () => {
    organization([
      [account(MANAGEMENT), account(MEMBER_A)],
      [account(MEMBER_B), account('210987654321', 'SUSPENDED')],
    ]);
    assumeRoleAnswers();
    perAccountListing();
    const { code, document } = await runJson(ORG);
    expect(code).toBe(0);
    expect(organizationsMock).toHaveReceivedCommandTimes(ListAccountsCommand, 2);
    expect(organizationsMock).toHaveReceivedNthCommandWith(2, ListAccountsCommand, {
      MaxResults: 20,
      NextToken: 'page-1',
    });
    expect(stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: `arn:aws:iam::${MANAGEMENT}:role/OrganizationAccountAccessRole`, RoleSessionName: 'bucketguard-scan' },
      { RoleArn: `arn:aws:iam::${MEMBER_A}:role/OrganizationAccountAccessRole`, RoleSessionName: 'bucketguard-scan' },
      { RoleArn: `arn:aws:iam::${MEMBER_B}:role/OrganizationAccountAccessRole`, RoleSessionName: 'bucketguard-scan' },
    ]);
    expect(summary(document.results)).toEqual([
      [MANAGEMENT, MANAGEMENT, 's3-account-level-public-access-blocked', 'COMPLIANT'],
      [MANAGEMENT, 'amzn-s3-demo-mgmt', 's3-bucket-public-access-prohibited', 'COMPLIANT'],
      [MEMBER_A, MEMBER_A, 's3-account-level-public-access-blocked', 'NON_COMPLIANT'],
      [MEMBER_A, 'amzn-s3-demo-a-public', 's3-bucket-public-access-prohibited', 'NON_COMPLIANT'],
      [MEMBER_A, 'amzn-s3-demo-a-private', 's3-bucket-public-access-prohibited', 'COMPLIANT'],
      [MEMBER_B, MEMBER_B, 's3-account-level-public-access-blocked', 'COMPLIANT'],
      [MEMBER_B, 'amzn-s3-demo-b', 's3-bucket-public-access-prohibited', 'COMPLIANT'],
    ]);
    expect(document.notes).toEqual(['not scanned, not ACTIVE in Organizations: 210987654321 (SUSPENDED)']);
    // Account-level BPA is read in each account, for that account.
    expect(
      s3controlMock
        .commandCalls(GetAccountPublicAccessBlockCommand)
        .map((call) => call.args[0].input.AccountId)
        .sort(),
    ).toEqual([MANAGEMENT, MEMBER_A, MEMBER_B].sort());
  });

  test('an account whose role cannot be assumed is one INSUFFICIENT_DATA row with the error made inert; the rest is scanned', async () => {
    organization([[account(MANAGEMENT), account(DENIED), account(MEMBER_B)]]);
    assumeRoleAnswers(
      'explicit deny in a service control policy\u001b]8;;https://example.com\u0007click\u001b]8;;\u0007\nFAKE LINE',
    );
    perAccountListing();
    const { code, document } = await runJson([...ORG, '--fail-on-findings']);
    expect(code).toBe(3);
    const denied = document.results.filter((result) => result.accountId === DENIED);
    expect(denied).toEqual([
      {
        resourceType: 'AWS::::Account',
        resourceId: DENIED,
        accountId: DENIED,
        rule: 'organization-scan',
        compliance: 'INSUFFICIENT_DATA',
        annotation: `Could not evaluate: account ${DENIED} was not scanned: AssumeRole arn:aws:iam::${DENIED}:role/OrganizationAccountAccessRole failed (AccessDenied (403): explicit deny in a service control policyclick FAKE LINE); none of its buckets were read`,
        source: 'live',
      },
    ]);
    expect(new Set(document.results.map((result) => result.accountId))).toEqual(
      new Set([MANAGEMENT, DENIED, MEMBER_B]),
    );
  });

  test('--accounts chooses, --exclude-accounts leaves out; an asked-for account that is not ACTIVE or not a member is a row', async () => {
    organization([[account(MANAGEMENT), account(MEMBER_A), account(MEMBER_B), account('210987654321', 'SUSPENDED')]]);
    assumeRoleAnswers();
    perAccountListing();
    const { document } = await runJson([
      ...ORG,
      '--accounts',
      `${MEMBER_A},${MEMBER_B},210987654321,999988887777`,
      '--exclude-accounts',
      MEMBER_B,
      '--role-name',
      'audit/BucketGuardScan',
    ]);
    expect(stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${MEMBER_A}:role/audit/BucketGuardScan`,
    ]);
    expect(summary(document.results)).toEqual([
      ['210987654321', '210987654321', 'organization-scan', 'INSUFFICIENT_DATA'],
      ['999988887777', '999988887777', 'organization-scan', 'INSUFFICIENT_DATA'],
      [MEMBER_A, MEMBER_A, 's3-account-level-public-access-blocked', 'NON_COMPLIANT'],
      [MEMBER_A, 'amzn-s3-demo-a-public', 's3-bucket-public-access-prohibited', 'NON_COMPLIANT'],
      [MEMBER_A, 'amzn-s3-demo-a-private', 's3-bucket-public-access-prohibited', 'COMPLIANT'],
    ]);
    expect(document.results[0].annotation).toBe(
      'Could not evaluate: account 210987654321 was not scanned: not entered (it is SUSPENDED in Organizations; not scanned); none of its buckets were read',
    );
    expect(document.results[1].annotation).toContain('it is not an account of this organization (ListAccounts)');
    expect(document.notes).toEqual([`not scanned (--exclude-accounts): ${MEMBER_B}`]);
  });

  test('table and CSV carry the account', async () => {
    organization([[account(MEMBER_A), account(DENIED)]]);
    assumeRoleAnswers();
    perAccountListing();
    const table = capture();
    await createScanCommand({ now: () => NOW })([...ORG, '--rules', 's3-bucket-public-access-prohibited'], table.io);
    const lines = table.out.join('\n').split('\n');
    expect(lines[0]).toMatch(/^ {2}ACCOUNT {7}COMPLIANCE {9}RULE +TYPE +RESOURCE +ANNOTATION$/);
    expect(
      lines.filter((line) => line.startsWith(`  ${MEMBER_A}`)).map((line) => line.split(/\s+/).slice(1, 4)),
    ).toEqual([
      [MEMBER_A, 'NON_COMPLIANT', 's3-bucket-public-access-prohibited'],
      [MEMBER_A, 'COMPLIANT', 's3-bucket-public-access-prohibited'],
    ]);
    expect(lines.some((line) => line.startsWith(`  ${DENIED}  INSUFFICIENT_DATA  organization-scan`))).toBe(true);

    const csv = capture();
    await createScanCommand({ now: () => NOW })(
      [...ORG, '--rules', 's3-bucket-public-access-prohibited', '--format', 'csv'],
      csv.io,
    );
    const records = csv.out.join('').split('\r\n');
    expect(records[0]).toBe('resourceType,resourceId,accountId,rule,compliance,annotation,source');
    expect(records.filter((record) => record.includes(`,${MEMBER_A},`)).map((r) => r.split(',').slice(0, 3))).toEqual([
      ['AWS::S3::Bucket', 'amzn-s3-demo-a-public', MEMBER_A],
      ['AWS::S3::Bucket', 'amzn-s3-demo-a-private', MEMBER_A],
    ]);
  });

  test('--remediate --mode remediate fixes a flagged bucket through the role assumed in its own account', async () => {
    organization([[account(MANAGEMENT), account(MEMBER_A)]]);
    assumeRoleAnswers();
    perAccountListing();
    const callers: string[] = [];
    s3Mock.on(PutPublicAccessBlockCommand).callsFake(async (input: { Bucket: string }, getClient) => {
      callers.push(`${input.Bucket} as ${(await getClient().config.credentials()).accessKeyId}`);
      answerBucket('amzn-s3-demo-a-public', { bpa: FOUR_ON });
      return {};
    });
    const { code, document } = await runJson([...ORG, '--remediate', '--mode', 'remediate']);
    expect(code).toBe(0);
    expect(callers).toEqual([`amzn-s3-demo-a-public as ${keyOf(MEMBER_A)}`]);
    expect(document.remediation?.outcomes.map((o) => [o.target, o.action, o.status])).toEqual([
      ['amzn-s3-demo-a-public', 'block-public-access', 'changed'],
    ]);
  });

  test('ListAccounts refused: the scan stops with what to check', async () => {
    organizationsMock.on(ListAccountsCommand).rejects(
      Object.assign(new Error('You don’t have permissions to access this resource.'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(runJson(ORG)).rejects.toThrow(
      'Organizations ListAccounts failed: AccessDeniedException (400); run from the management account or a delegated administrator, with organizations:ListAccounts',
    );
  });
});

describe('account choice and the shared pool', () => {
  test('chooseAccounts: ACTIVE ones by default, unknown exclusions noted', () => {
    expect(
      chooseAccounts(
        [
          { id: MEMBER_A, status: 'ACTIVE' },
          { id: MEMBER_B, status: 'SUSPENDED' },
        ],
        { excludeAccounts: ['999988887777'] },
      ),
    ).toEqual({
      targets: [MEMBER_A],
      refused: [],
      notes: [
        '--exclude-accounts: not accounts of this organization: 999988887777',
        `not scanned, not ACTIVE in Organizations: ${MEMBER_B} (SUSPENDED)`,
      ],
    });
  });

  test('one bound over every producer; the first queue goes before the later one', async () => {
    const pool = createSharedPool(3);
    const order: string[] = [];
    let running = 0;
    let peak = 0;
    const task = (name: string) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(name);
      running--;
      return name;
    };
    const later = [1, 2, 3, 4].map((n) => pool.later(task(`account-${n}`)));
    const first = [1, 2, 3].map((n) => pool.first(task(`bucket-${n}`)));
    await Promise.all([...later, ...first]);
    expect(peak).toBe(3);
    expect(pool.peak()).toBe(3);
    // Three accounts started at once; when they finish, the waiting buckets go before the fourth account.
    expect(order.slice(3)).toEqual(['bucket-1', 'bucket-2', 'bucket-3', 'account-4']);
  });
});

describe('scan --organization options', () => {
  const ids = RULES.map((rule) => rule.id);
  test('defaults and lists', () => {
    const options = parseScanArgs(['--organization', '--regions', 'eu-west-1,us-east-1'], ids);
    expect(options.organization).toEqual({ roleName: 'OrganizationAccountAccessRole' });
    expect(options.regions).toEqual(['eu-west-1', 'us-east-1']);
  });
  test.each([
    [
      ['--organization', '--account-id', MEMBER_A],
      '--organization scans every account: --account-id does not apply (use --accounts).',
    ],
    [['--accounts', MEMBER_A], '--accounts and --exclude-accounts apply with --organization or --aggregator.'],
    [['--organization', '--accounts', '4444'], '--accounts: "4444" is not a 12-digit account id.'],
    [['--role-name', 'x'], '--role-name applies with --organization.'],
    [
      ['--organization', '--role-name', 'bad name'],
      '--role-name must be an IAM role name (optionally with a path); received "bad name".',
    ],
    [['--organization', '--bucket', 'b'], '--organization scans every bucket: --bucket does not apply.'],
    [
      ['--organization', '--aggregator', 'a'],
      '--organization and --aggregator are two ways to scan an organization: choose one.',
    ],
    [
      ['--aggregator', 'a', '--remediate'],
      '--aggregator reads without entering any account, so it cannot --remediate (use --organization).',
    ],
    [['--regions', 'mars'], '--regions: "mars" is not a Region (e.g. eu-west-1).'],
  ])('%j', (args, message) => {
    expect(() => parseScanArgs(args, ids)).toThrow(new UsageError(message));
  });
});

describe('scan --organization --remediate --block-account-public-access', () => {
  test('plans account-level BPA in the flagged account only, through its own S3 Control credentials', async () => {
    organization([[account(MEMBER_A), account(MEMBER_B)]]);
    assumeRoleAnswers();
    perAccountListing();
    const callers: string[] = [];
    s3controlMock.on(GetAccountPublicAccessBlockCommand).callsFake(async (input: { AccountId: string }, getClient) => {
      callers.push(`${input.AccountId} as ${(await getClient().config.credentials()).accessKeyId}`);
      if (input.AccountId === MEMBER_A) throw s3Error('NoSuchPublicAccessBlockConfiguration', 404);
      return { PublicAccessBlockConfiguration: FOUR_ON };
    });
    const { document } = await runJson([
      ...ORG,
      '--rules',
      's3-account-level-public-access-blocked',
      '--remediate',
      '--block-account-public-access',
    ]);
    expect(new Set(callers)).toEqual(
      new Set([`${MEMBER_A} as ${keyOf(MEMBER_A)}`, `${MEMBER_B} as ${keyOf(MEMBER_B)}`]),
    );
    expect(document.remediation?.outcomes.map((o) => [o.target, o.action, o.status])).toEqual([
      [MEMBER_A, 'block-account-public-access', 'would-change'],
    ]);
  });
});
