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
  const spaced = collapse(plain.replace(GLUED_STOP, '$1. $2'));
  const outside = collapse(spaced.replace(BRACKETED, ' '));
  const inside = [...spaced.matchAll(BRACKETED)]
    .map((m) => collapse(m[1] ?? m[2] ?? m[3] ?? ''))
    .filter(isNameLike);
  // The whole text is one name as it stands; only its parts are read as lists.
  const members = [outside, ...inside]
    .flatMap((part) => part.split(LIST_SEPARATOR))
    .flatMap(withoutLabel)
    .map(edgeStripped)
    .filter(isNameLike);
  const written = members.flatMap((member) => namesInMember(member, personKeys));
  const candidates = [plain, outside, ...inside, ...members, ...written]
    .map(edgeStripped)
    .flatMap((name) => [name, ...otherWritings(name)])
    .filter((name, i) => i === 0 || isNameLike(name));
  const names = new Set<string>();
  for (const name of [...new Set(candidates)].flatMap(personKeys)) {
    if (name === '') continue;
    names.add(name);
    // "Maya Okafor", "MayaOkafor" and "Maya\u200bOkafor" are one person to a reader.
    names.add(name.replace(/ /g, ''));
  }
  return [...names].sort();
}

// "Dr.Dana": a full stop glued to the next word ends a word all the same.
const GLUED_STOP = /(\p{L})\.(\p{Lu})/gu;
// Punctuation, quotes, markdown emphasis and symbols around a name ("**Dana**", "Dana.",
// "'Dana'", "Dana ✓") are no part of it.
const EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
// Words around a name that are not the name: "approved by Dana", "lead: Dana".
const FILLER = /^(?:(?:approved|signed(?: off)?|reviewed|owned)\s+by|by)\s+/i;
const LABEL = /^[\p{L}][\p{L} -]{0,30}:\s*(?=\S)/u;
// Parts of a person field that name nobody: pronouns, placeholders, roles.
const NOT_NAMES = new Set([
  'she',
  'her',
  'hers',
  'he',
  'him',
  'his',
  'they',
  'them',
  'their',
  'theirs',
  'xe',
  'xem',
  'ze',
  'zir',
  'hir',
  'any',
  'all',
  'tbd',
  'tba',
  'tbc',
  'na',
  'none',
  'nobody',
  'unknown',
  'eng',
  'dev',
  'ops',
  'sec',
  'qa',
  'sre',
  'pm',
  'lead',
  'owner',
  'team',
]);

/** The name without the punctuation, quotes and symbols around it. */
function edgeStripped(name: string): string {
  return name.replace(EDGE, '');
}

/** The member as written and, when it starts with "approved by" or "lead:", without that. */
function withoutLabel(member: string): string[] {
  const bare = member.replace(FILLER, '').replace(LABEL, '');
  return bare === member ? [member] : [member, bare];
}

/**
 * Other ways the same name is written: hyphens for spaces ("Dana-Whitfield") and an e-mail
 * address's local part ("dana.whitfield@example.com" is Dana Whitfield).
 */
function otherWritings(name: string): string[] {
  const out: string[] = [];
  if (name.includes('-')) out.push(collapse(name.replace(/-/g, ' ')));
  const email = /^([\p{L}\p{N}._-]+)@[\p{L}\p{N}.-]+$/u.exec(name);
  const local = email?.[1]?.split(/[._-]+/).filter((w) => w !== '');
  if (local && local.length >= 2) out.push(local.join(' '));
  // "D. Whitfield": a given name may be written as its initial. Every full name is also
  // read so, which merges Dana and Dan Whitfield: a false "same person" fails closed.
  const initial = /^(\p{L})[\p{L}.]*\s+(\p{L}.*)$/u.exec(name);
  if (initial && !email) out.push(`${initial[1]}. ${initial[2]}`);
  return out;
}

/** True when a part of a person field can be a name: a word of two letters, not a pronoun or placeholder. */
function isNameLike(part: string): boolean {
  const words = part
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w !== '');
  return words.some((w) => [...w].length >= 2 && !NOT_NAMES.has(w));
}

/**
 * A name's person forms: case folded then skeletonised (normalise 'person'), and the name
 * as read (readKey) as written and upper-cased (docs/hostile-evidence.md, "People").
 */
function personKeys(name: string): string[] {
  return [normalise(name, 'person'), readKey(name), readKey(name.toUpperCase())];
}

/**
 * The letters a reader reads in a name, compared before case is folded: each character that
 * is not ASCII as its UTS #39 prototype (Cyrillic capital Н is H, not the small-capital ʜ its
 * lower case maps to), combining marks on a letter dropped (é is e, i with a dot above is i),
 * then per word the ASCII look-alikes as the word's case reads them: in a word written in
 * capitals, l, 1 and | are a capital I ("WHlTFlELD"); in a word with lower-case letters, a
 * capital I after the first letter, 1 and | are an l ("WhitfieId"), while a capital I that
 * starts a word stays I ("Ian" is not "lan" in a serif font); 0 is O. Then case folded.
 */
export function readKey(name: string): string {
  // Marks go before the confusable table too: it maps some marks to letters.
  const nfd = visible(name.normalize('NFKC'))
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
  const skel = nfd
    .replace(/[^\x00-\x7f]/gu, (ch) => unhomoglyph(ch))
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
  return readerForm(skel.replace(/[\p{L}\p{N}|]+/gu, readWord));
}

function readWord(word: string): string {
  const others = word.replace(/[Il1|0]/g, '');
  if (!/\p{L}/u.test(others)) return word;
  if (others === others.toUpperCase()) return word.replace(/[l1|]/g, 'I').replace(/0/g, 'O');
  const rest = word.slice(1).replace(/[I1|]/g, 'l').replace(/0/g, 'o');
  return word.charAt(0).replace(/[1|]/, 'l').replace('0', 'o') + rest;
}

// "team (Name)", "Name <mail>", "Name [team]": each bracketed part names someone too.
const BRACKETED = /\(([^()]*)\)|<([^<>]*)>|\[([^[\]]*)\]/g;
// "A & B", "A; B", "A / B", "A and B", "A | B", "A - B": each names a person. A comma may
// also be part of one name ("Whitfield, Dana", "Dana Whitfield, PhD"): namesInMember reads
// commas. A bar or dash without spaces is part of a word ("Whitfie|d", "platform-team").
const LIST_SEPARATOR = /\s*(?:[;&/+]|\band\b)\s*|\s+[|\u2010-\u2015-]\s+/i;

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
