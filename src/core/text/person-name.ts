/**
 * How a person's name is written around the name itself: honorifics before it, academic and
 * professional post-nominals after it, and "Family, Given" order. Used by personNames
 * (normalise.ts) so that `Dr. Dana Whitfield`, `Whitfield, Dana` and `Dana Whitfield, PhD`
 * are Dana Whitfield (docs/hostile-evidence.md, "People").
 *
 * Bottom layer: imports no stage. Works on text that is already NFKC with invisible code
 * points removed and whitespace collapsed; tokens are compared through `tokenKeys`, the
 * caller's person forms (case folded and confusable skeleton), so that a title written with
 * look-alike letters is still a title.
 *
 * What is deliberately NOT equated (each would merge two different people):
 * - generational suffixes (Jr, Sr, II, III, IV, V): Dana Whitfield Jr. is not Dana Whitfield Sr.;
 *   they stay part of the name;
 * - a double-barrelled or extended family name: `Dana Whitfield-Jones` and
 *   `Dana Whitfield Jones` are not `Dana Whitfield` (no prefix or subset matching);
 * - a lone family or given name: `Whitfield` is nobody in particular.
 */

/** Honorifics stripped from the front of a name (with or without a full stop). */
export const HONORIFICS: readonly string[] = [
  'dr',
  'doctor',
  'prof',
  'professor',
  'mr',
  'mister',
  'mrs',
  'ms',
  'miss',
  'mx',
  'sir',
  'dame',
  'rev',
  'revd',
  'reverend',
  'herr',
  'frau',
  'mme',
  'mlle',
];

/**
 * Post-nominals that are never a family name: stripped at the end of a name, after a comma or
 * not (`Dana Whitfield PhD`). Full stops are ignored (`Ph.D.` is `phd`).
 */
export const POST_NOMINALS: readonly string[] = [
  'phd',
  'dphil',
  'mphil',
  'mba',
  'msc',
  'bsc',
  'meng',
  'beng',
  'llm',
  'llb',
  'dds',
  'esq',
  'cissp',
  'cism',
  'cisa',
  'oscp',
  'frs',
  'obe',
  'mbe',
  'cbe',
];

/**
 * Post-nominals that are also family or given names (Ma, Ba, Pe, Md for Mohammad): stripped
 * only when a comma sets them apart (`Dana Whitfield, MD`, never `Li Ma`).
 */
export const POST_NOMINALS_AFTER_COMMA: readonly string[] = [
  'md',
  'ma',
  'ba',
  'jd',
  'pe',
  'cpa',
  'rn',
];

/** Generational suffixes: kept with the name they follow (never a person of their own). */
export const GENERATIONAL: readonly string[] = ['jr', 'sr', 'ii', 'iii', 'iv', 'v'];

/** The forms a token is compared in (case folded, confusable skeleton, ...), full stops gone. */
export type TokenKeys = (token: string) => string[];

/** Word lists as sets of their keys, built once per keying function. */
interface Lists {
  honorific: Set<string>;
  postNominal: Set<string>;
  postNominalAfterComma: Set<string>;
  generational: Set<string>;
}

const listsCache = new WeakMap<TokenKeys, Lists>();

function lists(keys: TokenKeys): Lists {
  let out = listsCache.get(keys);
  if (out) return out;
  const keySet = (words: readonly string[]) =>
    new Set(words.flatMap((w) => [w, w.toUpperCase(), capitalised(w)].flatMap(keys)));
  out = {
    honorific: keySet(HONORIFICS),
    postNominal: keySet(POST_NOMINALS),
    postNominalAfterComma: keySet([...POST_NOMINALS, ...POST_NOMINALS_AFTER_COMMA]),
    generational: keySet(GENERATIONAL),
  };
  listsCache.set(keys, out);
  return out;
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function isIn(set: Set<string>, token: string, keys: TokenKeys): boolean {
  const bare = token.replace(/[.]/g, '');
  return bare !== '' && keysOf(bare, keys).some((key) => set.has(key));
}

// Token keys are asked for again and again (every word of every evidence string, against
// four lists): remembered per keying function, forgotten wholesale past a bound.
const keyCache = new WeakMap<TokenKeys, Map<string, string[]>>();
const KEY_CACHE_MAX = 10_000;

function keysOf(token: string, keys: TokenKeys): string[] {
  let cache = keyCache.get(keys);
  if (!cache) {
    cache = new Map();
    keyCache.set(keys, cache);
  }
  let found = cache.get(token);
  if (!found) {
    if (cache.size >= KEY_CACHE_MAX) cache.clear();
    found = keys(token);
    cache.set(token, found);
  }
  return found;
}

/**
 * The names one list member writes, as written (case kept): `Whitfield, Dana` gives
 * `Dana Whitfield`; `Dana Whitfield, PhD` gives `Dana Whitfield`; `Dana Whitfield, Lee Chan`
 * (a comma-separated list) gives both; honorifics and post-nominals are removed from each.
 * Total: a member that is only a title (`Dr.`) is kept as it is.
 */
export function namesInMember(member: string, keys: TokenKeys): string[] {
  const l = lists(keys);
  let segments = member
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // ", Jr." belongs to the name before it; ", PhD" and ", MD" to nobody.
  const generational: string[] = [];
  while (segments.length > 1 && isWordOf(l.generational, segments.at(-1) as string, keys))
    generational.unshift((segments.pop() as string).replace(/[.]/g, ''));
  // ", MD" is a degree only after a full name: "Whitfield, Ma" is Ma Whitfield.
  segments = segments.filter(
    (s, i) =>
      i === 0 ||
      !s
        .split(' ')
        .every((t) =>
          isIn(
            segments.length > 2 || (segments[0] as string).includes(' ')
              ? l.postNominalAfterComma
              : l.postNominal,
            t,
            keys,
          ),
        ),
  );
  const suffix = generational.length ? ` ${generational.join(' ')}` : '';
  const names = segments.map((s) => stripped(s, l, keys));
  if (suffix && names.length) names[names.length - 1] += suffix;
  if (isFamilyGiven(segments, l, keys)) {
    // Both readings: "Whitfield, Dana" is Dana Whitfield; "platform-team, Dana Whitfield" is
    // a team and Dana Whitfield. A lone word of the list reading names nobody in particular
    // ("Whitfield, Ma" must not be the same person as "Whitfield, Ba").
    const [family, given] = segments as [string, string];
    return [
      `${stripped(given, l, keys)} ${family}${suffix}`,
      ...names.filter((n) => n.includes(' ')),
    ];
  }
  return names.filter((n) => n !== '');
}

/** `Family, Given`: two segments, a one-word family name, one to three given names. */
function isFamilyGiven(segments: string[], l: Lists, keys: TokenKeys): boolean {
  if (segments.length !== 2) return false;
  const [family, given] = segments as [string, string];
  const givenWords = stripped(given, l, keys).split(' ');
  return !family.includes(' ') && givenWords.length >= 1 && givenWords.length <= 3;
}

function isWordOf(set: Set<string>, segment: string, keys: TokenKeys): boolean {
  return !segment.includes(' ') && isIn(set, segment, keys);
}

/** Honorifics off the front, post-nominals off the end; at least one word is left. */
function stripped(name: string, l: Lists, keys: TokenKeys): string {
  const words = name.split(' ').filter((w) => w !== '');
  while (words.length > 1 && isIn(l.honorific, words[0] as string, keys)) words.shift();
  while (words.length > 1 && isIn(l.postNominal, words.at(-1) as string, keys)) words.pop();
  // "Jr." and "Jr" are one suffix.
  const last = words.length - 1;
  if (last > 0 && isIn(l.generational, words[last] as string, keys))
    words[last] = (words[last] as string).replace(/[.]/g, '');
  return words.join(' ');
}
