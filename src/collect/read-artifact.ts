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
    throw Object.assign(new ArtifactError('parse-error', `artifact ${path} is not valid UTF-8`), {
      sha256: digest,
    });
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
