import { normalizeConfigurationItem, parseLoggingConfiguration } from '../../model/normalize';
import { readTemplate } from '../../model/normalize-cloudformation';
import { known, unknown } from '../../model/types';
import { readFixture } from '../rules/builders';

const RULE_ID = 's3-bucket-logging-enabled';

describe('server access logging (BucketLoggingConfiguration)', () => {
  it.each<[string, unknown, unknown]>([
    ['Config, off', { destinationBucketName: null, logFilePrefix: null }, null],
    ['advanced query, off', {}, null],
    ['null', null, null],
    [
      'Config, on',
      { destinationBucketName: 'example-logs', logFilePrefix: 'app/' },
      { targetBucket: 'example-logs', targetPrefix: 'app/' },
    ],
    [
      'Config, on without prefix',
      { destinationBucketName: 'example-logs' },
      { targetBucket: 'example-logs', targetPrefix: '' },
    ],
    [
      'API model string',
      '{"destinationBucketName":"example-logs","logFilePrefix":"a"}',
      { targetBucket: 'example-logs', targetPrefix: 'a' },
    ],
    [
      'double-encoded string',
      JSON.stringify('{"destinationBucketName":"example-logs","logFilePrefix":"a"}'),
      { targetBucket: 'example-logs', targetPrefix: 'a' },
    ],
    [
      'S3 GetBucketLogging',
      { LoggingEnabled: { TargetBucket: 'example-logs', TargetPrefix: 'b/' } },
      { targetBucket: 'example-logs', targetPrefix: 'b/' },
    ],
    [
      'CloudFormation',
      { DestinationBucketName: 'example-logs', LogFilePrefix: 'c/' },
      { targetBucket: 'example-logs', targetPrefix: 'c/' },
    ],
  ])('%s', (_name, value, expected) => {
    expect(parseLoggingConfiguration(value)).toEqual(expected);
  });

  it('a destination that is not a name fails the part, naming it', () => {
    expect(() => parseLoggingConfiguration({ destinationBucketName: 7 })).toThrow(
      'BucketLoggingConfiguration.destinationBucketName: expected a bucket name, received a number (7)',
    );
  });

  it.each(['Ａｌｌ Ｕｓｅｒｓ', 'example logs', 'x'.repeat(256)])(
    'a destination %j that is no bucket name fails the part',
    (name) => {
      expect(() => parseLoggingConfiguration({ destinationBucketName: name })).toThrow(
        'BucketLoggingConfiguration.destinationBucketName: expected a bucket name, received',
      );
    },
  );

  it('a legacy us-east-1 bucket name is a bucket name', () => {
    expect(parseLoggingConfiguration({ destinationBucketName: 'Legacy_Logs' })).toEqual({
      targetBucket: 'Legacy_Logs',
      targetPrefix: '',
    });
  });

  it('reads every recorded shape of the rule fixtures', () => {
    const logging = (file: string) => {
      const item = normalizeConfigurationItem(readFixture(RULE_ID, file));
      return item.kind === 'bucket' ? item.logging : undefined;
    };
    const on = known({ targetBucket: 'example-access-logs', targetPrefix: 'example-logged/' });
    expect(logging('compliant-logged.json')).toEqual(on);
    expect(logging('compliant-logged.api.json')).toEqual(on);
    expect(logging('noncompliant-off.json')).toEqual(known(null));
    expect(logging('noncompliant-off.api.json')).toEqual(known(null));
    expect(logging('noncompliant-off.query.json')).toEqual(known(null));
    expect(logging('not-applicable-deleted.json')).toEqual(unknown('resource deleted'));
  });

  it('an item without the key says so, never "off"', () => {
    const item = readFixture(RULE_ID, 'noncompliant-off.json') as {
      supplementaryConfiguration: Record<string, unknown>;
    };
    delete item.supplementaryConfiguration.BucketLoggingConfiguration;
    const state = normalizeConfigurationItem(item);
    expect(state.kind === 'bucket' && state.logging).toEqual(
      unknown('BucketLoggingConfiguration not in the configuration item'),
    );
  });
});

describe('server access logging in a CloudFormation template', () => {
  const template = (logging?: unknown) => ({
    Resources: {
      Logs: { Type: 'AWS::S3::Bucket' },
      Data: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: 'example-data', ...(logging ? { LoggingConfiguration: logging } : {}) },
      },
    },
  });
  const loggingOf = (body: unknown) =>
    readTemplate(body).buckets.find((bucket) => bucket.logicalId === 'Data')?.state.logging;

  it('none declared: off', () => {
    expect(loggingOf(template())).toEqual(known(null));
  });

  it('a Ref to a bucket of the template, with a prefix', () => {
    expect(loggingOf(template({ DestinationBucketName: { Ref: 'Logs' }, LogFilePrefix: 'data/' }))).toEqual(
      known({ targetBucket: '<Logs>', targetPrefix: 'data/' }),
    );
  });

  it('no DestinationBucketName: CloudFormation logs into the bucket itself', () => {
    expect(loggingOf(template({ LogFilePrefix: 'self/' }))).toEqual(
      known({ targetBucket: 'example-data', targetPrefix: 'self/' }),
    );
  });
});
