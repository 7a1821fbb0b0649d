import type { GateMeta } from '../../pack/catalog.js';
import { escapeTerminal } from '../../core/text/escape.js';
import type { Report } from '../report.js';
import {
  countsLine,
  evidenceDirOf,
  findingCounts,
  isFinding,
  locateGate,
  reasonLine,
  repoPath,
  shortTitle,
  waiverText,
  type FormatOptions,
  type GateLocation,
} from './shared.js';
import { plain, reportsFormat, type ReportsFormat } from './format.js';

/**
 * Azure Pipelines logging commands, printed to the log where the agent reads them: a
 * `##[group]` per environment holding `##vso[task.logissue]` for each gate that fails
 * or errors on its own reasons (a parent failing only through its items is not
 * repeated) and each evidence diagnostic, at its file, line and column, with the gate
 * id as `code`; a waived gate as a plain line with its waiver; then a closing count line
 * per environment. The step's result is left to prodgate's exit code.
 */
export function renderAzureDevops(
  reports: Report[],
  gates: GateMeta[],
  options: FormatOptions = {},
): string {
  const metas = new Map(gates.map((g) => [g.id, g]));
  const lines: string[] = [];
  for (const report of reports) {
    const env = report.environment;
    const dir = evidenceDirOf(options, env);
    lines.push(`##[group]prodgate ${safeData(env)}`);
    for (const problem of report.problems)
      lines.push(logIssue('error', {}, `prodgate ${env}: evaluation problem: ${problem}`));
    for (const gate of report.gates.filter(isFinding)) {
      const meta = metas.get(gate.id);
      const reasons = gate.reasons
        .filter((r) => r.code !== 'child-status')
        .map((r) => reasonLine(r, dir));
      const remediation = meta?.remediation ? ` Remediation: ${meta.remediation}` : '';
      const text = `prodgate ${env}: ${gate.status.toUpperCase()} ${gate.id}: ${shortTitle(gate.title)}: ${reasons.join('; ')}.${remediation}`;
      lines.push(
        logIssue(
          'error',
          { ...at(locateGate(report, gate, meta, dir, options.anchorKind)), code: gate.id },
          text,
        ),
      );
    }
    for (const d of report.diagnostics) {
      const where: GateLocation = {
        uri: repoPath(dir, d.file),
        ...(d.line ? { line: d.line, column: d.column ?? 1 } : {}),
      };
      lines.push(
        logIssue(
          d.severity === 'error' ? 'error' : 'warning',
          { ...at(where), code: `evidence/${d.code}` },
          `prodgate ${env}: ${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}`,
        ),
      );
    }
    for (const gate of report.gates.filter((g) => g.status === 'waived' && g.waiver))
      lines.push(safeData(`prodgate ${env}: WAIVED ${gate.id}: ${waiverText(gate)}`));
    lines.push('##[endgroup]');
  }
  for (const report of reports)
    lines.push(
      safeData(
        `prodgate ${report.environment}: ${report.verdict} — ${countsLine(findingCounts(report.gates))}`,
      ),
    );
  return `${lines.join('\n')}\n`;
}

function at(where: GateLocation): Record<string, string> {
  return {
    sourcepath: where.uri,
    ...(where.line
      ? { linenumber: String(where.line), columnnumber: String(where.column ?? 1) }
      : {}),
  };
}

/** `##vso[task.logissue type=...;key=value;...]message`, escaped as the agent unescapes it. */
export function logIssue(
  type: 'error' | 'warning',
  properties: Record<string, string>,
  message: string,
): string {
  const props = Object.entries({ type, ...properties })
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(';');
  return `##vso[task.logissue ${props}]${escapeData(message)}`;
}

/**
 * A command's message as azure-pipelines-task-lib writes it: `%` as `%AZP25`, CR and LF
 * as `%0D` and `%0A`, so one message stays one line; and `##` broken up, since the
 * agent finds a `##vso[` command anywhere in a line, not only at its start.
 */
export function escapeData(value: string): string {
  return safeData(value.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** A property value: as a message, and `;` and `]`, which end a property and the command. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/;/g, '%3B').replace(/\]/g, '%5D');
}

/**
 * Plain text on a log line: one line (a CR/LF run becomes a space), every other control
 * or format character (ESC, bidi controls such as U+202E, U+2028/U+2029, NEL, C0/C1)
 * escaped as for a terminal as a visible `\u....`, so the text cannot recolour, hide or
 * reorder the log or start a line, and no `##` that could start a logging command.
 */
function safeData(value: string): string {
  return escapeTerminal(value.replace(/[\r\n]+/g, ' ')).replace(/#(?=#)/g, '# ');
}

/** The `azuredevops` format's registry entry (index.ts). */
export const azureDevopsFormat: ReportsFormat = reportsFormat({
  name: 'azuredevops',
  kind: 'AZUREDEVOPS',
  extension: 'txt',
  description: 'Azure Pipelines logging commands (##vso[task.logissue], always printed)',
  logCommands: true,
  render: plain(renderAzureDevops),
});
