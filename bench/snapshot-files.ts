/**
 * Generated AWS Config snapshot files for the snapshot bench: `{"fileVersion":"1.0","configSnapshotId":...,
 * "configurationItems":[...]}` as Config delivers them to S3 (invocation-model items), gzipped or not, of a chosen
 * size. Written as a stream, item by item, so generating 500 MB never holds 500 MB.
 */
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const NAME_MARK = '\u0000name\u0000';

/** Bucket items of the fixtures (invocation model), each as JSON text split around its bucket name. */
export function snapshotTemplates(eventsDir: string): string[][] {
  const dir = join(eventsDir, 'config-items');
  const pieces: string[][] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.startsWith('bucket-invocation-') || !file.endsWith('.json')) continue;
    const item = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    if (String(item.configurationItemStatus).startsWith('ResourceDeleted')) continue;
    const name = String(item.resourceId);
    pieces.push(JSON.stringify(item).split(name));
  }
  if (pieces.length === 0) throw new Error(`no bucket-invocation-*.json items in ${dir}`);
  return pieces;
}

const ACCOUNT_ITEM = {
  configurationItemVersion: '1.3',
  configurationItemCaptureTime: '2026-01-05T10:00:00.000Z',
  configurationItemStatus: 'OK',
  awsAccountId: '111122223333',
  resourceType: 'AWS::S3::AccountPublicAccessBlock',
  resourceId: '111122223333',
  awsRegion: 'us-east-1',
  availabilityZone: 'Not Applicable',
  configuration: {
    blockPublicAcls: true,
    ignorePublicAcls: false,
    blockPublicPolicy: true,
    restrictPublicBuckets: false,
  },
  supplementaryConfiguration: {},
  tags: {},
  relationships: [],
};

export interface SnapshotFile {
  readonly path: string;
  /** Uncompressed JSON bytes. */
  readonly bytes: number;
  readonly items: number;
}

/**
 * Writes a snapshot of about `targetBytes` of JSON (before gzip) to `path`, gzipped when `gzip`. The account's
 * AccountPublicAccessBlock item comes last, the hardest place for a streaming reader (every bucket is read before
 * the setting that applies to it).
 */
export async function writeSnapshot(
  path: string,
  targetBytes: number,
  templates: readonly string[][],
  gzip: boolean,
): Promise<SnapshotFile> {
  let bytes = 0;
  let items = 0;
  function* chunks(): Generator<string> {
    const head =
      '{"fileVersion":"1.0","configSnapshotId":"00000000-0000-4000-8000-000000000001","configurationItems":[\n';
    bytes += head.length;
    yield head;
    let batch = '';
    while (bytes < targetBytes) {
      const pieces = templates[items % templates.length];
      const text = `${pieces.join(`snapshot-bucket-${items}`)},\n`;
      batch += text;
      bytes += text.length;
      items++;
      if (batch.length > 1 << 20) {
        yield batch;
        batch = '';
      }
    }
    const tail = `${JSON.stringify(ACCOUNT_ITEM)}\n]}\n`;
    bytes += tail.length;
    items++;
    yield batch + tail;
  }
  const out = createWriteStream(path);
  if (gzip) await pipeline(chunks, createGzip({ level: 1 }), out);
  else await pipeline(chunks, out as Writable);
  return { path, bytes, items };
}

export { NAME_MARK };
