import { RE2JS } from 're2js';
import type { RouteMatcher } from './config-facts.js';

/** Why a matcher cannot be evaluated (bad syntax, a regex RE2 does not accept). */
export class MatcherError extends Error {}

const OPS = ['=~', '!~', '!=', '='] as const;

/** Longest matcher text read; Alertmanager's own are a line each. */
const MAX_MATCHER_LENGTH = 10_000;

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // reported below
  }
  throw new MatcherError(`bad quoted value ${value}`);
}

/** The index of the quote that closes the quoted text starting at 0, or -1. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Splits `a="1", b=~"x,y"` (optionally in braces) at the commas outside quotes. */
function splitList(text: string): string[] {
  let body = text.trim();
  if (body.startsWith('{')) {
    if (!body.endsWith('}')) throw new MatcherError(`unbalanced braces in ${text}`);
    body = body.slice(1, -1);
  }
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && quoted) {
      current += c + (body[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (quoted) throw new MatcherError(`unterminated quoted value in ${text}`);
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Parses one entry of a route's `matchers` list as Alertmanager does (one or more
 * comma-separated `name op value`, optionally in braces; the value quoted or not;
 * a quoted label name for UTF-8 names). Throws MatcherError.
 */
export function parseMatchers(text: string): RouteMatcher[] {
  if (text.length > MAX_MATCHER_LENGTH)
    throw new MatcherError(`matcher longer than ${MAX_MATCHER_LENGTH} characters`);
  const out: RouteMatcher[] = [];
  for (const part of splitList(text)) {
    let name: string;
    let rest: string;
    if (part.startsWith('"')) {
      const end = closingQuote(part);
      if (end < 0) throw new MatcherError(`unterminated quoted label name in ${part}`);
      name = unquote(part.slice(0, end + 1));
      rest = part.slice(end + 1).trimStart();
    } else {
      const m = /^[^=!~\s"]+/.exec(part);
      if (!m) throw new MatcherError(`no label name in ${JSON.stringify(part)}`);
      name = m[0];
      rest = part.slice(name.length).trimStart();
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (!op) throw new MatcherError(`no operator (=, !=, =~, !~) in ${JSON.stringify(part)}`);
    const value = unquote(rest.slice(op.length).trim());
    out.push(compileMatcher({ name, op, value }));
  }
  if (out.length === 0) throw new MatcherError(`empty matcher ${JSON.stringify(text)}`);
  return out;
}

const compiled = new Map<string, RE2JS>();

/** The anchored RE2 pattern of a regex matcher (Alertmanager anchors as `^(?:v)$`). */
function regexOf(value: string): RE2JS {
  let re = compiled.get(value);
  if (!re) {
    try {
      re = RE2JS.compile(`^(?:${value})$`);
    } catch (thrown) {
      throw new MatcherError(
        `regex ${JSON.stringify(value)} is not RE2 syntax: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      );
    }
    compiled.set(value, re);
  }
  return re;
}

/** Checks a matcher (a regex must compile with RE2's linear-time engine) and returns it. */
export function compileMatcher(m: RouteMatcher): RouteMatcher {
  if (m.op === '=~' || m.op === '!~') regexOf(m.value);
  return m;
}

/**
 * Whether a label set satisfies a matcher, as Alertmanager's labels.Matcher.Matches: a
 * missing label is the empty string; regexes are anchored and run by re2js, a port of
 * RE2, whose matching is linear in the input (no backtracking).
 */
export function matches(m: RouteMatcher, labels: Record<string, string>): boolean {
  const value = Object.hasOwn(labels, m.name) ? (labels[m.name] as string) : '';
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return regexOf(m.value).matches(value);
    case '!~':
      return !regexOf(m.value).matches(value);
  }
}
