import type { GateStatus } from '../decide/verdict.js';
import { formatReason } from '../render/format-reason.js';
import { escapeCiLog } from '../core/text/escape.js';
import { canonicalJsonFile } from '../core/canonical-json.js';
import type { DiffableReport } from './report-file.js';

/**
 * How one gate changed between two reports:
 * - failing: it is now fail or error, and was not;
 * - fixed: it was fail, error or waived, and now passes;
 * - waived: it is now waived, and was not;
 * - na: it is now not applicable, and was not;
 * - changed: another status change (error <-> fail, na -> pass), or the same status for other reasons;
 * - added / removed: the gate is in one report only.
 */
export type GateChangeKind =
  | 'failing'
  | 'fixed'
  | 'waived'
  | 'na'
  | 'changed'
  | 'added'
  | 'removed';

export interface GateChange {
  id: string;
  title: string;
  change: GateChangeKind;
  from: GateStatus | null;
  to: GateStatus | null;
  /** Reasons only in the new report, formatted. */
  reasonsAdded: string[];
  /** Reasons only in the old report, formatted. */
  reasonsRemoved: string[];
}

export interface FileChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  from: string | null;
  to: string | null;
}

export interface ReportSide {
  environment: string;
  asOf: string;
  verdict: 'GO' | 'NO-GO';
  evidenceDigest: string;
  packDigest: string | null;
}

export interface ReportDiff {
  old: ReportSide;
  new: ReportSide;
  /** True when the verdict, a gate or an evidence or pack file differs. */
  differs: boolean;
  gates: GateChange[];
  evidence: FileChange[];
  /** Pack files (from provenance), or policy.wasm and the template for reports without provenance. */
  pack: FileChange[];
}

const BLOCKING: ReadonlySet<GateStatus> = new Set(['fail', 'error']);

/** The differences between two reports, gate by gate and file by file. Pure. */
export function diffReports(before: DiffableReport, after: DiffableReport): ReportDiff {
  const gates = gateChanges(before.gates, after.gates);
  const evidence = fileChanges(before.evidence.files, after.evidence.files);
  const pack = fileChanges(packFiles(before), packFiles(after));
  const old = side(before);
  const now = side(after);
  return {
    old,
    new: now,
    differs:
      gates.length > 0 || evidence.length > 0 || pack.length > 0 || old.verdict !== now.verdict,
    gates,
    evidence,
    pack,
  };
}

/** Which change a status move is; undefined when the status did not move. */
export function classify(from: GateStatus, to: GateStatus): GateChangeKind | undefined {
  if (from === to) return undefined;
  if (BLOCKING.has(to) && !BLOCKING.has(from)) return 'failing';
  if (to === 'pass' && (BLOCKING.has(from) || from === 'waived')) return 'fixed';
  if (to === 'waived') return 'waived';
  if (to === 'na') return 'na';
  return 'changed';
}

function gateChanges(
  before: DiffableReport['gates'],
  after: DiffableReport['gates'],
): GateChange[] {
  const old = new Map(before.map((g) => [g.id, g]));
  const now = new Map(after.map((g) => [g.id, g]));
  const out: GateChange[] = [];
  // In the new report's order (the checklist's), then the removed gates in the old order.
  for (const gate of after) {
    const was = old.get(gate.id);
    const added = reasonTexts(gate.reasons);
    if (!was) {
      out.push({
        id: gate.id,
        title: gate.title,
        change: 'added',
        from: null,
        to: gate.status,
        reasonsAdded: added,
        reasonsRemoved: [],
      });
      continue;
    }
    const removed = reasonTexts(was.reasons);
    const onlyNew = added.filter((r) => !removed.includes(r));
    const onlyOld = removed.filter((r) => !added.includes(r));
    const kind =
      classify(was.status, gate.status) ??
      (onlyNew.length || onlyOld.length ? 'changed' : undefined);
    if (kind)
      out.push({
        id: gate.id,
        title: gate.title,
        change: kind,
        from: was.status,
        to: gate.status,
        reasonsAdded: onlyNew,
        reasonsRemoved: onlyOld,
      });
  }
  for (const gate of before) {
    if (!now.has(gate.id))
      out.push({
        id: gate.id,
        title: gate.title,
        change: 'removed',
        from: gate.status,
        to: null,
        reasonsAdded: [],
        reasonsRemoved: reasonTexts(gate.reasons),
      });
  }
  return out;
}

function reasonTexts(reasons: DiffableReport['gates'][number]['reasons']): string[] {
  // Lines and columns move whenever an unrelated line of the file does: compare without them.
  return [
    ...new Set(
      reasons.map((r) =>
        formatReason({
          ...r,
          evidence: r.evidence.map((e) => ({ file: e.file, pointer: e.pointer })),
        }),
      ),
    ),
  ];
}

function fileChanges(
  before: { path: string; sha256: string }[],
  after: { path: string; sha256: string }[],
): FileChange[] {
  const old = new Map(before.map((f) => [f.path, f.sha256]));
  const now = new Map(after.map((f) => [f.path, f.sha256]));
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
  const out: FileChange[] = [];
  for (const path of paths) {
    const from = old.get(path) ?? null;
    const to = now.get(path) ?? null;
    if (from === to) continue;
    out.push({
      path,
      change: from === null ? 'added' : to === null ? 'removed' : 'changed',
      from,
      to,
    });
  }
  return out;
}

function packFiles(report: DiffableReport): { path: string; sha256: string }[] {
  if (report.provenance)
    return report.provenance.pack.files.map((f) => ({ path: f.path, sha256: f.sha256 }));
  const files: { path: string; sha256: string }[] = [];
  if (report.policy?.wasmSha256)
    files.push({ path: 'policy.wasm', sha256: report.policy.wasmSha256 });
  if (report.policy?.templateSha256)
    files.push({ path: 'template', sha256: report.policy.templateSha256 });
  return files;
}

function side(report: DiffableReport): ReportSide {
  return {
    environment: report.environment,
    asOf: report.asOf,
    verdict: report.verdict,
    evidenceDigest: report.evidence.digest,
    packDigest: report.provenance?.pack.digest ?? null,
  };
}

const SECTIONS: { kind: GateChangeKind; title: string }[] = [
  { kind: 'failing', title: 'now failing' },
  { kind: 'fixed', title: 'fixed' },
  { kind: 'waived', title: 'now waived' },
  { kind: 'na', title: 'now not applicable' },
  { kind: 'changed', title: 'changed' },
  { kind: 'added', title: 'new gates' },
  { kind: 'removed', title: 'gates removed' },
];

/** The text form: the two sides, then one section per kind of change, then the files. */
export function renderDiffText(diff: ReportDiff): string {
  const label = (s: ReportSide): string => `${s.environment} as of ${s.asOf}: ${s.verdict}`;
  const lines = [`prodgate diff: ${label(diff.old)} -> ${label(diff.new)}`];
  if (diff.old.environment !== diff.new.environment)
    lines.push(
      `  note: the reports are for different environments (${diff.old.environment}, ${diff.new.environment})`,
    );
  if (diff.old.verdict !== diff.new.verdict)
    lines.push(`verdict: ${diff.old.verdict} -> ${diff.new.verdict}`);
  for (const section of SECTIONS) {
    const changes = diff.gates.filter((g) => g.change === section.kind);
    if (changes.length === 0) continue;
    lines.push(`${section.title} (${changes.length}):`);
    for (const g of changes) {
      lines.push(`  ${g.id}: ${g.from ?? '-'} -> ${g.to ?? '-'}`);
      for (const r of g.reasonsAdded) lines.push(`      + ${r}`);
      for (const r of g.reasonsRemoved) lines.push(`      - ${r}`);
    }
  }
  for (const [title, files] of [
    ['evidence files changed', diff.evidence],
    ['pack files changed', diff.pack],
  ] as const) {
    if (files.length === 0) continue;
    lines.push(`${title} (${files.length}):`);
    for (const f of files)
      lines.push(
        `  ${f.change.padEnd(7)} ${f.path}${f.change === 'changed' ? ` (sha256 ${f.from} -> ${f.to})` : ''}`,
      );
  }
  if (!diff.differs) lines.push('no differences in verdict, gates, evidence or pack');
  // Everything here comes from the two reports: escaped for a terminal or CI log.
  return `${lines.map(escapeCiLog).join('\n')}\n`;
}

/** The JSON form: the diff itself, canonical. */
export function renderDiffJson(diff: ReportDiff): string {
  return canonicalJsonFile(diff);
}
