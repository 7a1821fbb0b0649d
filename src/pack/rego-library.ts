import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULT_PACK_ROOT, type PackPaths } from './pack.js';

/**
 * Where a pack's Rego library (package prodgate.lib: the fail-closed decision shape,
 * reasons, dates, links, text forms) comes from. A pack that carries no `policies/lib/`
 * uses prodgate's, from the install (`<install>/policies/lib`), so that packs share one
 * library instead of copying it; the pack shipped with prodgate, and an older pack that
 * still carries its own copy, use their own.
 */
export interface RegoLibrary {
  /** The library folder as OPA reads it. */
  dir: string;
  /** True when it is prodgate's shared library, not a folder of the pack. */
  shared: boolean;
}

/** Where the library sits in a pack's policies folder, as OPA sees it in every run. */
export const LIBRARY_FOLDER = 'lib';

/** The folder of prodgate's shared Rego library in the install. */
export const SHARED_LIBRARY_DIR = join(DEFAULT_PACK_ROOT, 'policies', LIBRARY_FOLDER);

/** The library a pack uses: its own policies/lib when it has one, else prodgate's shared one. */
export function regoLibraryOf(paths: PackPaths): RegoLibrary {
  const own = join(paths.policies, LIBRARY_FOLDER);
  return existsSync(own) ? { dir: own, shared: false } : { dir: SHARED_LIBRARY_DIR, shared: true };
}

/**
 * Runs `run` with a folder whose `policies/` is what OPA must read for this pack: the
 * pack's own root when the pack carries its library, else a temporary copy of the pack's
 * policies with the shared library mounted at `policies/lib`. Every OPA run (build, test,
 * check, the wasm tests) reads the pack the same way, and the file names OPA embeds in
 * policy.wasm are the same wherever prodgate and the pack are installed, so the build stays
 * reproducible. The copy is removed afterwards, whatever `run` does.
 */
export async function withRegoSources<T>(
  paths: PackPaths,
  run: (root: string) => Promise<T>,
): Promise<T> {
  const library = regoLibraryOf(paths);
  if (!library.shared) return run(paths.root);
  const work = await mkdtemp(join(tmpdir(), 'prodgate-rego-'));
  try {
    const policies = join(work, relative(paths.root, paths.policies));
    await cp(paths.policies, policies, { recursive: true, verbatimSymlinks: true });
    await cp(library.dir, join(policies, LIBRARY_FOLDER), {
      recursive: true,
      verbatimSymlinks: true,
    });
    return await run(work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
