/**
 * JSON pointers (RFC 6901): the one way prodgate names a place inside a document, in
 * diagnostics, reasons, reports and templates. Bottom layer: imports no stage.
 */

/** Escapes one reference token: `~` as `~0`, `/` as `~1`. */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The pointer to member `key` of the value at `parent`. */
export function joinPointer(parent: string, key: string | number): string {
  return `${parent}/${pointerToken(key)}`;
}

/** The unescaped reference tokens of a pointer; `''` (the whole document) has none. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}
