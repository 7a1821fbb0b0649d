import { findSecretRanges } from './secret-rules.js';

/**
 * Credential redaction: everything prodgate prints or writes that can hold text from
 * evidence (diagnostics, reasons, filled placeholders, reports) passes through
 * redactSecrets, so a token pasted into evidence is never echoed into CI logs or a
 * committed checklist. It recognises credentials by shape, not by entropy (a sha256 or
 * a git revision must survive), and runs in linear time: every pattern starts with a
 * literal prefix and has bounded or non-overlapping repetition, because evidence is
 * hostile input and a backtracking pattern here would be a denial of service.
 */
export const REDACTED = '[REDACTED]';

/** Tokens whose shape alone says "credential": cloud keys, forge and chat tokens, JWTs. */
const TOKENS: RegExp[] = [
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bgh[pousr]_[A-Za-z0-9]{20,255}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,255}/g,
  /\bglpat-[A-Za-z0-9_-]{20,255}/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,255}/g, // Slack
  /\bsk_(?:live|test)_[A-Za-z0-9]{16,255}/g, // Stripe
  /\bsk-[A-Za-z0-9_-]{20,255}/g, // OpenAI-style secret keys
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\bnpm_[A-Za-z0-9]{36}/g,
  /\beyJ[A-Za-z0-9_-]{4,512}\.eyJ[A-Za-z0-9_-]{4,4096}\.[A-Za-z0-9_-]{0,1024}/g, // JWTs
];

/**
 * `Bearer abc…` anywhere, and any `Authorization: <scheme> <value>`. A bare `Basic` or
 * `token` followed by a word is prose ("basic authentication"), so only the header
 * form redacts those.
 */
const BEARER = /\b(bearer[ \t]{1,8})(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{8,4096}/gi;
const AUTHORIZATION =
  /\b(authorization["']?[ \t]{0,8}[=:][ \t]{0,8}["']?(?:(?:basic|bearer|token|digest|negotiate)[ \t]{1,8})?)(?!\[REDACTED\]|(?:basic|bearer|token|digest|negotiate)[ \t])[^\s"'`,;&<>()[\]{}]{1,4096}/gi;

/**
 * `password=…`, `api_key: …`, `"clientSecret": "…"`, and the same names with a prefix,
 * as environment variables and query parameters carry them (`GITHUB_TOKEN=…`,
 * `?x-amz-security-token=…`, `DB_PASSWORD=…`): the key stays, the value goes. The prefix
 * is at most four bounded words, so the pattern stays linear.
 */
const KEY_VALUE =
  /\b((?:[A-Za-z0-9]{1,32}[_.-]){0,4}(?:pass(?:word|wd|phrase)|pwd|secret|client[_-]?secret|api[_-]?key|access[_-]?key(?:[_-]?id)?|secret[_-]?access[_-]?key|(?:access|auth|refresh|id|session|security)[_-]?token|private[_-]?key|token|credentials?|sig(?:nature)?))(["']?[ \t]{0,8}[=:][ \t]{0,8}["']?)(?!\[REDACTED\])[^\s"'`,;&<>()[\]{}]{1,4096}/gi;

/**
 * Texts already redacted in this process, by text: the same titles, rules and reasons
 * pass through here for the checklist, the report and every environment, and the rule
 * set costs about as much as the rest of rendering. Redaction is a function of the text
 * alone; short texts only, and a bounded number of them.
 */
const redacted = new Map<string, string>();
const MEMO_TEXT_LENGTH = 1024;
const MEMO_ENTRIES = 4096;

/** Replaces every credential-shaped part of a text with [REDACTED]. */
export function redactSecrets(text: string): string {
  if (text.length === 0) return text;
  if (text.length > MEMO_TEXT_LENGTH) return redactUncached(text);
  const known = redacted.get(text);
  if (known !== undefined) return known;
  const out = redactUncached(text);
  if (redacted.size >= MEMO_ENTRIES) redacted.clear();
  redacted.set(text, out);
  return out;
}

function redactUncached(text: string): string {
  let out = redactPrivateKeys(text);
  out = redactUrlUserinfo(out);
  for (const pattern of TOKENS) out = out.replace(pattern, REDACTED);
  out = out.replace(BEARER, (_all, scheme: string) => `${scheme}${REDACTED}`);
  out = out.replace(AUTHORIZATION, (_all, header: string) => `${header}${REDACTED}`);
  out = out.replace(
    KEY_VALUE,
    (_all, key: string, separator: string) => `${key}${separator}${REDACTED}`,
  );
  // Then the maintained rule set, on what is left (so the shapes above keep their context:
  // `https://[REDACTED]@host`, `password=[REDACTED]`).
  return redactRanges(out, findSecretRanges(out));
}

/** The text with every range (sorted by start; they may overlap) replaced by one [REDACTED]. */
function redactRanges(text: string, ranges: [number, number][]): string {
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let out = '';
  let from = 0;
  for (const [start, end] of merged) {
    out += `${text.slice(from, start)}${REDACTED}`;
    from = end;
  }
  return out + text.slice(from);
}

/** A copy of a JSON-like value with every string (keys included) redacted. */
export function redactDeep<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map(walk);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      Object.defineProperty(out, redactSecrets(key), {
        value: walk(child),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';

/**
 * `-----BEGIN … PRIVATE KEY-----` through its END line becomes [REDACTED]; a block
 * without an END line is redacted to the end of the text (a truncated key is still
 * a secret). Scans with indexOf, so the cost is linear whatever the input.
 */
function redactPrivateKeys(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const begin = text.indexOf(BEGIN, from);
    if (begin < 0) break;
    const headerEnd = text.indexOf('-----', begin + BEGIN.length);
    const label = headerEnd < 0 ? '' : text.slice(begin + BEGIN.length, headerEnd);
    if (headerEnd < 0 || headerEnd - begin > 80 || !/PRIVATE KEY( BLOCK)?$/.test(label)) {
      out += text.slice(from, begin + BEGIN.length);
      from = begin + BEGIN.length;
      continue;
    }
    const end = text.indexOf(END, headerEnd + 5);
    const endLine = end < 0 ? -1 : text.indexOf('-----', end + END.length);
    out += text.slice(from, begin) + REDACTED;
    from = endLine < 0 ? text.length : endLine + 5;
  }
  return out + text.slice(from);
}

/**
 * `scheme://user:password@host` keeps its scheme and host and loses the user
 * information. The authority ends at the first `/`, `?`, `#` or space; its last `@`
 * ends the user information (RFC 3986). Linear: each authority is scanned once.
 */
function redactUrlUserinfo(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const marker = text.indexOf('://', from);
    if (marker < 0) break;
    const start = marker + 3;
    let end = start;
    let at = -1;
    while (end < text.length && !'/?#\\ \t\r\n"\'`<>'.includes(text[end] as string)) {
      if (text[end] === '@') at = end;
      end++;
    }
    if (at > start && text.slice(start, at) !== REDACTED) {
      out += `${text.slice(from, start)}${REDACTED}`;
      from = at;
    } else {
      out += text.slice(from, end);
      from = end;
    }
    if (from === marker) from = start; // cannot happen; keeps the loop obviously finite
  }
  return out + text.slice(from);
}
