/**
 * Advanced-query rows (SelectResourceConfig) hold only what the query selected. `SELECT configuration,
 * supplementaryConfiguration WHERE resourceType = 'AWS::S3::Bucket'` returns rows without resourceType or
 * resourceId: such a row is evaluated when its configuration identifies the bucket (a bucket's configuration is
 * `{name, owner, creationDate}`), with a note saying so; any other such row stays a problem for the normaliser.
 */
const BUCKET_SUPPLEMENTARY_KEYS = [
  'AccessControlList',
  'BucketPolicy',
  'PublicAccessBlockConfiguration',
  'BucketVersioningConfiguration',
  'BucketOwnershipControls',
  'ServerSideEncryptionConfiguration',
  'BucketLoggingConfiguration',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The row with resourceType/resourceId filled in from its bucket configuration, and the note; else undefined. */
export function identifyBucketRow(
  row: unknown,
): { readonly row: Record<string, unknown>; readonly note: string } | undefined {
  if (!isRecord(row) || row.resourceType !== undefined || row.resourceId !== undefined) return undefined;
  const configuration = parsed(row.configuration);
  if (!isRecord(configuration) || typeof configuration.name !== 'string' || configuration.name === '') return undefined;
  const supplementary = parsed(row.supplementaryConfiguration);
  const looksLikeBucket =
    isRecord(configuration.owner) ||
    (isRecord(supplementary) && BUCKET_SUPPLEMENTARY_KEYS.some((key) => key in supplementary));
  if (!looksLikeBucket) return undefined;
  const name = configuration.name;
  return {
    row: { ...row, resourceType: 'AWS::S3::Bucket', resourceId: name, resourceName: name },
    note: `advanced-query row without resourceType/resourceId: evaluated as bucket ${name} (named by its configuration)`,
  };
}
