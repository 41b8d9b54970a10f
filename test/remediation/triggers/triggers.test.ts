import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AlarmFinding, ApiCallFinding, ComplianceChangeFinding } from '../../../remediation/triggers/finding';
import { parseTriggers } from '../../../remediation/triggers/triggers';
import { ALL_OFF, EVENTS_DIR, findingOf, loadEvent } from '../helpers';

function compliance(path: string): ComplianceChangeFinding {
  const finding = findingOf(path);
  if (finding.kind !== 'compliance-change') throw new Error(`${path} is ${finding.kind}`);
  return finding;
}
function apiCall(path: string): ApiCallFinding {
  const finding = findingOf(path);
  if (finding.kind !== 'api-call') throw new Error(`${path} is ${finding.kind}`);
  return finding;
}
function alarm(path: string): AlarmFinding {
  const finding = findingOf(path);
  if (finding.kind !== 'alarm') throw new Error(`${path} is ${finding.kind}`);
  return finding;
}

describe('every fixture in events/eventbridge, events/cloudtrail and events/alarms parses without throwing', () => {
  const files = ['eventbridge', 'cloudtrail', 'alarms'].flatMap((folder) =>
    readdirSync(join(EVENTS_DIR, folder))
      .filter((name) => name.endsWith('.json'))
      .map((name) => `${folder}/${name}`),
  );
  it.each(files)('%s', (file) => {
    const parsed = parseTriggers(loadEvent(file));
    expect(parsed.length).toBeGreaterThan(0);
    const invalid = parsed.filter((entry) => entry.kind === 'invalid');
    // Exactly one fixture is malformed on purpose.
    expect(invalid).toHaveLength(file === 'cloudtrail/put-bucket-policy-missing-bucket-name.json' ? 1 : 0);
  });
});

describe('Config Rules Compliance Change', () => {
  it('reads a transition to NON_COMPLIANT with its annotation and both results', () => {
    expect(compliance('eventbridge/compliance-public-read-noncompliant.json')).toEqual({
      kind: 'compliance-change',
      delivery: 'eventbridge',
      eventId: '00b0c4e7-0000-0000-0000-000000000001',
      time: '2024-03-06T08:05:06.271Z',
      accountId: '111122223333',
      region: 'us-east-1',
      ruleName: 'bucketguard-s3-bucket-public-access-prohibited',
      ruleArn: 'arn:aws:config:us-east-1:111122223333:config-rule/config-rule-d4e5f6',
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'example-public-assets',
      target: { kind: 'bucket', bucket: 'example-public-assets' },
      newCompliance: 'NON_COMPLIANT',
      oldCompliance: 'COMPLIANT',
      annotation: 'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
      orderingTimestamp: '2024-03-06T08:05:00.000Z',
    });
  });

  it('leaves oldCompliance undefined on a first evaluation', () => {
    const finding = compliance('eventbridge/compliance-first-evaluation-noncompliant.json');
    expect(finding.oldCompliance).toBeUndefined();
    expect(finding.newCompliance).toBe('NON_COMPLIANT');
  });

  it('reads an account-level resource as an account target', () => {
    expect(compliance('eventbridge/compliance-account-bpa-noncompliant.json').target).toEqual({
      kind: 'account',
      accountId: '111122223333',
    });
  });

  it("accepts Config's SNS delivery: Message is a JSON string and annotation is null", () => {
    const finding = compliance('eventbridge/compliance-sns-delivery.json');
    expect(finding.delivery).toBe('sns');
    expect(finding.annotation).toBeUndefined();
    expect(finding.ruleName).toBe('bucketguard-s3-bucket-level-public-access-blocked');
    expect(finding.target).toEqual({ kind: 'bucket', bucket: 'example-public-assets' });
  });

  it('rejects a compliance change without a rule name as invalid, with a message naming the field', () => {
    const event = loadEvent('eventbridge/compliance-public-read-noncompliant.json') as {
      detail: Record<string, unknown>;
    };
    const [parsed] = parseTriggers({ ...event, detail: { ...event.detail, configRuleName: '' } });
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.error.message).toBe(
      'Cannot read Config Rules Compliance Change event: detail.configRuleName is missing or empty.',
    );
  });
});

describe('AWS API Call via CloudTrail', () => {
  it('reads the actor, the requested flags and the effect of a PutBucketPublicAccessBlock', () => {
    const finding = apiCall('cloudtrail/put-bucket-public-access-block-all-off.json');
    expect(finding).toMatchObject({
      eventName: 'PutBucketPublicAccessBlock',
      target: { kind: 'bucket', bucket: 'example-private-data' },
      accountId: '111122223333',
      region: 'us-east-1',
      time: '2024-03-20T10:02:41.000Z',
      eventId: '00b0c4e7-0000-0000-0000-000000000065',
      actor: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
        sessionIssuerArn: 'arn:aws:iam::111122223333:role/Admin',
        mfaAuthenticated: true,
        sourceIp: '203.0.113.24',
      },
      change: { setting: 'bucket-bpa', flags: { known: true, value: ALL_OFF } },
      effect: 'loosens',
    });
    expect(finding.error).toBeUndefined();
  });

  it.each([
    ['put-bucket-public-access-block-all-on.json', 'tightens'],
    ['put-bucket-public-access-block-partial.json', 'loosens'],
    ['delete-bucket-public-access-block.json', 'loosens'],
    ['put-account-public-access-block-off.json', 'loosens'],
    ['put-account-public-access-block-legacy-empty.json', 'changes'],
    ['delete-account-public-access-block.json', 'loosens'],
    ['put-bucket-policy-public.json', 'changes'],
    ['delete-bucket-policy.json', 'changes'],
    ['put-bucket-acl-single-grant.json', 'loosens'],
    ['put-bucket-acl-grant-array.json', 'loosens'],
    ['put-bucket-acl-canned-public-read.json', 'loosens'],
    ['put-bucket-acl-legacy-host-array.json', 'loosens'],
    ['put-bucket-versioning-suspended.json', 'loosens'],
    ['put-bucket-versioning-enabled.json', 'tightens'],
    ['put-bucket-ownership-controls-object-writer.json', 'loosens'],
    ['delete-bucket-ownership-controls.json', 'loosens'],
    ['create-bucket.json', 'changes'],
    ['delete-bucket.json', 'changes'],
  ])('%s -> effect %s', (file, effect) => {
    expect(apiCall(`cloudtrail/${file}`).effect).toBe(effect);
  });

  it('folds DeletePublicAccessBlock with a bucketName into DeleteBucketPublicAccessBlock', () => {
    const finding = apiCall('cloudtrail/delete-public-access-block-bucket-level.json');
    expect(finding.eventName).toBe('DeleteBucketPublicAccessBlock');
    expect(finding.rawEventName).toBe('DeletePublicAccessBlock');
    expect(finding.change).toEqual({ setting: 'bucket-bpa', flags: { known: true, value: null } });
  });

  it('reads an account-level call without bucketName as an account target', () => {
    const finding = apiCall('cloudtrail/put-account-public-access-block-off.json');
    expect(finding.target).toEqual({ kind: 'account', accountId: '111122223333' });
    expect(finding.change).toEqual({
      setting: 'account-bpa',
      flags: {
        known: true,
        value: {
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: false,
          restrictPublicBuckets: false,
        },
      },
    });
  });

  it('says why the flags of a pre-2019 account-level record are unknown', () => {
    expect(apiCall('cloudtrail/put-account-public-access-block-legacy-empty.json').change).toEqual({
      setting: 'account-bpa',
      flags: {
        known: false,
        reason:
          'the request parameters do not include the PublicAccessBlockConfiguration (older CloudTrail records leave them empty)',
      },
    });
  });

  it('marks a failed call with its error code, and treats errorCode "" as success', () => {
    expect(apiCall('cloudtrail/put-bucket-policy-access-denied.json').error).toEqual({
      code: 'AccessDenied',
      message: 'Access Denied',
    });
    expect(apiCall('cloudtrail/create-bucket-error-code-empty.json').error).toBeUndefined();
  });

  it('reads the policy object of a PutBucketPolicy', () => {
    expect(apiCall('cloudtrail/put-bucket-policy-public.json').change).toEqual({
      setting: 'policy',
      policy: {
        known: true,
        value: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'PublicReadGetObject',
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::example-private-data/*',
            },
          ],
        },
      },
    });
  });

  it('reads a CreateBucket location and an old-style array canned ACL', () => {
    expect(apiCall('cloudtrail/create-bucket.json').change).toEqual({
      setting: 'bucket-created',
      locationConstraint: 'eu-west-1',
    });
    expect(apiCall('cloudtrail/put-bucket-acl-legacy-host-array.json').change).toEqual({
      setting: 'acl',
      canned: 'public-read-write',
      acl: {
        known: true,
        value: {
          grants: [
            { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' },
            { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'WRITE' },
          ],
        },
      },
    });
  });

  it('ignores S3 calls it does not watch and non-S3 sources', () => {
    expect(parseTriggers(loadEvent('cloudtrail/get-bucket-acl-read-only.json'))).toEqual([
      { kind: 'ignored', reason: 'S3 call GetBucketAcl is not one bucketguard watches' },
    ]);
    const event = loadEvent('cloudtrail/delete-bucket.json') as { detail: Record<string, unknown> };
    expect(parseTriggers({ ...event, detail: { ...event.detail, eventSource: 'iam.amazonaws.com' } })).toEqual([
      { kind: 'ignored', reason: 'CloudTrail eventSource "iam.amazonaws.com" is not S3' },
    ]);
  });

  it('reports a watched call without a bucket name as invalid, never as a finding', () => {
    const [parsed] = parseTriggers(loadEvent('cloudtrail/put-bucket-policy-missing-bucket-name.json'));
    expect(parsed.kind === 'invalid' && parsed.error.message).toBe(
      'Cannot read AWS API Call via CloudTrail event: PutBucketPolicy has no requestParameters.bucketName.',
    );
  });

  it('reads every record of a trail log file', () => {
    const parsed = parseTriggers(loadEvent('cloudtrail/trail-file-two-records.json'));
    expect(
      parsed.map((entry) =>
        entry.kind === 'finding' && entry.finding.kind === 'api-call' ? entry.finding.eventName : entry.kind,
      ),
    ).toEqual(['DeleteBucketPublicAccessBlock', 'PutBucketAcl']);
  });
});

describe('CloudWatch Alarm State Change', () => {
  it('reads the EventBridge event: states, reason, metric, threshold from reasonData', () => {
    expect(alarm('alarms/eventbridge-policy-changed-alarm.json')).toEqual({
      kind: 'alarm',
      delivery: 'eventbridge',
      eventId: '00b0c4e7-0000-0000-0000-00000000012d',
      time: '2024-03-20T10:35:12.345Z',
      accountId: '111122223333',
      region: 'us-east-1',
      alarmName: 'bucketguard-s3-bucket-policy-changed',
      alarmArn: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:bucketguard-s3-bucket-policy-changed',
      description:
        'A bucket policy, ACL, CORS, lifecycle or replication configuration changed (CIS, Security Hub CloudWatch.8).',
      newState: 'ALARM',
      oldState: 'OK',
      reason:
        'Threshold Crossed: 1 out of the last 1 datapoints [2.0 (20/03/24 10:30:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).',
      metric: { namespace: 'bucketguard', name: 'S3BucketPolicyChanges' },
      threshold: 1,
    });
  });

  it('reads the Lambda alarm-action payload, with +0000 offsets normalised', () => {
    expect(alarm('alarms/lambda-action-public-access-block-changed.json')).toMatchObject({
      delivery: 'lambda-action',
      time: '2024-03-20T10:36:15.490Z',
      alarmName: 'bucketguard-s3-bucket-public-access-block-changed',
      newState: 'ALARM',
      oldState: 'OK',
      region: 'us-east-1',
      accountId: '111122223333',
    });
  });

  it('reads the SNS alarm message and takes the region code from AlarmArn, not the human Region name', () => {
    expect(alarm('alarms/sns-account-public-access-block-changed.json')).toMatchObject({
      delivery: 'sns',
      region: 'us-east-1',
      time: '2024-03-20T10:37:00.123Z',
      alarmName: 'bucketguard-s3-account-public-access-block-changed',
      description: 'The account-level S3 Block Public Access configuration was put or deleted.',
      metric: { namespace: 'bucketguard', name: 'S3AccountPublicAccessBlockChanged' },
      threshold: 1,
      oldState: 'OK',
    });
  });
});

describe('anything else', () => {
  it.each([
    [null, 'not an event object (null)'],
    ['text', 'not an event object (string)'],
    [
      { 'detail-type': 'EC2 Instance State-change Notification', detail: {} },
      'EventBridge detail-type "EC2 Instance State-change Notification" is not a bucketguard trigger',
    ],
    [{ hello: 'world' }, 'no recognisable trigger shape (not a compliance change, CloudTrail record or alarm)'],
    [{ Records: [{ Sns: { Message: 'not json' } }] }, 'an SNS message that is not a JSON object'],
    [
      { messageType: 'ConfigurationItemChangeNotification' },
      'Config message type ConfigurationItemChangeNotification is not a bucketguard trigger',
    ],
  ])('%j is ignored: %s', (event, reason) => {
    expect(parseTriggers(event)).toEqual([{ kind: 'ignored', reason }]);
  });
});
