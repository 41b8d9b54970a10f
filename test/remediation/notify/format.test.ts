import type { Outcome } from '../../../remediation/actions/outcome';
import {
  actorName,
  describeAcl,
  describePolicy,
  formatAlarm,
  formatApiCall,
  formatComplianceChange,
  formatFinding,
  formatRemediationRequest,
} from '../../../remediation/notify/format';
import { bucketConsoleUrl, isRegionCode, MAX_SUBJECT_LENGTH, subjectLine } from '../../../remediation/notify/text';
import type { AlarmFinding, ApiCallFinding, ComplianceChangeFinding } from '../../../remediation/triggers/finding';
import { ALL_ON, findingOf } from '../helpers';

const CONTEXT = { rulePrefix: 'bucketguard-', exemptionTag: 'bucketguard:exempt' };
const TWO_CHANGES = [
  { setting: 'BlockPublicAcls', from: 'false', to: 'true' },
  { setting: 'RestrictPublicBuckets', from: 'false', to: 'true' },
];
const changed: Outcome = {
  action: 'block-public-access',
  targetKind: 'bucket',
  target: 'example-private-data',
  mode: 'remediate',
  status: 'changed',
  reason: 'PutPublicAccessBlock succeeded; verified by reading it back',
  exemption: { state: 'none' },
  before: { kind: 'bpa', flags: { ...ALL_ON, blockPublicAcls: false, restrictPublicBuckets: false } },
  after: { kind: 'bpa', flags: ALL_ON },
  changes: TWO_CHANGES,
};

const compliance = (file: string) => findingOf(`eventbridge/${file}`) as ComplianceChangeFinding;
const apiCall = (file: string) => findingOf(`cloudtrail/${file}`) as ApiCallFinding;
const alarm = (file: string) => findingOf(`alarms/${file}`) as AlarmFinding;
const lines = (body: string) => body.split('\n');

describe('formatApiCall', () => {
  it('renders the full email for a remediated PutBucketPolicy', () => {
    const email = formatApiCall(apiCall('put-bucket-policy-public.json'), [changed], CONTEXT);
    expect(email.subject).toBe('[bucketguard] FIXED: Admin/alice put a bucket policy on example-private-data');
    expect(email.body).toBe(
      [
        'Admin/alice put a bucket policy on example-private-data.',
        '',
        'What happened',
        '  Bucket:       example-private-data',
        '  Account:      111122223333',
        '  Region:       us-east-1',
        '  API call:     PutBucketPolicy',
        '  Policy:       "PublicReadGetObject": Allow s3:GetObject to everyone (*)',
        '  When:         2024-03-20T10:11:00.000Z',
        '',
        'Who',
        '  Identity:     arn:aws:sts::111122223333:assumed-role/Admin/alice',
        '  Via role:     arn:aws:iam::111122223333:role/Admin',
        '  Source IP:    203.0.113.24',
        // Free text from the event is quoted as data; its continuation lines are indented two more.
        '  User agent:   "aws-cli/2.15.30 Python/3.11.8 Linux/6.1',
        '                  exe/x86_64.amzn.2023 prompt/off',
        '                  command/s3api.put-bucket-policy"',
        '  MFA:          yes',
        '',
        'Remediation',
        '  Mode:         remediate',
        '',
        '  block-public-access: CHANGED',
        '    PutPublicAccessBlock succeeded; verified by reading it back',
        '    BlockPublicAcls        false -> true',
        '    RestrictPublicBuckets  false -> true',
        '    Before:       BlockPublicAcls=false, IgnorePublicAcls=true,',
        '                  BlockPublicPolicy=true, RestrictPublicBuckets=false',
        '    After:        BlockPublicAcls=true, IgnorePublicAcls=true,',
        '                  BlockPublicPolicy=true, RestrictPublicBuckets=true',
        '',
        'Links',
        '  Bucket:       https://s3.console.aws.amazon.com/s3/buckets/example-private-data?region=us-east-1&tab=permissions',
        '  CloudTrail:   https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/00b0c4e7-0000-0000-0000-00000000006d',
        '',
        '--',
        'bucketguard keeps S3 buckets from silently becoming public.',
        'To exempt a bucket on purpose, ask the security team to add it to the',
        'approved exemption list; a tag bucketguard:exempt=<reason> (and',
        'bucketguard:exempt-until=<YYYY-MM-DD>) is only a request.',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [
      'put-bucket-public-access-block-all-off.json',
      [],
      '[bucketguard] ALERT: Admin/alice changed Block Public Access on bucket example-private-data',
      '  Requested:    BlockPublicAcls=false, IgnorePublicAcls=false,',
    ],
    [
      'delete-bucket-public-access-block.json',
      [],
      '[bucketguard] ALERT: Admin/alice removed Block Public Access from bucket example-private-data',
      '  Now:          Block Public Access removed: all four flags off',
    ],
    [
      'put-account-public-access-block-off.json',
      [],
      '[bucketguard] ALERT: Admin/alice changed account-level Block Public Access in account 111122223333',
      '  Account:      111122223333',
    ],
    [
      'put-bucket-acl-canned-public-read.json',
      [],
      '[bucketguard] ALERT: Admin/alice set the ACL of example-scratch to public-read',
      '  Grants:       AllUsers READ',
    ],
    [
      'put-bucket-acl-grant-array.json',
      [],
      '[bucketguard] ALERT: Admin/alice changed the ACL of example-scratch',
      '  Grants:       user c0ffee00d15e... FULL_CONTROL, AuthenticatedUsers READ,',
    ],
    [
      'put-bucket-versioning-suspended.json',
      [],
      '[bucketguard] ALERT: Admin/alice set versioning of example-build-cache to Suspended',
      '  Versioning:   Suspended',
    ],
    [
      'delete-bucket.json',
      [],
      '[bucketguard] CHANGE: Admin/alice deleted bucket example-decommissioned',
      '  API call:     DeleteBucket',
    ],
    [
      'put-bucket-policy-access-denied.json',
      [],
      '[bucketguard] DENIED: Developer/mallory tried PutBucketPolicy on example-private-data: AccessDenied',
      '  Error:        AccessDenied: "Access Denied" (nothing changed)',
    ],
    [
      'put-bucket-acl-legacy-host-array.json',
      [],
      '[bucketguard] ALERT: legacy-ci set the ACL of example-scratch to public-read-write',
      '  Identity:     arn:aws:iam::111122223333:user/legacy-ci',
    ],
    [
      'create-bucket.json',
      [],
      '[bucketguard] CHANGE: Admin/alice created bucket example-new-reports',
      '  Location:     eu-west-1',
    ],
  ] as const)('%s', (file, outcomes, subject, line) => {
    const email = formatApiCall(apiCall(file), outcomes, CONTEXT);
    expect(email.subject).toBe(subject);
    expect(lines(email.body)).toContain(line);
  });

  it('says no enabled action applies when the Lambda mails a loosening change by itself', () => {
    expect(lines(formatApiCall(apiCall('put-bucket-acl-canned-public-read.json'), [], CONTEXT).body)).toEqual(
      expect.arrayContaining(['Remediation', '  none: no enabled action applies; review the change by hand.']),
    );
  });
});

describe('formatComplianceChange', () => {
  it('dry run of a NON_COMPLIANT bucket', () => {
    const dryRun: Outcome = {
      ...changed,
      target: 'example-public-assets',
      mode: 'notify',
      status: 'would-change',
      reason: 'dry run: would turn on BlockPublicAcls, RestrictPublicBuckets',
    };
    const email = formatComplianceChange(compliance('compliance-public-read-noncompliant.json'), [dryRun], CONTEXT);
    expect(email.subject).toBe(
      '[bucketguard] DRY RUN: example-public-assets NON_COMPLIANT (s3-bucket-public-access-prohibited)',
    );
    expect(lines(email.body)).toEqual(
      expect.arrayContaining([
        'Bucket example-public-assets is NON_COMPLIANT with rule',
        'bucketguard-s3-bucket-public-access-prohibited.',
        '  Rule:         bucketguard-s3-bucket-public-access-prohibited',
        '  Compliance:   COMPLIANT -> NON_COMPLIANT',
        '  Why:          Public read, list via ACL: AllUsers has READ;',
        '                IgnorePublicAcls is off at bucket and account level.',
        '  Mode:         notify (dry run)',
        '  block-public-access: WOULD CHANGE (dry run)',
        '    Would be:     BlockPublicAcls=true, IgnorePublicAcls=true,',
        '  Config rule:  https://us-east-1.console.aws.amazon.com/config/home?region=us-east-1#/rules/details?configRuleName=bucketguard-s3-bucket-public-access-prohibited',
      ]),
    );
  });

  it('first evaluation, exempt bucket: subject EXEMPT, exemption section', () => {
    const exempt: Outcome = {
      ...changed,
      target: 'example-product-images',
      status: 'skipped',
      reason: 'exempt until 2030-01-01, approved by secteam ("CDN origin"): not changed',
      exemption: {
        state: 'approved',
        entry: { bucket: 'example-product-images', reason: 'CDN origin', approver: 'secteam', until: '2030-01-01' },
      },
      changes: [],
    };
    const email = formatComplianceChange(compliance('compliance-exempt-bucket-noncompliant.json'), [exempt], CONTEXT);
    expect(email.subject).toBe(
      '[bucketguard] EXEMPT: example-product-images NON_COMPLIANT (s3-bucket-level-public-access-blocked)',
    );
    expect(lines(email.body)).toEqual(
      expect.arrayContaining([
        '  Compliance:   (first evaluation) -> NON_COMPLIANT',
        'Exemption',
        '  Exempt:       yes: approved by "secteam": "CDN origin"',
        '  Until:        2030-01-01',
        '  block-public-access: NOT CHANGED',
      ]),
    );
  });

  it('a resolution has no remediation or who section', () => {
    const email = formatComplianceChange(compliance('compliance-resolved.json'), [], CONTEXT);
    expect(email.subject).toBe(
      '[bucketguard] RESOLVED: example-public-assets COMPLIANT again (s3-bucket-public-access-prohibited)',
    );
    expect(email.body).not.toContain('Remediation');
    expect(email.body).not.toContain('Who');
    expect(lines(email.body)).toContain('  Compliance:   NON_COMPLIANT -> COMPLIANT');
  });

  it('account-level finding, flapping stop', () => {
    const stopped: Outcome = {
      action: 'block-account-public-access',
      targetKind: 'account',
      target: '111122223333',
      mode: 'remediate',
      status: 'skipped',
      reason:
        'already remediated 3 times since 2024-02-03T17:00:00.000Z (limit 3 per 3600 s): something keeps undoing it',
      changes: [],
      flapping: { count: 3, limit: 3, windowSeconds: 3600 },
    };
    const email = formatComplianceChange(compliance('compliance-account-bpa-noncompliant.json'), [stopped], CONTEXT);
    expect(email.subject).toBe(
      '[bucketguard] STOPPED: account 111122223333 NON_COMPLIANT (s3-account-level-public-access-blocked)',
    );
    expect(lines(email.body)).toContain('  block-account-public-access: STOPPED (keeps being undone)');
    expect(email.body).not.toContain('To exempt a bucket');
  });

  it('a rule without an action tells the reader to fix it by hand', () => {
    expect(
      lines(formatComplianceChange(compliance('compliance-acl-prohibited-noncompliant.json'), [], CONTEXT).body),
    ).toContain('  none: no enabled action fixes this rule; fix it by hand.');
  });
});

describe('formatAlarm', () => {
  it.each([
    [
      'eventbridge-policy-changed-alarm.json',
      '[bucketguard] ALARM: Alarm bucketguard-s3-bucket-policy-changed is in ALARM',
      '  State:        OK -> ALARM',
    ],
    [
      'eventbridge-policy-changed-ok.json',
      '[bucketguard] OK: Alarm bucketguard-s3-bucket-policy-changed is OK again',
      '  State:        ALARM -> OK',
    ],
    [
      'sns-account-public-access-block-changed.json',
      '[bucketguard] ALARM: Alarm bucketguard-s3-account-public-access-block-changed is in ALARM',
      '  Metric:       bucketguard / S3AccountPublicAccessBlockChanged',
    ],
  ])('%s', (file, subject, line) => {
    const email = formatAlarm(alarm(file), CONTEXT);
    expect(email.subject).toBe(subject);
    expect(lines(email.body)).toContain(line);
    expect(email.body).toContain('#alarmsV2:alarm/bucketguard-s3-');
  });

  it('tells the reader where to find the bucket and the actor', () => {
    expect(formatAlarm(alarm('lambda-action-public-access-block-changed.json'), CONTEXT).body).toContain(
      'An alarm carries no CloudTrail record',
    );
  });
});

describe('formatRemediationRequest (direct invocation)', () => {
  it('names the target and the outcome', () => {
    const email = formatRemediationRequest(
      { kind: 'bucket', bucket: 'example-private-data', region: 'us-east-1' },
      [changed],
      CONTEXT,
    );
    expect(email.subject).toBe('[bucketguard] FIXED: bucket example-private-data');
    expect(lines(email.body)[0]).toBe('Remediation requested for bucket example-private-data.');
  });
});

describe('text rules', () => {
  it('keeps every subject under the SNS limit, on one line, without control characters', () => {
    const long = subjectLine('ALERT', `${'x'.repeat(200)}\nsecond line\u0007`);
    expect(long.length).toBe(MAX_SUBJECT_LENGTH);
    expect(long.endsWith('...')).toBe(true);
    expect([...long].some((character) => character.charCodeAt(0) < 0x20)).toBe(false);
  });

  it('never writes a body line longer than 80 characters except a URL or an unbreakable token', () => {
    const files = [
      'cloudtrail/put-bucket-policy-exempt-bucket.json',
      'cloudtrail/put-bucket-acl-grant-array.json',
      'eventbridge/compliance-conformance-pack-suffix.json',
      'alarms/eventbridge-policy-changed-alarm.json',
    ];
    for (const file of files) {
      for (const line of lines(formatFinding(findingOf(file), [changed], CONTEXT).body)) {
        if (line.length > 80) expect(line).toMatch(/https:\/\/|\S{40,}/);
      }
    }
  });

  it.each([
    [{ type: 'Root', arn: 'arn:aws:iam::111122223333:root' }, 'root'],
    [{ type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/team/bob' }, 'bob'],
    [{ type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice' }, 'Admin/alice'],
    [{ type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' }, 'cloudformation.amazonaws.com'],
    [{}, 'an unidentified caller'],
  ])('actorName(%j) = %s', (actor, name) => {
    expect(actorName(actor)).toBe(name);
  });

  it('describes policies and ACLs in words', () => {
    expect(
      describePolicy({
        Statement: [
          {
            Effect: 'Allow',
            NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject'],
          },
          {
            Sid: 'Ip',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
          },
        ],
      }),
    ).toEqual([
      '#1: Allow s3:GetObject, s3:PutObject, s3:ListBucket and 1 more to everyone except AWS arn:aws:iam::111122223333:root',
      '"Ip": Allow s3:GetObject to everyone (*) if aws:SourceIp',
    ]);
    expect(describeAcl({ grants: [] })).toBe('no grants besides the owner');
  });
});

describe('links', () => {
  it('never builds a console host name from a region that is not a region code', () => {
    const finding = compliance('compliance-public-read-noncompliant.json');
    const body = formatComplianceChange({ ...finding, region: 'evil.example.com/x' }, [], CONTEXT).body;
    expect(body).not.toMatch(/https:\/\/\S*evil/);
    expect(body).toContain('https://s3.console.aws.amazon.com/s3/buckets/example-public-assets?tab=permissions');
    expect(isRegionCode('us-gov-west-1')).toBe(true);
    expect(isRegionCode('eu-central-2')).toBe(true);
  });

  it('links a name with a lone surrogate (a damaged event) instead of throwing URIError', () => {
    expect(bucketConsoleUrl('a\uD800b', 'us-east-1')).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/a%EF%BF%BDb?region=us-east-1&tab=permissions',
    );
  });
});
