import { breakHashCommands, escapeTerminal } from '../../core/text/escape.js';
import type { GateMeta } from '../../pack/catalog.js';
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
 * GitHub Actions workflow commands, printed by the CLI to stdout inside a workflow
 * (whatever its place among the `--format`s: the runner reads commands only there): a
 * `::group::` per environment holding `::error` for each gate that fails or errors on
 * its own reasons (a parent failing only through its items is not repeated) and each
 * evidence error, at the file, line and column it rests on; `::warning` for evidence
 * warnings; `::notice` for each waived gate, with approver and expiry. After the groups,
 * one count line per environment, the same counts as every other format.
 */
export function renderGithub(
  reports: Report[],
  gates: GateMeta[],
  options: FormatOptions = {},
): string {
  const metas = new Map(gates.map((g) => [g.id, g]));
  const lines: string[] = [];
  for (const report of reports) {
    const env = report.environment;
    const dir = evidenceDirOf(options, env);
    lines.push(`::group::${escapeData(`prodgate ${env}: ${report.verdict}`)}`);
    for (const problem of report.problems)
      lines.push(command('error', { title: `prodgate ${env}: evaluation problem` }, problem));
    for (const gate of report.gates.filter(isFinding)) {
      const meta = metas.get(gate.id);
      const reasons = gate.reasons
        .filter((r) => r.code !== 'child-status')
        .map((r) => reasonLine(r, dir));
      const remediation = meta?.remediation ? ` Remediation: ${meta.remediation}` : '';
      lines.push(
        command(
          'error',
          {
            ...at(locateGate(report, gate, meta, dir, options.anchorKind)),
            title: `prodgate ${env}: ${gate.status.toUpperCase()} ${gate.id}`,
          },
          `${shortTitle(gate.title)}: ${reasons.join('; ')}.${remediation}`,
        ),
      );
    }
    for (const d of report.diagnostics) {
      const where = { uri: repoPath(dir, d.file), line: d.line, column: d.column };
      lines.push(
        command(
          d.severity,
          { ...at(where), title: `prodgate ${env}: evidence ${d.code}` },
          `${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}`,
        ),
      );
    }
    for (const gate of report.gates.filter((g) => g.waiver && g.status === 'waived')) {
      const where = gate.reasons.find((r) => r.code === 'waived')?.evidence[0];
      const located = where?.line
        ? at({
            uri: repoPath(dir, where.file),
            line: where.line,
            ...(where.column ? { column: where.column } : {}),
          })
        : {};
      lines.push(
        command(
          'notice',
          { ...located, title: `prodgate ${env}: WAIVED ${gate.id}` },
          waiverText(gate),
        ),
      );
    }
    lines.push('::endgroup::');
  }
  for (const report of reports)
    lines.push(
      escapeData(
        `prodgate ${report.environment}: ${report.verdict} — ${countsLine(findingCounts(report.gates))}`,
      ).replace(/^::/, ': :'),
    );
  return lines.length ? `${lines.join('\n')}\n` : '';
}

type Level = 'error' | 'warning' | 'notice';

function at(where: GateLocation): Record<string, string> {
  return {
    file: where.uri,
    ...(where.line ? { line: String(where.line), col: String(where.column ?? 1) } : {}),
  };
}

/** `::level key=value,...::message`, escaped as the Actions runner unescapes it. */
export function command(level: Level, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/**
 * A command's message: `%`, CR and LF encoded (what @actions/core's escapeData does),
 * and every other control or format character (ESC, bidi controls such as U+202E,
 * U+2028/U+2029, NEL and the other C0/C1 controls) escaped as for a terminal, as a
 * visible `\u....`: the runner's log renders ANSI, and a line separator could start a
 * forged line in a viewer. An Azure-style `##vso[` is broken too (`#\#vso[`), as in
 * every CI log line.
 */
export function escapeData(value: string): string {
  return value
    .replace(/%/g, '%25')
    .replace(/[^\r\n]+/g, (line) => breakHashCommands(escapeTerminal(line)))
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A');
}

/** A command's property value: as data, and `:` and `,` too, which end a property. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The `github` format's registry entry (index.ts). */
export const githubFormat: ReportsFormat = reportsFormat({
  name: 'github',
  kind: 'GITHUB',
  extension: 'txt',
  description: 'GitHub Actions annotations (workflow commands, always printed) and the job summary',
  logCommands: true,
  render: plain(renderGithub),
});
