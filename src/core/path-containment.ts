import { isAbsolute, relative, sep } from 'node:path';

/**
 * Whether `target` lies strictly inside `root` (both absolute, already resolved; a
 * symbolic link is the caller's to resolve first). `root` itself is not inside it, nor is
 * anything reached through `..`, nor a path on another drive.
 */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
