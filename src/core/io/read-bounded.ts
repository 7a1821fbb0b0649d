import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { CannotEvaluateError, messageOf } from '../errors.js';
import { fileKindOf } from './file-kind.js';

/** The largest report, envelope or checklist `verify` and `diff` read: far above any real one (a report is kept within its schema). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file that a command was pointed at (a report, an envelope, a checklist, a
 * lock file) the way evidence is read: opened without following a final symbolic link
 * and without blocking (a FIFO never hangs the command), refused unless it is a regular
 * file of at most `maxBytes`, and never read past that, even if it grows meanwhile.
 * `what` names the file in the one-line error (CannotEvaluateError) thrown otherwise.
 */
export async function readRegularFile(
  path: string,
  what: string,
  maxBytes = MAX_READ_BYTES,
  options: { followLinks?: boolean } = {},
): Promise<Buffer> {
  const flags =
    constants.O_RDONLY |
    constants.O_NONBLOCK |
    (options.followLinks === false ? constants.O_NOFOLLOW : 0);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, flags);
  } catch (thrown) {
    const code = (thrown as { code?: unknown }).code;
    const why = code === 'ELOOP' ? 'it is a symbolic link' : messageOf(thrown);
    throw new CannotEvaluateError(`${what} ${path} cannot be read: ${why}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new CannotEvaluateError(
        `${what} ${path} cannot be read: ${fileKindOf(info)}, not a regular file`,
      );
    if (info.size > maxBytes)
      throw new CannotEvaluateError(
        `${what} ${path} is ${info.size} bytes, over the ${maxBytes}-byte limit; not read`,
      );
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > info.size || length > maxBytes)
      throw new CannotEvaluateError(`${what} ${path} grew while it was read; not read`);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
