/**
 * Result rows and how the CLI prints them (evaluate, replay, scan): an aligned table with a summary line, JSON, or
 * RFC 4180 CSV. One row per (resource, rule). Also the option parsing the commands share.
 */
import { parseArgs } from 'node:util';
import { COULD_NOT_EVALUATE_PREFIX } from '../model/annotation';
import { escapeForTerminal } from '../model/inert-text';
import { MalformedInputError, parsePublicAccessBlockFlags } from '../model/normalize';
import type { ComplianceType, PublicAccessBlockFlags } from '../model/types';
import { UsageError } from './io';

export interface ResultRow {
  readonly resourceType: string;
  readonly resourceId: string;
  /** null when neither the input nor the event says which account. */
  readonly accountId: string | null;
  /** Rule id, e.g. `s3-bucket-versioning-enabled`. */
  readonly rule: string;
  readonly compliance: ComplianceType;
  readonly annotation: string;
  /** Where the row came from: a file path (with `#...` inside it), or `live` for scan. */
  readonly source: string;
}

export const REPORT_FORMATS = ['table', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Counts are printed in this order (findings first). */
const COMPLIANCE_ORDER: readonly ComplianceType[] = [
  'NON_COMPLIANT',
  'INSUFFICIENT_DATA',
  'NOT_APPLICABLE',
  'COMPLIANT',
];

/** `--format` value -> one of `allowed`; UsageError naming the accepted values otherwise. */
export function parseFormat<F extends string>(value: string | undefined, allowed: readonly F[], fallback: F): F {
  if (value === undefined) return fallback;
  const match = allowed.find((format) => format === value.toLowerCase());
  if (!match) throw new UsageError(`--format must be one of ${allowed.join(', ')}; received "${value}".`);
  return match;
}

type OptionSpec = Readonly<
  Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string; readonly multiple?: boolean }>
>;

/** node:util parseArgs with positionals, every parse problem turned into a UsageError. */
export type ParsedOptions<O extends OptionSpec> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

export function parseOptions<O extends OptionSpec>(args: readonly string[], options: O): ParsedOptions<O> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // Checked by shape, not instanceof: errors from node: modules come from another realm under jest.
    const message = (error as { message?: unknown } | null)?.message;
    throw new UsageError(typeof message === 'string' ? message.replace(/\. To specify.*$/s, '.') : String(error));
  }
}

/** `--rules a,b` -> the ids given; UsageError naming the valid ids for an unknown one (evaluate and scan). */
export function parseRuleIds(csv: string, validIds: readonly string[]): string[] {
  const wanted = csv
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const unknownIds = wanted.filter((id) => !validIds.includes(id));
  if (wanted.length === 0 || unknownIds.length > 0) {
    throw new UsageError(
      `--rules: unknown rule id${unknownIds.length === 1 ? '' : 's'} ${unknownIds.map((id) => `"${id}"`).join(', ') || '(none given)'}; valid ids: ${validIds.join(', ')}.`,
    );
  }
  return wanted;
}

/** `--account-public-access-block` JSON -> flags (PascalCase or camelCase); UsageError when it is not that. */
export function parseAccountBpaOption(value: string | undefined): PublicAccessBlockFlags | undefined {
  if (value === undefined) return undefined;
  try {
    return parsePublicAccessBlockFlags(JSON.parse(value));
  } catch (error) {
    const why = error instanceof MalformedInputError || error instanceof SyntaxError ? error.message : String(error);
    throw new UsageError(`--account-public-access-block must be a JSON object of the four flags (${why}).`);
  }
}

/** Short label for the table's TYPE column. */
export function resourceTypeLabel(resourceType: string): string {
  switch (resourceType) {
    case 'AWS::S3::Bucket':
      return 'bucket';
    case 'AWS::S3::AccountPublicAccessBlock':
      return 'account BPA';
    case 'AWS::::Account':
      return 'account';
    default:
      return resourceType;
  }
}

export function countByCompliance(rows: readonly ResultRow[]): Map<ComplianceType, number> {
  const counts = new Map<ComplianceType, number>();
  for (const row of rows) counts.set(row.compliance, (counts.get(row.compliance) ?? 0) + 1);
  return counts;
}

/** `7 results for 4 resources: 2 NON_COMPLIANT, 1 NOT_APPLICABLE, 4 COMPLIANT` */
export function summaryLine(rows: readonly ResultRow[]): string {
  const resources = new Set(rows.map((row) => `${row.resourceType}\u0000${row.resourceId}\u0000${row.source}`)).size;
  return summaryText(rows.length, resources, countByCompliance(rows));
}

/**
 * What `--fail-on-findings` fails on, the same in evaluate, check-template and scan: a NON_COMPLIANT result, or one
 * that could not be decided (INSUFFICIENT_DATA, or NOT_APPLICABLE "Could not evaluate: ..."): unknown is not a pass.
 */
export function hasFindings(rows: readonly ResultRow[]): boolean {
  return rows.some(isFinding);
}

/** What `--fail-on-findings` fails on: NON_COMPLIANT, and anything that could not be evaluated. */
export function isFinding(row: Pick<ResultRow, 'compliance' | 'annotation'>): boolean {
  return (
    row.compliance === 'NON_COMPLIANT' ||
    row.compliance === 'INSUFFICIENT_DATA' ||
    (row.compliance === 'NOT_APPLICABLE' && row.annotation.startsWith(COULD_NOT_EVALUATE_PREFIX))
  );
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length));
}

/** A row's table cells, non-printable characters shown as `\uXXXX` (a resource id or annotation is untrusted text). */
function tableCells(row: ResultRow): {
  compliance: string;
  rule: string;
  type: string;
  resource: string;
  annotation: string;
} {
  return {
    compliance: escapeForTerminal(row.compliance),
    rule: escapeForTerminal(row.rule),
    type: escapeForTerminal(resourceTypeLabel(row.resourceType)),
    resource: escapeForTerminal(row.resourceId),
    annotation: escapeForTerminal(row.annotation),
  };
}

/** How many rows the streamed table measures its columns on (the rows after them may stick out of a column). */
export const TABLE_WIDTH_SAMPLE_ROWS = 1000;

const TABLE_HEADER = { compliance: 'COMPLIANCE', rule: 'RULE', type: 'TYPE', resource: 'RESOURCE' };

type ColumnWidths = { compliance: number; rule: number; type: number; resource: number };

/** Widths from the header and `rows`, by a loop (never `Math.max(...rows)`, which overflows the stack on 125k rows). */
function columnWidths(rows: readonly ResultRow[]): ColumnWidths {
  const widths: ColumnWidths = {
    compliance: TABLE_HEADER.compliance.length,
    rule: TABLE_HEADER.rule.length,
    type: TABLE_HEADER.type.length,
    resource: TABLE_HEADER.resource.length,
  };
  for (const row of rows) {
    const cells = tableCells(row);
    widths.compliance = Math.max(widths.compliance, cells.compliance.length);
    widths.rule = Math.max(widths.rule, cells.rule.length);
    widths.type = Math.max(widths.type, cells.type.length);
    widths.resource = Math.max(widths.resource, cells.resource.length);
  }
  return widths;
}

/**
 * A report written as the rows come, never holding them all: `add` each row, then `end`. Output goes to `write` in
 * chunks that each end with a newline. The table measures its columns on the first `sampleRows` rows (buffered until
 * then); counts for the summary line are kept as numbers, and a resource is counted when its rows start (the rows of
 * one resource come together from every producer).
 */
export interface ReportWriter {
  readonly add: (row: ResultRow) => Promise<void>;
  /** Finishes the document; `extra` adds top-level keys to JSON (replay, scan). Returns the rows written. */
  readonly end: (extra?: Readonly<Record<string, unknown>>) => Promise<number>;
}

export type ChunkWriter = (chunk: string) => void | Promise<void>;

const FLUSH_CHARS = 1 << 16;

/** A buffer in front of `write`: one call per ~64 KiB, each chunk ending at a newline. */
function lineSink(write: ChunkWriter) {
  let buffer = '';
  const spill = async () => {
    if (buffer.length < FLUSH_CHARS) return;
    const cut = buffer.lastIndexOf('\n') + 1;
    if (cut === 0) return;
    const chunk = buffer.slice(0, cut);
    buffer = buffer.slice(cut);
    await write(chunk);
  };
  return {
    line: async (text: string) => {
      buffer += `${text}\n`;
      await spill();
    },
    /** Text without a newline of its own. */
    raw: async (text: string) => {
      buffer += text;
      await spill();
    },
    flush: async () => {
      if (buffer === '') return;
      const chunk = buffer;
      buffer = '';
      await write(chunk);
    },
  };
}

class SummaryCounter {
  readonly counts = new Map<ComplianceType, number>();
  rows = 0;
  resources = 0;
  private last: string | undefined;

  add(row: ResultRow): void {
    this.rows++;
    this.counts.set(row.compliance, (this.counts.get(row.compliance) ?? 0) + 1);
    const key = `${row.resourceType}\u0000${row.resourceId}\u0000${row.source}`;
    if (key !== this.last) this.resources++;
    this.last = key;
  }

  line(): string {
    return summaryText(this.rows, this.resources, this.counts);
  }
}

function summaryText(rows: number, resources: number, counts: ReadonlyMap<ComplianceType, number>): string {
  if (rows === 0) return 'No results.';
  const parts = COMPLIANCE_ORDER.filter((c) => counts.has(c)).map((c) => `${counts.get(c)} ${c}`);
  return `${rows} result${rows === 1 ? '' : 's'} for ${resources} resource${resources === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

function tableWriter(
  write: ChunkWriter,
  options: { readonly indent?: string; readonly sampleRows?: number },
): ReportWriter {
  const indent = options.indent ?? '';
  const sampleRows = options.sampleRows ?? TABLE_WIDTH_SAMPLE_ROWS;
  const sink = lineSink(write);
  const summary = new SummaryCounter();
  let sample: ResultRow[] | undefined = [];
  let widths: ColumnWidths | undefined;
  let source: string | undefined;
  const line = (c: string, rule: string, type: string, resource: string, annotation: string, w: ColumnWidths): string =>
    `${indent}  ${pad(c, w.compliance)}  ${pad(rule, w.rule)}  ${pad(type, w.type)}  ${pad(resource, w.resource)}  ${annotation}`.trimEnd();
  const emit = async (row: ResultRow, w: ColumnWidths) => {
    if (row.source !== source) {
      source = row.source;
      await sink.line(`${indent}${escapeForTerminal(source)}`);
    }
    const cells = tableCells(row);
    await sink.line(line(cells.compliance, cells.rule, cells.type, cells.resource, cells.annotation, w));
  };
  const start = async (rows: readonly ResultRow[]) => {
    widths = columnWidths(rows);
    await sink.line(
      line(TABLE_HEADER.compliance, TABLE_HEADER.rule, TABLE_HEADER.type, TABLE_HEADER.resource, 'ANNOTATION', widths),
    );
    for (const row of rows) await emit(row, widths);
    sample = undefined;
  };
  return {
    add: async (row) => {
      summary.add(row);
      if (sample) {
        sample.push(row);
        if (sample.length >= sampleRows) await start(sample);
      } else if (widths) {
        await emit(row, widths);
      }
    },
    end: async () => {
      if (summary.rows === 0) {
        await sink.line(`${indent}No results.`);
      } else {
        if (sample) await start(sample);
        await sink.line('');
        await sink.line(`${indent}${summary.line()}`);
      }
      await sink.flush();
      return summary.rows;
    },
  };
}

/** `JSON.stringify(value, null, 2)` with every line after the first indented by `indent`. */
function indented(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
}

function jsonWriter(write: ChunkWriter): ReportWriter {
  const sink = lineSink(write);
  let rows = 0;
  return {
    add: async (row) => {
      rows++;
      await sink.raw(`${rows === 1 ? '{\n  "results": [\n    ' : ',\n    '}${indented(orderedRow(row), '    ')}`);
    },
    end: async (extra = {}) => {
      // The same text as JSON.stringify({ results: rows, ...extra }, null, 2).
      await sink.raw(rows === 0 ? '{\n  "results": []' : '\n  ]');
      for (const [key, value] of Object.entries(extra)) {
        if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
        await sink.raw(`,\n  ${JSON.stringify(key)}: ${indented(value, '  ')}`);
      }
      await sink.line('\n}');
      await sink.flush();
      return rows;
    },
  };
}

function csvWriter(write: ChunkWriter): ReportWriter {
  const sink = lineSink(write);
  let rows = 0;
  const ready = sink.line(`${CSV_COLUMNS.join(',')}\r`);
  return {
    add: async (row) => {
      await ready;
      rows++;
      await sink.line(`${CSV_COLUMNS.map((column) => csvField(row[column])).join(',')}\r`);
    },
    end: async () => {
      await ready;
      await sink.flush();
      return rows;
    },
  };
}

/** A streaming report in `format`; see ReportWriter. */
export function createReportWriter(
  format: ReportFormat,
  write: ChunkWriter,
  options: { readonly sampleRows?: number } = {},
): ReportWriter {
  switch (format) {
    case 'json':
      return jsonWriter(write);
    case 'csv':
      return csvWriter(write);
    case 'table':
      return tableWriter(write, options);
  }
}

/**
 * Rows under a header line per source; columns aligned across the whole table; the summary last. `account: true`
 * (an organization scan) adds an ACCOUNT column first.
 */
export function renderTable(
  rows: readonly ResultRow[],
  indent = '',
  options: { readonly account?: boolean } = {},
): string {
  if (rows.length === 0) return `${indent}No results.`;
  const widths = columnWidths(rows);
  const accounts = rows.map((row) => escapeForTerminal(row.accountId ?? '-'));
  const accountWidth = accounts.reduce((width, account) => Math.max(width, account.length), 'ACCOUNT'.length);
  const line = (c: string, rule: string, type: string, resource: string, annotation: string, account = ''): string =>
    `${indent}  ${options.account ? `${pad(account, accountWidth)}  ` : ''}${pad(c, widths.compliance)}  ${pad(rule, widths.rule)}  ${pad(type, widths.type)}  ${pad(resource, widths.resource)}  ${annotation}`.trimEnd();
  const out: string[] = [
    line(TABLE_HEADER.compliance, TABLE_HEADER.rule, TABLE_HEADER.type, TABLE_HEADER.resource, 'ANNOTATION', 'ACCOUNT'),
  ];
  let source: string | undefined;
  rows.forEach((row, index) => {
    if (row.source !== source) {
      source = row.source;
      out.push(`${indent}${escapeForTerminal(source)}`);
    }
    const cells = tableCells(row);
    out.push(line(cells.compliance, cells.rule, cells.type, cells.resource, cells.annotation, accounts[index]));
  });
  out.push('', `${indent}${summaryLine(rows)}`);
  return out.join('\n');
}

/** `{"results": [...]}` plus any extra top-level keys (replay adds notifications and plans). */
export function renderJson(rows: readonly ResultRow[], extra: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({ results: rows.map(orderedRow), ...extra }, null, 2);
}

function orderedRow(row: ResultRow): ResultRow {
  return {
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    accountId: row.accountId,
    rule: row.rule,
    compliance: row.compliance,
    annotation: row.annotation,
    source: row.source,
  };
}

export const CSV_COLUMNS = [
  'resourceType',
  'resourceId',
  'accountId',
  'rule',
  'compliance',
  'annotation',
  'source',
] as const;

/** RFC 4180: quote a field holding a comma, a double quote, CR or LF; double the quotes inside. */
export function csvField(value: string | null): string {
  const text = value ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Header line plus one record per row, CRLF-terminated (RFC 4180). */
export function renderCsv(rows: readonly ResultRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((column) => csvField(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function renderReport(rows: readonly ResultRow[], format: ReportFormat): string {
  switch (format) {
    case 'json':
      return renderJson(rows);
    case 'csv':
      return renderCsv(rows);
    case 'table':
      return renderTable(rows);
  }
}
