import { readKey } from '../core/text/normalise.js';

/** A run of what is not a letter, a mark or a digit: spaces, hyphens, slashes, other punctuation. */
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/u;
// The ASCII look-alikes left after the case-aware reading (readKey): 0 and 1 in a word of
// digits, and m for rn, which in a small font read the same whatever the case.
const ASCII_LOOK_ALIKE = /[01m]/g;
const ASCII_PROTOTYPE: Record<string, string> = { '0': 'o', '1': 'l', m: 'rn' };

/**
 * The wording of a name, for telling whether two names of a thing (a feature, a non-goal)
 * are the same to a reader: the text as a reader reads it BEFORE its case is folded
 * (readKey: each letter as its confusable skeleton, UTS #39, so Cyrillic capital Н is H;
 * combining marks dropped, so `edi̇tor` is editor; in a word in capitals l, 1 and | read as I,
 * in a word in lower case a capital I inside it, 1 and | read as l), cut into words at every
 * space or punctuation mark, each word with m read as rn and stemmed (wordingStem), the
 * words joined with nothing between them. So `Calendar-sync`, `calendar sync`,
 * `CalendarSync` and `Саlendar sync` (Cyrillic а) are one wording, and so are `web hooks`,
 * `Webhooks`, `webhook's` and `webhook`, `WEBНOOKS`, `Outlook/lMAP` and `Outlook/IMAP`.
 * Pure and total; empty for text with no letter or digit.
 *
 * Policies get it as input.normalised[s].wording. For a policy's own ASCII constants,
 * which are not in the input, lib.wording (policies/lib/lib.rego) computes the same key
 * in Rego: the same word split, the same case-aware reading of ASCII look-alikes, m -> rn,
 * and the same stemmer; a test checks that both agree.
 */
export function wordingKey(text: string): string {
  return wordingWords(text).join('');
}

/** The words of wordingKey, in order, before they are joined. */
export function wordingWords(text: string): string[] {
  return readKey(text)
    .split(NOT_WORD)
    .map((word) => wordingStem(word.replace(ASCII_LOOK_ALIKE, (c) => ASCII_PROTOTYPE[c] ?? c)))
    .filter((word) => word !== '' && word !== 's');
}

/**
 * A small stemmer for simple English inflections, the same in lib.rego: `-ing` and `-ed`
 * dropped when four letters are left (`syncing`, `synced` -> sync; `string`, `seed` kept),
 * then a plural -s dropped from a word longer than three letters not ending in ss. A lone
 * `s` (from `webhook's`) is dropped by the caller.
 */
export function wordingStem(word: string): string {
  const letters = [...word];
  let stem = word;
  if (letters.length >= 7 && word.endsWith('ing')) stem = letters.slice(0, -3).join('');
  else if (letters.length >= 6 && word.endsWith('ed')) stem = letters.slice(0, -2).join('');
  return singular(stem);
}

/** A word without a plural -s: longer than three letters, ending in s but not ss. */
function singular(word: string): string {
  const letters = [...word];
  return letters.length > 3 && word.endsWith('s') && !word.endsWith('ss')
    ? letters.slice(0, -1).join('')
    : word;
}
