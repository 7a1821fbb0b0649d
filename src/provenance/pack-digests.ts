import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import type { PackPaths } from '../pack/pack.js';
import { LIBRARY_FOLDER, regoLibraryOf } from '../pack/rego-library.js';
import { bundleDigest, sha256 } from '../core/digest.js';

/** What a pack file is, for people reading a provenance record. */
export type PackFileRole =
  | 'pack'
  | 'manifest'
  | 'wasm'
  | 'bundle'
  | 'template'
  | 'schema'
  | 'policy'
  | 'data'
  | 'capabilities';

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
 * policy.wasm or `verify --engine opa` reads. The set is what each reader reads, not
 * what looks tidy (hidden files included, since the readers take them):
 * - pack.json; the bundle (policy.wasm, manifest.json and its other files); the template;
 * - every `*.schema.json` in schemas/evidence, as the schema loader lists them;
 * - under policies/, every file the OPA loader reads for `opa build` and `opa eval`
 *   (`.rego`, `.yaml`, `.yml`, in hidden folders too; not `*_test.rego` nor `*.json`,
 *   which both leave out) and capabilities.json;
 * - for a pack without its own policies/lib, the same files of prodgate's shared
 *   library, listed as policies/lib/..., where OPA reads them.
 * Anything there that is not a regular file or folder (a symbolic link, a FIFO) is
 * refused (CannotEvaluateError): OPA and the schema loader would follow a link to
 * bytes outside the pack. Read synchronously so that a report can be built in one
 * synchronous step; a pack is a few dozen small files.
 */
export function packDigests(paths: PackPaths): PackDigests {
  const files: PackFileDigest[] = [];
  const add = (absolute: string, role: PackFileRole): void => {
    files.push({ path: packRelative(paths, absolute), role, sha256: sha256(read(absolute)) });
  };
  if (isFile(join(paths.root, 'pack.json'))) add(join(paths.root, 'pack.json'), 'pack');
  for (const name of list(paths.bundle).filter((n) => !n.startsWith('.'))) {
    const absolute = join(paths.bundle, name);
    if (!isFile(absolute)) continue;
    add(
      absolute,
      absolute === paths.manifest ? 'manifest' : name.endsWith('.wasm') ? 'wasm' : 'bundle',
    );
  }
  add(paths.template, 'template');
  for (const name of list(paths.schemas))
    if (isSchemaFileName(name) && isFile(join(paths.schemas, name)))
      add(join(paths.schemas, name), 'schema');
  for (const absolute of walk(paths.policies)) {
    const role = absolute === paths.capabilities ? 'capabilities' : opaReads(basename(absolute));
    if (role) add(absolute, role);
  }
  // prodgate's shared Rego library, for a pack that carries none: OPA reads it at
  // policies/lib (src/pack/rego-library.ts), and it is listed there, with its digest.
  const library = regoLibraryOf(paths);
  if (library.shared) {
    for (const absolute of walk(library.dir)) {
      const role = opaReads(basename(absolute));
      if (!role) continue;
      const inLibrary = relative(library.dir, absolute).split(sep).join('/');
      files.push({
        path: `${packRelative(paths, paths.policies)}/${LIBRARY_FOLDER}/${inLibrary}`,
        role,
        sha256: sha256(read(absolute)),
      });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { digest: bundleDigest(files), files };
}

/** The file names the evidence schema loader reads: `*.schema.json`, hidden ones too. */
export function isSchemaFileName(name: string): boolean {
  return name.endsWith('.schema.json');
}

/**
 * Whether the OPA loader reads a file under policies/ when prodgate runs `opa build` or
 * `opa eval` (both with `--ignore *_test.rego --ignore *.json`), and as what. OPA
 * takes `.rego` as policy and `.yaml`/`.yml` as data, by case-sensitive extension.
 */
function opaReads(name: string): PackFileRole | undefined {
  if (name.endsWith('_test.rego') || name.endsWith('.json')) return undefined;
  if (name.endsWith('.rego')) return 'policy';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'data';
  return undefined;
}

/** A pack file's path as provenance records it: relative to the pack root, '/'-separated. */
export function packRelative(paths: PackPaths, absolute: string): string {
  return relative(paths.root, absolute).split(sep).join('/');
}

/**
 * Names in a pack folder, sorted, hidden ones included; an entry that is neither a
 * regular file nor a folder is refused.
 */
function list(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (thrown) {
    throw new CannotEvaluateError(`pack folder ${dir} cannot be read: ${messageOf(thrown)}`);
  }
  for (const name of names) {
    const info = lstatSync(join(dir, name), { throwIfNoEntry: false });
    if (info && !info.isFile() && !info.isDirectory()) {
      throw new CannotEvaluateError(
        `pack entry ${join(dir, name)} is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; refused: a pack holds regular files only, so that what is read is what is digested`,
      );
    }
  }
  return names;
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
  return lstatSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
