import { formatFinding } from '../../core/finding.js';
import { escapeCiLog, escapeXmlAttribute, escapeXmlText } from '../../core/text/escape.js';
import type { GateVerdict } from '../../decide/verdict.js';
import type { GateMeta } from '../../pack/catalog.js';
import type { Report } from '../report.js';
import {
  evidenceDirOf,
  failsThroughItems,
  locateGate,
  reasonLine,
  shortTitle,
  type FormatOptions,
} from './shared.js';
import { plain, reportsFormat, type ReportsFormat } from './format.js';

/**
 * JUnit XML, the format every CI test viewer reads: one <testsuite> per environment,
 * one <testcase> per gate (<failure> for fail, <error> for error, <skipped> for n/a with
 * the reason as its text, which is all GitLab shows; a parent failing only through its
 * items is a test case without a failure, counted once at its items as everywhere;
 * a waived gate passes and carries its approver and expiry as properties), plus one
 * testcase per environment for the evidence and the evaluation itself, which errors
 * when an evidence file is invalid or the policy had a problem (a NO-GO that no gate
 * explains must not look green). No timestamps or host names: reproducible.
 */
export function renderJunit(
  reports: Report[],
  gates: GateMeta[],
  options: FormatOptions = {},
): string {
  const metas = new Map(gates.map((g) => [g.id, g]));
  const suites = reports.map((report) =>
    suite(report, metas, evidenceDirOf(options, report.environment), options.anchorKind),
  );
  const total = (key: keyof SuiteCounts): number =>
    suites.reduce((sum, s) => sum + s.counts[key], 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="prodgate" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" skipped="${total('skipped')}" time="0">`,
    ...suites.flatMap((s) => s.lines),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function suite(
  report: Report,
  metas: Map<string, GateMeta>,
  dir: string,
  anchorKind: string | undefined,
): { counts: SuiteCounts; lines: string[] } {
  const env = report.environment;
  const counts: SuiteCounts = {
    tests: report.gates.length + 1,
    failures: 0,
    errors: 0,
    skipped: 0,
  };
  const cases: string[] = [];
  for (const gate of report.gates) {
    const through = failsThroughItems(gate);
    if (gate.status === 'fail' && !through) counts.failures++;
    if (gate.status === 'error' && !through) counts.errors++;
    if (gate.status === 'na') counts.skipped++;
    cases.push(...testcase(report, gate, metas.get(gate.id), dir, anchorKind));
  }
  const evidence = evidenceCase(report, dir);
  if (evidence.failed) counts.errors++;
  cases.push(...evidence.lines);
  const properties = [
    ['environment', env],
    ['asOf', report.asOf],
    ['verdict', report.verdict],
    ['tool', `${report.tool.name} ${report.tool.version}`],
    ['policy.wasmSha256', report.policy.wasmSha256],
    ['evidence.dir', dir],
    ['evidence.digest', report.evidence.digest],
  ];
  return {
    counts,
    lines: [
      `  <testsuite name="prodgate ${attr(env)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="0">`,
      '    <properties>',
      ...properties.map(
        ([name, value]) =>
          `      <property name="${attr(name ?? '')}" value="${attr(value ?? '')}"/>`,
      ),
      '    </properties>',
      ...cases,
      '  </testsuite>',
    ],
  };
}

function testcase(
  report: Report,
  gate: GateVerdict,
  meta: GateMeta | undefined,
  dir: string,
  anchorKind: string | undefined,
): string[] {
  // Viewers that annotate (file, line) do so for what is not a pass: a passing gate has no place to point at.
  const where =
    gate.status === 'pass' || failsThroughItems(gate)
      ? undefined
      : locateGate(report, gate, meta, dir, anchorKind);
  const place = where
    ? ` file="${attr(where.uri)}"${where.line ? ` line="${where.line}"` : ''}`
    : '';
  const open = `    <testcase name="${attr(`${gate.id}: ${shortTitle(gate.title)}`)}" classname="${attr(`prodgate.${report.environment}.${gate.section}`)}"${place} time="0"`;
  const reasons = gate.reasons
    .filter((r) => r.code !== 'waived')
    .map((r) => `- ${reasonLine(r, dir)}`);
  const details = [...reasons, `rule (${report.environment}): ${gate.rule}`];
  if (meta?.remediation && (gate.status === 'fail' || gate.status === 'error'))
    details.push(`remediation: ${meta.remediation}`);
  const first = gate.reasons[0] ? reasonLine(gate.reasons[0], dir) : gate.status;
  if (failsThroughItems(gate)) {
    // Counted once, at its items (the same in every format): this case only says why.
    const items = `${gate.status.toUpperCase()} through its items, each a test case of its own`;
    return [
      `${open}>`,
      `      <system-out>${text([items, ...details])}</system-out>`,
      '    </testcase>',
    ];
  }
  switch (gate.status) {
    case 'pass':
      return [`${open}/>`];
    case 'fail':
      return [
        `${open}>`,
        `      <failure type="fail" message="${attr(first)}">${text(details)}</failure>`,
        '    </testcase>',
      ];
    case 'error':
      return [
        `${open}>`,
        `      <error type="error" message="${attr(first)}">${text(details)}</error>`,
        '    </testcase>',
      ];
    case 'na':
      // GitLab shows only the element's text as the skip reason; Jenkins and others read the message.
      return [
        `${open}>`,
        `      <skipped message="${attr(`not applicable: ${first}`)}">${text([`not applicable: ${first}`])}</skipped>`,
        '    </testcase>',
      ];
    case 'waived': {
      const w = gate.waiver;
      const props = w
        ? [
            ['waiver.approver', w.approver],
            ['waiver.expires', w.expires],
            ['waiver.justification', w.justification],
            ...(w.ticket ? [['waiver.ticket', w.ticket]] : []),
          ]
        : [['waiver.via', 'its waived items']];
      const summary = w
        ? `WAIVED by ${w.approver} until ${w.expires}: ${w.justification}${w.ticket ? ` (${w.ticket})` : ''}`
        : 'WAIVED: its failing items are waived';
      return [
        `${open}>`,
        '      <properties>',
        ...props.map(
          ([name, value]) =>
            `        <property name="${attr(name ?? '')}" value="${attr(value ?? '')}"/>`,
        ),
        '      </properties>',
        `      <system-out>${text([summary, ...details])}</system-out>`,
        '    </testcase>',
      ];
    }
  }
}

/** The environment's evidence and evaluation: errors when any file is invalid or the evaluation had a problem. */
function evidenceCase(report: Report, dir: string): { failed: boolean; lines: string[] } {
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  const warnings = report.diagnostics.filter((d) => d.severity === 'warning');
  const open = `    <testcase name="evidence and evaluation" classname="prodgate.${attr(report.environment)}" file="${attr(dir || '.')}" time="0"`;
  const out = warnings.length
    ? [`      <system-out>${text(warnings.map((d) => formatFinding(d, dir)))}</system-out>`]
    : [];
  if (errors.length === 0 && report.problems.length === 0)
    return {
      failed: false,
      lines: out.length ? [`${open}>`, ...out, '    </testcase>'] : [`${open}/>`],
    };
  const message = report.problems[0] ?? `${errors.length} evidence error(s)`;
  const body = [
    ...report.problems.map((p) => `problem: ${p}`),
    ...errors.map((d) => formatFinding(d, dir)),
  ];
  return {
    failed: true,
    lines: [
      `${open}>`,
      `      <error type="evidence" message="${attr(message)}">${text(body)}</error>`,
      ...out,
      '    </testcase>',
    ],
  };
}

/**
 * Element text from lines prodgate composes: each line escaped as for a CI log first
 * (a CR, LF, U+2028, NEL, ESC or bidi control inside evidence text becomes a visible
 * `\n`, `\u2028`, ...; `::` becomes `:\:` and `##vso[` becomes `#\#vso[`), then for
 * XML. Character references alone do not hold: any XML parser turns `:&#58;` back into
 * `::`, and a consumer printing the decoded text to a CI log would run the command. So
 * after decoding, no line starts with `::`, no `##vso[` appears, and only the line breaks
 * prodgate put between lines remain. (Escaping lives in src/core/text/escape.ts.)
 */
function text(lines: string[]): string {
  return escapeXmlText(lines.map(escapeCiLog).join('\n'));
}

/** An attribute value: escaped as for a CI log (on one line, no command opener), then for XML. */
function attr(value: string): string {
  return escapeXmlAttribute(escapeCiLog(value));
}

/** The `junit` format's registry entry (index.ts). */
export const junitFormat: ReportsFormat = reportsFormat({
  name: 'junit',
  kind: 'JUNIT',
  extension: 'xml',
  description:
    'JUnit XML for test viewers (Jenkins, GitLab, dorny/test-reporter, action-junit-report)',
  render: plain(renderJunit),
});
