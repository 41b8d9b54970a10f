/**
 * Helpers for the suite that runs against a real S3 server (Ceph RGW 16.2, scripts/start-rgw.sh). The suite never
 * skips: without RGW_* it fails, because CI runs it only after starting RGW and a silent skip would hide a broken run.
 *
 * Where RGW differs from AWS (checked with RGW 16.2.15, see the README's "Real S3 server" section):
 *  - GetPublicAccessBlock on a bucket without a configuration returns 200 with four false flags, not 404.
 *  - RestrictPublicBuckets is not enforced: a public bucket policy keeps working for anonymous callers.
 *  - Object Ownership is not supported; GetBucketOwnershipControls is misrouted to ListObjects and
 *    DeleteBucketOwnershipControls to DeleteBucket, so the suite never calls them (scan --skip ownership).
 *  - BlockPublicAcls rejects public ACL puts (as on AWS), so public ACLs are set up before any BPA.
 *  - Error bodies carry no <Message>: errors are identified by code and HTTP status.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  type ObjectCannedACL,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createS3Clients } from '../../aws/s3-clients';

export interface RgwEnv {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

const REQUIRED = ['RGW_ENDPOINT', 'RGW_ACCESS_KEY', 'RGW_SECRET_KEY', 'RGW_REGION'] as const;

/** Reads RGW_*; throws (failing the suite, never skipping it) when any is missing. */
function rgwEnv(): RgwEnv {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `Integration suite needs a running S3 server: ${missing.join(', ')} not set. Start one with ` +
        '`bash scripts/start-rgw.sh > /tmp/rgw.env && set -a && . /tmp/rgw.env && set +a`, or run `bash scripts/ci-integration.sh`.',
    );
  }
  return {
    endpoint: process.env.RGW_ENDPOINT as string,
    accessKeyId: process.env.RGW_ACCESS_KEY as string,
    secretAccessKey: process.env.RGW_SECRET_KEY as string,
    region: process.env.RGW_REGION as string,
  };
}

/**
 * Points the standard credential chain at the RGW user, so the CLI under test finds its credentials the way it
 * would in real use (environment), not through a test-only door. test/setup-env.ts sets fake keys; these replace them.
 */
function useRgwCredentials(env: RgwEnv): void {
  process.env.AWS_ACCESS_KEY_ID = env.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = env.secretAccessKey;
  process.env.AWS_REGION = env.region;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

function rgwClient(env: RgwEnv): S3Client {
  return createS3Clients({
    endpoint: env.endpoint,
    region: env.region,
    credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
  }).s3;
}

/** `bg-<time>-<random>`: unique per run, so runs never see each other's buckets; lower case, short enough for S3. */
function runPrefix(): string {
  const random = Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `bg-${Date.now().toString(36)}-${random}`;
}

export interface RgwSuite {
  readonly env: RgwEnv;
  /** A client for the RGW user (the credential chain points at the same user, for code that builds its own). */
  readonly s3: S3Client;
  /** Unique to this run: every bucket the suite creates is named `<prefix>-...`. */
  readonly prefix: string;
}

/**
 * What every integration suite starts with: RGW_* read (failing without them), the credential chain pointed at the
 * RGW user, a client and a run prefix; plus an afterAll that deletes every `<prefix>-` bucket and fails the suite
 * when one could not be deleted.
 */
export function rgwSuite(): RgwSuite {
  const env = rgwEnv();
  useRgwCredentials(env);
  const s3 = rgwClient(env);
  const prefix = runPrefix();
  afterAll(async () => {
    const problems = await deleteBucketsWithPrefix(s3, `${prefix}-`);
    s3.destroy();
    expect(problems).toEqual([]);
  });
  return { env, s3, prefix };
}

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

export async function putText(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  acl?: ObjectCannedACL,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: 'text/plain',
      ...(acl ? { ACL: acl } : {}),
    }),
  );
}

/** Deletes every bucket whose name starts with `prefix`, with all object versions and delete markers. */
async function deleteBucketsWithPrefix(s3: S3Client, prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListBucketsCommand({}));
  const names = (listed.Buckets ?? []).map((bucket) => bucket.Name ?? '').filter((name) => name.startsWith(prefix));
  const problems: string[] = [];
  for (const bucket of names) {
    try {
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectVersionsCommand({
            Bucket: bucket,
            ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
            ...(versionMarker !== undefined ? { VersionIdMarker: versionMarker } : {}),
          }),
        );
        for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
          await s3.send(
            new DeleteObjectCommand({
              Bucket: bucket,
              Key: entry.Key ?? '',
              ...(entry.VersionId ? { VersionId: entry.VersionId } : {}),
            }),
          );
        }
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker !== undefined);
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    } catch (error) {
      problems.push(`${bucket}: ${error instanceof Error ? `${error.name} ${error.message}` : String(error)}`);
    }
  }
  return problems;
}

/** An unsigned request, as anyone on the internet would send it. Returns the HTTP status and body. */
export async function anonymous(
  env: RgwEnv,
  method: 'GET' | 'PUT',
  path: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${env.endpoint}/${path}`, {
    method,
    ...(body !== undefined ? { body, headers: { 'content-type': 'text/plain' } } : {}),
  });
  return { status: response.status, body: await response.text() };
}
