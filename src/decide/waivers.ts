import type { Finding, WaiverFindingCode } from '../core/finding.js';
import { childrenOf, type GateMeta } from '../pack/catalog.js';
import { normalise, samePerson } from '../core/text/normalise.js';
import { aggregateParents } from './decide.js';
import {
  countStatuses,
  isBlocking,
  type Decision,
  type EvidenceRef,
  type GateVerdict,
  type Reason,
  type Waiver,
} from './verdict.js';

/**
 * Waivers: accepted risks on the record. A waiver accepts a known violation, for a
 * bounded time, from someone else, nothing more (docs/hostile-evidence.md, "Waivers"):
 * - it turns a gate's `fail` into `waived` only when every reason of the gate's own
 *   decision is a violation of evidence that is present and valid (WAIVABLE_REASON_CODES):
 *   missing evidence, invalid evidence and policy errors are never waived;
 * - never a gate the pack declares non-waivable in the environment (METADATA
 *   `non_waivable`), nor any item of such a gate;
 * - never beyond the pack's longest window for the environment (pack.json
 *   waivers.maxDays), never from the release owner;
 * - text is compared as a reader sees it (src/core/text/normalise.ts).
 * Anything wrong with a waiver is a warning finding and the waiver has no effect, so a
 * bad waiver can only leave a release NO-GO, never make it GO.
 */

/**
 * The reason codes a waiver can cover: a violation of evidence that is present and valid.
 * Everything else (missing-evidence, stale-evidence, invalid-evidence, policy-error, ...)
 * says the facts are not there, and a waiver cannot stand in for facts.
 */
export const WAIVABLE_REASON_CODES: ReadonlySet<string> = new Set(['violation']);

/** A gate's decision from the policy alone, before parents were aggregated from their children. */
export type OwnDecision = Pick<GateVerdict, 'status' | 'reasons'>;

/** One waiver as read from evidence; every field may be absent when a caller skipped the schema. */
export type WaiverEntry = Partial<Omit<Waiver, 'covers'>>;

export interface WaiverContext {
  /** The pack's gate catalog (ids, parents, `nonWaivable`). */
  gates: GateMeta[];
  env: string;
  /** The as-of date, YYYY-MM-DD (UTC): a waiver is valid while `expires >= asOf`. */
  asOf: string;
  /** The longest window, in days from the as-of date to `expires` (pack-options waiverMaxDays); none when absent. */
  maxDays?: number;
  /** The release evidence's `owner`; undefined when the release evidence is missing or invalid. */
  releaseOwner: string | undefined;
  /** The own decision of every parent gate (leaves may be omitted: aggregation never changes them). */
  own: ReadonlyMap<string, OwnDecision>;
  /** The waivers file, relative to the evidence folder; findings and reasons point into it. */
  file?: string;
  /** Adds line and column to a reference (the engine's EvidenceState.locate). */
  locate?: (ref: EvidenceRef) => EvidenceRef;
}

export const DEFAULT_WAIVERS_FILE = 'waivers.yaml';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The waivers list of a waivers evidence document (already schema-valid), or none. */
export function waiversFrom(data: unknown): WaiverEntry[] {
  if (!data || typeof data !== 'object') return [];
  const list = (data as { waivers?: unknown }).waivers;
  if (!Array.isArray(list)) return [];
  return list.map((item): WaiverEntry => {
    const w = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    const text = (key: string): string | undefined =>
      typeof w[key] === 'string' ? (w[key] as string) : undefined;
    const entry: WaiverEntry = {};
    for (const key of ['gate', 'justification', 'approver', 'expires', 'ticket'] as const) {
      const value = text(key);
      if (value !== undefined) entry[key] = value;
    }
    return entry;
  });
}

/**
 * Applies waivers to a decision. Pure: the input decision is not modified. Parents are
 * reset to their own decision and re-aggregated from their children's final statuses
 * (aggregation only ever makes a parent worse, so it cannot start from the old result).
 * The verdict is recomputed: GO iff no gate is `fail` or `error` and there are no problems.
 */
export function applyWaivers(
  decision: Decision,
  waivers: readonly WaiverEntry[],
  context: WaiverContext,
): { decision: Decision; findings: Finding<WaiverFindingCode>[] } {
  if (!DATE.test(context.asOf))
    throw new Error(`applyWaivers: the as-of date must be YYYY-MM-DD, got "${context.asOf}"`);
  const file = context.file ?? DEFAULT_WAIVERS_FILE;
  const locate = context.locate ?? ((ref: EvidenceRef) => ref);
  const findings: Finding<WaiverFindingCode>[] = [];
  const report = (
    index: number,
    field: string,
    code: WaiverFindingCode,
    gate: string,
    message: string,
  ): void => {
    const pointer = field ? `/waivers/${index}/${field}` : `/waivers/${index}`;
    const at = locate({ file, pointer });
    const effect = code === 'waiver-unused' ? '' : '; it has no effect';
    const text = `waiver for ${gate || '(no gate)'}: ${message}${effect}`;
    findings.push({
      severity: 'warning',
      code,
      file,
      line: at.line ?? 1,
      column: at.column ?? 1,
      pointer,
      message: text,
      gate,
    });
  };

  // Gate ids compared as a reader sees them: "Security.CORS" names security.cors.
  const metas = new Map(context.gates.map((g) => [normalise(g.id), g]));
  const parents = childrenOf(context.gates);
  const before = new Map(decision.gates.map((g) => [g.id, g]));
  const byId = new Map<string, GateVerdict>();
  for (const gate of decision.gates) {
    const own = context.own.get(gate.id);
    if (parents.has(gate.id) && !own)
      throw new Error(`applyWaivers: no own decision for the parent gate ${gate.id}`);
    // A copy: the caller's decision stays as it was. Parents start from their own decision.
    byId.set(gate.id, {
      ...gate,
      ...(parents.has(gate.id) && own ? { status: own.status, reasons: own.reasons } : {}),
    });
  }

  // 1. Each waiver on its own: a problem makes it void.
  const accepted = new Map<string, { index: number; waiver: Waiver }>();
  waivers.forEach((entry, index) => {
    const meta = metas.get(normalise(entry.gate ?? ''));
    const gate = meta?.id ?? entry.gate?.trim() ?? '';
    const problems = waiverProblems(entry, gate, meta, metas, context);
    for (const p of problems) report(index, p.field, p.code, gate, p.message);
    if (problems.length > 0) return;
    const earlier = accepted.get(gate);
    if (earlier) {
      report(
        index,
        'gate',
        'waiver-duplicate',
        gate,
        `waivers/${earlier.index} already waives this gate; only the first counts`,
      );
      return;
    }
    const waiver: Waiver = {
      gate,
      justification: (entry.justification ?? '').trim(),
      approver: (entry.approver ?? '').trim(),
      expires: entry.expires ?? '',
    };
    if (entry.ticket !== undefined) waiver.ticket = entry.ticket;
    accepted.set(gate, { index, waiver });
  });

  // 2. Apply to the gates' own decisions: only a `fail` can be waived.
  const applied = new Map<string, number>();
  for (const [id, { index, waiver }] of accepted) {
    const gate = byId.get(id);
    if (!gate) {
      report(index, 'gate', 'waiver-unknown-gate', id, 'the decision has no such gate');
      continue;
    }
    if (gate.status !== 'fail') {
      report(index, '', 'waiver-unused', id, unusedMessage(gate, before, parents.get(id)));
      continue;
    }
    const uncovered = gate.reasons.filter((r) => !WAIVABLE_REASON_CODES.has(r.code));
    if (uncovered.length > 0) {
      report(index, '', 'waiver-reason-not-waivable', id, notWaivableMessage(uncovered));
      continue;
    }
    gate.status = 'waived';
    gate.waiver = {
      ...waiver,
      covers: gate.reasons.map((r) => ({ ...r, evidence: [...r.evidence] })),
    };
    gate.reasons = [
      waivedReason(waiver, locate({ file, pointer: `/waivers/${index}` }), gate.reasons.length),
      ...gate.reasons,
    ];
    applied.set(id, index);
  }
  if (applied.size === 0) return { decision: copyDecision(decision), findings: byWaiver(findings) };

  aggregateParents(context.gates, byId);

  // 3. A waived parent whose items still fail or error is not waived after all.
  for (const [id, index] of applied) {
    const gate = byId.get(id) as GateVerdict;
    if (gate.status === 'waived') continue;
    delete gate.waiver;
    gate.reasons = gate.reasons.filter((r) => r.code !== 'waived');
    report(
      index,
      '',
      'waiver-unused',
      id,
      `the gate is still ${gate.status} because of its items (${blockingItems(parents.get(id), byId)}); waive those instead`,
    );
  }

  const gates = decision.gates.map((g) => byId.get(g.id) as GateVerdict);
  const blocked =
    decision.problems.length > 0 || gates.length === 0 || gates.some((g) => isBlocking(g.status));
  return {
    decision: {
      verdict: blocked ? 'NO-GO' : 'GO',
      gates,
      counts: countStatuses(gates),
      problems: [...decision.problems],
      own: decision.own,
    },
    findings: byWaiver(findings),
  };
}

interface Problem {
  field: string;
  code: WaiverFindingCode;
  message: string;
}

/** Everything that makes one waiver void, whatever the gate's status. */
function waiverProblems(
  entry: WaiverEntry,
  gate: string,
  meta: GateMeta | undefined,
  metas: Map<string, GateMeta>,
  context: WaiverContext,
): Problem[] {
  const problems: Problem[] = [];
  if (!meta)
    problems.push({
      field: 'gate',
      code: 'waiver-unknown-gate',
      message: normalise(gate) ? `no gate has the id "${gate}"` : 'it names no gate',
    });
  const expires = entry.expires ?? '';
  if (!isCalendarDate(expires))
    problems.push({
      field: 'expires',
      code: 'waiver-bad-expiry',
      message: `expires must be a date YYYY-MM-DD, got ${JSON.stringify(entry.expires ?? null)}`,
    });
  // YYYY-MM-DD strings order like the dates they name; the last day is still valid.
  else if (expires < context.asOf)
    problems.push({
      field: 'expires',
      code: 'waiver-expired',
      message: `it expired on ${expires}, before the as-of date ${context.asOf}`,
    });
  else if (context.maxDays !== undefined && daysBetween(context.asOf, expires) > context.maxDays) {
    const days = daysBetween(context.asOf, expires);
    problems.push({
      field: 'expires',
      code: 'waiver-window-exceeded',
      message: `it runs until ${expires}, ${days} days after the as-of date ${context.asOf}; in ${context.env} a waiver may run at most ${context.maxDays} days (the pack's waivers.maxDays), so it is void: renew it for a shorter time`,
    });
  }
  // Empty after normalisation is missing: a zero-width space names nobody.
  const approver = entry.approver?.trim() ?? '';
  if (!normalise(approver))
    problems.push({
      field: 'approver',
      code: 'waiver-missing-approver',
      message: 'it names no approver',
    });
  if (!normalise(entry.justification ?? ''))
    problems.push({
      field: 'justification',
      code: 'waiver-missing-justification',
      message: 'it gives no justification',
    });
  if (entry.ticket !== undefined && !/^https:\/\/\S+$/.test(entry.ticket)) {
    problems.push({
      field: 'ticket',
      code: 'waiver-bad-ticket',
      message: `the ticket must be an https link, got ${JSON.stringify(entry.ticket)}`,
    });
  }
  const owner = context.releaseOwner;
  if (normalise(approver) && (owner === undefined || !normalise(owner))) {
    // Fail closed: without a known owner, self-approval cannot be ruled out.
    problems.push({
      field: 'approver',
      code: 'waiver-owner-unknown',
      message:
        'the release owner is unknown (release evidence missing, invalid or its owner empty), so the approver cannot be checked',
    });
  } else if (normalise(approver) && owner !== undefined && samePerson(approver, owner)) {
    problems.push({
      field: 'approver',
      code: 'waiver-self-approved',
      message: `the approver "${approver}" is the release owner "${owner}"; someone else must accept the risk`,
    });
  }
  const barrier = meta ? nonWaivableAncestor(meta, metas, context.env) : undefined;
  if (barrier) {
    const why =
      barrier.id === meta?.id
        ? `the gate cannot be waived in ${context.env}`
        : `the gate is an item of ${barrier.id}, which cannot be waived in ${context.env}, so neither can its items`;
    problems.push({ field: 'gate', code: 'waiver-non-waivable', message: why });
  }
  return problems;
}

/** The gate itself or its nearest ancestor that the pack declares non-waivable in `env`. */
function nonWaivableAncestor(
  meta: GateMeta,
  metas: Map<string, GateMeta>,
  env: string,
): GateMeta | undefined {
  const seen = new Set<string>();
  for (
    let at: GateMeta | undefined = meta;
    at && !seen.has(at.id);
    at = at.parent ? metas.get(normalise(at.parent)) : undefined
  ) {
    seen.add(at.id);
    if (at.nonWaivable?.includes(env)) return at;
  }
  return undefined;
}

/** Why a failing gate's reasons cannot be waived. */
function notWaivableMessage(uncovered: Reason[]): string {
  const codes = [...new Set(uncovered.map((r) => r.code))].sort().join(', ');
  const first = uncovered[0]?.message ?? '';
  return `the gate fails for reasons a waiver cannot cover (${codes}: ${first}); a waiver accepts only violations of evidence that is present and valid, never missing or invalid evidence: supply the evidence`;
}

/** Whole days from one YYYY-MM-DD date to another (negative when `to` is earlier). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Why a waiver had nothing to do; `gate` holds the gate's own decision, `before` the decision as given. */
function unusedMessage(
  gate: GateVerdict,
  before: Map<string, GateVerdict>,
  kids: GateMeta[] | undefined,
): string {
  const finalStatus = before.get(gate.id)?.status;
  if (kids && finalStatus !== undefined && isBlocking(finalStatus) && gate.status !== 'error') {
    return `the gate is ${finalStatus} only because of its items (${blockingItems(kids, before)}); waive those instead`;
  }
  if (gate.status === 'error')
    return 'the gate is error, and a waiver never hides an error: fix the evidence or the policy';
  return `the gate is ${gate.status === 'na' ? 'not applicable' : gate.status}, so there is nothing to waive`;
}

function waivedReason(waiver: Waiver, at: EvidenceRef, covered: number): Reason {
  const ticket = waiver.ticket ? ` (${waiver.ticket})` : '';
  const covers = `covers ${covered} violation${covered === 1 ? '' : 's'}`;
  return {
    code: 'waived',
    message: `waived by ${waiver.approver} until ${waiver.expires} (${covers}): ${waiver.justification}${ticket}`,
    evidence: [at],
  };
}

function isCalendarDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function blockingItems(kids: GateMeta[] | undefined, statuses: Map<string, GateVerdict>): string {
  return (kids ?? [])
    .filter((k) => {
      const v = statuses.get(k.id);
      return v !== undefined && isBlocking(v.status);
    })
    .map((k) => k.id)
    .join(', ');
}

/** Findings in file order (stable: a waiver's own findings keep their rule order). */
function byWaiver(findings: Finding<WaiverFindingCode>[]): Finding<WaiverFindingCode>[] {
  const index = (f: Finding): number => Number(/^\/waivers\/(\d+)/.exec(f.pointer)?.[1] ?? 0);
  return [...findings].sort((a, b) => index(a) - index(b));
}

function copyDecision(decision: Decision): Decision {
  return {
    ...decision,
    gates: decision.gates.map((g) => ({ ...g })),
    counts: { ...decision.counts },
    problems: [...decision.problems],
  };
}
