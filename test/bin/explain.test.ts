import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../bin/cli';
import type { ExplainedBucket } from '../../bin/commands/explain';
import { captureIo, EVENTS, tempInputs } from './cli-support';

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(EVENTS, path), 'utf8'));

async function explainJson(args: string[]) {
  const io = captureIo();
  const code = await main(['explain', ...args, '--format', 'json'], io);
  return { code, buckets: (JSON.parse(io.stdout()) as { buckets: ExplainedBucket[] }).buckets, stderr: io.stderr() };
}

describe('bucketguard explain', () => {
  it('shows a public-read ACL exposing read and list when nothing neutralises it', async () => {
    const { code, buckets } = await explainJson([
      join(EVENTS, 'config-items', 'bucket-invocation-public-read-acl.json'),
    ]);
    expect(code).toBe(0);
    expect(buckets).toHaveLength(1);
    const [bucket] = buckets;
    expect(bucket).toMatchObject({
      resourceId: 'example-public-assets',
      accountId: '111122223333',
      public: true,
      read: true,
      write: false,
      list: true,
      readAcp: false,
      writeAcp: false,
    });
    expect(bucket.layers.map((layer) => [layer.layer, layer.effect])).toEqual([
      ['account-bpa', 'unknown'],
      ['bucket-bpa', 'none'],
      ['ownership', 'unknown'],
      ['acl', 'exposes'],
      ['policy', 'none'],
    ]);
    expect(bucket.uncertainLayers).toEqual(['account-bpa', 'ownership']);
    expect(bucket.caveats).toContain(
      'Account-level Block Public Access could not be read (not provided); evaluated as if not set.',
    );
  });

  it('uses the account BPA item in the same directory: the grant is neutralised', async () => {
    const { dir, cleanup } = tempInputs({
      'account.json': fixture('config-items/account-bpa-invocation-all-true.json'),
      'bucket.json': fixture('config-items/bucket-invocation-public-read-acl.json'),
    });
    try {
      const { buckets } = await explainJson([dir]);
      expect(buckets).toHaveLength(1);
      expect(buckets[0].public).toBe(false);
      expect(buckets[0].layers.find((layer) => layer.layer === 'account-bpa')?.effect).toBe('neutralises');
      expect(buckets[0].layers.find((layer) => layer.layer === 'acl')?.detail).toContain(
        'neutralised by IgnorePublicAcls',
      );
    } finally {
      cleanup();
    }
  });

  it('explains every bucket of a directory and skips non-bucket items', async () => {
    const { buckets } = await explainJson([join(EVENTS, 'config-items')]);
    const names = buckets.map((b) => b.resourceId);
    expect(names).toContain('example-website');
    expect(names).not.toContain('i-0123456789abcdef0');
    expect(names).not.toContain('111122223333');
    expect(buckets.find((b) => b.resourceId === 'example-website')).toMatchObject({
      public: true,
      read: true,
      list: false,
    });
    expect(buckets.find((b) => b.resourceId === 'example-office-reports')?.public).toBe(false);
  });

  it('prints a readable text report', async () => {
    const io = captureIo();
    const code = await main(
      [
        'explain',
        join(EVENTS, 'config-items', 'bucket-invocation-public-read-acl.json'),
        '--account-public-access-block',
        '{"BlockPublicAcls":false,"IgnorePublicAcls":false,"BlockPublicPolicy":false,"RestrictPublicBuckets":false}',
      ],
      io,
    );
    expect(code).toBe(0);
    const lines = io.stdout().split('\n');
    expect(lines[0]).toBe(
      `example-public-assets (account 111122223333)  ${join(EVENTS, 'config-items', 'bucket-invocation-public-read-acl.json')}`,
    );
    expect(lines[1]).toBe('  verdict: PUBLIC: read, list (uncertain: ownership could not be read)');
    expect(lines.some((line) => /^ {2}acl +exposes +public: /.test(line))).toBe(true);
    expect(io.stdout().trimEnd().split('\n').at(-1)).toBe('1 bucket explained: 1 public.');
  });
});
