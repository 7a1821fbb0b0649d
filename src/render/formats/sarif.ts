import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Diagnostic } from '../../diagnostics.js';
import type { GateVerdict } from '../../decide/verdict.js';
import type { GateMeta } from '../../pack/catalog.js';
import type { Report } from '../report.js';
import { evidenceDirOf, isReported, locateGate, reasonLine, repoPath, shortTitle, type FormatOptions, type GateLocation } from './shared.js';

/** The SARIF 2.1.0 schema as code-scanning tools name it. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * SARIF 2.1.0 for code scanning: one run (GitHub rejects several runs of one tool in
 * a file), a rule per gate of the pack with its description and remediation as help,
 * and one result per failing or erroring gate of each environment, located at the
 * evidence file, line and column its first reason rests on. Error diagnostics of the
 * evidence are results too (rule `evidence/<code>`): an invalid file has an exact line.
 * Waived gates are not results (they are in the other formats, with their approver).
 */
export function renderSarif(reports: Report[], gates: GateMeta[], options: FormatOptions = {}): string {
  const rules: ReportingDescriptor[] = gates.map(gateRule);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = [];
  for (const report of reports) {
    const env = report.environment;
    const dir = evidenceDirOf(options, env);
    const metas = new Map(gates.map((g) => [g.id, g]));
    for (const gate of report.gates.filter(isReported)) {
      const index = ruleIndex.get(gate.id);
      results.push({
        ruleId: gate.id,
        ...(index !== undefined ? { ruleIndex: index } : {}),
        level: 'error',
        kind: 'fail',
        message: { text: gateMessage(env, gate, dir) },
        locations: [physical(locateGate(report, gate, metas.get(gate.id), dir))],
        partialFingerprints: { 'prodgateGate/v1': `${env}/${gate.id}` },
        properties: { environment: env, status: gate.status, severity: gate.severity },
      });
    }
    for (const d of report.diagnostics.filter((x) => x.severity === 'error')) {
      const id = `evidence/${d.code}`;
      if (!ruleIndex.has(id)) {
        ruleIndex.set(id, rules.length);
        rules.push(diagnosticRule(id, d));
      }
      results.push({
        ruleId: id,
        ruleIndex: ruleIndex.get(id) as number,
        level: 'error',
        message: { text: `[${env}] ${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}` },
        locations: [physical({ uri: repoPath(dir, d.file), line: d.line, column: d.column })],
        partialFingerprints: { 'prodgateDiagnostic/v1': `${env}/${d.file}/${d.code}/${d.pointer}` },
        properties: { environment: env },
      });
    }
  }
  const log: Log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'prodgate', ...toolVersion(reports), rules } },
        results,
        columnKind: 'utf16CodeUnits',
        properties: {
          asOf: reports[0]?.asOf ?? '',
          verdicts: Object.fromEntries(reports.map((r) => [r.environment, r.verdict])),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function toolVersion(reports: Report[]): { version?: string; semanticVersion?: string } {
  const version = reports[0]?.tool.version;
  return version ? { version, semanticVersion: version } : {};
}

function gateRule(meta: GateMeta): ReportingDescriptor {
  const rules = Object.entries(meta.rules)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([env, rule]) => `${env}: ${rule}`);
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: shortTitle(meta.title) },
    fullDescription: { text: meta.description },
    help: {
      text: `${meta.description}\n\nRule per environment:\n${rules.map((r) => `- ${r}`).join('\n')}\n\nRemediation: ${meta.remediation}`,
      markdown: `${meta.description}\n\n**Rule per environment**\n\n${rules.map((r) => `- ${r}`).join('\n')}\n\n**Remediation:** ${meta.remediation}`,
    },
    defaultConfiguration: { level: 'error' },
    properties: {
      tags: ['release-readiness', meta.section],
      precision: 'very-high',
      'problem.severity': 'error',
      severity: meta.severity,
      ...(meta.parent ? { parent: meta.parent } : {}),
    },
  };
}

function diagnosticRule(id: string, d: Diagnostic): ReportingDescriptor {
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: `Evidence file problem: ${d.code}` },
    fullDescription: { text: 'An evidence file could not be read, parsed or validated against its schema; the gates that read it are error and the release is NO-GO.' },
    help: { text: 'Fix the file at the reported line so that it parses and matches schemas/evidence/<kind>.v1.schema.json; `prodgate validate` checks it alone.' },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['release-readiness', 'evidence'], precision: 'very-high', 'problem.severity': 'error' },
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
  const reasons = gate.reasons.filter((r) => r.code !== 'child-status').map((r) => reasonLine(r, dir));
  return `[${env}] ${gate.status.toUpperCase()} ${gate.id}: ${shortTitle(gate.title)}${reasons.length ? ` — ${reasons.join('; ')}` : ''}`;
}

function physical(where: GateLocation): NonNullable<Result['locations']>[number] {
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
