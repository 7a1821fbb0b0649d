import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CannotEvaluateError } from '../../src/errors.ts';
import { LOCK_NAME, writeOutputSet } from '../../src/io/output-set.ts';
import { cleanupTmp, makeTmp } from '../helpers.ts';

afterAll(cleanupTmp);

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('writeOutputSet', () => {
  it('writes every file and leaves only them', async () => {
    const dir = await makeTmp('prodgate-set-');
    const written = await writeOutputSet(join(dir, 'out'), [
      { name: 'a.md', content: 'a\n' },
      { name: 'b.json', content: '{}\n' },
    ]);
    expect(written).toEqual([join(dir, 'out', 'a.md'), join(dir, 'out', 'b.json')]);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['a.md', 'b.json']);
    expect(await readFile(join(dir, 'out', 'b.json'), 'utf8')).toBe('{}\n');
  });

  it('takes over the lock and side files of a writer that was killed', async () => {
    const dir = await makeTmp('prodgate-set-');
    const pid = deadPid();
    await writeFile(join(dir, LOCK_NAME), `${pid} abc\n`);
    await writeFile(join(dir, `${LOCK_NAME}.${pid}.0123456789ab`), `${pid} abc\n`);
    await writeFile(join(dir, `.a.md.${pid}.0123456789ab.tmp`), 'half a file');
    await writeOutputSet(dir, [{ name: 'a.md', content: 'new\n' }]);
    expect(await readdir(dir)).toEqual(['a.md']);
  });

  it('waits for a live holder, and says who holds the lock when it gives up', async () => {
    const dir = await makeTmp('prodgate-set-');
    await writeFile(join(dir, LOCK_NAME), `${process.pid} held\n`);
    const attempt = writeOutputSet(dir, [{ name: 'a.md', content: 'x' }], 300);
    await expect(attempt).rejects.toBeInstanceOf(CannotEvaluateError);
    await expect(writeOutputSet(dir, [{ name: 'a.md', content: 'x' }], 300)).rejects.toThrow(
      new RegExp(`locked by process ${process.pid}`),
    );
    expect(await readdir(dir)).toEqual([LOCK_NAME]);
  });
});
