import { childrenOf, type GateMeta } from '../pack/catalog.js';
import {
  countStatuses,
  isBlocking,
  SEVERITY_ORDER,
  type Decision,
  type EvidenceRef,
  type GateStatus,
  type GateVerdict,
  type Reason,
} from './verdict.js';
import type { PolicyOutcome } from '../evaluate/policy-outcome.js';

/** What the decide stage needs to know about the evidence besides the policy's answer. */
export interface EvidenceState {
  /** Kinds whose file exists but is invalid (unparseable, schema-invalid, duplicated). */
  invalidKinds: Set<string>;
  /** Kinds with no file in the bundle at all. */
  missingKinds: Set<string>;
  /** Error diagnostics across the bundle: any of them means NO-GO, even if no gate reads the file. */
  errorCount: number;
  /** Adds line and column to a reference, when the file and pointer are known. */
  locate(ref: EvidenceRef): EvidenceRef;
}

const POLICY_STATUSES: ReadonlySet<string> = new Set(['pass', 'fail', 'na', 'error']);

/**
 * Turns the policy's raw answer into a verdict for every gate of the catalog,
 * fail-closed: a policy error, an undefined result, a missing gate, an unknown
 * status or a malformed reason makes the gate `error`; a gate that relies on an
 * invalid evidence kind can never pass; a parent is never better than its children.
 */
export function decide(
  gates: GateMeta[],
  outcome: PolicyOutcome,
  env: string,
  evidence: EvidenceState,
): Decision {
  const problems: string[] = [];
  let raw: Record<string, unknown> = {};
  if (!outcome.ok) problems.push(`policy evaluation failed: ${outcome.error}`);
  else if (outcome.result === undefined) problems.push('policy result is undefined');
  else {
    const result = outcome.result as { gates?: unknown };
    if (
      result &&
      typeof result === 'object' &&
      result.gates &&
      typeof result.gates === 'object' &&
      !Array.isArray(result.gates)
    ) {
      raw = result.gates as Record<string, unknown>;
    } else problems.push('policy result has no gates object');
  }
  const known = new Set(gates.map((g) => g.id));
  for (const id of Object.keys(raw).sort())
    if (!known.has(id)) problems.push(`policy returned a gate that has no METADATA: ${id}`);
  const evidenceProblem =
    evidence.errorCount > 0
      ? [`the evidence has ${evidence.errorCount} error(s); see the diagnostics`]
      : [];

  const byId = new Map<string, GateVerdict>();
  for (const meta of gates) {
    const own = ownDecision(meta, raw[meta.id], problems, evidence);
    byId.set(meta.id, { ...base(meta, env), ...own });
  }
  const own = new Map([...byId].map(([id, v]) => [id, { status: v.status, reasons: v.reasons }]));
  aggregateParents(gates, byId);

  const decided = gates.map((g) => byId.get(g.id) as GateVerdict);
  problems.push(...evidenceProblem);
  const blocked =
    problems.length > 0 || decided.length === 0 || decided.some((g) => isBlocking(g.status));
  return {
    verdict: blocked ? 'NO-GO' : 'GO',
    gates: decided,
    counts: countStatuses(decided),
    problems,
    own,
  };
}

function base(meta: GateMeta, env: string): Omit<GateVerdict, 'status' | 'reasons'> {
  return {
    id: meta.id,
    title: meta.title,
    section: meta.section,
    severity: meta.severity,
    ...(meta.parent ? { parent: meta.parent } : {}),
    rule: meta.rules[env] ?? meta.rules['all'] ?? '',
  };
}

function ownDecision(
  meta: GateMeta,
  value: unknown,
  problems: string[],
  evidence: EvidenceState,
): Pick<GateVerdict, 'status' | 'reasons'> {
  const policyError = (message: string): Pick<GateVerdict, 'status' | 'reasons'> => ({
    status: 'error',
    reasons: [{ code: 'policy-error', message, evidence: [] }],
  });
  if (problems.length > 0 && value === undefined)
    return policyError(problems[0] ?? 'policy failed');
  if (value === undefined)
    return policyError('the policy gave no decision for this gate (undefined)');
  const parsed = parseGateDecision(value);
  if (typeof parsed === 'string') return policyError(parsed);
  let { status, reasons } = parsed;
  reasons = reasons.map((r) => ({ ...r, evidence: r.evidence.map((ref) => evidence.locate(ref)) }));
  if (status === 'na' && reasons.length === 0)
    return policyError('the policy said not applicable without a reason');
  const invalid = meta.evidence.filter((kind) => evidence.invalidKinds.has(kind));
  if (invalid.length > 0 && status !== 'error') {
    // Defence in depth: the policy should already say error here.
    reasons = [
      {
        code: 'invalid-evidence',
        message: `relies on invalid evidence: ${invalid.join(', ')}`,
        evidence: [],
      },
      ...reasons,
    ];
    status = 'error';
  }
  const missing = meta.evidence.filter((kind) => evidence.missingKinds.has(kind));
  const missingReason = {
    code: 'missing-evidence',
    message: `relies on evidence the bundle lacks: ${missing.join(', ')}`,
    evidence: [],
  };
  if (missing.length > 0 && status === 'pass') {
    // Defence in depth: a gate never passes without the evidence its METADATA says it reads.
    reasons = [missingReason];
    status = 'fail';
  } else if (
    missing.length > 0 &&
    status === 'fail' &&
    !reasons.some((r) => r.code === 'missing-evidence')
  ) {
    // Nor does it fail for violations alone: a waiver covers violations, never missing evidence.
    reasons = [missingReason, ...reasons];
  }
  if ((status === 'fail' || status === 'error') && reasons.length === 0) {
    reasons = [
      { code: 'policy-error', message: `the policy said ${status} without a reason`, evidence: [] },
    ];
  }
  return { status, reasons };
}

/** Validates one gate's decision from the policy; returns a problem message when malformed. */
function parseGateDecision(value: unknown): { status: GateStatus; reasons: Reason[] } | string {
  if (!value || typeof value !== 'object') return 'the policy decision is not an object';
  const { status, reasons } = value as { status?: unknown; reasons?: unknown };
  if (typeof status !== 'string' || !POLICY_STATUSES.has(status))
    return `the policy returned an unknown status: ${JSON.stringify(status)}`;
  if (!Array.isArray(reasons)) return 'the policy decision has no reasons list';
  const parsed: Reason[] = [];
  for (const r of reasons) {
    const reason = r as { code?: unknown; message?: unknown; evidence?: unknown };
    if (
      !reason ||
      typeof reason.code !== 'string' ||
      typeof reason.message !== 'string' ||
      !Array.isArray(reason.evidence)
    ) {
      return 'the policy returned a malformed reason';
    }
    const refs: EvidenceRef[] = [];
    for (const e of reason.evidence) {
      const ref = e as { file?: unknown; pointer?: unknown; line?: unknown; column?: unknown };
      if (!ref || typeof ref.file !== 'string' || typeof ref.pointer !== 'string')
        return 'the policy returned a malformed evidence reference';
      // A reference into an artifact (not an evidence file) carries its own line and column.
      const located =
        Number.isInteger(ref.line) && Number.isInteger(ref.column)
          ? { line: ref.line as number, column: ref.column as number }
          : {};
      refs.push({ file: ref.file, pointer: ref.pointer, ...located });
    }
    parsed.push({ code: reason.code, message: reason.message, evidence: refs });
  }
  // Rego sets have no order that every engine shares (wasm and `opa eval` differ):
  // sort, so the same decision always reads the same.
  parsed.sort((a, b) => compareText(reasonKey(a), reasonKey(b)));
  return { status: status as GateStatus, reasons: parsed };
}

/**
 * A parent's status is the worst of its own decision and its applicable children's;
 * when every child is `na`, so is the parent. Children are settled before parents.
 */
export function aggregateParents(gates: GateMeta[], byId: Map<string, GateVerdict>): void {
  const children = childrenOf(gates);
  const settle = (id: string, seen: Set<string>): void => {
    const kids = children.get(id);
    const parent = byId.get(id);
    if (!kids || !parent || seen.has(id)) return;
    seen.add(id);
    for (const kid of kids) settle(kid.id, seen);
    const verdicts = kids
      .map((k) => byId.get(k.id))
      .filter((v): v is GateVerdict => v !== undefined);
    const applicable = verdicts.filter((v) => v.status !== 'na');
    if (applicable.length === 0) {
      if (parent.status === 'pass') {
        parent.status = 'na';
        parent.reasons = [
          { code: 'not-applicable', message: 'none of its items applies', evidence: [] },
        ];
      }
      return;
    }
    if (parent.status === 'na') {
      // Some item applies, so the parent does too, whatever its own decision said.
      parent.status = 'pass';
      parent.reasons = parent.reasons.filter((r) => r.code !== 'not-applicable');
    }
    const worst = applicable.reduce((a, b) =>
      SEVERITY_ORDER[b.status] > SEVERITY_ORDER[a.status] ? b : a,
    );
    if (SEVERITY_ORDER[worst.status] <= SEVERITY_ORDER[parent.status]) return;
    parent.status = worst.status;
    parent.reasons = [
      ...parent.reasons,
      ...applicable
        .filter((v) => v.status === worst.status)
        .map((v) => ({
          code: 'child-status',
          message: `${v.id} is ${v.status}`,
          evidence: v.reasons[0]?.evidence ?? [],
        })),
    ];
  };
  const seen = new Set<string>();
  for (const gate of gates) settle(gate.id, seen);
}

function reasonKey(reason: Reason): string {
  const first = reason.evidence[0];
  return JSON.stringify([first?.file ?? '', first?.pointer ?? '', reason.code, reason.message]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
