import { childrenOf, type GateMeta } from '../pack/catalog.js';
import { pointerToken } from '../core/json-pointer.js';
import { aggregateParents } from './decide.js';
import {
  countStatuses,
  isBlocking,
  type Decision,
  type EvidenceRef,
  type FactSource,
  type GateVerdict,
  type Reason,
} from './verdict.js';

/** The key by which an evidence object says its fact is recorded from an artifact (docs/artifacts.md). */
const RECORDED_BY = 'recordedBy';

export interface RecordedContext {
  gates: GateMeta[];
  env: string;
  /** The valid evidence of a kind: its file and data; undefined when missing or invalid (the policy already fails those). */
  evidenceOf(kind: string): { file: string; data: unknown } | undefined;
  locate(ref: EvidenceRef): EvidenceRef;
  /** input.recorded: kind -> pointer -> the recorded fact (its artifact part at least). */
  recorded?: Record<
    string,
    Record<
      string,
      { artifact: string; file: string; sha256: string; format: string; selector: string }
    >
  >;
}

/**
 * Enforces each gate's METADATA `recorded` list for the environment: every fact it
 * names that is present in the evidence must be recorded (`recordedBy` an artifact),
 * not claimed. A claimed one makes the gate `fail` (an `error` stays `error`), with a
 * reason at the fact; parents are re-aggregated. Pure: returns a new decision. This is
 * a floor under the policies, which read the recorded facts themselves.
 */
export function requireRecorded(decision: Decision, context: RecordedContext): Decision {
  const byId = new Map<string, GateVerdict>();
  const parents = childrenOf(context.gates);
  let changed = false;
  for (const gate of decision.gates) {
    const own = decision.own.get(gate.id);
    byId.set(gate.id, {
      ...gate,
      ...(parents.has(gate.id) && own ? { status: own.status, reasons: own.reasons } : {}),
    });
  }
  for (const meta of context.gates) {
    const gate = byId.get(meta.id);
    const sources = factSources(meta, context);
    if (gate && sources.length) {
      gate.facts = sources;
      changed = true;
    }
    const reasons = (meta.recorded?.[context.env] ?? []).flatMap((spec) =>
      claimedFacts(spec, context),
    );
    if (!gate || reasons.length === 0) continue;
    changed = true;
    if (gate.status !== 'error') gate.status = 'fail';
    gate.reasons = [...gate.reasons.filter((r) => r.code !== 'not-applicable'), ...reasons];
  }
  if (!changed) return decision;
  aggregateParents(context.gates, byId);
  const gates = decision.gates.map((g) => byId.get(g.id) as GateVerdict);
  const own = new Map(decision.own);
  for (const g of gates)
    if (own.has(g.id) && !parents.has(g.id))
      own.set(g.id, { status: g.status, reasons: g.reasons });
  const blocked =
    decision.problems.length > 0 || gates.length === 0 || gates.some((g) => isBlocking(g.status));
  return {
    verdict: blocked ? 'NO-GO' : 'GO',
    gates,
    counts: countStatuses(gates),
    problems: [...decision.problems],
    own,
  };
}

/** Every fact the gate's METADATA `recorded` names (in any environment), claimed or recorded. */
function factSources(meta: GateMeta, context: RecordedContext): FactSource[] {
  const specs = [...new Set(Object.values(meta.recorded ?? {}).flat())].sort();
  return specs.flatMap((spec) => {
    const { kind, tokens } = parseSpec(spec);
    const evidence = context.evidenceOf(kind);
    if (!evidence) return [];
    return valuesAt(evidence.data, tokens, '').map(({ pointer, value }): FactSource => {
      const at = context.locate({ file: evidence.file, pointer });
      const located = {
        file: evidence.file,
        pointer,
        ...(at.line ? { line: at.line, column: at.column as number } : {}),
      };
      const fact = context.recorded?.[kind]?.[pointer];
      if (!isRecorded(value) || !fact) return { ...located, source: 'claimed' };
      return {
        ...located,
        source: 'recorded',
        artifact: {
          id: fact.artifact,
          path: fact.file,
          sha256: fact.sha256,
          format: fact.format,
          selector: fact.selector,
        },
      };
    });
  });
}

function parseSpec(spec: string): { kind: string; tokens: string[] } {
  const colon = spec.indexOf(':');
  return {
    kind: spec.slice(0, colon),
    tokens: spec
      .slice(colon + 2)
      .split('/')
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')),
  };
}

/** The claimed facts at `kind:/pointer` (a `*` token: every item), each as a reason. */
function claimedFacts(spec: string, context: RecordedContext): Reason[] {
  const { kind, tokens } = parseSpec(spec);
  const evidence = context.evidenceOf(kind);
  if (!evidence) return [];
  return (
    valuesAt(evidence.data, tokens, '')
      // A fact that names an artifact but was not read from one (no input.recorded entry)
      // is a claim too, whatever the policy made of it: the same test as factSources.
      .filter(({ value, pointer }) => !(isRecorded(value) && context.recorded?.[kind]?.[pointer]))
      .map(({ pointer }) => ({
        code: 'claimed-fact',
        message: `in ${context.env} this fact must be recorded from an artifact (${RECORDED_BY}), not claimed`,
        evidence: [context.locate({ file: evidence.file, pointer })],
      }))
  );
}

function isRecorded(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const by = (value as Record<string, unknown>)[RECORDED_BY];
  return by !== null && typeof by === 'object' && !Array.isArray(by);
}

function valuesAt(
  value: unknown,
  tokens: string[],
  pointer: string,
): { pointer: string; value: unknown }[] {
  if (tokens.length === 0) return value === undefined ? [] : [{ pointer, value }];
  if (value === null || typeof value !== 'object') return [];
  const [head, ...rest] = tokens as [string, ...string[]];
  const record = value as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(record) : Object.hasOwn(record, head) ? [head] : [];
  return keys.flatMap((k) => valuesAt(record[k], rest, `${pointer}/${pointerToken(k)}`));
}
