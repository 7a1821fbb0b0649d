import unhomoglyph from 'unhomoglyph';

/**
 * Text as a reader sees it: the one normalisation used wherever evidence text is
 * compared or tested for emptiness (docs/hostile-evidence.md, "Normalisation").
 *
 * Bottom layer: imports no stage. Policies run in wasm without Unicode builtins, so
 * the evaluate stage computes these forms here and hands them to the policies beside
 * the original text (input.normalised); the original is kept for display.
 */

/** Which form: `text` for any text, `person` for names of people (adds the UTS #39 skeleton). */
export type NormalForm = 'text' | 'person';

// Default_Ignorable_Code_Point (zero-width space and joiners, soft hyphen, word joiner,
// BOM, bidi controls, variation selectors, tags, ...) and the control characters that
// are not whitespace: a reader sees none of them. ECMAScript knows the property, so the
// table is the engine's own Unicode data (Node 20: Unicode 15.1).
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}]/gu;
// Every kind of whitespace, as the Unicode White_Space property defines it (JS `\s`
// misses U+0085 NEXT LINE). A run of it becomes one space.
const WHITESPACE_RUN = /\p{White_Space}+/gu;
// Tab, line feed and the like (the controls that are White_Space) are whitespace: turn them into spaces before
// controls are removed, so that "a\tb" reads "a b", not "ab".
const CONTROL_WHITESPACE = /[\t\n\v\f\r\u0085]/;

/**
 * The normalised form of `text`:
 * 1. Unicode NFKC (compatibility forms: fullwidth letters, ligatures, superscripts);
 * 2. default-ignorable code points and non-whitespace control characters removed;
 * 3. every run of whitespace collapsed to one space, none at either end;
 * 4. case folded (full folding: "ß" and "SS" compare equal), then NFKC again, as
 *    Unicode's NFKC_Casefold does;
 * 5. for `person`, also the confusable skeleton of UTS #39 (section 4, the
 *    confusables.txt mapping, via the `unhomoglyph` package), so that letters from another
 *    script that look the same ("Dаna" with a Cyrillic а) compare equal; then steps 1-4
 *    again, so the result is stable.
 * Text that is empty after this is missing. Pure and total: never throws (a lone
 * surrogate is kept as it is; the loader refuses such text before it gets here).
 */
export function normalise(text: string, form: NormalForm = 'text'): string {
  const folded = readerForm(text);
  if (form === 'text') return folded;
  return readerForm(skeleton(folded));
}

/**
 * The people a person field names, each as its `person` form: the whole text, the text
 * outside parentheses and each parenthesised part, so that "platform-team (Dana
 * Whitfield)" names both the team and Dana Whitfield. Sorted, without repeats or empties.
 */
export function personNames(text: string): string[] {
  // Normalised first: fullwidth parentheses are parentheses too.
  const whole = normalise(text, 'text');
  const outside = whole.replace(/\([^()]*\)/g, ' ');
  const inside = [...whole.matchAll(/\(([^()]*)\)/g)].map((m) => m[1] ?? '');
  const names = new Set([whole, outside, ...inside].map((part) => normalise(part, 'person')).filter((n) => n !== ''));
  return [...names].sort();
}

/** True when two person fields share a name (personNames); never for two empty fields. */
export function samePerson(a: string, b: string): boolean {
  const theirs = new Set(personNames(b));
  return personNames(a).some((name) => theirs.has(name));
}

function readerForm(text: string): string {
  let out = visible(text.normalize('NFKC'));
  out = out.toUpperCase().toLowerCase().normalize('NFKC');
  return visible(out).replace(WHITESPACE_RUN, ' ').trim();
}

/** Without invisible code points; whitespace controls become spaces first. */
function visible(text: string): string {
  return text.replace(INVISIBLE, (ch) => (CONTROL_WHITESPACE.test(ch) ? ' ' : ''));
}

/** UTS #39 skeleton: NFD, each character mapped to its confusable prototype, NFD. */
function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}
