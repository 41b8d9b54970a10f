/**
 * The Config path fed by someone else's configuration items: buckets are put into known states through moto's S3
 * API, moto's Config builds the items from that state (its own rendition of the API model: string-encoded
 * supplementary values, double-encoded ACL), and every rule's real Lambda handler runs in-process with real SDK v3
 * clients against the server: the scheduled sweep (ListDiscoveredResources + BatchGetResourceConfig), the oversized
 * change notification (GetResourceConfigHistory), account-level BPA read live (S3 Control GetPublicAccessBlock) and
 * PutEvaluations.
 *
 * PutEvaluations: moto accepts it only with TestMode (anything else is "not yet implemented", HTTP 500). The
 * invocations therefore carry resultToken "TESTMODE", which makes bucketguard send TestMode: true (the RDK
 * convention); one test shows that a real token's evaluations are reported undelivered, never as delivered.
 *
 * Where moto's items differ from AWS's (each test that meets one says so):
 *  - No BucketVersioningConfiguration in any item (AWS always has one, "Off" when never enabled): bucketguard reads
 *    versioning as unknown and the versioning rule reports NOT_APPLICABLE "Could not evaluate: ...", never a guess.
 *  - An AllUsers / AuthenticatedUsers URI grant (e.g. the canned ACL public-read) makes moto's item generation crash
 *    (HTTP 500 from BatchGetResourceConfig and GetResourceConfigHistory): the invocation fails loudly. Public ACLs
 *    are judged from AWS's own recorded items in the unit tests and against Ceph RGW in scan.test.ts.
 *  - GetResourceConfigHistory ignores laterTime/limit and holds only the current item.
 *  - No AWS::S3::AccountPublicAccessBlock item until account BPA is set (AWS: the same), and moto's Config needs no
 *    configuration recorder (AWS records nothing without one).
 *  - PutEvaluations in TestMode accepts anything (no annotation length or compliance type checks): those limits are
 *    asserted on what bucketguard sent (report.evaluations) and in the unit tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { RULES } from '../../rules';
import { createRuleHandler, EvaluationDeliveryError, type EvaluationRecord } from '../../rules/config-protocol/adapter';
import { MOTO_ACCOUNT_ID, motoClient, motoS3Clients, motoSuite } from './moto';

motoSuite();
const EVENTS = join(__dirname, '..', '..', 'events', 'invocations');

const NAMES = ['private', 'public-policy', 'ip-policy', 'bpa-on', 'versioned', 'exempt'] as const;
type Name = (typeof NAMES)[number];
const bucket = (name: Name | 'public-acl'): string => `bg-config-${name}`;
const EXEMPTION_REASON = 'public downloads (integration test)';
/** The approved list (issue 13): the exempt bucket's tag is only a request; this SSM entry grants it. */
const EXEMPTIONS_PARAMETER = '/bucketguard/bucketguard/exemptions';
const EXEMPT_UNTIL = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
let ssm: SSMClient;

let config: ConfigServiceClient;
let clients: ReturnType<typeof motoS3Clients>;

function ruleById(id: string) {
  const rule = RULES.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

function handlerFor(id: string) {
  return createRuleHandler(ruleById(id), {
    clients: () => ({ config, s3: clients.s3, s3control: clients.s3control, ssm }),
    // Backoff between retries without waiting in real time (the retries themselves still go to the server).
    sleep: async () => {},
  });
}

/** A recorded invocation from events/invocations/, sent to rule `id` with resultToken "TESTMODE" (see above). */
function invocation(file: string, id: string, invokingEvent?: Record<string, unknown>, resultToken = 'TESTMODE') {
  const recorded = JSON.parse(readFileSync(join(EVENTS, file), 'utf8')) as Record<string, unknown>;
  const approvedList = 'exemptionsParameter' in ruleById(id).parameters;
  return {
    ...recorded,
    configRuleName: `bucketguard-${id}`,
    ...(approvedList ? { ruleParameters: JSON.stringify({ exemptionsParameter: EXEMPTIONS_PARAMETER }) } : {}),
    resultToken,
    ...(invokingEvent ? { invokingEvent: JSON.stringify(invokingEvent) } : {}),
  };
}

const scheduled = (id: string, resultToken?: string) =>
  invocation(
    id === 's3-account-level-public-access-blocked' ? 'scheduled-account-rule.json' : 'scheduled-bucket-rule.json',
    id,
    undefined,
    resultToken,
  );

/** The recorded oversized notification, its summary pointing at `resourceId`, captured now. */
function oversized(id: string, resourceId: string) {
  const recorded = JSON.parse(readFileSync(join(EVENTS, 'oversized-bucket.json'), 'utf8')) as { invokingEvent: string };
  const event = JSON.parse(recorded.invokingEvent) as { configurationItemSummary: Record<string, unknown> };
  return invocation('oversized-bucket.json', id, {
    ...event,
    configurationItemSummary: {
      ...event.configurationItemSummary,
      resourceId,
      resourceName: resourceId,
      ARN: `arn:aws:s3:::${resourceId}`,
      configurationItemCaptureTime: new Date().toISOString(),
    },
  });
}

function policy(name: Name, condition?: Record<string, unknown>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: condition ? 'DocumentationRangeOnly' : 'PublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket(name)}/*`,
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
}

beforeAll(async () => {
  config = motoClient(ConfigServiceClient);
  clients = motoS3Clients();
  ssm = motoClient(SSMClient);
  await ssm.send(
    new PutParameterCommand({
      Name: EXEMPTIONS_PARAMETER,
      Type: 'String',
      Overwrite: true,
      Value: JSON.stringify([
        { bucket: bucket('exempt'), reason: EXEMPTION_REASON, approver: 'secteam', until: EXEMPT_UNTIL },
      ]),
    }),
  );
  const { s3 } = clients;
  for (const name of NAMES) await s3.send(new CreateBucketCommand({ Bucket: bucket(name) }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket('public-policy'), Policy: policy('public-policy') }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket('ip-policy'),
      Policy: policy('ip-policy', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }),
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket('bpa-on'),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket('versioned'), VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: bucket('exempt'),
      Tagging: { TagSet: [{ Key: 'bucketguard:exempt', Value: EXEMPTION_REASON }] },
    }),
  );
});

type Row = readonly [string, string, string];
const rowsOf = (evaluations: readonly EvaluationRecord[]): Row[] =>
  evaluations.map((e) => [e.resourceId, e.compliance, e.annotation] as const);
const sorted = (rows: readonly Row[]): Row[] => [...rows].sort((a, b) => a[0].localeCompare(b[0]));

const EXEMPT = `Exempt until ${EXEMPT_UNTIL}, approved by secteam: ${EXEMPTION_REASON}`;
const NOT_PUBLIC = 'Not public: no public policy statement or ACL grant.';
/** The limited statement is named, with the condition that limits it (issue 19). */
const NOT_PUBLIC_IP_LIMITED =
  'Not public: no public policy statement or ACL grant (statement "DocumentationRangeOnly" allows any principal, limited by aws:SourceIp 203.0.113.0/24).';
const NO_BUCKET_BPA = 'No bucket-level Block Public Access configuration.';
const OWNER_ONLY = 'ACL grants access only to the bucket owner.';
const SAME_ACCOUNT = `No cross-account access: the bucket policy and ACL grant access only within account ${MOTO_ACCOUNT_ID}.`;
const PUBLIC_POLICY =
  'Public read via bucket policy: statement "PublicRead" allows * (no limiting condition); RestrictPublicBuckets is off at bucket and account level.';
// moto difference: its items have no BucketVersioningConfiguration, so versioning is unknown, never guessed.
const VERSIONING_UNKNOWN =
  'Could not evaluate: versioning unknown (BucketVersioningConfiguration not in the configuration item).';

/** Per rule, per bucket: the verdict of the scheduled sweep (account BPA never configured, read live). */
const EXPECTED: Record<string, Record<Name, readonly [string, string]>> = {
  's3-bucket-public-access-prohibited': {
    private: ['COMPLIANT', NOT_PUBLIC],
    'public-policy': ['NON_COMPLIANT', PUBLIC_POLICY],
    // "*" limited by a fixed /24 aws:SourceIp is not public by S3's definition.
    'ip-policy': ['COMPLIANT', NOT_PUBLIC_IP_LIMITED],
    'bpa-on': ['COMPLIANT', NOT_PUBLIC],
    versioned: ['COMPLIANT', NOT_PUBLIC],
    exempt: ['COMPLIANT', EXEMPT],
  },
  's3-bucket-level-public-access-blocked': {
    private: ['NON_COMPLIANT', NO_BUCKET_BPA],
    'public-policy': ['NON_COMPLIANT', NO_BUCKET_BPA],
    'ip-policy': ['NON_COMPLIANT', NO_BUCKET_BPA],
    'bpa-on': [
      'COMPLIANT',
      'Bucket-level Block Public Access is on for: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets.',
    ],
    versioned: ['NON_COMPLIANT', NO_BUCKET_BPA],
    exempt: ['COMPLIANT', EXEMPT],
  },
  's3-bucket-acl-prohibited': {
    private: ['COMPLIANT', OWNER_ONLY],
    'public-policy': ['COMPLIANT', OWNER_ONLY],
    'ip-policy': ['COMPLIANT', OWNER_ONLY],
    'bpa-on': ['COMPLIANT', OWNER_ONLY],
    versioned: ['COMPLIANT', OWNER_ONLY],
    exempt: ['COMPLIANT', EXEMPT],
  },
  's3-bucket-versioning-enabled': {
    private: ['NOT_APPLICABLE', VERSIONING_UNKNOWN],
    'public-policy': ['NOT_APPLICABLE', VERSIONING_UNKNOWN],
    'ip-policy': ['NOT_APPLICABLE', VERSIONING_UNKNOWN],
    'bpa-on': ['NOT_APPLICABLE', VERSIONING_UNKNOWN],
    // Enabled through the S3 API, but moto's item does not say so (AWS's would: {"status":"Enabled"}).
    versioned: ['NOT_APPLICABLE', VERSIONING_UNKNOWN],
    exempt: ['COMPLIANT', EXEMPT],
  },
  's3-bucket-cross-account-access-prohibited': {
    private: ['COMPLIANT', SAME_ACCOUNT],
    'public-policy': [
      'NON_COMPLIANT',
      'Cross-account access via bucket policy: statement "PublicRead" gives read to * (public).',
    ],
    'ip-policy': ['COMPLIANT', SAME_ACCOUNT],
    'bpa-on': ['COMPLIANT', SAME_ACCOUNT],
    versioned: ['COMPLIANT', SAME_ACCOUNT],
    exempt: ['COMPLIANT', EXEMPT],
  },
};

// Issue 17's rules: moto's items carry an empty logging configuration (as AWS's do for a bucket without logs), and
// no bucket here denies plain HTTP.
const NO_LOGS = ['NON_COMPLIANT', 'Server access logging is not enabled.'] as const;
const NO_POLICY_HTTP = [
  'NON_COMPLIANT',
  'No bucket policy: requests over plain HTTP (aws:SecureTransport false) are not denied.',
] as const;
const POLICY_HTTP = [
  'NON_COMPLIANT',
  'The bucket policy has no Deny statement for aws:SecureTransport false: requests over plain HTTP are not refused.',
] as const;
EXPECTED['s3-bucket-logging-enabled'] = {
  private: NO_LOGS,
  'public-policy': NO_LOGS,
  'ip-policy': NO_LOGS,
  'bpa-on': NO_LOGS,
  versioned: NO_LOGS,
  exempt: ['COMPLIANT', EXEMPT],
};
EXPECTED['s3-bucket-ssl-requests-only'] = {
  private: NO_POLICY_HTTP,
  'public-policy': POLICY_HTTP,
  'ip-policy': POLICY_HTTP,
  'bpa-on': NO_POLICY_HTTP,
  versioned: NO_POLICY_HTTP,
  exempt: ['COMPLIANT', EXEMPT],
};
const expectedRows = (id: string): Row[] => sorted(NAMES.map((name) => [bucket(name), ...EXPECTED[id][name]] as const));

describe('scheduled sweep of every bucket rule over moto-generated items', () => {
  test.each(Object.keys(EXPECTED))(
    '%s: every bucket, exact verdict and annotation, delivered in TestMode',
    async (id) => {
      const report = await handlerFor(id)(scheduled(id));
      expect(sorted(rowsOf(report.evaluations))).toEqual(expectedRows(id));
      expect(report.evaluations.every((e) => e.resourceType === 'AWS::S3::Bucket')).toBe(true);
      expect({ testMode: report.testMode, delivered: report.delivered, problem: report.problem }).toEqual({
        testMode: true,
        delivered: NAMES.length,
        problem: undefined,
      });
    },
  );

  test('the account rule reads account-level BPA live through S3 Control: never configured', async () => {
    const report = await handlerFor('s3-account-level-public-access-blocked')(
      scheduled('s3-account-level-public-access-blocked'),
    );
    expect(report.evaluations.map((e) => [e.resourceType, e.resourceId, e.compliance, e.annotation])).toEqual([
      [
        'AWS::::Account',
        MOTO_ACCOUNT_ID,
        'NON_COMPLIANT',
        'Account-level Block Public Access has never been configured: all four settings are off for every bucket in the account.',
      ],
    ]);
    expect(report.delivered).toBe(1);
  });

  test('every rule is covered', () => {
    expect([...Object.keys(EXPECTED), 's3-account-level-public-access-blocked'].sort()).toEqual(
      RULES.map((rule) => rule.id).sort(),
    );
  });
});

describe('oversized change notifications: the item comes from GetResourceConfigHistory', () => {
  // moto difference: history holds only the current item and ignores laterTime/limit (AWS returns the item as of
  // the notification's capture time). The notification below is "captured now", so both agree.
  test.each([
    ['s3-bucket-public-access-prohibited', 'public-policy'],
    ['s3-bucket-level-public-access-blocked', 'bpa-on'],
    ['s3-bucket-public-access-prohibited', 'exempt'],
  ] as const)('%s on %s: the same verdict as the sweep', async (id, name) => {
    const report = await handlerFor(id)(oversized(id, bucket(name)));
    expect(rowsOf(report.evaluations)).toEqual([[bucket(name), ...EXPECTED[id][name]]]);
    expect(report.delivered).toBe(1);
  });

  test('a bucket Config never discovered: NOT_APPLICABLE, said', async () => {
    const report = await handlerFor('s3-bucket-public-access-prohibited')(
      oversized('s3-bucket-public-access-prohibited', 'bg-config-never-created'),
    );
    expect(rowsOf(report.evaluations)).toEqual([
      [
        'bg-config-never-created',
        'NOT_APPLICABLE',
        'AWS Config has not discovered this resource (ResourceNotDiscoveredException); nothing to evaluate.',
      ],
    ]);
  });
});

describe('where moto cannot play AWS, bucketguard fails loudly rather than report anything', () => {
  test('a real result token: moto refuses PutEvaluations without TestMode, so every evaluation is reported undelivered', async () => {
    const id = 's3-bucket-public-access-prohibited';
    const failure = await handlerFor(id)(scheduled(id, 'eyJub3QiOiJhIHJlYWwgdG9rZW4ifQ==')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EvaluationDeliveryError);
    const error = failure as EvaluationDeliveryError;
    expect(error.delivered).toBe(0);
    expect(error.undelivered.map((u) => u.resourceId).sort()).toEqual(NAMES.map(bucket).sort());
  });

  test('an AllUsers grant (canned public-read): moto item generation answers HTTP 500, and the sweep and the oversized path fail', async () => {
    const { s3 } = clients;
    await s3.send(new CreateBucketCommand({ Bucket: bucket('public-acl') }));
    await s3.send(new PutBucketAclCommand({ Bucket: bucket('public-acl'), ACL: 'public-read' }));
    const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const sweep = await handlerFor('s3-bucket-acl-prohibited')(scheduled('s3-bucket-acl-prohibited')).then(
      () => 'resolved',
      (error: unknown) => status(error),
    );
    expect(sweep).toBe(500);
    const single = await handlerFor('s3-bucket-acl-prohibited')(
      oversized('s3-bucket-acl-prohibited', bucket('public-acl')),
    ).then(
      () => 'resolved',
      (error: unknown) => status(error),
    );
    expect(single).toBe(500);

    // Back to private: moto builds the item again, and the next sweep evaluates every bucket, this one included.
    await s3.send(new PutBucketAclCommand({ Bucket: bucket('public-acl'), ACL: 'private' }));
    const report = await handlerFor('s3-bucket-acl-prohibited')(scheduled('s3-bucket-acl-prohibited'));
    expect(sorted(rowsOf(report.evaluations))).toEqual(
      sorted([...expectedRows('s3-bucket-acl-prohibited'), [bucket('public-acl'), 'COMPLIANT', OWNER_ONLY]]),
    );
  });
});
