import { createHash } from 'node:crypto';

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * One digest over a bundle's files: sha256 of the sorted `sha256  path` lines
 * (the sha256sum format), so it changes when any file's content or name does.
 */
export function bundleDigest(files: { path: string; sha256: string }[]): string {
  const lines = files
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .sort()
    .join('');
  return sha256(lines);
}
