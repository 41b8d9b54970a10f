/**
 * Canned AWS answers for the bench's stand-in endpoint: S3 (REST-XML, varied by bucket so the "configured" and the
 * "not configured" (404) paths are both taken), S3 Control, Config and DynamoDB (JSON 1.1) and SNS (query). Every
 * request is named by the operation it is, so a bench can tell which clients an invocation used.
 */

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const CANONICAL_ID = '8f1e0cbbd0f2a5e1b7c3a1f2d4e6b8a0c2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2';
const OWNER = `<Owner><ID>${CANONICAL_ID}</ID></Owner>`;

export interface StandInRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly url: string;
  readonly host: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface StandInAnswer {
  /** ListBuckets, GetBucketAcl, PutEvaluations, Publish, UpdateItem, GetPublicAccessBlock (account), ... */
  readonly operation: string;
  readonly status: number;
  readonly body: string;
  readonly type: string;
}

function xml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

const okXml = (operation: string, body: string): StandInAnswer => ({
  operation,
  status: 200,
  body: xml(body),
  type: 'application/xml',
});

const json = (operation: string, body: unknown): StandInAnswer => ({
  operation,
  status: 200,
  body: JSON.stringify(body),
  type: 'application/x-amz-json-1.1',
});

function listBuckets(url: URL, names: readonly string[]): StandInAnswer {
  const max = Number(url.searchParams.get('max-buckets') ?? names.length);
  const start = Number(url.searchParams.get('continuation-token') ?? 0);
  const page = names.slice(start, start + max);
  const next = start + max < names.length ? `<ContinuationToken>${start + max}</ContinuationToken>` : '';
  const buckets = page
    .map(
      (name) =>
        `<Bucket><Name>${name}</Name><CreationDate>2026-01-05T10:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>`,
    )
    .join('');
  return okXml(
    'ListBuckets',
    `<ListAllMyBucketsResult ${NS}>${OWNER}<Buckets>${buckets}</Buckets>${next}</ListAllMyBucketsResult>`,
  );
}

const BPA_ON =
  '<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>';

/** S3 bucket calls (virtual-hosted `bucket.host` or path-style `/bucket`). */
function s3Answer(request: StandInRequest, url: URL, names: readonly string[]): StandInAnswer {
  const hostBucket = /^([^.]+)\.localhost(:\d+)?$/.exec(request.host)?.[1];
  const bucket = hostBucket ?? decodeURIComponent(url.pathname.slice(1).split('/')[0] ?? '');
  if (bucket === '') return listBuckets(url, names);
  const odd = Number(bucket.slice(-1)) % 2 === 1;
  const notFound = (operation: string, code: string): StandInAnswer => ({
    operation,
    status: 404,
    body: xml(`<Error><Code>${code}</Code><Message>not configured</Message><BucketName>${bucket}</BucketName></Error>`),
    type: 'application/xml',
  });
  const query = url.searchParams;
  if (query.has('acl')) {
    return okXml(
      'GetBucketAcl',
      `<AccessControlPolicy ${NS}>${OWNER}<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${CANONICAL_ID}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`,
    );
  }
  if (query.has('policy')) {
    if (!odd) return notFound('GetBucketPolicy', 'NoSuchBucketPolicy');
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TLSOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    };
    return { operation: 'GetBucketPolicy', status: 200, body: JSON.stringify(policy), type: 'application/json' };
  }
  if (query.has('publicAccessBlock')) {
    if (!odd) return notFound('GetPublicAccessBlock', 'NoSuchPublicAccessBlockConfiguration');
    return okXml(
      'GetPublicAccessBlock',
      `<PublicAccessBlockConfiguration ${NS}>${BPA_ON}</PublicAccessBlockConfiguration>`,
    );
  }
  if (query.has('versioning')) {
    return okXml(
      'GetBucketVersioning',
      odd
        ? `<VersioningConfiguration ${NS}><Status>Enabled</Status></VersioningConfiguration>`
        : `<VersioningConfiguration ${NS}/>`,
    );
  }
  if (query.has('ownershipControls')) {
    return okXml(
      'GetBucketOwnershipControls',
      `<OwnershipControls ${NS}><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`,
    );
  }
  if (query.has('logging')) {
    // Server access logging (issue 17): on for odd buckets, off (an empty BucketLoggingStatus, as S3 answers) else.
    return okXml(
      'GetBucketLogging',
      odd
        ? `<BucketLoggingStatus ${NS}><LoggingEnabled><TargetBucket>bench-logs</TargetBucket><TargetPrefix>access/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`
        : `<BucketLoggingStatus ${NS}/>`,
    );
  }
  if (query.has('tagging')) {
    if (!odd) return notFound('GetBucketTagging', 'NoSuchTagSet');
    return okXml(
      'GetBucketTagging',
      `<Tagging ${NS}><TagSet><Tag><Key>team</Key><Value>security</Value></Tag></TagSet></Tagging>`,
    );
  }
  return {
    operation: 'S3 (other)',
    status: 501,
    body: xml('<Error><Code>NotImplemented</Code></Error>'),
    type: 'application/xml',
  };
}

/** Config (StarlingDoveService) and DynamoDB (DynamoDB_20120810): JSON 1.1, named by X-Amz-Target. */
function jsonAnswer(target: string): StandInAnswer {
  const operation = target.slice(target.indexOf('.') + 1);
  switch (operation) {
    case 'PutEvaluations':
      return json(operation, { FailedEvaluations: [] });
    case 'BatchGetResourceConfig':
      return json(operation, { baseConfigurationItems: [], unprocessedResourceKeys: [] });
    case 'SelectResourceConfig':
      return json(operation, { Results: [] });
    case 'ListDiscoveredResources':
      return json(operation, { resourceIdentifiers: [] });
    case 'UpdateItem':
      return { ...json(operation, { Attributes: { count: { N: '1' } } }), type: 'application/x-amz-json-1.0' };
    default:
      return json(operation, {});
  }
}

/** One request -> its answer; `names` are the buckets ListBuckets returns. */
export function answerRequest(request: StandInRequest, names: readonly string[]): StandInAnswer {
  const url = new URL(request.url, 'http://localhost');
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string' && target !== '') return jsonAnswer(target);
  if (request.method === 'POST' && /(^|&)Action=Publish(&|$)/.test(request.body)) {
    return okXml(
      'Publish',
      '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>00000000-0000-4000-8000-000000000001</MessageId></PublishResult><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></PublishResponse>',
    );
  }
  if (url.pathname.startsWith('/v20180820/configuration/publicAccessBlock')) {
    return okXml(
      'GetPublicAccessBlock (account)',
      `<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">${BPA_ON}</PublicAccessBlockConfiguration>`,
    );
  }
  return s3Answer(request, url, names);
}
