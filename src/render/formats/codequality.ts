import type { GateMeta } from '../../pack/catalog.js';
import { escapeTerminal } from '../../core/text/escape.js';
import type { Report } from '../report.js';
import {
  evidenceDirOf,
  isFinding,
  lineHash,
  locateGate,
  reasonLine,
  repoPath,
  shortTitle,
  type FormatOptions,
  type GateLocation,
} from './shared.js';
import { plain, reportsFormat, type ReportsFormat } from './format.js';

/** One issue of a GitLab Code Quality report (a subset of the Code Climate spec GitLab reads). */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

/** Gate severity to GitLab's: critical stays critical, high is major, medium minor, low info. */
const SEVERITY: Record<string, CodeQualityIssue['severity']> = {
  critical: 'critical',
  high: 'major',
  medium: 'minor',
  low: 'info',
};

/**
 * GitLab Code Quality JSON (`artifacts:reports:codequality`), the only way to get inline
 * annotations on a GitLab merge request: an array of issues, one per gate that fails or
 * errors on its own reasons (a parent failing only through its items is not repeated)
 * and per error diagnostic of the evidence, each with a file path relative to the
 * repository, a line >= 1 (a finding with no file of its own is anchored at line 1 of
 * the release file), and a fingerprint from environment and gate only, so that the
 * merge-request widget sees the same issue across edits. Waived gates are not issues:
 * GitLab has no notion of an accepted finding. An empty array when all is well.
 */
export function renderCodeQuality(
  reports: Report[],
  gates: GateMeta[],
  options: FormatOptions = {},
): string {
  const metas = new Map(gates.map((g) => [g.id, g]));
  const issues: CodeQualityIssue[] = [];
  for (const report of reports) {
    const env = report.environment;
    const dir = evidenceDirOf(options, env);
    for (const gate of report.gates.filter(isFinding)) {
      const meta = metas.get(gate.id);
      const reasons = gate.reasons
        .filter((r) => r.code !== 'child-status')
        .map((r) => reasonLine(r, dir));
      issues.push({
        // GitLab shows the description in the merge request: evidence text reads as
        // written there, its control and bidi characters as visible escapes.
        description: escapeTerminal(
          `[${env}] ${gate.status.toUpperCase()} ${gate.id}: ${shortTitle(gate.title)}${reasons.length ? ` — ${reasons.join('; ')}` : ''}`,
        ),
        check_name: gate.id,
        fingerprint: fingerprint(env, gate.id),
        severity:
          gate.status === 'error' && gate.severity === 'critical'
            ? 'blocker'
            : (SEVERITY[gate.severity] ?? 'major'),
        location: place(locateGate(report, gate, meta, dir, options.anchorKind)),
      });
    }
    for (const d of report.diagnostics.filter((x) => x.severity === 'error')) {
      issues.push({
        description: escapeTerminal(
          `[${env}] ${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}`,
        ),
        check_name: `evidence/${d.code}`,
        fingerprint: fingerprint(env, d.file, d.code, d.pointer),
        severity: 'major',
        location: place({ uri: repoPath(dir, d.file), line: d.line ?? 1 }),
      });
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}

function fingerprint(...parts: string[]): string {
  return lineHash('codequality', ...parts).slice(0, 16);
}

function place(where: GateLocation): CodeQualityIssue['location'] {
  return { path: where.uri, lines: { begin: where.line ?? 1 } };
}

/** The `codequality` format's registry entry (index.ts). */
export const codeQualityFormat: ReportsFormat = reportsFormat({
  name: 'codequality',
  kind: 'CODEQUALITY',
  extension: 'json',
  description: 'GitLab Code Quality JSON (merge-request annotations)',
  stdout: 'json',
  render: plain(renderCodeQuality),
});
