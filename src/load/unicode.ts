/**
 * Unicode checks on strings read from evidence. JSON (`"\ud83d"`) and YAML
 * (`"\ud83d"`, `"\U0000D83D"`) escapes can spell a lone UTF-16 surrogate: a string
 * that is not Unicode text. JavaScript keeps it, but OPA (its wasm and `opa eval`)
 * rejects the whole input ("illegal string escape character"), so such a string is
 * refused where it is read, with its place, and never reaches a policy.
 */

/** A surrogate code unit not paired with its partner (in `u` mode pairs are one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/** True when `text` holds a lone surrogate, so it is not a sequence of Unicode scalar values. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Why a string or key from evidence is not Unicode text, for a diagnostic; never quotes it. */
export function loneSurrogateProblem(text: string, what: 'key' | 'string'): string {
  const m = LONE_SURROGATE.exec(text);
  const unit = m ? (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase() : '?';
  return `${what} holds a lone surrogate (an escape such as \\u${unit.toLowerCase()} with no partner, U+${unit} at character ${(m?.index ?? 0) + 1}): not Unicode text, which OPA cannot read; write the character itself or a complete surrogate pair`;
}

/** One character of `text` at `index` as a reader sees it: a whole code point, never half a pair. */
export function characterAt(text: string, index: number): string {
  const code = text.codePointAt(index);
  return code === undefined ? '' : String.fromCodePoint(code);
}

/**
 * Where a JSON value holds a string or key that is not Unicode text, as a JSON pointer
 * (a bad key shown as `<key>`, never quoted), or undefined when it holds none. The last
 * check before a value goes to OPA: the loader refuses such strings with their place,
 * so finding one here is a bug upstream, and evaluating must stop rather than err later.
 */
export function loneSurrogatePointer(value: unknown, pointer = ''): string | undefined {
  if (typeof value === 'string') return hasLoneSurrogate(value) ? pointer : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value);
  for (const [key, child] of entries) {
    if (hasLoneSurrogate(key)) return `${pointer}/<key>`;
    const found = loneSurrogatePointer(
      child,
      `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    );
    if (found !== undefined) return found;
  }
  return undefined;
}
