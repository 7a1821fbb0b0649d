import { pointerToken } from '../core/json-pointer.js';
import { formatReason } from '../render/format-reason.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { DiffableReport } from './report-file.js';

/** One place where two JSON values differ. */
export interface ValueDifference {
  /** RFC 6901 pointer; '' is the whole value. */
  pointer: string;
  /** The value there in the first document (undefined: absent). */
  left: unknown;
  /** The value there in the second document (undefined: absent). */
  right: unknown;
}

/**
 * Every place where two JSON values differ, depth first: an object key present on one
 * side only, a list item beyond the other list's end, or a scalar that differs.
 */
export function jsonDifferences(left: unknown, right: unknown, pointer = ''): ValueDifference[] {
  if (left === right) return [];
  const bothObjects = isObject(left) && isObject(right);
  const bothArrays = Array.isArray(left) && Array.isArray(right);
  if (bothArrays) {
    const out: ValueDifference[] = [];
    for (let i = 0; i < Math.max(left.length, right.length); i++)
      out.push(...jsonDifferences(left[i], right[i], `${pointer}/${i}`));
    return out;
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    return keys.flatMap((k) => jsonDifferences(left[k], right[k], `${pointer}/${pointerToken(k)}`));
  }
  if (left !== undefined && right !== undefined && canonicalJson(left) === canonicalJson(right))
    return [];
  return [{ pointer, left, right }];
}

/** A value for a one-line message: JSON, shortened past `max` characters. */
export function show(value: unknown, max = 120): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

type Gate = DiffableReport['gates'][number];

/**
 * Gate by gate, how a recorded verdict and a recomputed one differ: a gate that moved
 * from one status to another (with the recomputed first reason), a gate whose status
 * held but whose reasons changed, a gate present on one side only. Titles, rules and
 * other fields are left to jsonDifferences.
 */
export function gateMoves(
  recorded: Gate[],
  recomputed: Gate[],
  labels = { left: 'the report', right: 're-evaluation' },
): string[] {
  const before = new Map(recorded.map((g) => [g.id, g]));
  const after = new Map(recomputed.map((g) => [g.id, g]));
  const out: string[] = [];
  for (const [id, old] of before) {
    const now = after.get(id);
    if (!now) {
      out.push(`gate ${id}: in ${labels.left}, not in ${labels.right}`);
      continue;
    }
    if (old.status !== now.status) {
      const why = now.reasons[0] ? `: ${formatReason(now.reasons[0])}` : '';
      out.push(
        `gate ${id} moved from ${old.status} (in ${labels.left}) to ${now.status} (in ${labels.right})${why}`,
      );
    } else if (canonicalJson(old.reasons) !== canonicalJson(now.reasons)) {
      const gone = old.reasons.filter(
        (r) => !now.reasons.some((n) => canonicalJson(n) === canonicalJson(r)),
      );
      const added = now.reasons.filter(
        (r) => !old.reasons.some((o) => canonicalJson(o) === canonicalJson(r)),
      );
      const parts = [
        ...gone.map((r) => `only in ${labels.left}: ${formatReason(r)}`),
        ...added.map((r) => `only in ${labels.right}: ${formatReason(r)}`),
      ];
      out.push(
        `gate ${id} (${now.status}): reasons differ${parts.length ? `; ${parts.join('; ')}` : ' (order)'}`,
      );
    }
  }
  for (const id of after.keys())
    if (!before.has(id)) out.push(`gate ${id}: in ${labels.right}, not in ${labels.left}`);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
