/**
 * The streamed report (createReportWriter): the same text as the whole-array renderers for the rows they can hold,
 * and a long table, JSON or CSV never held whole (the table's columns measured on its first rows).
 */

import {
  createReportWriter,
  type ReportFormat,
  type ResultRow,
  renderCsv,
  renderJson,
  renderTable,
  TABLE_WIDTH_SAMPLE_ROWS,
} from '../../bin/report';
import type { ComplianceType } from '../../model/types';

const COMPLIANCE: readonly ComplianceType[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

function rows(count: number, longNameAt = -1): ResultRow[] {
  return Array.from({ length: count }, (_, i) => ({
    resourceType: i % 50 === 0 ? 'AWS::S3::AccountPublicAccessBlock' : 'AWS::S3::Bucket',
    resourceId: i === longNameAt ? 'example-a-much-longer-bucket-name-than-the-others' : `example-${Math.floor(i / 2)}`,
    accountId: i % 3 === 0 ? null : '111122223333',
    rule: i % 2 === 0 ? 's3-bucket-versioning-enabled' : 's3-bucket-acl-prohibited',
    compliance: COMPLIANCE[i % 3],
    annotation: i % 7 === 0 ? 'Says "why", with a comma' : `Annotation ${i}`,
    source: `snapshot.json#item${Math.floor(i / 2)}`,
  }));
}

async function streamed(format: ReportFormat, input: readonly ResultRow[], extra?: Record<string, unknown>) {
  const chunks: string[] = [];
  const writer = createReportWriter(format, (chunk) => {
    chunks.push(chunk);
  });
  for (const row of input) await writer.add(row);
  const written = await writer.end(extra);
  return { text: chunks.join(''), written, chunks };
}

describe('createReportWriter', () => {
  it.each([0, 1, 5, 900])('writes the text the whole-array renderers write (%i rows)', async (count) => {
    const input = rows(count);
    expect((await streamed('json', input)).text).toBe(`${renderJson(input)}\n`);
    expect((await streamed('json', input, { notes: ['a'], remediation: { mode: 'notify' } })).text).toBe(
      `${renderJson(input, { notes: ['a'], remediation: { mode: 'notify' } })}\n`,
    );
    expect((await streamed('csv', input)).text).toBe(renderCsv(input));
    expect((await streamed('table', input)).text).toBe(`${renderTable(input)}\n`);
  });

  it('measures the table on its first rows: a longer value later sticks out of its column', async () => {
    const input = rows(TABLE_WIDTH_SAMPLE_ROWS + 10, TABLE_WIDTH_SAMPLE_ROWS + 5);
    const { text } = await streamed('table', input);
    const lines = text.split('\n');
    const header = lines[0];
    expect(header.indexOf('ANNOTATION')).toBe(
      renderTable(input.slice(0, TABLE_WIDTH_SAMPLE_ROWS)).indexOf('ANNOTATION'),
    );
    expect(lines.find((line) => line.includes('example-a-much-longer'))).toMatch(
      /example-a-much-longer-bucket-name-than-the-others {2}Annotation 1005$/,
    );
    expect(lines.at(-2)).toBe(renderTable(input).split('\n').at(-1));
  });

  it('writes 200,000 rows in every format in bounded chunks (the bench writes a million), no Math.max(...rows)', async () => {
    const template = rows(2);
    for (const format of ['table', 'json', 'csv'] as const) {
      let chars = 0;
      let largest = 0;
      let lastLine = '';
      const writer = createReportWriter(format, (chunk) => {
        chars += chunk.length;
        largest = Math.max(largest, chunk.length);
        expect(chunk.endsWith('\n')).toBe(true);
        lastLine = chunk.trimEnd().split('\n').at(-1) ?? '';
      });
      for (let i = 0; i < 200_000; i++) await writer.add(template[i % 2]);
      expect(await writer.end()).toBe(200_000);
      expect(chars).toBeGreaterThan(10_000_000);
      expect(largest).toBeLessThan(70_000);
      if (format === 'table')
        expect(lastLine).toBe('200000 results for 200000 resources: 100000 NON_COMPLIANT, 100000 COMPLIANT');
    }
  }, 120_000);

  it('renders a 150,000-row table from an array (it threw "Maximum call stack size exceeded" from about 123,000)', () => {
    const input = rows(150_000);
    expect(renderTable(input).split('\n').at(-1)).toMatch(/^150000 results for /);
  });
});
