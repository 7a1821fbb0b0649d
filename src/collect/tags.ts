/**
 * Tags written in test names: `[org-iso:embeddings]` (a bracketed `namespace:value`;
 * a colon is required, so that parametrised names such as pytest's `test_x[param1]`
 * are not tags). Tools rewrite spaces in names (gotestsum: `_`), never brackets.
 */
const TAG = /\[([^[\]\s:]{1,100}:[^[\]\s]{1,200})\]/g;

export function tagsIn(text: string | undefined, into: Set<string>): void {
  if (!text || text.indexOf('[') < 0) return;
  for (const m of text.matchAll(TAG)) into.add(m[1] as string);
}

/** A `tag`/`tags` property value: tags separated by commas or white space, with or without brackets. */
export function tagsOfProperty(value: string, into: Set<string>): void {
  for (const part of value.split(/[\s,]+/)) {
    const bare = part.replace(/^\[|\]$/g, '');
    if (bare) into.add(bare);
  }
}

export const TAG_PROPERTIES: ReadonlySet<string> = new Set(['tag', 'tags']);
