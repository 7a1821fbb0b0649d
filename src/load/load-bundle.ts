import { escapeTerminal } from '../core/text/escape.js';
import { redactSecrets } from '../core/text/redact.js';
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import type { EvidenceFinding, EvidenceFindingCode } from '../core/finding.js';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import { DEFAULT_LIMITS, type Limits } from '../core/limits.js';
import { textSha256 } from '../core/digest.js';
import type { EvidenceFile } from './evidence-file.js';
import { checkFileName, lookAlikeGroups, showCodePoints } from './file-name.js';
import { LineIndex } from '../core/line-index.js';
import { SourceError } from './parsed-document.js';
import { knownExtensions, parserFor, type SourceParser } from './parsers.js';
import { isInside } from '../core/path-containment.js';
import { fileKindOf } from '../core/io/file-kind.js';

/** @deprecated the same as Limits; kept for callers of the first API. */
export type LoadLimits = Limits;
export const DEFAULT_LOAD_LIMITS: Readonly<Limits> = DEFAULT_LIMITS;

export interface LoadedBundle {
  files: EvidenceFile[];
  /** Findings about the folder itself (files that are not evidence, too many entries). */
  diagnostics: EvidenceFinding[];
}

/**
 * Reads every `.json`, `.yaml` and `.yml` file of an evidence folder (not recursive),
 * in name order. A file that cannot be read or parsed is kept, with its diagnostics,
 * so the gates that need it become `error` rather than silently passing. Every read
 * is bounded (see Limits): a hostile bundle costs at most maxBundleBytes of reading.
 */
export async function loadBundle(
  dir: string,
  limits: Limits = DEFAULT_LIMITS,
): Promise<LoadedBundle> {
  let entries: Buffer[];
  let realDir: string;
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    // As bytes: a name that is not UTF-8 would otherwise come back with U+FFFD in it,
    // naming no file, and be reported as missing rather than as badly named.
    entries = readdirSync(dir, { encoding: 'buffer' }).filter((name) => name[0] !== 0x2e /* '.' */);
    realDir = realpathSync.native(dir);
  } catch (thrown) {
    // A path given on the command line reaches Node decoded as UTF-8, each undecodable
    // byte as U+FFFD: such a folder is never found, so say why rather than "ENOENT".
    if (dir.includes('\ufffd')) {
      throw new CannotEvaluateError(
        `evidence folder ${escapeTerminal(dir)} cannot be read: its name is not valid UTF-8 (each \ufffd stands for a byte that is not; Latin-1 or another legacy encoding, as unzipped from a Windows archive?); rename it in UTF-8`,
      );
    }
    throw new CannotEvaluateError(
      `evidence folder ${escapeTerminal(dir)} cannot be read: ${escapeTerminal(messageOf(thrown))}`,
    );
  }
  const diagnostics: EvidenceFinding[] = [];
  if (entries.length > limits.maxFiles) {
    // Refuse the whole folder rather than pick which files count: any choice could
    // drop the one file that makes a gate fail.
    diagnostics.push(
      finding(
        'error',
        'limit-exceeded',
        '',
        `the evidence folder holds ${entries.length} entries, over the ${limits.maxFiles}-entry limit (max-files); no file was read`,
      ),
    );
    return { files: [], diagnostics };
  }
  const names: string[] = [];
  for (const entry of entries) {
    const checked = checkFileName(entry);
    if (checked.ok) names.push(checked.name);
    else diagnostics.push(finding('error', 'invalid-file-name', checked.shown, checked.problem));
  }
  for (const group of lookAlikeGroups(names)) {
    const shownNames = group.map((name) => showCodePoints(redactSecrets(name)));
    for (const [i, name] of group.entries()) {
      names.splice(names.indexOf(name), 1);
      const others = shownNames.filter((_, j) => j !== i).join(', ');
      diagnostics.push(
        finding(
          'error',
          'invalid-file-name',
          shownNames[i] as string,
          `the file name is the same as ${others} once Unicode-normalised (NFC/NFKC): a reader cannot tell them apart; rename one; neither is read`,
        ),
      );
    }
  }
  names.sort();
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const budget = { left: limits.maxBundleBytes };
  const files: EvidenceFile[] = [];
  const shown = new Set<string>();
  for (const name of names) {
    // A credential-shaped name is recorded, digested and shown redacted, the same in
    // every output (the report, its provenance, the digests sign-offs approve), so an
    // untouched report verifies and the name is never echoed in clear.
    const path = redactSecrets(name);
    const parser = parserFor(name);
    if (!parser) {
      diagnostics.push(
        finding(
          'warning',
          'ignored-file',
          path,
          `not evidence (only ${knownExtensions()} files are read); ignored`,
        ),
      );
      continue;
    }
    if (shown.has(path)) {
      diagnostics.push(
        finding(
          'error',
          'unsafe-path',
          path,
          'another file name redacts to this one (both hold a credential); not read',
        ),
      );
      continue;
    }
    shown.add(path);
    files.push(loadFile(realDir, join(dir, name), path, parser, limits, budget));
  }
  return { files, diagnostics };
}

function loadFile(
  realDir: string,
  fullPath: string,
  path: string,
  parser: SourceParser,
  limits: Limits,
  budget: { left: number },
): EvidenceFile {
  const { format } = parser;
  const file: EvidenceFile = { path, format, sha256: '', positions: new Map(), diagnostics: [] };
  const fail = (code: EvidenceFindingCode, message: string): EvidenceFile => {
    file.diagnostics.push(finding('error', code, path, message));
    return file;
  };
  let real: string;
  try {
    real = realpathSync.native(fullPath);
  } catch (thrown) {
    return fail('unreadable', `cannot read: ${describeFsError(thrown)}`);
  }
  if (!isInside(realDir, real))
    return fail(
      'unsafe-path',
      'is a symbolic link that leads outside the evidence folder; not read',
    );

  let bytes: Buffer;
  let handle: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the path was
    // resolved above, so a link swapped in since is refused rather than followed.
    // Synchronous: a file is a few small system calls, and a round trip through the
    // thread pool per call cost more than the reads (the bundle's bytes are bounded).
    handle = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const info = fstatSync(handle);
    if (!info.isFile())
      return fail('unreadable', `cannot read: ${fileKindOf(info)}, not a regular file`);
    if (info.size > limits.maxFileBytes) {
      return fail(
        'limit-exceeded',
        `file is ${info.size} bytes, over the ${limits.maxFileBytes}-byte file size limit (max-file-size); not read`,
      );
    }
    if (info.size > budget.left) {
      return fail(
        'limit-exceeded',
        `reading this ${info.size}-byte file would take the bundle over the ${limits.maxBundleBytes}-byte bundle size limit (max-bundle-size); not read`,
      );
    }
    bytes = readBounded(handle, Math.min(limits.maxFileBytes, budget.left));
    budget.left -= bytes.length;
  } catch (thrown) {
    if (thrown instanceof GrewError)
      return fail(
        'limit-exceeded',
        `file grew past the ${thrown.limit}-byte limit while it was read; not read`,
      );
    return fail('unreadable', `cannot read: ${describeFsError(thrown)}`);
  } finally {
    if (handle !== undefined) closeSync(handle);
  }
  file.sha256 = textSha256(bytes);

  let text: string;
  try {
    // A leading UTF-8 byte order mark is dropped (RFC 8259 and YAML 1.2 allow it).
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('parse-error', 'the file is not valid UTF-8');
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    file.diagnostics.push({
      ...finding(
        'error',
        'parse-error',
        path,
        'the file contains a NUL byte; evidence must be text',
      ),
      ...new LineIndex(text).at(nul),
    });
    return file;
  }
  try {
    const parsed = parser.parse(text, limits);
    file.positions = parsed.positions;
    if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      return fail(
        'not-an-object',
        `the document ${describeRoot(parsed.value, text)}; it must be an object with kind and schemaVersion`,
      );
    }
    file.data = parsed.value;
    const { kind, schemaVersion } = parsed.value as { kind?: unknown; schemaVersion?: unknown };
    if (typeof kind === 'string') file.kind = kind;
    file.schemaVersion = schemaVersion;
  } catch (thrown) {
    if (!(thrown instanceof SourceError)) throw thrown;
    // The document could not be built, so its only place is where parsing stopped:
    // reasons about "the whole file" then point there.
    file.positions = new Map([[thrown.pointer, thrown.position]]);
    if (thrown.pointer !== '') file.positions.set('', thrown.position);
    file.diagnostics.push({
      severity: 'error',
      code: thrown.code,
      file: path,
      line: thrown.position.line,
      column: thrown.position.column,
      pointer: thrown.pointer,
      message: thrown.message,
    });
  }
  return file;
}

class GrewError extends Error {
  constructor(readonly limit: number) {
    super('file grew while read');
  }
}

/** Reads at most `limit` bytes; a file that turns out longer (it grew) is refused. */
function readBounded(handle: number, limit: number): Buffer {
  // Scratch space: only the bytes read are copied out, so it need not be zeroed first.
  const buffer = Buffer.allocUnsafe(Math.min(limit + 1, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const bytesRead = readSync(handle, buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > limit) throw new GrewError(limit);
    chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
  }
  return Buffer.concat(chunks, total);
}

/** File system errors without the absolute paths and syscall names Node puts in them. */
function describeFsError(thrown: unknown): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  const known: Record<string, string> = {
    ENOENT: 'it does not exist (a broken symbolic link?)',
    ELOOP: 'it is a loop of symbolic links',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'a directory, not a regular file',
    ENAMETOOLONG: 'its name is too long',
  };
  return (typeof code === 'string' && known[code]) || messageOf(thrown);
}

function describeRoot(value: unknown, text: string): string {
  if (value === undefined || (value === null && isBlank(text)))
    return 'is empty (nothing but whitespace or comments)';
  if (Array.isArray(value)) return 'is a list';
  return `is ${value === null ? 'null' : `a ${typeof value}`}`;
}

/** True when a YAML text holds nothing but blank lines, comments and document markers. */
function isBlank(text: string): boolean {
  return text.split(/\r\n|\r|\n/).every((line) => {
    const trimmed = line.trim();
    return trimmed === '' || trimmed.startsWith('#') || trimmed === '---' || trimmed === '...';
  });
}

function finding(
  severity: EvidenceFinding['severity'],
  code: EvidenceFindingCode,
  file: string,
  message: string,
): EvidenceFinding {
  return { severity, code, file, line: 1, column: 1, pointer: '', message };
}
