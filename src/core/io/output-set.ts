import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CannotEvaluateError, messageOf } from '../errors.js';
import { escapeTerminal } from '../text/escape.js';
import { isAlive } from './atomic-write.js';
import { readRegularFile } from './read-bounded.js';

/** One output file: its name inside the output folder and its content. */
export interface OutputFile {
  name: string;
  content: string | Buffer;
}

export const LOCK_NAME = '.prodgate-outputs.lock';
/** The commit record of a set being put in place (see writeOutputSet). */
export const COMMIT_NAME = '.prodgate-outputs.commit';

/** An output file name: one plain path segment, not hidden (hidden names are prodgate's own). */
const OUTPUT_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;

/**
 * Writes the files of one run into a folder as one set: afterwards the folder holds
 * every file of the new set, or (when writing failed: a full disk, a folder in the way
 * of a file) every file as it was before; never the checklist of one run beside the
 * report of another. How:
 *
 * 1. Under the folder's lock file (two runs at once are serialised), an interrupted
 *    earlier commit is finished first (step 4).
 * 2. Each target is checked: a folder, link or FIFO in its place stops the run before
 *    anything is written.
 * 3. Every file is written to a temporary file beside its target and flushed to disk.
 *    A failure here (ENOSPC) removes the temporary files: the old set is untouched.
 * 4. A commit record listing the renames is written atomically and flushed; then each
 *    temporary file is renamed over its target (the old file kept by a hard link until
 *    the end). A rename that fails puts every renamed target back. A process killed
 *    between the record and the last rename leaves the record: the next writer (step 1)
 *    completes the renames, since every temporary file it lists was complete before
 *    the record existed.
 *
 * Names must be plain file names (OUTPUT_NAME): an environment name such as
 * `../../escaped` cannot write outside the folder. Returns the written paths.
 */
export async function writeOutputSet(
  dir: string,
  files: OutputFile[],
  timeoutMs = 60_000,
): Promise<string[]> {
  const bad = files.find((file) => !OUTPUT_NAME.test(file.name) || file.name.includes('..'));
  if (bad)
    throw new CannotEvaluateError(
      `output file name ${JSON.stringify(bad.name)} is not a plain file name; nothing written`,
    );
  if (new Set(files.map((f) => f.name)).size !== files.length)
    throw new CannotEvaluateError(
      'two outputs of one run have the same file name; nothing written',
    );
  await makeOutputFolder(dir);
  const release = await acquire(join(dir, LOCK_NAME), timeoutMs);
  try {
    await finishInterruptedCommit(dir);
    await removeLeftovers(dir);
    return await commitSet(dir, files);
  } finally {
    await release();
  }
}

/**
 * Makes the set in `dir` whole before it is read (`verify`, `diff`): when a writer was
 * killed between its commit record and its last rename (writeOutputSet, step 4), the
 * folder holds some new files beside some old ones; this completes that commit under the
 * folder's lock, exactly as the next writer would, so a reader never takes a mixed set
 * for a set. A live writer holding the lock is waited for (up to `timeoutMs`).
 *
 * Returns true when it completed an interrupted commit, false when there was none (the
 * common case costs one lstat and takes no lock, so read-only folders can be read).
 * Throws CannotEvaluateError (one line) when there is a record but the folder cannot be
 * locked or the commit completed: the set is mixed and must not be read as one.
 */
export async function settleOutputSet(dir: string, timeoutMs = 60_000): Promise<boolean> {
  const record = join(dir, COMMIT_NAME);
  if ((await lstat(record).catch(() => undefined)) === undefined) return false;
  let release: () => Promise<void>;
  try {
    release = await acquire(join(dir, LOCK_NAME), timeoutMs);
  } catch (thrown) {
    throw new CannotEvaluateError(
      `${escapeTerminal(dir)} holds an interrupted set of outputs (${COMMIT_NAME}) that cannot be completed: ${escapeTerminal(messageOf(thrown))}; run evaluate into it again`,
    );
  }
  try {
    // The record may have gone while we waited: a live writer completed its own commit.
    const interrupted = (await lstat(record).catch(() => undefined)) !== undefined;
    if (interrupted) await finishInterruptedCommit(dir);
    return interrupted;
  } finally {
    await release();
  }
}

/**
 * Creates a folder and its missing parents one level at a time (mkdir -p without its
 * traps): Node's recursive mkdir loops for ever under /proc, where mkdir answers ENOENT
 * for a parent that exists. Throws the file-system error that stopped it (its `code`
 * kept; ENOTDIR when a file is in the way).
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    const found = await stat(current).catch((thrown: unknown) => {
      if (codeOf(thrown) !== 'ENOENT' || dirname(current) === current) throw thrown;
      return undefined;
    });
    if (found?.isDirectory()) break;
    if (found)
      throw Object.assign(new Error(`ENOTDIR: not a directory, ${current} is a file`), {
        code: 'ENOTDIR',
      });
    missing.unshift(current);
  }
  for (const folder of missing) {
    await mkdir(folder).catch((thrown: unknown) => {
      if (codeOf(thrown) !== 'EEXIST') throw thrown;
    });
  }
}

/** makeFolder for the output folder, a failure a one-line CannotEvaluateError naming it (--out). */
async function makeOutputFolder(dir: string): Promise<void> {
  await makeFolder(dir).catch((thrown: unknown) => {
    throw new CannotEvaluateError(
      `the output folder (--out) ${escapeTerminal(dir)} cannot be created: ${escapeTerminal(messageOf(thrown))}; nothing written`,
    );
  });
}

interface Rename {
  temp: string;
  name: string;
  /** The hard link keeping the previous file until the commit is complete. */
  backup: string;
}

async function commitSet(dir: string, files: OutputFile[]): Promise<string[]> {
  for (const file of files) await checkTarget(join(dir, file.name));
  const tag = `${process.pid}.${randomBytes(6).toString('hex')}`;
  const renames: Rename[] = files.map((file) => ({
    temp: `.${file.name}.${tag}.tmp`,
    name: file.name,
    backup: `.${file.name}.${tag}.bak`,
  }));
  try {
    for (const [i, file] of files.entries())
      await writeDurably(join(dir, (renames[i] as Rename).temp), file.content);
    await writeDurably(join(dir, `${COMMIT_NAME}.${tag}.tmp`), `${JSON.stringify({ renames })}\n`);
    await rename(join(dir, `${COMMIT_NAME}.${tag}.tmp`), join(dir, COMMIT_NAME));
    await syncDir(dir);
  } catch (thrown) {
    await Promise.all(renames.map((r) => rm(join(dir, r.temp), { force: true })));
    await rm(join(dir, `${COMMIT_NAME}.${tag}.tmp`), { force: true });
    throw new CannotEvaluateError(
      `outputs cannot be written to ${dir}: ${messageOf(thrown)}; the previous outputs are unchanged`,
    );
  }
  const done: Rename[] = [];
  try {
    for (const r of renames) {
      await link(join(dir, r.name), join(dir, r.backup)).catch((thrown: unknown) => {
        if ((thrown as { code?: unknown }).code !== 'ENOENT') throw thrown;
      });
      await rename(join(dir, r.temp), join(dir, r.name));
      done.push(r);
    }
  } catch (thrown) {
    await rollBack(dir, renames, done);
    throw new CannotEvaluateError(
      `outputs cannot be written to ${dir}: ${messageOf(thrown)}; the previous outputs were put back`,
    );
  }
  await syncDir(dir);
  await rm(join(dir, COMMIT_NAME), { force: true });
  await Promise.all(renames.map((r) => rm(join(dir, r.backup), { force: true })));
  return files.map((file) => join(dir, file.name));
}

/** Puts back every target renamed so far (from its backup link, or removes it when it is new). */
async function rollBack(dir: string, renames: Rename[], done: Rename[]): Promise<void> {
  for (const r of done) {
    const hadOld = await lstat(join(dir, r.backup)).then(
      () => true,
      () => false,
    );
    if (hadOld) await rename(join(dir, r.backup), join(dir, r.name));
    else await rm(join(dir, r.name), { force: true });
  }
  for (const r of renames) {
    await rm(join(dir, r.temp), { force: true });
    await rm(join(dir, r.backup), { force: true });
  }
  await rm(join(dir, COMMIT_NAME), { force: true });
}

/** A target in the way (a folder, a link, a FIFO) stops the run before anything is written. */
async function checkTarget(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (info && !info.isFile()) {
    const what = info.isDirectory()
      ? 'a folder'
      : info.isSymbolicLink()
        ? 'a symbolic link'
        : 'not a regular file';
    throw new CannotEvaluateError(
      `output ${path} is ${what}; nothing written (remove it, or choose another --out)`,
    );
  }
}

/** Completes the renames of a commit whose writer was killed (see writeOutputSet, step 4). */
async function finishInterruptedCommit(dir: string): Promise<void> {
  const record = join(dir, COMMIT_NAME);
  let renames: Rename[];
  try {
    const parsed = JSON.parse(
      (
        await readRegularFile(record, 'commit record', 1024 * 1024, { followLinks: false })
      ).toString('utf8'),
    ) as { renames?: unknown };
    renames = Array.isArray(parsed.renames) ? (parsed.renames as Rename[]) : [];
  } catch (thrown) {
    if ((await lstat(record).catch(() => undefined)) === undefined) return;
    throw new CannotEvaluateError(
      `the commit record ${record} is unusable (${messageOf(thrown)}); remove it and check the outputs`,
    );
  }
  for (const r of renames) {
    if (typeof r.temp !== 'string' || typeof r.name !== 'string' || typeof r.backup !== 'string')
      continue;
    if (![r.temp, r.name, r.backup].every((n) => basename(n) === n && n !== '..' && n !== '.'))
      continue;
    if (await lstat(join(dir, r.temp)).catch(() => undefined))
      await rename(join(dir, r.temp), join(dir, r.name));
    await rm(join(dir, r.backup), { force: true });
  }
  await syncDir(dir);
  await rm(record, { force: true });
}

async function writeDurably(path: string, content: string | Buffer): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (the renames) to disk; not every platform can open a folder for that. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

// `.<name>.<pid>.<hex>.tmp|.bak`, `<lock>.<pid>.<hex>[.stale]`, `<commit>.<pid>.<hex>.tmp`
const SIDE_FILE = /^\.(?:.+?)\.(\d{1,10})\.[0-9a-f]{12}(?:\.tmp|\.bak|\.stale)?$/;

/** Removes temporary, backup and lock side files of processes that are gone. */
async function removeLeftovers(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(SIDE_FILE.exec(name)?.[1] ?? NaN);
    if (Number.isSafeInteger(pid) && pid > 0 && !isAlive(pid))
      await rm(join(dir, name), { force: true });
  }
}

async function acquire(lock: string, timeoutMs: number): Promise<() => Promise<void>> {
  const token = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  const deadline = Date.now() + timeoutMs;
  await removeLockLeftovers(lock);
  for (;;) {
    // Written aside and hard-linked into place: link fails when the lock exists, and a
    // lock is never seen without its owner's pid in it.
    const mine = `${lock}.${process.pid}.${randomBytes(6).toString('hex')}`;
    await writeFile(mine, token, { flag: 'wx' });
    const release = async (): Promise<void> => {
      if ((await readLock(lock).catch(() => '')) === token) await rm(lock, { force: true });
    };
    try {
      await link(mine, lock);
      return release;
    } catch (thrown) {
      if (codeOf(thrown) !== 'EEXIST') {
        // A file system without hard links: create the lock exclusively instead (it can
        // be seen empty for a moment; a reader then waits, as for a live holder).
        try {
          await writeFile(lock, token, { flag: 'wx' });
          return release;
        } catch (again) {
          if (codeOf(again) !== 'EEXIST') throw again;
        }
      }
    } finally {
      await rm(mine, { force: true });
    }
    const holder = pidIn(await readLock(lock));
    if (holder !== undefined && !isAlive(holder)) {
      await takeOver(lock, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new CannotEvaluateError(
        `output folder is locked by process ${holder ?? '?'} (${lock}); wait for it, or delete the lock if no prodgate runs`,
      );
    }
    await new Promise((done) => setTimeout(done, 25 + Math.random() * 25));
  }
}

/**
 * The lock file's content, read like evidence: a FIFO, a folder, a device or a
 * symbolic link at the lock path is refused at once (CannotEvaluateError) rather than
 * waited on forever; a lock that vanished reads as ''.
 */
async function readLock(lock: string): Promise<string> {
  try {
    return (await readRegularFile(lock, 'output lock', 4096, { followLinks: false })).toString(
      'utf8',
    );
  } catch (thrown) {
    if ((await lstat(lock).catch(() => undefined)) === undefined) return '';
    throw new CannotEvaluateError(
      `${messageOf(thrown)}; a prodgate lock is a regular file: remove ${lock}`,
    );
  }
}

/**
 * Removes a lock whose holder is dead. It is first renamed aside, so that of two
 * processes taking it over only one gets it; if what was renamed is not the dead
 * holder's lock after all (someone else took it over first), it is put back.
 */
async function takeOver(lock: string, deadPid: number): Promise<void> {
  const aside = `${lock}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lock, aside);
  } catch {
    return; // gone already: someone else took it over
  }
  if (pidIn(await readLock(aside).catch(() => '')) !== deadPid)
    await link(aside, lock).catch(() => undefined);
  await rm(aside, { force: true });
}

/** Removes the lock's side files (`<lock>.<pid>.<hex>[.stale]`) of processes that are gone. */
async function removeLockLeftovers(lock: string): Promise<void> {
  const dir = dirname(lock);
  const prefix = `${basename(lock)}.`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(name.startsWith(prefix) ? name.slice(prefix.length).split('.')[0] : NaN);
    if (Number.isSafeInteger(pid) && pid > 0 && !isAlive(pid))
      await rm(join(dir, name), { force: true });
  }
}

function codeOf(thrown: unknown): unknown {
  return (thrown as { code?: unknown } | null)?.code;
}

function pidIn(content: string): number | undefined {
  const pid = Number(content.split(' ')[0]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}
