import { normalise } from '../core/text/normalise.js';

/** A run of what is not a letter, a mark or a digit: spaces, hyphens, slashes, other punctuation. */
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/u;
const NOT_WORD_ALL = /[^\p{L}\p{M}\p{N}]+/gu;

/**
 * The wording of a name, for telling whether two names of a thing (a feature, a non-goal)
 * are the same to a reader: the text as a reader sees it (normalise), cut into words at
 * every space or punctuation mark, each word as its confusable skeleton (UTS #39, so a
 * Cyrillic look-alike letter reads as the Latin one) with a plural -s dropped, the words
 * joined with nothing between them. So `Calendar-sync`, `calendar sync`, `CalendarSync`
 * and `Саlendar sync` (Cyrillic а) are one wording, and so are `web hooks`, `Webhooks`
 * and `webhook`. Pure and total; empty for text with no letter or digit.
 *
 * Policies get it as input.normalised[s].wording. For a policy's own ASCII constants,
 * which are not in the input, lib.wording (policies/lib/lib.rego) computes the same key
 * in Rego: lowercase, the same word split, the ASCII confusables (0 -> o, 1 -> l,
 * m -> rn) and the same plural rule; a test checks that both agree.
 */
export function wordingKey(text: string): string {
  return normalise(text)
    .split(NOT_WORD)
    .filter((word) => word !== '')
    .map((word) => singular(normalise(word, 'person').replace(NOT_WORD_ALL, '')))
    .join('');
}

/** A word without a plural -s: longer than three letters, ending in s but not ss. */
function singular(word: string): string {
  const letters = [...word];
  return letters.length > 3 && word.endsWith('s') && !word.endsWith('ss')
    ? letters.slice(0, -1).join('')
    : word;
}
