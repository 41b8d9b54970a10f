import { ListBucketsCommand, type ListBucketsCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { describeAwsError } from '../../aws/live-s3';

export interface ListedBucket {
  readonly name: string;
  /** Where S3 says the bucket lives (AWS returns it; S3-compatible servers may not). */
  readonly region?: string;
}

export interface ListBucketsOptions {
  /** Only names starting with this (sent to S3 and also applied here: some servers ignore it). */
  readonly prefix?: string;
  readonly pageSize?: number;
}

/** Raised when the bucket list itself cannot be read: nothing can be scanned then. */
export class ListBucketsError extends Error {
  override readonly name = 'ListBucketsError';
}

/** Every bucket of the caller, following ContinuationToken pages (S3 returns up to MaxBuckets per page). */
export async function listAllBuckets(s3: S3Client, options: ListBucketsOptions = {}): Promise<ListedBucket[]> {
  const buckets: ListedBucket[] = [];
  const seenTokens = new Set<string>();
  let token: string | undefined;
  do {
    let page: ListBucketsCommandOutput;
    try {
      page = await s3.send(
        new ListBucketsCommand({
          MaxBuckets: options.pageSize ?? 1000,
          ...(token !== undefined ? { ContinuationToken: token } : {}),
          ...(options.prefix ? { Prefix: options.prefix } : {}),
        }),
      );
    } catch (error) {
      throw new ListBucketsError(
        `ListBuckets failed: ${describeAwsError(error)}; check the credentials and s3:ListAllMyBuckets, or name buckets with --bucket`,
      );
    }
    for (const bucket of page.Buckets ?? []) {
      if (!bucket.Name) continue;
      if (options.prefix && !bucket.Name.startsWith(options.prefix)) continue;
      buckets.push(bucket.BucketRegion ? { name: bucket.Name, region: bucket.BucketRegion } : { name: bucket.Name });
    }
    token = page.ContinuationToken || undefined;
    // A server that hands back the same token would otherwise loop forever.
    if (token !== undefined) {
      if (seenTokens.has(token))
        throw new ListBucketsError(`ListBuckets returned the continuation token "${token}" twice`);
      seenTokens.add(token);
    }
  } while (token !== undefined);
  return buckets;
}
