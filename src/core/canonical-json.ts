import canonicalizeModule from 'canonicalize';

// canonicalize is CommonJS whose module.exports is the function, but its typings
// declare an ES default export; under NodeNext the default import is module.exports
// at run time, so take the function whichever way the typings describe it.
type Serialize = (input: unknown) => string | undefined;
const serialize: Serialize =
  typeof canonicalizeModule === 'function'
    ? (canonicalizeModule as Serialize)
    : (canonicalizeModule as unknown as { default: Serialize }).default;

/**
 * RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code units, no
 * whitespace, ECMAScript number and string forms. One value has exactly one
 * canonical text, so equal values give equal bytes and equal digests; any edit to
 * a canonical text either breaks it, makes it non-canonical, or changes the value.
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value);
  // undefined, a function or a symbol at the top level has no JSON form; NaN and
  // Infinity make canonicalize throw. Either is a programming error, not data.
  if (typeof text !== 'string') throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}

/** The file form: the canonical text and one newline, so that `cat` and git behave. */
export function canonicalJsonFile(value: unknown): string {
  return `${canonicalJson(value)}\n`;
}

/** True when `text` is exactly the file form of the value it parses to. */
export function isCanonicalJsonFile(text: string, parsed: unknown): boolean {
  return text === canonicalJsonFile(parsed);
}
