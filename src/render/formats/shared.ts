import { createHash } from 'node:crypto';
import type { EvidenceRef, GateVerdict } from '../../decide/verdict.js';
import { redactSecrets } from '../../core/text/redact.js';
import type { GateMeta } from '../../pack/catalog.js';
import type { Report } from '../report.js';

/** Options shared by the CI formats (junit, sarif, github, html). */
export interface FormatOptions {
  /**
   * The evidence folder of an environment relative to the repository root, with '/'
   * separators: what annotations and code-scanning alerts point into. Default
   * `evidence/<env>` (what `prodgate evaluate --env all` reads).
   */
  evidenceDir?: (env: string) => string;
  /**
   * The evidence kind whose file anchors a finding that has no file of its own (line 1
   * of it): the pack's release-owner kind (pack.json `evidenceKinds.releaseOwner`). Absent:
   * the first evidence file in path order.
   */
  anchorKind?: string;
  /** What is released in an environment (from its release evidence), for the formats that show it (html). */
  release?: (env: string) => ReleaseFacts | undefined;
}

/** The release an environment's evidence describes: its id, revision and owner, as written. */
export interface ReleaseFacts {
  id?: string;
  revision?: string;
  owner?: string;
}

/** The facts of a release evidence document (`releaseId`, `revision`, `owner`), the strings only. */
export function releaseFacts(release: unknown): ReleaseFacts | undefined {
  if (!release || typeof release !== 'object') return undefined;
  const doc = release as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof doc[key] === 'string' ? redactSecrets(doc[key] as string) : undefined;
  const id = text('releaseId');
  const revision = text('revision');
  const owner = text('owner');
  return { ...(id ? { id } : {}), ...(revision ? { revision } : {}), ...(owner ? { owner } : {}) };
}

/** Where a gate's verdict rests, relative to the repository root. */
export interface GateLocation {
  /** Repository-relative path of the evidence file (or of the evidence folder when no file fits). */
  uri: string;
  line?: number;
  column?: number;
}

export function evidenceDirOf(options: FormatOptions, env: string): string {
  const dir = options.evidenceDir ? options.evidenceDir(env) : `evidence/${env}`;
  return dir
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
}

/** A bundle-relative evidence path joined to the evidence folder. */
export function repoPath(dir: string, file: string): string {
  return dir && dir !== '.' ? `${dir}/${file}` : file;
}

/**
 * Fail and error gates, except parents that are so only because of their items: the
 * items are reported themselves, at their own lines, so the parent would only repeat them.
 */
export function isReported(gate: GateVerdict): boolean {
  if (gate.status !== 'fail' && gate.status !== 'error') return false;
  return gate.reasons.length === 0 || gate.reasons.some((r) => r.code !== 'child-status');
}

/**
 * The place a gate's verdict rests on, best first: the first located reason that points
 * into a file of the bundle; for an `error` gate, the first error diagnostic of a file
 * of a kind it reads; any reason's file of the bundle; a file of a kind it reads;
 * finally the evidence folder (missing evidence has no file to point at).
 */
export function locateGate(
  report: Report,
  gate: GateVerdict,
  meta: GateMeta | undefined,
  dir: string,
  anchorKind?: string,
): GateLocation {
  const inBundle = new Set(report.evidence.files.map((f) => f.path));
  const refs: EvidenceRef[] = gate.reasons
    .filter((r) => r.code !== 'child-status')
    .flatMap((r) => r.evidence)
    .filter((ref) => inBundle.has(ref.file));
  const at = (file: string, line?: number, column?: number): GateLocation => ({
    uri: repoPath(dir, file),
    ...(line ? { line, column: column ?? 1 } : {}),
  });
  const located = refs.find((ref) => ref.line !== undefined);
  if (located) return at(located.file, located.line, located.column);
  const kindFiles = new Set(
    report.evidence.files
      .filter((f) => f.kind !== null && (meta?.evidence ?? []).includes(f.kind))
      .map((f) => f.path),
  );
  if (gate.status === 'error') {
    const diagnostic = report.diagnostics.find(
      (d) => d.severity === 'error' && kindFiles.has(d.file),
    );
    if (diagnostic) return at(diagnostic.file, diagnostic.line, diagnostic.column);
  }
  const first = refs[0];
  if (first) return at(first.file, 1, 1);
  const kindFile = [...kindFiles][0];
  if (kindFile) return at(kindFile, 1, 1);
  return anchorOf(report, dir, anchorKind);
}

/**
 * Where a finding with no file of its own is anchored (missing evidence, a policy
 * problem): line 1 of the environment's file of `anchorKind` (the pack's release-owner
 * kind), else of its first evidence file
 * in path order. Code scanning needs a file and a line for every result (GitHub rule
 * GH1003): a folder gets no fingerprint and duplicates on every upload. Only an empty
 * bundle leaves the evidence folder itself, without a line. docs/ci.md says the same.
 */
export function anchorOf(report: Report, dir: string, anchorKind?: string): GateLocation {
  const files = [...report.evidence.files].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const file =
    (anchorKind === undefined ? undefined : files.find((f) => f.kind === anchorKind)) ?? files[0];
  return file ? { uri: repoPath(dir, file.path), line: 1, column: 1 } : { uri: dir || '.' };
}

/**
 * A gate counted as a finding: failing or erroring on its own reasons. A parent gate
 * that fails only because of its items is not counted again (its items are): the same
 * rule in the text summary, JUnit, SARIF, the annotations and every other format.
 */
export function isFinding(gate: GateVerdict): boolean {
  return isReported(gate);
}

/** A parent gate whose only reasons are its items' statuses. */
export function failsThroughItems(gate: GateVerdict): boolean {
  return (
    (gate.status === 'fail' || gate.status === 'error') &&
    gate.reasons.length > 0 &&
    gate.reasons.every((r) => r.code === 'child-status')
  );
}

/** The counts every format shows: gates by status, parents failing through their items apart. */
export interface FindingCounts {
  pass: number;
  na: number;
  waived: number;
  fail: number;
  error: number;
  /** Parents that fail or error only through their items (already counted there). */
  throughItems: number;
}

export function findingCounts(gates: readonly GateVerdict[]): FindingCounts {
  const counts: FindingCounts = { pass: 0, na: 0, waived: 0, fail: 0, error: 0, throughItems: 0 };
  for (const gate of gates) {
    if (failsThroughItems(gate)) counts.throughItems++;
    else counts[gate.status]++;
  }
  return counts;
}

/** `4 fail, 0 error, 1 waived, 45 pass, 3 n/a` and the parents counted through their items. */
export function countsLine(c: FindingCounts): string {
  const through = c.throughItems
    ? ` (and ${c.throughItems} parent gate${c.throughItems === 1 ? '' : 's'} failing through these)`
    : '';
  return `${c.fail} fail, ${c.error} error, ${c.waived} waived, ${c.pass} pass, ${c.na} n/a${through}`;
}

/** `file:line:col /pointer` with the file relative to the repository. */
export function formatRepoRef(ref: EvidenceRef, dir: string): string {
  const file = repoPath(dir, ref.file);
  const at = ref.line ? `${file}:${ref.line}:${ref.column ?? 1}` : file;
  return ref.pointer ? `${at} ${ref.pointer}` : at;
}

/** A reason as one line: the message, then where it rests. */
export function reasonLine(reason: GateVerdict['reasons'][number], dir: string): string {
  const refs = reason.evidence.map((ref) => formatRepoRef(ref, dir));
  return refs.length ? `${reason.message} (${refs.join(', ')})` : reason.message;
}

/** Gate ids in the order the reports list them (the checklist's), each once. */
export function gateOrder(reports: Report[], gates: GateMeta[]): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const id of [
    ...reports.flatMap((r) => r.gates.map((g) => g.id)),
    ...gates.map((g) => g.id),
  ]) {
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  return ids;
}

/** A title without the trailing colon or full stop the checklist gives it. */
export function shortTitle(title: string): string {
  return title.replace(/\s+/g, ' ').trim().replace(/[:.]$/, '');
}

/** The waiver in words: who accepted the risk, until when. */
export function waiverText(gate: GateVerdict): string {
  const w = gate.waiver;
  if (!w) return '';
  return `waived by ${w.approver} until ${w.expires}: ${w.justification}${w.ticket ? ` (${w.ticket})` : ''}`;
}

/**
 * GitHub's `primaryLocationLineHash` fingerprint: a hex hash and an occurrence,
 * `<16 hex>:1`. Made from the environment and the gate (or a diagnostic's file, code
 * and pointer), never from the line's text or number: an alert stays one alert while
 * the evidence around it changes.
 */
export function lineHash(...parts: string[]): string {
  return `${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16)}:1`;
}
