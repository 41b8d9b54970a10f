/**
 * Every metric-filter pattern against every recorded CloudTrail record in events/cloudtrail (the bare record, as
 * CloudWatch Logs receives it): an explicit list of the records each filter must count, and every other record
 * must not be counted. Each `$.eventName = X` term of each pattern must be exercised by at least one record.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLOUDTRAIL_ALARMS } from '../../infra/alarm-table';
import { compileFilterPattern } from './filter-pattern';
import { REPO_ROOT } from './helpers';

type CloudTrailRecord = Record<string, unknown> & { eventName: string };

/** `file` for a single record (EventBridge envelope -> detail), `file#i` for trail files ({"Records": [...]}). */
function loadRecords(): Map<string, CloudTrailRecord> {
  const records = new Map<string, CloudTrailRecord>();
  const root = path.join(REPO_ROOT, 'events', 'cloudtrail');
  for (const folder of ['', 'infra']) {
    for (const file of fs
      .readdirSync(path.join(root, folder))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const name = folder ? `${folder}/${file}` : file;
      const json = JSON.parse(fs.readFileSync(path.join(root, folder, file), 'utf8'));
      if (Array.isArray(json.Records)) {
        for (const [i, r] of (json.Records as CloudTrailRecord[]).entries()) records.set(`${name}#${i}`, r);
      } else {
        records.set(name, json.detail as CloudTrailRecord);
      }
    }
  }
  return records;
}

const RECORDS = loadRecords();

/** The records each filter must count: written out by hand from the fixtures' READMEs, not derived from patterns. */
const EXPECTED: Record<string, readonly string[]> = {
  's3-bucket-created': ['create-bucket.json', 'create-bucket-error-code-empty.json'],
  's3-bucket-public-access-block-changed': [
    'put-bucket-public-access-block-all-off.json',
    'put-bucket-public-access-block-all-on.json',
    'put-bucket-public-access-block-partial.json',
    'put-bucket-public-access-block-by-bucketguard.json',
    'delete-bucket-public-access-block.json',
    'delete-public-access-block-bucket-level.json',
    'trail-file-two-records.json#0',
  ],
  's3-account-public-access-block-changed': [
    'put-account-public-access-block-off.json',
    'put-account-public-access-block-legacy-empty.json',
    'delete-account-public-access-block.json',
  ],
  's3-bucket-policy-changed': [
    'put-bucket-policy-public.json',
    'put-bucket-policy-access-denied.json',
    'put-bucket-policy-hostile-text.json',
    'put-bucket-policy-exempt-bucket.json',
    'put-bucket-policy-missing-bucket-name.json',
    'delete-bucket-policy.json',
    'put-bucket-acl-canned-public-read.json',
    'put-bucket-acl-grant-array.json',
    'put-bucket-acl-legacy-host-array.json',
    'put-bucket-acl-single-grant.json',
    'trail-file-two-records.json#1',
    'infra/s3-bucket-configuration.json#0',
    'infra/s3-bucket-configuration.json#1',
    'infra/s3-bucket-configuration.json#2',
    'infra/s3-bucket-configuration.json#3',
    'infra/s3-bucket-configuration.json#4',
    'infra/s3-bucket-configuration.json#5',
  ],
  's3-bucket-ownership-controls-changed': [
    'put-bucket-ownership-controls-object-writer.json',
    'delete-bucket-ownership-controls.json',
  ],
  's3-bucket-versioning-changed': ['put-bucket-versioning-enabled.json', 'put-bucket-versioning-suspended.json'],
  's3-bucket-deleted': ['delete-bucket.json'],
  // Only the IAM user without MFA: not the MFA sign-in, the failed one, root, or SSO (AssumedRole).
  'console-sign-in-without-mfa': ['infra/console-sign-in.json#0'],
  // Root sign-in and root API call; not a call invoked by an AWS service for root, not a root AwsServiceEvent.
  'root-account-usage': ['infra/console-sign-in.json#3', 'infra/root-activity.json#0'],
  // The eight seed-list calls and the denied CreateUser attempt.
  'iam-changes': [0, 1, 2, 3, 4, 5, 6, 7, 14].map((i) => `infra/iam-changes.json#${i}`),
  // PutUserPolicy, AttachUserPolicy, CreatePolicyVersion, PutRolePolicy, DetachGroupPolicy, CreatePolicy,
  // DeletePolicy, and #15-#23: the other nine CIS CloudWatch.4 calls.
  'iam-policy-changed': [4, 5, 7, 8, 9, 10, 11, 15, 16, 17, 18, 19, 20, 21, 22, 23].map(
    (i) => `infra/iam-changes.json#${i}`,
  ),
};

it('has an expectation for every row of the table, and every expected record exists', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(CLOUDTRAIL_ALARMS.map((a) => a.id).sort());
  for (const names of Object.values(EXPECTED)) for (const name of names) expect(RECORDS.has(name)).toBe(true);
  expect(RECORDS.size).toBeGreaterThan(50);
});

describe.each(CLOUDTRAIL_ALARMS.map((spec) => [spec.id, spec] as const))('%s', (id, spec) => {
  const filter = compileFilterPattern(spec.pattern);

  it('counts exactly the expected records among all recorded CloudTrail events', () => {
    const matched = [...RECORDS.entries()].filter(([, record]) => filter.matches(record)).map(([name]) => name);
    expect(matched.sort()).toEqual([...EXPECTED[id]].sort());
  });

  it('counts them from the log message text, as CloudWatch Logs does', () => {
    for (const name of EXPECTED[id]) expect(filter.matchesMessage(JSON.stringify(RECORDS.get(name)))).toBe(true);
  });

  it('has every eventName term exercised by a recorded event', () => {
    const terms = [...spec.pattern.matchAll(/\$\.eventName\s*=\s*"?([A-Za-z]+)"?/g)].map((m) => m[1]);
    const seen = new Set(EXPECTED[id].map((name) => RECORDS.get(name)!.eventName));
    // DeletePublicAccessBlock is the undocumented alternative spelling; the fixture records it.
    for (const term of terms) expect({ term, seen: seen.has(term) }).toEqual({ term, seen: true });
  });
});

describe('pattern details', () => {
  const byId = (id: string) => compileFilterPattern(CLOUDTRAIL_ALARMS.find((a) => a.id === id)!.pattern);
  const record = (name: string) => structuredClone(RECORDS.get(name)!) as Record<string, Record<string, unknown>>;

  it('S3 filters ignore the same event name from another service', () => {
    const outposts = RECORDS.get('infra/s3-bucket-configuration.json#7')!;
    expect(outposts).toMatchObject({ eventSource: 's3-outposts.amazonaws.com', eventName: 'PutBucketPolicy' });
    expect(byId('s3-bucket-policy-changed').matches(outposts)).toBe(false);
  });

  it('console sign-in without MFA needs all four conditions', () => {
    const base = record('infra/console-sign-in.json#0');
    const filter = byId('console-sign-in-without-mfa');
    expect(filter.matches(base)).toBe(true);
    expect(filter.matches({ ...base, additionalEventData: { ...base.additionalEventData, MFAUsed: 'Yes' } })).toBe(
      false,
    );
    expect(filter.matches({ ...base, userIdentity: { ...base.userIdentity, type: 'AssumedRole' } })).toBe(false);
    expect(filter.matches({ ...base, responseElements: { ConsoleLogin: 'Failure' } })).toBe(false);
    // No additionalEventData.MFAUsed at all: `!=` does not apply to a missing field, so no match (CIS wording).
    expect(filter.matches({ ...base, additionalEventData: {} })).toBe(false);
  });

  it('root usage excludes calls AWS services make for root and service events', () => {
    const base = record('infra/root-activity.json#0');
    const filter = byId('root-account-usage');
    expect(filter.matches(base)).toBe(true);
    expect(
      filter.matches({ ...base, userIdentity: { ...base.userIdentity, invokedBy: 'support.amazonaws.com' } }),
    ).toBe(false);
    expect(filter.matches({ ...base, eventType: 'AwsServiceEvent' })).toBe(false);
  });
});
