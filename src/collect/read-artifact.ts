import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { sha256, textSha256 } from '../core/digest.js';
import { ArtifactError } from './artifact-error.js';
import type { ArtifactLimits } from './limits.js';

/** The bytes of one artifact as read: its text and digest. */
export interface ArtifactBytes {
  /** sha256 of the text with every CRLF pair read as LF (textSha256). */
  sha256: string;
  size: number;
  text: string;
}

/**
 * Reads one artifact file, bounded by maxArtifactBytes, as UTF-8 text. With `root`,
 * `path` is relative to it and must stay inside it (no `..`, no absolute path, no
 * symbolic link out): an evidence bundle names its artifacts, it does not reach for
 * files elsewhere. Archives are not opened: a zip or gzip file is refused.
 * Throws ArtifactError: `unreadable` / `unsafe-path` (cannot be read) or
 * `limit-exceeded` / `parse-error` (read, but not an artifact prodgate takes).
 */
export async function readArtifactFile(
  path: string,
  limits: ArtifactLimits,
  root?: string,
): Promise<ArtifactBytes> {
  let target = path;
  if (root !== undefined) {
    if (isAbsolute(path) || path.split(/[\\/]/).includes('..') || path.includes('\\')) {
      throw new ArtifactError(
        'unsafe-path',
        `artifact path ${JSON.stringify(path)} must be relative to the evidence folder, with '/' and without '..'`,
      );
    }
    target = join(root, path);
  }
  let real: string;
  try {
    real = await realpath(target);
    if (root !== undefined && !inside(await realpath(root), real))
      throw new ArtifactError(
        'unsafe-path',
        `artifact ${path} is a symbolic link that leads outside the evidence folder; not read`,
      );
  } catch (thrown) {
    if (thrown instanceof ArtifactError) throw thrown;
    throw new ArtifactError('unreadable', `cannot read artifact ${path}: ${fsReason(thrown)}`);
  }
  let handle: FileHandle | undefined;
  let bytes: Buffer;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const info = await handle.stat();
    if (!info.isFile())
      throw new ArtifactError('unreadable', `cannot read artifact ${path}: not a regular file`);
    if (info.size > limits.maxArtifactBytes) {
      throw new ArtifactError(
        'limit-exceeded',
        `artifact ${path} is ${info.size} bytes, over the ${limits.maxArtifactBytes}-byte limit (max-artifact-size); not read`,
      );
    }
    bytes = await readBounded(handle, limits.maxArtifactBytes, path);
  } catch (thrown) {
    if (thrown instanceof ArtifactError) throw thrown;
    throw new ArtifactError('unreadable', `cannot read artifact ${path}: ${fsReason(thrown)}`);
  } finally {
    await handle?.close();
  }
  return decodeArtifact(bytes, path);
}

/**
 * The text of an artifact's bytes, with their digest (text: CRLF read as LF; an archive:
 * byte for byte). Archives are not opened and the text must be UTF-8. Throws
 * ArtifactError `parse-error` (carrying the sha256).
 */
export function decodeArtifact(bytes: Buffer, path: string): ArtifactBytes {
  // A text artifact is digested as evidence is, CRLF read as LF (textSha256, docs/audit.md):
  // XML (1.0 §2.11) and JSON read both line ends alike, and a Windows checkout
  // (core.autocrlf=true) of the same report must not change its digest, the sign-offs
  // bound to it or verify. An archive is refused, and digested byte for byte.
  const archive = isArchive(bytes);
  const digest = archive ? sha256(bytes) : textSha256(bytes);
  if (archive)
    throw Object.assign(
      new ArtifactError(
        'parse-error',
        `artifact ${path} is an archive (zip/gzip); archives are not opened: name the report inside it`,
      ),
      { sha256: digest },
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = Math.max(0, invalidUtf8Offset(bytes));
    const surrogate = bytes[offset] === 0xed && (bytes[offset + 1] ?? 0) >= 0xa0;
    throw Object.assign(
      new ArtifactError(
        'parse-error',
        `artifact ${path} is not valid UTF-8 at byte ${offset}${surrogate ? ' (a lone UTF-16 surrogate written as UTF-8 bytes: not Unicode text)' : ''}`,
        positionAt(bytes, offset),
      ),
      { sha256: digest },
    );
  }
  return { sha256: digest, size: bytes.length, text };
}

async function readBounded(handle: FileHandle, limit: number, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  // Scratch space: only the bytes read are copied out, so it need not be zeroed first
  // (zeroing a MiB per artifact was measured as a tenth of an in-process evaluation).
  const buffer = Buffer.allocUnsafe(Math.min(limit + 1, 1024 * 1024));
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > limit)
      throw new ArtifactError(
        'limit-exceeded',
        `artifact ${path} grew past the ${limit}-byte limit while it was read; not read`,
      );
    chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
  }
  return Buffer.concat(chunks, total);
}

/**
 * The offset of the first byte that does not start a well-formed UTF-8 sequence
 * (Unicode 15, table 3-7: no overlong forms, no surrogates U+D800..DFFF, nothing past
 * U+10FFFF), or -1 when every byte does.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1] as number;
    const [low, high] =
      lead === 0xe0
        ? [0xa0, 0xbf]
        : lead === 0xed
          ? [0x80, 0x9f]
          : lead === 0xf0
            ? [0x90, 0xbf]
            : lead === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k] as number;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** Line and column (in characters, both from 1) of a byte offset in well-formed text before it. */
function positionAt(bytes: Buffer, offset: number): { line: number; column: number } {
  const lines = bytes
    .subarray(0, offset)
    .toString('utf8')
    .split(/\r\n|\r|\n/);
  return { line: lines.length, column: [...(lines.at(-1) ?? '')].length + 1 };
}

function isArchive(bytes: Buffer): boolean {
  return (
    (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) ||
    (bytes[0] === 0x1f && bytes[1] === 0x8b)
  );
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function fsReason(thrown: unknown): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  const known: Record<string, string> = {
    ENOENT: 'it does not exist',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'a directory, not a file',
    ELOOP: 'a loop of symbolic links',
  };
  return (
    (typeof code === 'string' && known[code]) ||
    (thrown instanceof Error ? thrown.message : String(thrown))
  );
}
