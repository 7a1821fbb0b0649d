import type { GateVerdict } from '../../decide/verdict.js';
import type { GateMeta } from '../../pack/catalog.js';
import { singleLine } from '../format-reason.js';
import type { Report } from '../report.js';
import {
  countsLine,
  evidenceDirOf,
  failsThroughItems,
  findingCounts,
  locateGate,
  reasonLine,
  shortTitle,
  waiverText,
  type FormatOptions,
} from './shared.js';
import { plain, reportsFormat, type ReportsFormat } from './format.js';

/**
 * TAP version 14 (testanything.org), what Conftest's `--output tap` and most CI test
 * parsers read: one test point per gate of each environment, in the checklist's order,
 * then one per environment for the evidence and the evaluation. `not ok` for fail and
 * error, with a YAML diagnostic block (message, severity, status, at); `# SKIP` for n/a
 * and for a parent failing only through its items (counted there, once); a waived gate
 * is `not ok ... # TODO` with its waiver (a TODO failure does not fail the run).
 */
export function renderTap(
  reports: Report[],
  gates: GateMeta[],
  options: FormatOptions = {},
): string {
  const metas = new Map(gates.map((g) => [g.id, g]));
  const lines: string[] = [];
  let n = 0;
  for (const report of reports) {
    const env = report.environment;
    const dir = evidenceDirOf(options, env);
    lines.push(
      `# ${tapText(`${env} (as of ${report.asOf}): ${report.verdict} — ${countsLine(findingCounts(report.gates))}`)}`,
    );
    for (const gate of report.gates) {
      n++;
      lines.push(...testPoint(n, report, gate, metas.get(gate.id), dir, options.anchorKind));
    }
    n++;
    const errors = report.diagnostics.filter((d) => d.severity === 'error');
    const broken = errors.length > 0 || report.problems.length > 0;
    lines.push(`${broken ? 'not ok' : 'ok'} ${n} - ${tapText(`${env} evidence and evaluation`)}`);
    if (broken) {
      const details = [
        ...report.problems.map((p) => `problem: ${p}`),
        ...errors.map((d) => `${d.file}:${d.line ?? 1}:${d.column ?? 1}: ${d.message} [${d.code}]`),
      ];
      lines.push(
        ...yamlBlock({
          message: `${errors.length} evidence error(s), ${report.problems.length} problem(s)`,
          severity: 'fail',
          details,
        }),
      );
    }
  }
  return `${['TAP version 14', `1..${n}`, ...lines].join('\n')}\n`;
}

function testPoint(
  n: number,
  report: Report,
  gate: GateVerdict,
  meta: GateMeta | undefined,
  dir: string,
  anchorKind: string | undefined,
): string[] {
  const name = `${report.environment} ${gate.id}: ${shortTitle(gate.title)}`;
  const first = gate.reasons.find((r) => r.code !== 'child-status');
  switch (gate.status) {
    case 'pass':
      return [`ok ${n} - ${tapText(name)}`];
    case 'na':
      return [
        `ok ${n} - ${tapText(name)} # SKIP ${tapText(first ? first.message : 'not applicable')}`,
      ];
    case 'waived':
      return [
        `not ok ${n} - ${tapText(name)} # TODO ${tapText(waiverText(gate) || 'waived through its items')}`,
      ];
    case 'fail':
    case 'error': {
      if (failsThroughItems(gate))
        return [
          `ok ${n} - ${tapText(name)} # SKIP ${gate.status} through its items, each a test point of its own`,
        ];
      const where = locateGate(report, gate, meta, dir, anchorKind);
      const reasons = gate.reasons
        .filter((r) => r.code !== 'child-status')
        .map((r) => reasonLine(r, dir));
      return [
        `not ok ${n} - ${tapText(name)}`,
        ...yamlBlock({
          message: reasons[0] ?? gate.status,
          severity: 'fail',
          data: {
            status: gate.status,
            severity: gate.severity,
            at: `${where.uri}${where.line ? `:${where.line}:${where.column ?? 1}` : ''}`,
          },
          details: [
            ...reasons.slice(1),
            ...(meta?.remediation ? [`remediation: ${meta.remediation}`] : []),
          ],
        }),
      ];
    }
  }
}

/** A TAP 14 YAML diagnostic block, every value a double-quoted JSON string (valid YAML). */
function yamlBlock(block: {
  message: string;
  severity: string;
  data?: Record<string, string>;
  details?: string[];
}): string[] {
  const q = (value: string): string => JSON.stringify(singleLine(value));
  const lines = ['  ---', `  message: ${q(block.message)}`, `  severity: ${block.severity}`];
  if (block.data) {
    lines.push('  data:');
    for (const [key, value] of Object.entries(block.data)) lines.push(`    ${key}: ${q(value)}`);
  }
  if (block.details?.length) {
    lines.push('  details:');
    for (const detail of block.details) lines.push(`    - ${q(detail)}`);
  }
  lines.push('  ...');
  return lines;
}

/**
 * A description on one line: `#` would start a directive and a leading digit would be
 * read as the test number, so both are escaped as TAP 14 allows (`\#`).
 */
function tapText(text: string): string {
  return singleLine(text).replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}

/** The `tap` format's registry entry (index.ts). */
export const tapFormat: ReportsFormat = reportsFormat({
  name: 'tap',
  kind: 'TAP',
  extension: 'tap',
  description: 'TAP version 14, a test point per gate',
  render: plain(renderTap),
});
