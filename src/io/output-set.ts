import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CannotEvaluateError } from '../errors.js';
import { isAlive, writeFileAtomic } from './atomic-write.js';

/** One output file: its name inside the output folder and its content. */
export interface OutputFile {
  name: string;
  content: string;
}

export const LOCK_NAME = '.prodgate-outputs.lock';

/**
 * Writes a set of outputs (a checklist and its report) into a folder so that two
 * evaluations writing there at once never leave the checklist of one beside the
 * report of the other: each file is written atomically, and the whole set under a
 * lock file in the folder. A lock left by a killed process (its pid is gone) is
 * taken over; a live holder is waited for up to `timeoutMs`.
 */
export async function writeOutputSet(dir: string, files: OutputFile[], timeoutMs = 60_000): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const release = await acquire(join(dir, LOCK_NAME), timeoutMs);
  try {
    const written: string[] = [];
    for (const file of files) {
      const path = join(dir, file.name);
      await writeFileAtomic(path, file.content);
      written.push(path);
    }
    return written;
  } finally {
    await release();
  }
}

async function acquire(lock: string, timeoutMs: number): Promise<() => Promise<void>> {
  const token = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  const deadline = Date.now() + timeoutMs;
  await removeLeftovers(lock);
  for (;;) {
    // Written aside and hard-linked into place: link fails when the lock exists, and a
    // lock is never seen without its owner's pid in it.
    const mine = `${lock}.${process.pid}.${randomBytes(6).toString('hex')}`;
    await writeFile(mine, token);
    const release = async (): Promise<void> => {
      if ((await readFile(lock, 'utf8').catch(() => '')) === token) await rm(lock, { force: true });
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
    const holder = pidIn(await readFile(lock, 'utf8').catch(() => ''));
    if (holder !== undefined && !isAlive(holder)) {
      await takeOver(lock, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new CannotEvaluateError(`output folder is locked by process ${holder ?? '?'} (${lock}); wait for it, or delete the lock if no prodgate runs`);
    }
    await new Promise((done) => setTimeout(done, 25 + Math.random() * 25));
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
  if (pidIn(await readFile(aside, 'utf8').catch(() => '')) !== deadPid) await link(aside, lock).catch(() => undefined);
  await rm(aside, { force: true });
}

/** Removes the lock's side files (`<lock>.<pid>.<hex>[.stale]`) of processes that are gone. */
async function removeLeftovers(lock: string): Promise<void> {
  const dir = dirname(lock);
  const prefix = `${basename(lock)}.`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(name.startsWith(prefix) ? name.slice(prefix.length).split('.')[0] : NaN);
    if (Number.isSafeInteger(pid) && pid > 0 && !isAlive(pid)) await rm(join(dir, name), { force: true });
  }
}

function codeOf(thrown: unknown): unknown {
  return (thrown as { code?: unknown } | null)?.code;
}

function pidIn(content: string): number | undefined {
  const pid = Number(content.split(' ')[0]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}
