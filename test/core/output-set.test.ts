import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CannotEvaluateError } from '../../src/core/errors.ts';
import {
  COMMIT_NAME,
  LOCK_NAME,
  settleOutputSet,
  writeOutputSet,
} from '../../src/core/io/output-set.ts';
import { cleanupTmp, makeTmp } from '../support/helpers.ts';

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

describe('settleOutputSet', () => {
  it('does nothing, and takes no lock, where no commit was interrupted', async () => {
    const dir = await makeTmp('prodgate-set-');
    await writeFile(join(dir, 'a.md'), 'a\n');
    expect(await settleOutputSet(dir)).toBe(false);
    expect(await readdir(dir)).toEqual(['a.md']);
  });

  it('completes an interrupted commit and says so', async () => {
    const dir = await makeTmp('prodgate-set-');
    const dead = deadPid();
    await writeFile(join(dir, 'a.md'), 'new a\n');
    await writeFile(join(dir, 'b.json'), 'old b\n');
    await writeFile(join(dir, `.b.json.${dead}.0123456789ab.tmp`), 'new b\n');
    const renames = ['a.md', 'b.json'].map((name) => ({
      temp: `.${name}.${dead}.0123456789ab.tmp`,
      name,
      backup: `.${name}.${dead}.0123456789ab.bak`,
    }));
    await writeFile(join(dir, COMMIT_NAME), JSON.stringify({ renames }));
    expect(await settleOutputSet(dir)).toBe(true);
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe('new b\n');
    expect((await readdir(dir)).sort()).toEqual(['a.md', 'b.json']);
  });

  it('refuses, in one line, a mixed set it cannot lock', async () => {
    const dir = await makeTmp('prodgate-set-');
    await writeFile(join(dir, COMMIT_NAME), JSON.stringify({ renames: [] }));
    spawnSync('mkfifo', [join(dir, LOCK_NAME)]);
    const settling = settleOutputSet(dir, 200);
    await expect(settling).rejects.toThrow(CannotEvaluateError);
    await expect(settling).rejects.toThrow(
      /holds an interrupted set of outputs \(\.prodgate-outputs\.commit\) that cannot be completed: .*; run evaluate into it again$/,
    );
  });
});
