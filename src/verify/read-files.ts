import { lstat } from 'node:fs/promises';
import { CannotEvaluateError } from '../core/errors.js';
import { readRegularFile } from '../core/io/read-bounded.js';

/** A report, envelope or checklist: a regular file, read within MAX_READ_BYTES (a FIFO or /dev/zero is refused, not read). */
export async function readBytes(path: string, what: string): Promise<Buffer> {
  return readRegularFile(path, what);
}

/** A file's text; bytes that are not UTF-8 come back as undefined (a report or envelope never has them). */
export async function readText(path: string, what: string): Promise<string | undefined> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await readBytes(path, what));
  } catch (thrown) {
    if (thrown instanceof CannotEvaluateError) throw thrown;
    return undefined;
  }
}

export async function readIfPresent(path: string): Promise<Buffer | undefined> {
  // Present means anything at that name: a FIFO or a folder there is refused, not skipped.
  const info = await lstat(path).catch(() => undefined);
  return info ? readBytes(path, 'checklist') : undefined;
}
