import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see the old content or the new, never a mix: the
 * bytes go to a temporary file in the same folder, are flushed to disk, and the
 * temporary file is renamed over the target (rename is atomic within a file system).
 * A writer killed mid-write (SIGKILL, power loss) leaves only its temporary file,
 * which the next write to the same target removes.
 */
export async function writeFileAtomic(path: string, content: string | Buffer): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(dir, basename(path));
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (thrown) {
    await rm(temp, { force: true });
    throw thrown;
  }
}

/** Removes temporary files of `base` left by writers that no longer run (their pid is gone). */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isSafeInteger(pid) && pid > 0 && !isAlive(pid))
      await rm(join(dir, name), { force: true });
  }
}

/** True when a process with this id exists (signal 0 only checks; EPERM means it exists). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    return (thrown as { code?: unknown }).code === 'EPERM';
  }
}
