/**
 * Athena over the trail (prop `athena`, issue 17): the Glue table reads exactly the trail bucket's CloudTrail prefix
 * with partition projection, the workgroup forces encrypted results and a scan limit, the named queries ask what the
 * saved Logs Insights queries ask (plus "every bucket ever made public"), and the shape passes cdk-nag.
 */
import { athenaQueries, CLOUDTRAIL_TABLE } from '../../infra/athena';
import { InvalidBucketGuardPropsError } from '../../infra/props';
import { nagFindings, resourcesOfType, synthBucketGuard } from './helpers';

describe('athena over the trail', () => {
  const result = synthBucketGuard({ props: { athena: true, athenaBytesScannedCutoff: 1_000_000_000 }, nag: true });
  const guard = result.guard;

  it('is off by default: no Glue, no Athena', () => {
    const plain = synthBucketGuard();
    for (const type of [
      'AWS::Glue::Database',
      'AWS::Glue::Table',
      'AWS::Athena::WorkGroup',
      'AWS::Athena::NamedQuery',
    ]) {
      expect(Object.keys(resourcesOfType(plain, type))).toEqual([]);
    }
  });

  it('projects the partitions of the trail bucket it reads (region enum, date yyyy/MM/dd, no crawler)', () => {
    const tables = Object.values(resourcesOfType(result, 'AWS::Glue::Table'));
    expect(tables).toHaveLength(1);
    const input = tables[0].Properties.TableInput as {
      Name: string;
      PartitionKeys: { Name: string }[];
      Parameters: Record<string, unknown>;
      StorageDescriptor: { Location: unknown; InputFormat: string; SerdeInfo: { SerializationLibrary: string } };
    };
    expect(input.Name).toBe(CLOUDTRAIL_TABLE);
    expect(input.PartitionKeys.map((key) => key.Name)).toEqual(['region', 'timestamp']);
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.region.type': 'enum',
      'projection.timestamp.type': 'date',
      'projection.timestamp.format': 'yyyy/MM/dd',
      'projection.timestamp.range': '2025/01/01,NOW',
    });
    expect(String(input.Parameters['projection.region.values']).split(',')).toContain('us-east-1');
    expect(input.StorageDescriptor.InputFormat).toBe('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hive.hcatalog.data.JsonSerDe');
    const trailBucketId = result.stack.getLogicalId(guard.trailAlarms?.trailBucket?.node.defaultChild as never);
    expect(JSON.stringify(input.StorageDescriptor.Location)).toContain(trailBucketId);
    expect(JSON.stringify(input.StorageDescriptor.Location)).toContain('/CloudTrail/');
    expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(
      ['$', '{region}/$', '{timestamp}'].join(''),
    );
  });

  it('enforces KMS-encrypted results (the trail key) and the bytes-scanned limit on every query', () => {
    const groups = Object.values(resourcesOfType(result, 'AWS::Athena::WorkGroup'));
    expect(groups).toHaveLength(1);
    const configuration = groups[0].Properties.WorkGroupConfiguration as Record<string, unknown> & {
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: string; KmsKey: unknown } };
    };
    expect(configuration.EnforceWorkGroupConfiguration).toBe(true);
    expect(configuration.BytesScannedCutoffPerQuery).toBe(1_000_000_000);
    expect(configuration.ResultConfiguration.EncryptionConfiguration.EncryptionOption).toBe('SSE_KMS');
    const trailKeyId = result.stack.getLogicalId(guard.trailAlarms?.trailKey?.node.defaultChild as never);
    expect(JSON.stringify(configuration.ResultConfiguration.EncryptionConfiguration.KmsKey)).toContain(trailKeyId);
  });

  it('saves the four named queries in the workgroup', () => {
    const queries = Object.values(resourcesOfType(result, 'AWS::Athena::NamedQuery')).map(
      (query) => query.Properties.Name,
    );
    expect(queries.sort()).toEqual([
      'bucketguard/buckets-ever-made-public',
      'bucketguard/remediation-history',
      'bucketguard/s3-permission-changes-for-a-bucket',
      'bucketguard/who-changed-bucket-visibility',
    ]);
  });

  it('asks the questions it is named for', () => {
    const queries = athenaQueries('t', 'arn:aws:iam::111122223333:role/remediation');
    expect(queries['who-changed-bucket-visibility']).toContain("'PutBucketPolicy'");
    expect(queries['who-changed-bucket-visibility']).toContain("'PutAccountPublicAccessBlock'");
    expect(queries['s3-permission-changes-for-a-bucket']).toContain("= 'example-bucket'");
    expect(queries['remediation-history']).toContain(
      "useridentity.sessioncontext.sessionissuer.arn = 'arn:aws:iam::111122223333:role/remediation'",
    );
    expect(queries['buckets-ever-made-public']).toContain('GROUP BY 1, 2, 3');
    expect(queries['buckets-ever-made-public']).toContain('errorcode IS NULL');
    // Every query but the all-time one is bounded to a year of partitions, so the scan limit is rarely reached.
    for (const slug of ['who-changed-bucket-visibility', 's3-permission-changes-for-a-bucket', 'remediation-history']) {
      expect(queries[slug]).toContain("timestamp >= date_format(current_date - interval '365' day, '%Y/%m/%d')");
    }
  });

  it('passes cdk-nag with the results bucket logged and encrypted', () => {
    expect(nagFindings(result.stack)).toEqual({ errors: [], warnings: [] });
  });

  it('refuses athena without the created trail, and a scan limit under Athena minimum', () => {
    expect(() => synthBucketGuard({ props: { athena: true, createTrail: false } })).toThrow(
      InvalidBucketGuardPropsError,
    );
    expect(() => synthBucketGuard({ props: { athena: true, athenaBytesScannedCutoff: 5 } })).toThrow(
      'Invalid bucketguard setting "athenaBytesScannedCutoff": received 5; expected an integer of at least 10000000 bytes.',
    );
  });
});
