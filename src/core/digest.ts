import { createHash } from 'node:crypto';

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The digest of an evidence file: sha256 of its bytes with every CRLF pair read as LF.
 * Evidence is text, and a checkout on Windows (Git's core.autocrlf=true, the default of
 * Git for Windows and of Windows CI runners) or an editor there writes the same text with
 * CRLF line ends; YAML 1.2 (§5.4) and JSON read both identically, so the digest (and with
 * it every sign-off and verify) must not tell them apart. Nothing else is normalised: a
 * lone CR, trailing spaces or a byte order mark still change the digest. For a file with
 * LF line ends this is exactly `sha256sum`. See docs/audit.md.
 */
export function textSha256(bytes: Buffer): string {
  if (!bytes.includes(0x0d)) return sha256(bytes);
  const hash = createHash('sha256');
  let start = 0;
  for (let cr = bytes.indexOf(0x0d); cr !== -1; cr = bytes.indexOf(0x0d, cr + 1)) {
    if (bytes[cr + 1] !== 0x0a) continue;
    hash.update(bytes.subarray(start, cr));
    start = cr + 1; // keep the LF, drop the CR
  }
  hash.update(bytes.subarray(start));
  return hash.digest('hex');
}

/**
 * One digest over a bundle's files: sha256 of the sorted `sha256  path` lines
 * (the sha256sum format), so it changes when any file's content or name does. A file
 * read with git at the released revision adds its blob id: `sha256  path  git-blob ID`.
 */
export function bundleDigest(files: { path: string; sha256: string; gitBlob?: string }[]): string {
  const lines = files
    .map((f) => `${f.sha256}  ${f.path}${f.gitBlob ? `  git-blob ${f.gitBlob}` : ''}\n`)
    .sort()
    .join('');
  return sha256(lines);
}

/**
 * The bundle digest over every file except one kind's file: what a sign-off approves.
 * A sign-off cannot include the digest of the file it is written in, so it records the
 * digest of everything else; any later change to any other evidence file (content,
 * name, a file added or removed) changes this digest and so breaks the sign-off.
 * When no file holds the kind, nothing is left out.
 */
export function bundleDigestWithout(
  files: { path: string; sha256: string; gitBlob?: string }[],
  excludedPath: string | undefined,
): string {
  return bundleDigest(
    excludedPath === undefined ? files : files.filter((f) => f.path !== excludedPath),
  );
}

/**
 * The digests the policy input carries (`input.digests`, `input.bundle_digest_without`),
 * for every kind the input has evidence for: the sha256 of the kind's file, and the
 * bundle digest over every other file. `kinds` is the input's `evidence` map (kind ->
 * the file it came from), so the two always agree on which file is which kind's.
 */
export interface EvidenceDigestInput {
  /** kind -> sha256 of the file holding that kind ('' when the file was unreadable). */
  digests: Record<string, string>;
  /** kind -> bundle digest over every evidence file except that kind's file. */
  bundle_digest_without: Record<string, string>;
}

export function evidenceDigestInput(
  files: { path: string; sha256: string; gitBlob?: string }[],
  kinds: Record<string, { file: string }>,
): EvidenceDigestInput {
  const byPath = new Map(files.map((f) => [f.path, f.sha256]));
  const digests: Record<string, string> = {};
  const without: Record<string, string> = {};
  for (const kind of Object.keys(kinds).sort()) {
    const path = kinds[kind]?.file;
    digests[kind] = (path !== undefined ? byPath.get(path) : undefined) ?? '';
    without[kind] = bundleDigestWithout(files, path);
  }
  return { digests, bundle_digest_without: without };
}
