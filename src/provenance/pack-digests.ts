import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CannotEvaluateError, messageOf } from '../errors.js';
import type { PackPaths } from '../pack/pack.js';
import { bundleDigest, sha256 } from './digest.js';

/** What a pack file is, for people reading a provenance record. */
export type PackFileRole = 'pack' | 'manifest' | 'wasm' | 'bundle' | 'template' | 'schema' | 'policy' | 'capabilities';

export interface PackFileDigest {
  /** Path relative to the pack root, '/'-separated. */
  path: string;
  role: PackFileRole;
  sha256: string;
}

export interface PackDigests {
  /** bundleDigest over every file: one value that changes when any pack file does. */
  digest: string;
  files: PackFileDigest[];
}

/**
 * The digest of every pack file that decides or renders a verdict, or that rebuilding
 * policy.wasm needs: pack.json, the compiled bundle (policy.wasm, manifest.json), the
 * checklist template, the evidence schemas, the Rego sources (not their tests, which
 * `opa build` ignores too) and capabilities.json. Read synchronously so that a report
 * can be built in one synchronous step; a pack is a few dozen small files.
 */
export function packDigests(paths: PackPaths): PackDigests {
  const files: PackFileDigest[] = [];
  const add = (absolute: string, role: PackFileRole): void => {
    files.push({ path: packRelative(paths, absolute), role, sha256: sha256(read(absolute)) });
  };
  if (isFile(join(paths.root, 'pack.json'))) add(join(paths.root, 'pack.json'), 'pack');
  for (const name of list(paths.bundle)) {
    const absolute = join(paths.bundle, name);
    if (!isFile(absolute)) continue;
    add(absolute, absolute === paths.manifest ? 'manifest' : name.endsWith('.wasm') ? 'wasm' : 'bundle');
  }
  add(paths.template, 'template');
  for (const name of list(paths.schemas)) if (name.endsWith('.schema.json')) add(join(paths.schemas, name), 'schema');
  for (const absolute of walk(paths.policies)) {
    if (absolute === paths.capabilities) add(absolute, 'capabilities');
    else if (absolute.endsWith('.rego') && !absolute.endsWith('_test.rego')) add(absolute, 'policy');
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { digest: bundleDigest(files), files };
}

/** A pack file's path as provenance records it: relative to the pack root, '/'-separated. */
export function packRelative(paths: PackPaths, absolute: string): string {
  return relative(paths.root, absolute).split(sep).join('/');
}

/** Names in a folder, sorted, without hidden files (atomic writes leave `.name.tmp` only on a crash). */
function list(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .sort();
  } catch (thrown) {
    throw new CannotEvaluateError(`pack folder ${dir} cannot be read: ${messageOf(thrown)}`);
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of list(dir)) {
    const absolute = join(dir, name);
    if (isDirectory(absolute)) out.push(...walk(absolute));
    else if (isFile(absolute)) out.push(absolute);
  }
  return out;
}

function read(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (thrown) {
    throw new CannotEvaluateError(`pack file ${path} cannot be read: ${messageOf(thrown)}`);
  }
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
