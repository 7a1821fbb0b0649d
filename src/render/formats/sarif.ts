import type { Log, ReportingDescriptor, Result, Run } from 'sarif';
import type { EvidenceFinding } from '../../core/finding.js';
import type { GateVerdict } from '../../decide/verdict.js';
import type { GateMeta } from '../../pack/catalog.js';
import { escapeTerminal } from '../../core/text/escape.js';
import type { Report } from '../report.js';
import {
  anchorOf,
  evidenceDirOf,
  isFinding,
  lineHash,
  locateGate,
  reasonLine,
  repoPath,
  shortTitle,
  waiverText,
  type FormatOptions,
  type GateLocation,
} from './shared.js';
import { fitSarifToLimits, SARIF_LIMITS } from './sarif-limits.js';
import { reportsFormat, type ReportsFormat } from './format.js';

export { SARIF_LIMITS };

/** The final OASIS SARIF 2.1.0 schema (errata 01), as code-scanning tools name it. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where prodgate is documented: the driver's informationUri; each gate's help is below it. */
export const INFORMATION_URI = 'https://prodgate.dev';

/** Gate severity to SARIF `level` (SARIF §3.27.10): what a reviewer must do about it. */
const LEVEL: Record<string, NonNullable<Result['level']>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/**
 * Gate severity to GitHub's `security-severity` (a CVSS-like score, 0.0-10.0): GitHub
 * shows critical above 9.0, high 7.0-8.9, medium 4.0-6.9, low below. Only rules tagged
 * `security` carry it.
 */
const SECURITY_SEVERITY: Record<string, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/** The rendered log and what had to be cut to stay within GitHub's limits (empty when nothing). */
export interface SarifOutput {
  log: Log;
  warnings: string[];
}

/**
 * SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).
 *
 * - One run per environment, each with its own `automationDetails.id`
 *   (`prodgate/<env>/`): GitHub rejects two runs of one tool in one category.
 * - A rule per gate of the pack (name, descriptions, help with the rule per environment
 *   and the remediation, `helpUri`), `level` from the gate's severity, and
 *   `security-severity` for rules tagged `security`.
 * - A result per gate that fails or errors on its own reasons (a parent failing only
 *   through its items is not repeated: they are results at their own lines), and per
 *   error diagnostic of the evidence (rule `evidence/<code>`, at the exact line).
 * - Every result has a file and `region.startLine` >= 1; a finding with no file of its
 *   own (missing evidence) is anchored at line 1 of the environment's release file
 *   (shared.ts anchorOf).
 * - `partialFingerprints.primaryLocationLineHash` from environment and gate id only: the
 *   alert survives edits that move the evidence line.
 * - Waived gates are results with an `external` suppression (accepted) that carries
 *   the approver, expiry and justification: GitHub shows them as dismissed, auditors
 *   still see them.
 * - Within GitHub's documented limits (sarif-limits.ts); what is cut is said in a note
 *   result and in `warnings`.
 */
export function sarifLog(
  reports: Report[],
  gates: GateMeta[],
  options: FormatOptions = {},
): SarifOutput {
  const runs = reports.map((report) => environmentRun(report, gates, options));
  const log: Log = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs };
  return fitSarifToLimits(
    log,
    reports.map((r) => ({
      environment: r.environment,
      anchor: anchorOf(r, evidenceDirOf(options, r.environment), options.anchorKind),
    })),
  );
}

/** The SARIF file's text: sarifLog as JSON, two-space indented, with a final newline. */
export function renderSarif(
  reports: Report[],
  gates: GateMeta[],
  options: FormatOptions = {},
): string {
  return sarifText(sarifLog(reports, gates, options).log);
}

export function sarifText(log: Log): string {
  return `${JSON.stringify(log, null, 2)}\n`;
}

function environmentRun(report: Report, gates: GateMeta[], options: FormatOptions): Run {
  const env = report.environment;
  const dir = evidenceDirOf(options, env);
  const rules: ReportingDescriptor[] = gates.map(gateRule);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const metas = new Map(gates.map((g) => [g.id, g]));
  const results: Result[] = [];
  for (const gate of report.gates) {
    const waived = gate.status === 'waived' && gate.reasons.some((r) => r.code !== 'child-status');
    if (!isFinding(gate) && !waived) continue;
    const index = ruleIndex.get(gate.id);
    const meta = metas.get(gate.id);
    results.push({
      ruleId: gate.id,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: levelOf(gate.severity),
      kind: 'fail',
      message: { text: gateMessage(env, gate, dir) },
      locations: [physical(locateGate(report, gate, meta, dir, options.anchorKind))],
      partialFingerprints: { primaryLocationLineHash: lineHash(env, gate.id) },
      // No `status`: its default is accepted (SARIF §3.35.3), and the published OASIS schema misspells it `state` (sarif-spec#449).
      ...(waived
        ? {
            suppressions: [
              {
                kind: 'external',
                justification: waiverText(gate) || 'waived: its failing items are waived',
              },
            ],
          }
        : {}),
      properties: { environment: env, status: gate.status, severity: gate.severity },
    });
  }
  for (const d of report.diagnostics.filter((x) => x.severity === 'error')) {
    const id = `evidence/${d.code}`;
    if (!ruleIndex.has(id)) {
      ruleIndex.set(id, rules.length);
      rules.push(diagnosticRule(id, d));
    }
    const where: GateLocation = d.line
      ? { uri: repoPath(dir, d.file), line: d.line, column: d.column ?? 1 }
      : { uri: repoPath(dir, d.file), line: 1, column: 1 };
    results.push({
      ruleId: id,
      ruleIndex: ruleIndex.get(id) as number,
      level: 'error',
      kind: 'fail',
      message: {
        text: escapeTerminal(`[${env}] ${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}`),
      },
      locations: [physical(where)],
      partialFingerprints: { primaryLocationLineHash: lineHash(env, d.file, d.code, d.pointer) },
      properties: { environment: env },
    });
  }
  const provenance = versionControl(report);
  return {
    tool: {
      driver: {
        name: 'prodgate',
        fullName: `prodgate release-readiness gates (${report.policy.pack})`,
        informationUri: INFORMATION_URI,
        ...toolVersion(report),
        rules,
      },
    },
    automationDetails: {
      id: `prodgate/${env}/`,
      description: { text: `prodgate release readiness, environment ${env}` },
    },
    ...(provenance ? { versionControlProvenance: [provenance] } : {}),
    results,
    columnKind: 'utf16CodeUnits',
    properties: { environment: env, asOf: report.asOf, verdict: report.verdict },
  };
}

function levelOf(severity: string): NonNullable<Result['level']> {
  return LEVEL[severity] ?? 'error';
}

function toolVersion(report: Report): { version?: string; semanticVersion?: string } {
  const version = report.tool.version;
  return version ? { version, semanticVersion: version } : {};
}

/** The commit the pipeline checked out, when the report recorded one (SARIF §3.14.15). */
function versionControl(
  report: Report,
): NonNullable<Run['versionControlProvenance']>[number] | undefined {
  const ci = report.provenance.ci;
  if (!ci?.commit || !ci.repository) return undefined;
  const uri = repositoryUri(ci.repository, ci.runUrl);
  if (!uri) return undefined;
  return { repositoryUri: uri, revisionId: ci.commit, ...(ci.ref ? { branch: ci.ref } : {}) };
}

/** An absolute repository URI: the repository as given when it is one, else beside the run link's host. */
function repositoryUri(repository: string, runUrl: string | undefined): string | undefined {
  if (/^https:\/\/[^/\s]+\/\S+$/.test(repository)) return repository;
  if (!runUrl || !/^[\w.-]+\/[\w.-]+$/.test(repository)) return undefined;
  try {
    return `${new URL(runUrl).origin}/${repository}`;
  } catch {
    return undefined;
  }
}

function gateRule(meta: GateMeta): ReportingDescriptor {
  const rules = Object.entries(meta.rules)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([env, rule]) => `${env}: ${rule}`);
  const tags = [...new Set(['release-readiness', meta.section])];
  const security = tags.includes('security');
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: shortTitle(meta.title) },
    fullDescription: { text: meta.description },
    helpUri: `${INFORMATION_URI}/gates/${encodeURIComponent(meta.id)}`,
    help: {
      text: `${meta.description}\n\nRule per environment:\n${rules.map((r) => `- ${r}`).join('\n')}\n\nRemediation: ${meta.remediation}`,
      markdown: `${meta.description}\n\n**Rule per environment**\n\n${rules.map((r) => `- ${r}`).join('\n')}\n\n**Remediation:** ${meta.remediation}`,
    },
    defaultConfiguration: { level: levelOf(meta.severity) },
    properties: {
      tags,
      precision: 'very-high',
      'problem.severity': problemSeverity(meta.severity),
      ...(security ? { 'security-severity': SECURITY_SEVERITY[meta.severity] ?? '8.0' } : {}),
      severity: meta.severity,
      ...(meta.parent ? { parent: meta.parent } : {}),
    },
  };
}

/** CodeQL's `problem.severity` (error, warning, recommendation) for the same severities. */
function problemSeverity(severity: string): string {
  const level = levelOf(severity);
  return level === 'note' ? 'recommendation' : level;
}

function diagnosticRule(id: string, d: EvidenceFinding): ReportingDescriptor {
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: `Evidence file problem: ${d.code}` },
    fullDescription: {
      text: 'An evidence file could not be read, parsed or validated against its schema; the gates that read it are error and the release is NO-GO.',
    },
    helpUri: `${INFORMATION_URI}/evidence`,
    help: {
      text: 'Fix the file at the reported line so that it parses and matches schemas/evidence/<kind>.v1.schema.json; `npx prodgate validate` checks it alone.',
    },
    defaultConfiguration: { level: 'error' },
    properties: {
      tags: ['release-readiness', 'evidence'],
      precision: 'very-high',
      'problem.severity': 'error',
    },
  };
}

/** `security.cors` -> `SecurityCors`: SARIF's readable rule name. */
function ruleName(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}

function gateMessage(env: string, gate: GateVerdict, dir: string): string {
  const reasons = gate.reasons
    .filter((r) => r.code !== 'child-status' && r.code !== 'waived')
    .map((r) => reasonLine(r, dir));
  // Code scanning shows result messages as text: evidence text reads as written, its
  // control and bidi characters as visible escapes (the file itself stays JSON).
  return escapeTerminal(
    `[${env}] ${gate.status.toUpperCase()} ${gate.id}: ${shortTitle(gate.title)}${reasons.length ? ` — ${reasons.join('; ')}` : ''}`,
  );
}

export function physical(where: GateLocation): NonNullable<Result['locations']>[number] {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeUriPath(where.uri) },
      ...(where.line ? { region: { startLine: where.line, startColumn: where.column ?? 1 } } : {}),
    },
  };
}

/** A relative path as a URI reference: each segment percent-encoded, the slashes kept. */
function encodeUriPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The `sarif` format's registry entry (index.ts). */
export const sarifFormat: ReportsFormat = reportsFormat({
  name: 'sarif',
  kind: 'SARIF',
  extension: 'sarif',
  description: 'SARIF 2.1.0 for code scanning (GitHub, Azure DevOps), within GitHub upload limits',
  stdout: 'json',
  render: (reports, gates, options) => {
    const { log, warnings } = sarifLog(reports, gates, options);
    return { content: sarifText(log), warnings };
  },
});
