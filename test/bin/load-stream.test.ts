/**
 * The streaming loader at small sizes, on the same code paths a 500 MB snapshot takes: the incremental reader across
 * chunk boundaries, gzip, JSON Lines, a snapshot's items one by one, the account-level BPA pre-pass, symlink loops
 * and deeply nested input.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../bin/cli';
import { type JsonEvent, JsonStreamError, JsonStreamReader } from '../../bin/json-stream';
import { loadInputs } from '../../bin/load';
import { captureIo, EVENTS, tempInputs } from './cli-support';

const item = (name: string) =>
  JSON.parse(readFileSync(join(EVENTS, 'config-items', name), 'utf8')) as Record<string, unknown>;
const versioningOff = item('bucket-invocation-versioning-off.json');
const publicRead = item('bucket-invocation-public-read-acl.json');
const accountBpa = item('account-bpa-invocation-all-true.json');

function events(text: string, chunkSize: number): JsonEvent[] {
  const reader = new JsonStreamReader();
  const bytes = Buffer.from(text, 'utf8');
  const out: JsonEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    reader.push(bytes.subarray(i, i + chunkSize));
    out.push(...reader.take());
  }
  reader.end();
  out.push(...reader.take());
  return out;
}

async function evaluateJson(args: string[]) {
  const io = captureIo();
  const code = await main(['evaluate', '--format', 'json', ...args], io);
  const parsed = io.stdout()
    ? (JSON.parse(io.stdout()) as { results: Array<Record<string, string>> })
    : { results: [] };
  return { code, rows: parsed.results, stderr: io.stderr() };
}

describe('JsonStreamReader', () => {
  const snapshot = JSON.stringify({
    fileVersion: '1.0',
    configurationItems: [versioningOff, { s: 'quote \\" brace } bracket ] é 😀', n: [1, { d: [2] }] }, 'x', 3],
    after: true,
  });

  it('gives the same events whatever the chunk boundaries (escapes, multi-byte characters, nesting)', () => {
    const whole = events(snapshot, snapshot.length * 4);
    expect(whole.map((e) => e.type)).toEqual([
      'object-start',
      'member',
      'array-start',
      'element',
      'element',
      'element',
      'element',
      'array-end',
      'member',
      'object-end',
    ]);
    expect(whole[4]).toEqual({
      type: 'element',
      key: 'configurationItems',
      index: 1,
      value: { s: 'quote \\" brace } bracket ] é 😀', n: [1, { d: [2] }] },
    });
    for (const size of [1, 2, 3, 7, 64]) expect(events(snapshot, size)).toEqual(whole);
  });

  it('reads JSON Lines as values in a row, and says where broken structure is', () => {
    expect(events('{"a":1}\n{"b":2}\n"c"\n', 5).map((e) => e.type)).toEqual([
      'object-start',
      'member',
      'object-end',
      'object-start',
      'member',
      'object-end',
      'value',
    ]);
    expect(() => events('[1, 2,, 3]', 4)).toThrow(
      new JsonStreamError('expected a value in the top-level array: unexpected "," at byte 6'),
    );
    expect(() => events('[{"a": 1}', 3)).toThrow(new JsonStreamError('the input ends inside the top-level array'));
    expect(() => events('', 3)).toThrow(new JsonStreamError('the input is empty (no JSON value)'));
  });

  it('skips an element nested deeper than its limit without parsing it, and goes on', () => {
    const deep = `${'['.repeat(150)}${']'.repeat(150)}`;
    const found = events(`[${deep}, {"ok": true}]`, 16);
    expect(found).toEqual([
      { type: 'array-start', line: 1 },
      {
        type: 'skipped',
        index: 0,
        reason: 'nested more than 100 levels deep (bucketguard reads up to 100); not read',
      },
      { type: 'element', index: 1, value: { ok: true } },
      { type: 'array-end', count: 2 },
    ]);
  });
});

describe('evaluate on streamed inputs', () => {
  it('reads a gzipped snapshot item by item, with the same rows as the plain file, the account item last', async () => {
    const snapshotText = JSON.stringify({
      fileVersion: '1.0',
      configSnapshotId: '00000000-0000-4000-8000-000000000001',
      configurationItems: [versioningOff, publicRead, accountBpa],
    });
    const { dir, cleanup } = tempInputs({ 'snapshot.json': snapshotText });
    try {
      writeFileSync(join(dir, 'snapshot.json.gz'), gzipSync(snapshotText));
      const plain = await evaluateJson([join(dir, 'snapshot.json')]);
      const gzipped = await evaluateJson([join(dir, 'snapshot.json.gz')]);
      expect(plain.code).toBe(0);
      expect(gzipped.rows.map((r) => ({ ...r, source: r.source.replace('.json.gz', '.json') }))).toEqual(plain.rows);
      expect([...new Set(plain.rows.map((r) => r.source.slice(dir.length)))]).toEqual([
        '/snapshot.json#item0',
        '/snapshot.json#item1',
        '/snapshot.json#item2',
      ]);
      // The account's setting comes after its buckets in the file, and still applies to them.
      const annotation = plain.rows.find(
        (r) => r.rule === 's3-bucket-public-access-prohibited' && r.resourceId === publicRead.resourceId,
      )?.annotation;
      expect(annotation).not.toContain('not provided');
      expect(plain.rows.filter((r) => r.annotation.includes('Account-level Block Public Access not provided'))).toEqual(
        [],
      );
    } finally {
      cleanup();
    }
  });

  it('reads JSON Lines, naming each document by its line', async () => {
    const { dir, cleanup } = tempInputs({
      'items.jsonl': `${JSON.stringify(versioningOff)}\n${JSON.stringify(publicRead)}\n`,
    });
    try {
      const { code, rows } = await evaluateJson([dir]);
      expect(code).toBe(0);
      expect([...new Set(rows.map((r) => r.source.slice(dir.length)))]).toEqual([
        '/items.jsonl#line1',
        '/items.jsonl#line2',
      ]);
    } finally {
      cleanup();
    }
  });

  it('keeps what a file held before it breaks, and names the file', async () => {
    const { dir, cleanup } = tempInputs({
      'broken.json': `[${JSON.stringify(versioningOff)}, {"resourceType": `,
    });
    try {
      const { code, rows, stderr } = await evaluateJson([join(dir, 'broken.json')]);
      expect(code).toBe(0);
      expect(new Set(rows.map((r) => r.resourceId))).toEqual(new Set([versioningOff.resourceId]));
      expect(stderr).toContain(
        `bucketguard evaluate: error: ${join(dir, 'broken.json')}: not valid JSON (the input ends inside a value)`,
      );
    } finally {
      cleanup();
    }
  });

  it('reports deeply nested JSON as that input’s problem, never a run-wide stack overflow', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const { dir, cleanup } = tempInputs({ 'deep.json': deep, 'good.json': versioningOff });
    try {
      const { code, rows, stderr } = await evaluateJson([dir]);
      expect(code).toBe(0);
      expect(rows.length).toBeGreaterThan(0);
      expect(stderr).toContain(
        `bucketguard evaluate: error: ${join(dir, 'deep.json')}#0: nested more than 100 levels deep (bucketguard reads up to 100); not read`,
      );
      expect(stderr).not.toContain('Maximum call stack size exceeded');
      const loaded = await loadInputs([dir]);
      expect(loaded.problems.map((p) => p.source)).toEqual([`${join(dir, 'deep.json')}#0`]);
    } finally {
      cleanup();
    }
  });

  it('neither hangs nor reads a file twice in a directory with a symlink loop', async () => {
    const { dir, cleanup } = tempInputs({ 'a.json': versioningOff });
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'b.json'), JSON.stringify(publicRead));
      symlinkSync(dir, join(dir, 'sub', 'loop'));
      symlinkSync(join(dir, 'a.json'), join(dir, 'sub', 'again.json'));
      const loaded = await loadInputs([dir]);
      expect(loaded.filesRead).toBe(2);
      expect(loaded.notes).toEqual([
        { source: join(dir, 'sub', 'again.json'), message: 'skipped (already read through another path)' },
        { source: join(dir, 'sub', 'loop'), message: 'skipped (already read through another path)' },
      ]);
      const { rows } = await evaluateJson([dir, join(dir, 'a.json')]);
      expect(new Set(rows.map((r) => r.source))).toEqual(new Set([join(dir, 'a.json'), join(dir, 'sub', 'b.json')]));
    } finally {
      cleanup();
    }
  });
});
