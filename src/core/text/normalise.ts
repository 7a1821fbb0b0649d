import unhomoglyph from 'unhomoglyph';
import { namesInMember } from './person-name.js';

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
// Characters drawn as an empty space that Unicode does not call whitespace: the braille
// blank and the Hangul fillers (the fillers are default-ignorable, but a reader sees a gap,
// so "Maya\u3164Okafor" must read "maya okafor", not "mayaokafor"). They become spaces.
const BLANK_LOOKING = /[\u2800\u115F\u1160\u3164\uFFA0]/gu;
// Format characters (Cf) that are not default-ignorable, such as the interlinear
// annotation marks U+FFF9..U+FFFB: nothing a reader compares.
const FORMAT = /\p{Cf}/gu;
// Combining marks with no base letter (at the start, or after a space) draw nothing a
// reader can name: "\u0301" alone is blank.
const BASELESS_MARKS = /(^|\s)\p{M}+/gu;

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
 * Whitfield)" names both the team and Dana Whitfield; each member of a list; and each name
 * without honorifics and post-nominals and in given-family order (person-name.ts:
 * `Dr. Dana Whitfield`, `Whitfield, Dana` and `Dana Whitfield, PhD` all name Dana
 * Whitfield). Sorted, without repeats or empties.
 */
export function personNames(text: string): string[] {
  // NFKC first (fullwidth brackets are brackets too); the case is kept, as the confusable
  // skeleton of the text as written needs it (UTS #39 maps a capital I to l).
  const plain = collapse(visible(PLAIN_ASCII.test(text) ? text : text.normalize('NFKC')));
  const outside = collapse(plain.replace(BRACKETED, ' '));
  const inside = [...plain.matchAll(BRACKETED)].map((m) => collapse(m[1] ?? m[2] ?? m[3] ?? ''));
  const parts = [plain, outside, ...inside];
  const members = parts.flatMap((part) => part.split(LIST_SEPARATOR));
  const written = members.flatMap((member) => namesInMember(member, personKeys));
  const names = new Set<string>();
  for (const name of [...new Set([...parts, ...members, ...written])].flatMap(personKeys)) {
    if (name === '') continue;
    names.add(name);
    // "Maya Okafor", "MayaOkafor" and "Maya\u200bOkafor" are one person to a reader.
    names.add(name.replace(/ /g, ''));
  }
  return [...names].sort();
}

/** A name's person forms: case folded then skeletonised, and skeletonised as written. */
function personKeys(name: string): string[] {
  return [normalise(name, 'person'), readerForm(skeleton(name))];
}

// "team (Name)", "Name <mail>", "Name [team]": each bracketed part names someone too.
const BRACKETED = /\(([^()]*)\)|<([^<>]*)>|\[([^[\]]*)\]/g;
// "A & B", "A; B", "A / B", "A and B": each names a person. A comma may also be part of one
// name ("Whitfield, Dana", "Dana Whitfield, PhD"): namesInMember reads commas.
const LIST_SEPARATOR = /\s*(?:[;&/+|]|\band\b)\s*/i;

/** True when two person fields share a name (personNames); never for two empty fields. */
export function samePerson(a: string, b: string): boolean {
  const theirs = new Set(personNames(b));
  return personNames(a).some((name) => theirs.has(name));
}

// Text of printable ASCII and ASCII whitespace only, the most evidence text: Unicode
// normalisation, invisible code points, format characters and combining marks cannot occur
// in it, so each step below reduces to case folding and whitespace collapsing (the same
// result, without the Unicode passes; measured as most of building the policy input).
const PLAIN_ASCII = /^[\t\n\v\f\r\x20-\x7e]*$/;
const ASCII_WHITESPACE_RUN = /[\t\n\v\f\r ]+/g;
// The code points of confusables.txt that are ASCII (unhomoglyph's table: 0 1 ` " | I % m).
const ASCII_CONFUSABLE = /[01`"|I%m]/g;

function readerForm(text: string): string {
  if (PLAIN_ASCII.test(text)) return text.toLowerCase().replace(ASCII_WHITESPACE_RUN, ' ').trim();
  let out = visible(text.normalize('NFKC'));
  out = out.toUpperCase().toLowerCase().normalize('NFKC');
  return collapse(visible(out));
}

/** Whitespace runs collapsed to one space, none at either end, baseless marks dropped. */
function collapse(text: string): string {
  if (PLAIN_ASCII.test(text)) return text.replace(ASCII_WHITESPACE_RUN, ' ').trim();
  let out = text.replace(WHITESPACE_RUN, ' ').trim();
  // Dropping a baseless mark can leave a new one first, or a space at an end: repeat.
  for (let before = ''; before !== out; ) {
    before = out;
    out = out.replace(BASELESS_MARKS, '$1').replace(WHITESPACE_RUN, ' ').trim();
  }
  return out;
}

/** Without invisible code points; whitespace controls become spaces first. */
function visible(text: string): string {
  if (PLAIN_ASCII.test(text)) return text.replace(/[\t\n\v\f\r]/g, ' ');
  return text
    .replace(BLANK_LOOKING, ' ')
    .replace(INVISIBLE, (ch) => (CONTROL_WHITESPACE.test(ch) ? ' ' : ''))
    .replace(FORMAT, '');
}

/** UTS #39 skeleton: NFD, each character mapped to its confusable prototype, NFD. */
function skeleton(text: string): string {
  // ASCII is its own NFD; only the ASCII keys of the table can match it, and what they
  // map to (O l ' '' rn º/₀) is its own NFD too.
  if (PLAIN_ASCII.test(text)) return text.replace(ASCII_CONFUSABLE, unhomoglyph);
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}
