/**
 * Reports of a million rows in every format, streamed (bin/report.ts createReportWriter) into a sink that only counts:
 * time, characters, and how much the heap grew (rows are never all held; the table's columns come from its first
 * TABLE_WIDTH_SAMPLE_ROWS rows). Plus the whole-array table renderer past the row count that used to overflow.
 */
import { createReportWriter, type ResultRow, renderTable, TABLE_WIDTH_SAMPLE_ROWS } from '../bin/report';

const ROWS = 1_000_000;

function row(i: number): ResultRow {
  return {
    resourceType: 'AWS::S3::Bucket',
    resourceId: `example-bucket-${i}`,
    accountId: '111122223333',
    rule: i % 2 === 0 ? 's3-bucket-versioning-enabled' : 's3-bucket-public-access-prohibited',
    compliance: i % 3 === 0 ? 'NON_COMPLIANT' : 'COMPLIANT',
    annotation: i % 3 === 0 ? 'Versioning has never been enabled on this bucket.' : 'Versioning is enabled.',
    source: `snapshot.json#item${i >> 1}`,
  };
}

export async function runRenderBench(): Promise<string[]> {
  const lines = [
    `${ROWS.toLocaleString('en-US')} rows per format, streamed; table columns from the first ${TABLE_WIDTH_SAMPLE_ROWS} rows`,
  ];
  for (const format of ['table', 'json', 'csv'] as const) {
    let chars = 0;
    let largestChunk = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const writer = createReportWriter(format, (chunk) => {
      chars += chunk.length;
      largestChunk = Math.max(largestChunk, chunk.length);
    });
    const started = process.hrtime.bigint();
    for (let i = 0; i < ROWS; i++) {
      await writer.add(row(i));
      if (i % 100_000 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    await writer.end();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    lines.push(
      `  ${format.padEnd(5)}: ${seconds.toFixed(1)} s, ${(chars / 1e6).toFixed(0)} MB of text in chunks of at most ${(largestChunk / 1024).toFixed(0)} KiB; heap grew at most ${((heapPeak - heapBefore) / 1e6).toFixed(0)} MB`,
    );
  }
  const rows = Array.from({ length: 150_000 }, (_, i) => row(i));
  const table = renderTable(rows);
  lines.push(
    `  renderTable on a 150,000-row array (it overflowed the stack from about 123,000): ${table.split('\n').at(-1)}`,
  );
  return lines;
}
