/**
 * Every metric-filter pattern against every recorded CloudTrail record in events/cloudtrail (the bare record, as
 * CloudWatch Logs receives it): an explicit list of the records each filter must count, and every other record
 * must not be counted. Each `$.eventName = X` term of each pattern must be exercised by at least one record.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLOUDTRAIL_ALARMS, cloudTrailAlarms, type TamperTargets, tamperAlarms } from '../../infra/alarm-table';
import { BUCKETGUARD_PARAMETER_PATH } from '../../model/approved-exemptions';
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

/** The names the tamper fixtures use: a default deployment (prefix "bucketguard-") with a CloudFormation-named topic. */
const TARGETS: TamperTargets = {
  rulePrefix: 'bucketguard-',
  alarmPrefix: 'bucketguard-',
  topicArn: 'arn:aws:sns:eu-west-1:111122223333:BucketGuard-BucketGuardTopicBFC7AF6E-Ab12Cd34Ef56',
  parameterPath: BUCKETGUARD_PARAMETER_PATH,
};
const ALARMS = cloudTrailAlarms(TARGETS);
const at = (file: string, indexes: readonly number[]): string[] => indexes.map((i) => `infra/${file}#${i}`);

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
  // CIS CloudWatch.5 names no eventSource: the five trail calls, not PutEventSelectors or the GetTrailStatus read.
  'cloudtrail-changed': at('tamper-cloudtrail.json', [0, 1, 2, 3, 4]),
  'cloudtrail-event-selectors-changed': at('tamper-cloudtrail.json', [5]),
  // Not EnableKey / CancelKeyDeletion.
  'kms-key-disabled-or-deletion-scheduled': at('tamper-kms.json', [0, 1]),
  // CIS CloudWatch.9: not the recorder delete, not StartConfigurationRecorder.
  'config-changed': at('tamper-config.json', [0, 1, 2, 3]),
  'config-recorder-deleted': at('tamper-config.json', [4, 5]),
  // PutConfigRule on ours by name and by ARN only, DeleteConfigRule and DeleteEvaluationResults on ours; not the team
  // rule's put or delete, not the read.
  'config-rules-changed': at('tamper-config.json', [6, 7, 9, 10]),
  // Not another rule's DisableRule, not EnableRule.
  'eventbridge-rules-changed': at('tamper-eventbridge.json', [0, 1, 2, 3, 4]),
  // Versioned event names, function given by ARN, partial ARN or name; not another function, not GetFunction.
  'lambda-functions-changed': at('tamper-lambda.json', [0, 1, 2, 3, 4, 5, 6]),
  // Not another topic, not a topic whose name only starts with ours, not the read.
  'sns-topic-changed': at('tamper-sns.json', [0, 1, 2, 3, 4, 5, 6]),
  // Name or ARN under /bucketguard/, any bulk delete; not another path, not the read.
  'ssm-parameters-changed': at('tamper-ssm.json', [0, 1, 2, 3]),
  // Any alarm delete or actions disable; a put or state change only on ours; not EnableAlarmActions.
  'alarms-changed': at('tamper-cloudwatch.json', [0, 1, 2, 3]),
  'metric-filters-changed': at('tamper-logs.json', [0, 1]),
};

it('has an expectation for every row of the table, and every expected record exists', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(ALARMS.map((a) => a.id).sort());
  expect(new Set(ALARMS.map((a) => a.id)).size).toBe(ALARMS.length);
  expect(new Set(ALARMS.map((a) => a.metricName)).size).toBe(ALARMS.length);
  for (const names of Object.values(EXPECTED)) for (const name of names) expect(RECORDS.has(name)).toBe(true);
  expect(RECORDS.size).toBeGreaterThan(50);
});

describe.each(ALARMS.map((spec) => [spec.id, spec] as const))('%s', (id, spec) => {
  const filter = compileFilterPattern(spec.pattern);

  it('counts exactly the expected records among all recorded CloudTrail events', () => {
    const matched = [...RECORDS.entries()].filter(([, record]) => filter.matches(record)).map(([name]) => name);
    expect(matched.sort()).toEqual([...EXPECTED[id]].sort());
  });

  it('counts them from the log message text, as CloudWatch Logs does', () => {
    for (const name of EXPECTED[id]) expect(filter.matchesMessage(JSON.stringify(RECORDS.get(name)))).toBe(true);
  });

  it('has every eventName term exercised by a recorded event', () => {
    const terms = [...spec.pattern.matchAll(/\$\.eventName\s*=\s*"?([A-Za-z0-9]+\*?)"?/g)].map((m) => m[1]);
    const seen = EXPECTED[id].map((name) => RECORDS.get(name)!.eventName);
    // DeletePublicAccessBlock is the undocumented alternative spelling; the fixture records it. A `Name*` term (Lambda's
    // versioned event names) must be exercised by a recorded name it is a prefix of, never by the bare name.
    for (const term of terms) {
      const hit = term.endsWith('*')
        ? seen.some((name) => name.startsWith(term.slice(0, -1)) && name !== term.slice(0, -1))
        : seen.includes(term);
      expect({ term, seen: hit }).toEqual({ term, seen: true });
    }
  });

  it("fits CloudWatch Logs' 1024-character limit on a filter pattern, with the longest names a deployment allows", () => {
    const long = tamperAlarms({
      rulePrefix: 'x'.repeat(30),
      alarmPrefix: 'y'.repeat(30),
      topicArn: `arn:aws-us-gov:sns:us-gov-west-1:111122223333:${'T'.repeat(256)}`,
      parameterPath: BUCKETGUARD_PARAMETER_PATH,
    }).find((a) => a.id === id);
    expect((long ?? spec).pattern.length).toBeLessThanOrEqual(1024);
  });
});

describe('pattern details', () => {
  const byId = (id: string) => compileFilterPattern(ALARMS.find((a) => a.id === id)!.pattern);
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

describe('tamper filters (attack: tampering calls against the alarm patterns)', () => {
  const byId = (id: string) => compileFilterPattern(ALARMS.find((a) => a.id === id)!.pattern);
  const record = (name: string) => structuredClone(RECORDS.get(name)!) as Record<string, Record<string, unknown>>;

  it('every tamper row notifies directly, and no S3 / CIS-account row does', () => {
    expect(tamperAlarms(TARGETS).every((a) => a.direct === true)).toBe(true);
    expect(CLOUDTRAIL_ALARMS.some((a) => a.direct)).toBe(false);
  });

  it('matches the Lambda calls whatever API version CloudTrail appends, and only for bucketguard functions', () => {
    const filter = byId('lambda-functions-changed');
    const base = record('infra/tamper-lambda.json#2');
    for (const eventName of ['PutFunctionConcurrency20171031', 'PutFunctionConcurrency20991231v9']) {
      expect(filter.matches({ ...base, eventName })).toBe(true);
    }
    expect(filter.matches({ ...base, eventName: 'GetFunctionConcurrency20190930' })).toBe(false);
    expect(filter.matches({ ...base, eventSource: 'lambda-edge.amazonaws.com' })).toBe(false);
    expect(
      filter.matches({ ...base, requestParameters: { ...base.requestParameters, functionName: 'team-export' } }),
    ).toBe(false);
  });

  it('a prefix of its own follows the deployment: another prefix leaves these functions and rules alone', () => {
    const other = cloudTrailAlarms({ ...TARGETS, rulePrefix: 'team-a-', alarmPrefix: 'team-a-' });
    for (const id of [
      'lambda-functions-changed',
      'eventbridge-rules-changed',
      'config-rules-changed',
      'alarms-changed',
    ]) {
      const filter = compileFilterPattern(other.find((a) => a.id === id)!.pattern);
      const byName = EXPECTED[id].filter((name) => filter.matches(RECORDS.get(name)!));
      // What still matches names no bucketguard- resource: ARN-only PutConfigRule, list-valued alarm calls.
      expect({ id, byName }).toEqual({
        id,
        byName:
          id === 'config-rules-changed'
            ? ['infra/tamper-config.json#7']
            : id === 'alarms-changed'
              ? ['infra/tamper-cloudwatch.json#0', 'infra/tamper-cloudwatch.json#1']
              : [],
      });
    }
  });

  it('a denied attempt counts too (CloudTrail records it with an errorCode)', () => {
    const denied = {
      ...record('infra/tamper-eventbridge.json#0'),
      errorCode: 'AccessDenied',
      errorMessage: 'User is not authorized to perform: events:DisableRule',
    };
    expect(byId('eventbridge-rules-changed').matches(denied)).toBe(true);
  });
});
