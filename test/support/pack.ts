// Helpers for the pack-authoring tests: tmp copies of the two packs in the repository
// (tests never touch the repository's packs) and small text edits.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTmp, REPO_ROOT, STACK_TRACE, type CliResult } from './helpers.ts';

/** The second example pack, beside the default one (the repository root). */
export const API_PACK = join(REPO_ROOT, 'packs/public-api-endpoint');

/** Copies a whole pack folder (a pack is self-contained: policies with lib, schemas, template, bundle). */
export async function copyPackDir(from: string = API_PACK): Promise<string> {
  const dir = join(await makeTmp('prodgate-pack-'), 'pack');
  if (from === REPO_ROOT) {
    for (const part of ['policies', 'schemas', 'templates', 'bundle', 'pack.json'])
      await cp(join(from, part), join(dir, part), { recursive: true });
  } else {
    await cp(from, dir, { recursive: true });
  }
  return dir;
}

/** Replaces one exact piece of a file; fails the test when the piece is not there exactly once. */
export async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (text.split(from).length !== 2)
    throw new Error(`${file}: expected exactly one ${JSON.stringify(from)}`);
  await writeFile(file, text.replace(from, to));
}

export async function append(file: string, text: string): Promise<void> {
  await writeFile(file, `${await readFile(file, 'utf8')}${text}`);
}

/** A failure the way a person should see it: a prodgate message, no stack trace, no internal error. */
export function cleanFailure(run: CliResult): string {
  const all = `${run.stdout}\n${run.stderr}`;
  // (stdout may hold `at file:line:col` evidence locations, which look like a stack frame)
  if (STACK_TRACE.test(run.stderr)) throw new Error(`stack trace in output:\n${all}`);
  if (/internal error/.test(all)) throw new Error(`internal error:\n${all}`);
  return all;
}
