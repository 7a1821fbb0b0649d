/**
 * The checks on an evidence file's name, all in one place. A name is a byte string
 * on POSIX systems; prodgate shows it in diagnostics, the checklist and reports, and
 * lists it with its digest (one `<sha256>  <name>` line per file). So a name must be
 * UTF-8 (a Latin-1 name unzipped from a Windows archive would otherwise be read as
 * U+FFFD and then not found), and must hold no control characters (a newline makes
 * the digest list ambiguous), no invisible characters that change how it reads
 * (bidirectional controls, line and paragraph separators) and no backslash (a path
 * separator on Windows, escaped by sha256sum).
 */

/**
 * C0 and C1 controls and DEL, the line and paragraph separators, the invisible format
 * characters (bidirectional controls, zero-width spaces and joiners, the byte order
 * mark, the soft hyphen): `ops\u200b.yaml` would read as `ops.yaml`. Also every
 * Default_Ignorable_Code_Point (Unicode's own list of what renders as nothing: the
 * combining grapheme joiner U+034F, variation selectors such as U+FE0F, the Hangul
 * fillers U+115F, U+1160, U+3164, U+FFA0), every space but U+0020 (U+00A0, U+3000 and
 * the other Zs spaces read as a plain space) and the braille blank U+2800, which is
 * drawn empty. The data is the JavaScript engine's Unicode tables, as in src/core/text/.
 */
const CONTROL = /(?! )[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\p{Default_Ignorable_Code_Point}\u2800]/u;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type FileNameCheck =
  | { ok: true; name: string }
  | { ok: false; shown: string; problem: string };

/**
 * Checks one directory entry's name, as readdir returned it (bytes). When it is
 * acceptable, returns it as a string; otherwise a printable, unambiguous form of it
 * (undecodable bytes as `\xNN`, controls as `\n` or `\u202e`) and what is wrong.
 */
export function checkFileName(raw: Buffer): FileNameCheck {
  let name: string;
  try {
    name = STRICT_UTF8.decode(raw);
  } catch {
    const shown = showName(raw);
    const at = firstInvalidByte(raw);
    return {
      ok: false,
      shown,
      problem: `the file name is not valid UTF-8 (byte 0x${(raw[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')} at byte ${at + 1}; Latin-1 or another legacy encoding, as unzipped from a Windows archive?); rename it in UTF-8; not read`,
    };
  }
  if (name.includes('\\')) {
    return {
      ok: false,
      shown: showName(raw),
      problem:
        'the file name holds a backslash, a path separator on Windows (the file cannot be checked out there) that sha256sum escapes in its digest lists; rename it; not read',
    };
  }
  const m = CONTROL.exec(name);
  if (m) {
    const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return {
      ok: false,
      shown: showName(raw),
      problem: `the file name holds a control or invisible character (U+${code} at character ${m.index + 1}), which would make file lists and digests ambiguous; rename it; not read`,
    };
  }
  return { ok: true, name };
}

/** The name with each undecodable byte as `\xNN` and each control or invisible character escaped. */
export function showName(raw: Buffer): string {
  let out = '';
  for (let i = 0; i < raw.length; ) {
    const length = validSequenceAt(raw, i);
    if (length === 0) {
      out += `\\x${(raw[i] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
      continue;
    }
    const char = STRICT_UTF8.decode(raw.subarray(i, i + length));
    out += CONTROL.test(char)
      ? (NAMED[char] ?? `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`)
      : char;
    i += length;
  }
  return out;
}

/** The length of the well-formed UTF-8 sequence starting at `i`, or 0 when there is none. */
function validSequenceAt(raw: Buffer, i: number): number {
  for (let length = 1; length <= 4 && i + length <= raw.length; length++) {
    try {
      const char = STRICT_UTF8.decode(raw.subarray(i, i + length));
      if ([...char].length === 1) return length;
    } catch {
      // not yet a whole sequence, or never one
    }
  }
  return 0;
}

function firstInvalidByte(raw: Buffer): number {
  for (let i = 0; i < raw.length; ) {
    const length = validSequenceAt(raw, i);
    if (length === 0) return i;
    i += length;
  }
  return 0;
}

/**
 * Names of one folder that a reader cannot tell apart: equal once normalised to NFKC
 * (which also equates every NFC/NFD spelling, `é` as one character or as `e` and a
 * combining accent, and compatibility forms such as `ﬁ` and `fi`). Returns each
 * group of two or more names, in input order; a name not in a group is unique.
 */
export function lookAlikeGroups(names: readonly string[]): string[][] {
  const byForm = new Map<string, string[]>();
  for (const name of names) {
    const form = name.normalize('NFKC');
    byForm.set(form, [...(byForm.get(form) ?? []), name]);
  }
  return [...byForm.values()].filter((group) => group.length > 1);
}

/** A name with every character outside printable ASCII as `\u{…}`, so look-alikes differ on screen. */
export function showCodePoints(name: string): string {
  return [...name]
    .map((c) =>
      /^[\x20-\x7e]$/.test(c) ? c : `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`,
    )
    .join('');
}
