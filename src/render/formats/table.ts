import type { GateMeta } from '../../pack/catalog.js';
import { clampText } from '../../core/text/clamp.js';
import { singleLine, STATUS_LABEL } from '../format-reason.js';
import type { Report } from '../report.js';
import {
  countsLine,
  evidenceDirOf,
  failsThroughItems,
  findingCounts,
  locateGate,
  reasonLine,
  waiverText,
  type FormatOptions,
} from './shared.js';
import { plain, reportsFormat, type ReportsFormat } from './format.js';

/**
 * A plain-text table for a terminal, like Conftest's `--output table`: one row per gate
 * that is not a pass (fail, error, waived, n/a) of each environment, with where it rests
 * and its first reason, then one line of counts per environment. A parent failing only
 * through its items has no row (its items do). ASCII only; every cell on one line and
 * cut to a width, control characters escaped.
 */
export function renderTable(
  reports: Report[],
  gates: GateMeta[],
  options: FormatOptions = {},
): string {
  const metas = new Map(gates.map((g) => [g.id, g]));
  const header = ['ENVIRONMENT', 'STATUS', 'GATE', 'LOCATION', 'MESSAGE'];
  const rows: string[][] = [];
  for (const report of reports) {
    const dir = evidenceDirOf(options, report.environment);
    for (const gate of report.gates) {
      if (gate.status === 'pass' || failsThroughItems(gate)) continue;
      const where =
        gate.status === 'na'
          ? undefined
          : locateGate(report, gate, metas.get(gate.id), dir, options.anchorKind);
      const reason = gate.reasons.find((r) => r.code !== 'child-status' && r.code !== 'waived');
      const message =
        gate.status === 'waived'
          ? waiverText(gate) || 'waived through its items'
          : reason
            ? reasonLine(reason, dir)
            : '';
      rows.push([
        report.environment,
        STATUS_LABEL[gate.status],
        gate.id,
        where ? `${where.uri}${where.line ? `:${where.line}` : ''}` : '',
        message,
      ]);
    }
  }
  const cells = [header, ...rows].map((row) =>
    row.map((cell, i) => clampText(singleLine(cell), WIDTH[i] ?? 60)),
  );
  const widths = header.map((_, i) => Math.max(...cells.map((row) => [...(row[i] ?? '')].length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (row: string[]): string =>
    `|${row.map((cell, i) => ` ${cell}${' '.repeat((widths[i] ?? 0) - [...cell].length)} `).join('|')}|`;
  const [head, ...body] = cells;
  const table = rows.length ? [rule, line(head ?? []), rule, ...body.map(line), rule] : [];
  const totals = reports.map(
    (r) => `${r.environment}: ${r.verdict} — ${countsLine(findingCounts(r.gates))}`,
  );
  return `${[...table, ...totals].join('\n')}\n`;
}

/** The widest each column gets, in characters: LOCATION and MESSAGE are cut with an ellipsis. */
const WIDTH = [16, 6, 48, 60, 120];

/** The `table` format's registry entry (index.ts). */
export const tableFormat: ReportsFormat = reportsFormat({
  name: 'table',
  kind: 'TABLE',
  extension: 'txt',
  description: 'a plain-text table of every gate that is not a pass',
  render: plain(renderTable),
});
