/**
 * Athena over the trail (opt-in): a Glue database and table over the trail bucket's CloudTrail prefix with partition
 * projection (no crawler, no ALTER TABLE ADD PARTITION: Athena computes the partitions from the Region and the date),
 * a workgroup that enforces KMS-encrypted results and a bytes-scanned limit per query, and named queries answering
 * the saved Logs Insights questions over a year of logs, plus one the logs cannot answer cheaply: every bucket ever
 * made public, by whom.
 *
 * The table follows AWS's documented CloudTrail table (Athena user guide, "Create the table for CloudTrail logs in
 * Athena using partition projection"): CloudTrail's SerDe and input format, partitions `region` (enum) and
 * `timestamp` (date, yyyy/MM/dd) under AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { logAccessTo } from './access-logs';
import { S3_ACCOUNT_PERMISSION_EVENT_NAMES, S3_BUCKET_PERMISSION_EVENT_NAMES } from './event-patterns';

/** Commercial Regions CloudTrail writes to for a multi-Region trail (a Region with no logs costs nothing). */
export const DEFAULT_TRAIL_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

/** 10 GB: a year of one account's management events is far less; a mistyped query without a date filter stops. */
export const DEFAULT_BYTES_SCANNED_CUTOFF = 10 * 1024 ** 3;

export const CLOUDTRAIL_TABLE = 'cloudtrail_logs';

export interface TrailAthenaProps {
  readonly prefix: string;
  readonly trailBucket: s3.IBucket;
  /** The key the trail encrypts log files with: Athena reads through it, results are written with it. */
  readonly trailKey: kms.IKey;
  readonly accessLogsBucket?: s3.Bucket;
  /** The remediation role, whose calls make up the remediation history. */
  readonly remediationRoleArn?: string;
  readonly bytesScannedCutoffPerQuery?: number;
  /** First day of the projected date range (yyyy/MM/dd). */
  readonly firstDay?: string;
  readonly regions?: readonly string[];
}

const COLUMNS: readonly (readonly [string, string])[] = [
  ['eventversion', 'string'],
  [
    'useridentity',
    'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,' +
      'username:string,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
      'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,' +
      'sourceidentity:string>>',
  ],
  ['eventtime', 'string'],
  ['eventsource', 'string'],
  ['eventname', 'string'],
  ['awsregion', 'string'],
  ['sourceipaddress', 'string'],
  ['useragent', 'string'],
  ['errorcode', 'string'],
  ['errormessage', 'string'],
  ['requestparameters', 'string'],
  ['responseelements', 'string'],
  ['additionaleventdata', 'string'],
  ['requestid', 'string'],
  ['eventid', 'string'],
  ['readonly', 'string'],
  ['resources', 'array<struct<arn:string,accountid:string,type:string>>'],
  ['eventtype', 'string'],
  ['apiversion', 'string'],
  ['recipientaccountid', 'string'],
  ['serviceeventdetails', 'string'],
  ['sharedeventid', 'string'],
  ['vpcendpointid', 'string'],
];

const sqlList = (names: readonly string[]): string => names.map((name) => `'${name}'`).join(', ');

/** The named queries, as data (tested for what they select; the table name is filled in at synth). */
export function athenaQueries(table: string, remediationRoleArn: string | undefined): Record<string, string> {
  const bucket = "json_extract_scalar(requestparameters, '$.bucketName')";
  const actor = 'coalesce(useridentity.arn, useridentity.invokedby, useridentity.type)';
  const lastYear = "timestamp >= date_format(current_date - interval '365' day, '%Y/%m/%d')";
  return {
    'who-changed-bucket-visibility': [
      `SELECT eventtime, eventname, ${bucket} AS bucket, ${actor} AS actor, sourceipaddress, errorcode`,
      `FROM ${table}`,
      `WHERE eventsource = 's3.amazonaws.com' AND eventname IN (${sqlList([...S3_BUCKET_PERMISSION_EVENT_NAMES, ...S3_ACCOUNT_PERMISSION_EVENT_NAMES])})`,
      `  AND ${lastYear}`,
      'ORDER BY eventtime DESC',
      'LIMIT 1000',
    ].join('\n'),
    's3-permission-changes-for-a-bucket': [
      '-- Replace example-bucket with the bucket to investigate.',
      `SELECT eventtime, eventname, ${actor} AS actor, sourceipaddress, useragent, errorcode, requestparameters`,
      `FROM ${table}`,
      `WHERE eventsource = 's3.amazonaws.com' AND ${bucket} = 'example-bucket'`,
      `  AND eventname IN (${sqlList(S3_BUCKET_PERMISSION_EVENT_NAMES)})`,
      `  AND ${lastYear}`,
      'ORDER BY eventtime DESC',
    ].join('\n'),
    'remediation-history': [
      "-- bucketguard's own changes: every call its remediation role made.",
      `SELECT eventtime, eventname, ${bucket} AS bucket, awsregion, errorcode`,
      `FROM ${table}`,
      `WHERE useridentity.sessioncontext.sessionissuer.arn = '${remediationRoleArn ?? 'arn:aws:iam::111122223333:role/replace-with-the-remediation-role'}'`,
      "  AND readonly = 'false'",
      `  AND ${lastYear}`,
      'ORDER BY eventtime DESC',
    ].join('\n'),
    'buckets-ever-made-public': [
      '-- Every successful call that could have made a bucket public (a policy, an ACL, Block Public Access turned',
      '-- off or deleted at bucket or account level), with who made it: one row per bucket and call, first and last.',
      `SELECT ${bucket} AS bucket, eventname, ${actor} AS actor,`,
      '       min(eventtime) AS first_time, max(eventtime) AS last_time, count(*) AS calls',
      `FROM ${table}`,
      "WHERE eventsource = 's3.amazonaws.com' AND errorcode IS NULL",
      "  AND (eventname IN ('PutBucketPolicy', 'PutBucketAcl', 'DeleteBucketPublicAccessBlock',",
      "                     'DeletePublicAccessBlock', 'DeleteAccountPublicAccessBlock')",
      "       OR (eventname IN ('PutBucketPublicAccessBlock', 'PutPublicAccessBlock', 'PutAccountPublicAccessBlock')",
      '           AND regexp_like(requestparameters, \'"(BlockPublicPolicy|RestrictPublicBuckets|BlockPublicAcls|IgnorePublicAcls)"\\s*:\\s*false\')))',
      'GROUP BY 1, 2, 3',
      'ORDER BY last_time DESC',
    ].join('\n'),
  };
}

export class TrailAthena extends Construct {
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;
  readonly workGroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;
  readonly namedQueries: athena.CfnNamedQuery[] = [];

  constructor(scope: Construct, id: string, props: TrailAthenaProps) {
    super(scope, id);
    const cutoff = props.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF;
    // Athena's own minimum is 10 MB.
    if (!Number.isInteger(cutoff) || cutoff < 10_000_000) {
      throw new Error(`athenaBytesScannedCutoff must be an integer of at least 10000000 bytes (received ${cutoff}).`);
    }
    const name =
      props.prefix
        .replace(/[^a-z0-9_]/gi, '_')
        .replace(/_+$/, '')
        .toLowerCase() || 'bucketguard';
    const databaseName = `${name}_trail`;

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: databaseName, description: 'bucketguard: the CloudTrail trail, for Athena' },
    });

    const location = `s3://${props.trailBucket.bucketName}/AWSLogs/${Aws.ACCOUNT_ID}/CloudTrail/`;
    const regions = props.regions ?? DEFAULT_TRAIL_REGIONS;
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName,
      tableInput: {
        name: CLOUDTRAIL_TABLE,
        tableType: 'EXTERNAL_TABLE',
        description: 'CloudTrail log files of this account (partition projection: region, timestamp)',
        partitionKeys: [
          { name: 'region', type: 'string' },
          { name: 'timestamp', type: 'string' },
        ],
        parameters: {
          classification: 'cloudtrail',
          'projection.enabled': 'true',
          'projection.region.type': 'enum',
          'projection.region.values': regions.join(','),
          'projection.timestamp.type': 'date',
          'projection.timestamp.format': 'yyyy/MM/dd',
          'projection.timestamp.range': `${props.firstDay ?? '2025/01/01'},NOW`,
          'projection.timestamp.interval': '1',
          'projection.timestamp.interval.unit': 'DAYS',
          'storage.location.template': `${location}\${region}/\${timestamp}`,
        },
        storageDescriptor: {
          columns: COLUMNS.map(([column, type]) => ({ name: column, type })),
          location,
          inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });
    this.table.addResourceDependency(this.database);

    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      // Query results are copies of trail records: kept a month, not forever.
      lifecycleRules: [{ expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1) }],
    });
    if (props.accessLogsBucket) logAccessTo(this.resultsBucket, props.accessLogsBucket, 'athena-results/');

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${name}-trail`,
      description: 'bucketguard: queries over the CloudTrail trail (encrypted results, bytes-scanned limit)',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        // Users cannot switch the encryption or the limit off per query.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        engineVersion: { selectedEngineVersion: 'AUTO' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.trailKey.keyArn },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });

    const qualified = `"${databaseName}"."${CLOUDTRAIL_TABLE}"`;
    for (const [slug, queryString] of Object.entries(athenaQueries(qualified, props.remediationRoleArn))) {
      const query = new athena.CfnNamedQuery(this, `Query-${slug}`, {
        name: `${name}/${slug}`,
        database: databaseName,
        workGroup: this.workGroup.ref,
        queryString,
      });
      query.addResourceDependency(this.workGroup);
      query.addResourceDependency(this.table);
      this.namedQueries.push(query);
    }
  }
}
