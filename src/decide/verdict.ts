export const STATUSES = ['pass', 'fail', 'na', 'waived', 'error'] as const;
export type GateStatus = (typeof STATUSES)[number];

/** Where a reason comes from: a file of the bundle and a JSON pointer, located. */
export interface EvidenceRef {
  file: string;
  pointer: string;
  line?: number;
  column?: number;
}

export interface Reason {
  /** Short, stable code: missing-evidence, invalid-evidence, stale-evidence, violation, not-applicable, policy-error, child-status. */
  code: string;
  message: string;
  evidence: EvidenceRef[];
}

/** An accepted risk on the record: a valid waiver turns a gate's `fail` into `waived`. */
export interface Waiver {
  gate: string;
  justification: string;
  approver: string;
  /** Last day the waiver is valid (YYYY-MM-DD, compared with the as-of date). */
  expires: string;
  ticket?: string;
  /** The reasons of the gate's own decision the waiver accepted: violations only (set when applied). */
  covers?: Reason[];
}

export interface GateVerdict {
  id: string;
  title: string;
  section: string;
  severity: string;
  parent?: string;
  status: GateStatus;
  reasons: Reason[];
  /** The gate's rule for the evaluated environment. */
  rule: string;
  /** The waiver that made this gate `waived`. */
  waiver?: Waiver;
  /** Claimed and recorded facts side by side, for gates whose METADATA names facts to record. */
  facts?: FactSource[];
}

/**
 * Where one fact a gate rests on came from: claimed (typed in an evidence file) or
 * recorded (read from an artifact, docs/artifacts.md). Listed for the facts its METADATA
 * `recorded` names.
 */
export interface FactSource {
  /** The evidence file and pointer of the fact, located. */
  file: string;
  pointer: string;
  line?: number;
  column?: number;
  source: 'claimed' | 'recorded';
  /** For a recorded fact: the artifact and the tests or scan it was read from. */
  artifact?: { id: string; path: string; sha256: string; format: string; selector: string };
}

export type Verdict = 'GO' | 'NO-GO';

export interface Decision {
  verdict: Verdict;
  gates: GateVerdict[];
  counts: Record<GateStatus, number>;
  /** Problems with the policy result itself (unknown gate ids, a thrown error). */
  problems: string[];
  /** Each gate's own decision before parents were aggregated (waivers re-aggregate from it). */
  own: ReadonlyMap<string, Pick<GateVerdict, 'status' | 'reasons'>>;
}

/** How bad a status is, for aggregating parents: error worst, na least. */
export const SEVERITY_ORDER: Record<GateStatus, number> = {
  na: 0,
  pass: 1,
  waived: 2,
  fail: 3,
  error: 4,
};

export function isBlocking(status: GateStatus): boolean {
  return status === 'fail' || status === 'error';
}

export function countStatuses(gates: { status: GateStatus }[]): Record<GateStatus, number> {
  const counts = { pass: 0, fail: 0, na: 0, waived: 0, error: 0 };
  for (const gate of gates) counts[gate.status]++;
  return counts;
}
