/** Scan output: the result rows in `evaluate`'s report formats (bin/report.ts), plus the remediation outcomes. */

import { escapeForTerminal } from '../../model/inert-text';
import type { RemediationMode } from '../../remediation/actions/action-definition';
import { describeSnapshot, type Outcome } from '../../remediation/actions/outcome';
import { type ReportFormat, type ResultRow, renderCsv, renderJson, renderTable } from '../report';

export interface ScanOutput {
  readonly rows: readonly ResultRow[];
  readonly notes: readonly string[];
  /** Present when --remediate was given. */
  readonly remediation?: { readonly mode: RemediationMode; readonly outcomes: readonly Outcome[] };
}

/**
 * table: the report, then the remediation outcomes; json: `{results, notes, remediation?}` (the `evaluate` document
 * plus keys); csv: the rows only (outcomes go to stderr as a table, so the CSV stays one record type).
 */
export function renderScan(
  output: ScanOutput,
  format: ReportFormat,
  options: { readonly accountColumn?: boolean } = {},
): { stdout: string; stderr?: string } {
  switch (format) {
    case 'json':
      return {
        stdout: renderJson(output.rows, {
          notes: output.notes,
          ...(output.remediation
            ? { remediation: { mode: output.remediation.mode, outcomes: output.remediation.outcomes } }
            : {}),
        }),
      };
    case 'csv':
      return {
        stdout: renderCsv(output.rows),
        ...(output.remediation ? { stderr: renderOutcomes(output.remediation.mode, output.remediation.outcomes) } : {}),
      };
    case 'table': {
      const table = options.accountColumn ? renderTable(output.rows, '', { account: true }) : renderTable(output.rows);
      return {
        stdout: output.remediation
          ? `${table}\n\n${renderOutcomes(output.remediation.mode, output.remediation.outcomes)}`
          : table,
      };
    }
  }
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length));
}

/** One line per action and target: what happened (or would), and the setting as read back after a change. */
export function renderOutcomes(mode: RemediationMode, outcomes: readonly Outcome[]): string {
  const title =
    mode === 'notify'
      ? 'Remediation plan (--mode notify: dry run, nothing was changed)'
      : 'Remediation (--mode remediate: applied, then read back)';
  if (outcomes.length === 0) return `${title}: nothing to do.`;
  // The target is a bucket name and the reason may quote an error message: non-printable characters shown escaped.
  const targets = outcomes.map((o) => escapeForTerminal(o.target));
  const widths = {
    status: outcomes.reduce((width, o) => Math.max(width, o.status.length), 'STATUS'.length),
    action: outcomes.reduce((width, o) => Math.max(width, o.action.length), 'ACTION'.length),
    target: targets.reduce((width, target) => Math.max(width, target.length), 'TARGET'.length),
  };
  const line = (status: string, action: string, target: string, detail: string) =>
    `  ${pad(status, widths.status)}  ${pad(action, widths.action)}  ${pad(target, widths.target)}  ${detail}`.trimEnd();
  const lines = outcomes.map((outcome, index) => {
    const readBack =
      (outcome.status === 'changed' || outcome.status === 'failed') && outcome.after
        ? ` (now: ${describeSnapshot(outcome.after)})`
        : '';
    return line(outcome.status, outcome.action, targets[index], escapeForTerminal(`${outcome.reason}${readBack}`));
  });
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
  const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  return [
    title,
    line('STATUS', 'ACTION', 'TARGET', 'DETAIL'),
    ...lines,
    '',
    `${outcomes.length} outcomes: ${summary}`,
  ].join('\n');
}
