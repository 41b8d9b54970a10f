/**
 * The reading half of `bucketguard scan`: list the buckets (or take the named ones), read each through the S3 API
 * with a bounded number of buckets in flight, and read the account-level Block Public Access once.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { type BucketPart, readAccountPublicAccessBlock, readBucketRegion, readBucketState } from '../../aws/live-s3';
import { mapWithConcurrency, type Scheduled } from '../../aws/pool';
import { type BucketState, type Fact, known, type PublicAccessBlockFlags, unknown } from '../../model/types';
import { type ListedBucket, listAllBuckets } from './list-buckets';

export interface ScanClients {
  /** The client for `--region` (or the endpoint). */
  readonly s3: S3Client;
  /** A client for a bucket's own Region (AWS); absent for a single S3-compatible endpoint. */
  readonly s3ForRegion?: (region: string) => S3Client;
  /** Absent when account-level BPA cannot be read (no account id, or an endpoint without S3 Control). */
  readonly s3control?: S3ControlClient;
  /** Why there is no s3control client, when there is a better reason than "no --account-id". */
  readonly s3controlUnavailable?: string;
  /** Frees every client's sockets, the per-Region ones included (an organization scan, after each account). */
  readonly close?: () => void;
}

export interface ReadAccountOptions {
  /** Scan these buckets only (no ListBuckets call). */
  readonly buckets?: readonly string[];
  readonly prefix?: string;
  readonly parts: readonly BucketPart[];
  readonly concurrency: number;
  readonly accountId?: string;
  /** Account-level BPA to assume (--account-public-access-block): S3 Control is then not called. */
  readonly assumedAccountBpa?: PublicAccessBlockFlags;
  readonly region?: string;
  readonly now?: () => Date;
  /** Only buckets in these Regions (--regions); a bucket whose Region is not known counts as `region`. */
  readonly regions?: readonly string[];
  /**
   * A pool shared with other accounts (an organization scan): the listing (with the account BPA read) and every
   * bucket read go through `first`, instead of this account's own bound of `concurrency`; `later` is for entering
   * the next account (bin/scan/organization.ts).
   */
  readonly schedule?: { readonly first: Scheduled; readonly later: Scheduled };
  /** Called once the bucket list is known, then after each bucket is read (progress). */
  readonly onListed?: (count: number) => void;
  readonly onBucketRead?: (state: BucketState) => void;
}

export interface AccountRead {
  readonly buckets: readonly BucketState[];
  readonly accountBpa: Fact<PublicAccessBlockFlags | null>;
  /** Things the reader of the report should know (what was not read and why). */
  readonly notes: readonly string[];
}

/** Why account-level BPA stays unknown when there is no S3 Control client; rules quote it. */
export const ACCOUNT_BPA_NOT_READ = 'not read: no --account-id';

/** The client for a bucket's own Region when there is one (AWS), else the main client. */
export function s3ForBucket(clients: ScanClients, bucket: { readonly region?: string | undefined }): S3Client {
  return bucket.region && clients.s3ForRegion ? clients.s3ForRegion(bucket.region) : clients.s3;
}

/**
 * --regions: AWS's ListBuckets names each bucket's Region; where a server does not (S3-compatible ones, moto), one
 * GetBucketLocation per bucket says it. A bucket whose Region cannot be read is kept (never silently left out).
 */
async function filterByRegion(
  clients: ScanClients,
  listed: readonly ListedBucket[],
  regions: readonly string[],
  options: ReadAccountOptions,
): Promise<ListedBucket[]> {
  const located = await mapScheduled(listed, options, async (bucket): Promise<ListedBucket> => {
    if (bucket.region !== undefined) return bucket;
    const region = await readBucketRegion(clients.s3, bucket.name);
    return region !== undefined ? { ...bucket, region } : bucket;
  });
  return located.filter((bucket) => bucket.region === undefined || regions.includes(bucket.region));
}

/** Each item through the shared pool when there is one, else at most `concurrency` at once. */
export function mapScheduled<T, R>(
  items: readonly T[],
  options: { readonly concurrency: number; readonly schedule?: { readonly first: Scheduled } },
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const first = options.schedule?.first;
  if (!first) return mapWithConcurrency(items, options.concurrency, task);
  return Promise.all(items.map((item) => first(() => task(item))));
}

export async function readAccount(clients: ScanClients, options: ReadAccountOptions): Promise<AccountRead> {
  const notes: string[] = [];
  const s3control = clients.s3control;
  const accountId = options.accountId;
  const readBpa = (): Promise<Fact<PublicAccessBlockFlags | null>> =>
    options.assumedAccountBpa
      ? Promise.resolve(known(options.assumedAccountBpa))
      : s3control && accountId
        ? readAccountPublicAccessBlock(s3control, accountId)
        : Promise.resolve(unknown(clients.s3controlUnavailable ?? ACCOUNT_BPA_NOT_READ));
  const list = async (): Promise<ListedBucket[]> =>
    options.buckets
      ? options.buckets.map((name) => ({ name }))
      : listAllBuckets(clients.s3, options.prefix !== undefined ? { prefix: options.prefix } : {});
  // In a shared pool the listing and the account BPA read take ONE slot together (ahead of entering more accounts);
  // alone, the account BPA read runs beside the bucket reads.
  const first = options.schedule?.first;
  let accountBpaRead: Promise<Fact<PublicAccessBlockFlags | null>>;
  let all: ListedBucket[];
  if (first) {
    const [bpa, listedAll] = await first(() => Promise.all([readBpa(), list()]));
    accountBpaRead = Promise.resolve(bpa);
    all = listedAll;
  } else {
    accountBpaRead = readBpa();
    all = await list();
  }
  const regions = options.regions;
  const listed = regions ? await filterByRegion(clients, all, regions, options) : all;
  options.onListed?.(listed.length);

  const buckets = await mapScheduled(listed, options, async (bucket) => {
    const region = bucket.region ?? options.region;
    const s3 = s3ForBucket(clients, bucket);
    const state = await readBucketState(s3, bucket.name, {
      parts: options.parts,
      ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
    options.onBucketRead?.(state);
    return state;
  });

  const accountBpa = await accountBpaRead;
  if (!accountBpa.known) notes.push(`account-level Block Public Access unknown (${accountBpa.reason})`);
  return { buckets, accountBpa, notes };
}
