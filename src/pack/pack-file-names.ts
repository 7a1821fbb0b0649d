import { lstatSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CannotEvaluateError } from '../core/errors.js';
import { checkFileName, lookAlikeGroups, showCodePoints } from '../load/file-name.js';
import { escapeTerminal } from '../core/text/escape.js';

/** The pack folders read (a PackPaths from pack.ts, which imports this module). */
interface PackFolders {
  root: string;
  policies: string;
  bundle: string;
}

/**
 * Checks the name of every entry of the pack folders that build, test, lint and
 * evaluate read (pack.json's folder is the root; policies/, schemas/, templates/ and
 * bundle/, recursively) with the rules for evidence file names (src/load/file-name.ts):
 * UTF-8, no control or invisible character, no backslash, no two names of one folder
 * equal once NFKC-normalised. A pack file's name reaches provenance (`pack.files`, one
 * `<sha256>  <name>` line per file in the pack digest), OPA's source locations in
 * policy.wasm, `opa fmt --list` output read line by line, and every message that names
 * it: `policies/web/ev\nil.rego` would make each of those ambiguous.
 *
 * checkPackFileNames throws CannotEvaluateError on the first bad name found (folders in a fixed order,
 * names sorted by bytes), with the name escaped on one line. Entries are not followed
 * through symbolic links (the pack readers refuse links themselves). Synchronous: a
 * pack is a few dozen files.
 */
export function checkPackFileNames(paths: PackFolders): void {
  const problem = packFileNameProblem(paths);
  if (problem) throw new CannotEvaluateError(problem);
}

/** The first pack file name that checkPackFileNames refuses, as one escaped line, or undefined. */
export function packFileNameProblem(paths: PackFolders): string | undefined {
  const folders = [
    paths.policies,
    join(paths.root, 'schemas'),
    join(paths.root, 'templates'),
    paths.bundle,
  ];
  for (const folder of folders) {
    const problem = folderProblem(paths.root, folder);
    if (problem) return problem;
  }
  return undefined;
}

function folderProblem(root: string, dir: string): string | undefined {
  let raw: Buffer[];
  try {
    raw = readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare);
  } catch {
    return undefined; // an absent or unreadable folder is the readers' to report
  }
  const names: string[] = [];
  const where = packRelative(root, dir);
  for (const entry of raw) {
    const check = checkFileName(entry);
    if (!check.ok)
      return `pack file ${escapeTerminal(where ? `${where}/` : '')}${check.shown}: ${check.problem}`;
    names.push(check.name);
  }
  const group = lookAlikeGroups(names)[0];
  if (group)
    return `pack files ${group.map((n) => escapeTerminal(`${where}/`) + showCodePoints(n)).join(' and ')} have names a reader cannot tell apart (equal once Unicode-normalised, NFKC); rename all but one; not read`;
  for (const name of names) {
    const absolute = join(dir, name);
    if (!lstatSync(absolute, { throwIfNoEntry: false })?.isDirectory()) continue;
    const problem = folderProblem(root, absolute);
    if (problem) return problem;
  }
  return undefined;
}

function packRelative(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}
