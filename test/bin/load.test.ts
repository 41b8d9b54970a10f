import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountBpaResolver, classifyDocument, loadInputs, normalizeDocuments } from '../../bin/load';
import { EVENTS, tempInputs } from './cli-support';

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(EVENTS, path), 'utf8'));

const kinds = (value: unknown) => {
  const result = classifyDocument(value, 'f.json', 'f.json');
  return {
    documents: result.documents.map((d) => ({ kind: d.kind, source: d.source, items: d.items.length })),
    problems: result.problems,
  };
};

const cloudTrailRecord = {
  eventVersion: '1.09',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012' },
  eventTime: '2024-09-01T10:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'PutBucketAcl',
  awsRegion: 'us-east-1',
  requestParameters: { bucketName: 'example-bucket', acl: '', 'x-amz-acl': 'public-read' },
};

describe('classifyDocument', () => {
  it.each([
    [
      'a change invocation (carries its item)',
      fixture('invocations/change-public-read-acl.json'),
      'config-rule-invocation',
      1,
    ],
    ['an oversized invocation (no item)', fixture('invocations/oversized-bucket.json'), 'config-rule-invocation', 0],
    [
      'a scheduled invocation (no item)',
      fixture('invocations/scheduled-bucket-rule.json'),
      'config-rule-invocation',
      0,
    ],
    [
      'a GetResourceConfigHistory response',
      fixture('invocations/api/get-resource-config-history-oversized.json'),
      'config-api-response',
      1,
    ],
    [
      'a BatchGetResourceConfig response',
      fixture('invocations/api/batch-get-resource-config-buckets.json'),
      'config-api-response',
      2,
    ],
    [
      'a SelectResourceConfig response',
      fixture('invocations/api/select-resource-config-s3.json'),
      'advanced-query-response',
      1,
    ],
    [
      'a bare invocation-model item',
      fixture('config-items/bucket-invocation-public-read-acl.json'),
      'configuration-item',
      1,
    ],
    ['a bare API-model item', fixture('config-items/bucket-api-public.json'), 'configuration-item', 1],
    [
      'an advanced-query row saved as a string',
      fixture('config-items/bucket-advanced-query-row-string.json'),
      'configuration-item',
      1,
    ],
    [
      'a bare Config change notification',
      {
        messageType: 'ConfigurationItemChangeNotification',
        configurationItem: { resourceType: 'AWS::S3::Bucket', resourceId: 'b' },
      },
      'config-notification',
      1,
    ],
    [
      'an EventBridge event',
      { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.s3', detail: cloudTrailRecord },
      'eventbridge-event',
      0,
    ],
    ['a bare CloudTrail record', cloudTrailRecord, 'cloudtrail-record', 0],
    [
      'a CloudWatch alarm Lambda payload',
      {
        source: 'aws.cloudwatch',
        alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:a',
        alarmData: { alarmName: 'a' },
      },
      'cloudwatch-alarm',
      0,
    ],
    ['a CloudWatch alarm SNS message', { AlarmName: 'a', NewStateValue: 'ALARM', Trigger: {} }, 'cloudwatch-alarm', 0],
    [
      'a Config ComplianceChangeNotification',
      { messageType: 'ComplianceChangeNotification', configRuleName: 'bucketguard-x', newEvaluationResult: {} },
      'config-compliance-notification',
      0,
    ],
  ])('%s', (_label, value, kind, items) => {
    const result = kinds(value);
    expect(result.problems).toEqual([]);
    expect(result.documents).toEqual([{ kind, source: 'f.json', items }]);
  });

  it('unwraps a Lambda SNS event carrying a Config notification', () => {
    expect(kinds(fixture('invocations/sns/config-item-change-notification.json'))).toEqual({
      documents: [{ kind: 'config-notification', source: 'f.json#Records[0]#Message', items: 1 }],
      problems: [],
    });
  });

  it('unwraps an SNS HTTP/SQS envelope (Type Notification) carrying an alarm message', () => {
    const envelope = { Type: 'Notification', Message: JSON.stringify({ AlarmName: 'a', NewStateValue: 'ALARM' }) };
    expect(kinds(envelope).documents).toEqual([{ kind: 'cloudwatch-alarm', source: 'f.json#Message', items: 0 }]);
  });

  it('splits a CloudTrail trail file into its records', () => {
    const trail = { Records: [cloudTrailRecord, { ...cloudTrailRecord, eventName: 'DeleteBucketPolicy' }] };
    expect(kinds(trail).documents).toEqual([
      { kind: 'cloudtrail-record', source: 'f.json#Records[0]', items: 0 },
      { kind: 'cloudtrail-record', source: 'f.json#Records[1]', items: 0 },
    ]);
  });

  it('classifies every element of an array, each with its index', () => {
    const mixed = [fixture('config-items/bucket-invocation-deleted.json'), cloudTrailRecord, 42];
    expect(kinds(mixed)).toEqual({
      documents: [
        { kind: 'configuration-item', source: 'f.json#0', items: 1 },
        { kind: 'cloudtrail-record', source: 'f.json#1', items: 0 },
      ],
      problems: [
        {
          source: 'f.json#2',
          message:
            'a JSON number; expected a Config rule invocation, a configuration item, a Config API response, an SNS notification, an EventBridge event, CloudTrail records or a CloudWatch alarm payload',
        },
      ],
    });
  });

  it('reports an unrecognised object with its keys, and S3 event notifications as unrecognised records', () => {
    expect(kinds({ hello: 'world', n: 1 }).problems).toEqual([
      {
        source: 'f.json',
        message:
          'unrecognised document (keys: hello, n); expected a Config rule invocation, a configuration item, a Config API response, an SNS notification, an EventBridge event, CloudTrail records or a CloudWatch alarm payload',
      },
    ]);
    expect(kinds({ Records: [{ eventSource: 'aws:s3', s3: {} }] }).problems[0].source).toBe('f.json#Records[0]');
    expect(kinds([]).problems).toEqual([{ source: 'f.json', message: 'an empty array: nothing to process' }]);
  });

  it('reports an SNS message that is not JSON', () => {
    expect(kinds({ Records: [{ EventSource: 'aws:sns', Sns: { Message: 'plain text' } }] }).problems).toEqual([
      {
        source: 'f.json#Records[0]#Message',
        message: 'the SNS Message is not a JSON object (not a Config, compliance or alarm notification)',
      },
    ]);
  });
});

describe('loadInputs', () => {
  it('walks a directory recursively in name order and notes non-JSON files', async () => {
    const result = await loadInputs([join(EVENTS, 'invocations')]);
    const relative = (p: string) => p.slice(join(EVENTS, 'invocations').length + 1);
    expect(result.documents.map((d) => relative(d.source))).toEqual([
      'api/batch-get-resource-config-buckets.json',
      'api/get-resource-config-history-oversized.json',
      'api/select-resource-config-s3.json',
      'change-absent-rule-parameters.json',
      'change-account-bpa-account-rule.json',
      'change-account-bpa-bucket-rule.json',
      'change-deleted-bucket.json',
      'change-invalid-parameters.json',
      'change-left-scope.json',
      'change-other-resource-type.json',
      'change-public-read-acl.json',
      'change-testmode.json',
      'oversized-bucket.json',
      'oversized-not-discovered.json',
      'scheduled-account-rule.json',
      'scheduled-bucket-rule.json',
      'sns/config-item-change-notification.json#Records[0]#Message',
      'unsupported-message-type.json',
    ]);
    expect(result.notes).toEqual([
      { source: join(EVENTS, 'invocations', 'README.md'), message: 'skipped (not a .json, .jsonl or .json.gz file)' },
    ]);
    expect(result.problems).toEqual([]);
    expect(result.filesRead).toBe(18);
  });

  it('reports unreadable inputs per file and keeps going', async () => {
    const { dir, cleanup } = tempInputs({
      'a-bad.json': '{"resourceType": ',
      'b-good.json': fixture('config-items/bucket-invocation-versioning-off.json'),
    });
    try {
      const result = await loadInputs([dir, join(dir, 'missing.json')]);
      expect(result.documents).toHaveLength(1);
      expect(result.problems.map((p) => [p.source, p.message.split(' (')[0]])).toEqual([
        [join(dir, 'a-bad.json'), 'not valid JSON'],
        [join(dir, 'missing.json'), 'no such file or directory'],
      ]);
    } finally {
      cleanup();
    }
  });
});

describe('accountBpaResolver', () => {
  const bucket = fixture('config-items/bucket-invocation-public-read-acl.json') as Record<string, unknown>;
  const accountOn = fixture('config-items/account-bpa-invocation-all-true.json') as Record<string, unknown>;
  const accountOff = {
    ...accountOn,
    configurationItemCaptureTime: '2024-01-01T00:00:00.000Z',
    configuration: {
      blockPublicAcls: false,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    },
  };
  const states = (docs: Array<[string, unknown]>) =>
    normalizeDocuments(
      docs.map(([file, item]) => ({
        source: file,
        file,
        kind: 'configuration-item' as const,
        document: item,
        items: [item],
      })),
    ).states;

  it('prefers the same file, then the same directory (latest capture), then a unique one', () => {
    const loaded = states([
      ['d1/bucket.json', bucket],
      ['d1/old.json', accountOff],
      ['d1/new.json', accountOn],
      ['d2/bucket.json', bucket],
      ['d3/other.json', accountOff],
    ]);
    const resolve = accountBpaResolver(loaded);
    expect(resolve(loaded[0])).toEqual({
      known: true,
      value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    });
    // d2 has no account item and the inputs disagree.
    expect(resolve(loaded[3])).toEqual({
      known: false,
      reason: 'several different account-level items in the inputs; use --account-public-access-block',
    });
  });

  it('is unknown("not provided") without an item for the account, and the override wins', () => {
    const loaded = states([['bucket.json', bucket]]);
    expect(accountBpaResolver(loaded)(loaded[0])).toEqual({ known: false, reason: 'not provided' });
    const flags = {
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: true,
      restrictPublicBuckets: false,
    };
    expect(accountBpaResolver(loaded, flags)(loaded[0])).toEqual({ known: true, value: flags });
  });

  it('treats a deleted account item as "no account-level configuration"', () => {
    const loaded = states([
      ['d/bucket.json', bucket],
      ['d/deleted.json', fixture('config-items/account-bpa-invocation-deleted.json')],
    ]);
    expect(accountBpaResolver(loaded)(loaded[0])).toEqual({ known: true, value: null });
  });
});
