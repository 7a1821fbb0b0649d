import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/core/io/atomic-write.ts';
import { cleanupTmp, makeTmp } from '../support/helpers.ts';

afterAll(cleanupTmp);

describe('writeFileAtomic', () => {
  it('writes a new file, creating missing folders, and leaves no temporary file', async () => {
    const dir = await makeTmp('prodgate-atomic-');
    const path = join(dir, 'a', 'b', 'report.json');
    await writeFileAtomic(path, '{"ok": true}\n');
    expect(await readFile(path, 'utf8')).toBe('{"ok": true}\n');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['report.json']);
  });

  it('overwrites an existing file with the new content, strings and bytes alike', async () => {
    const dir = await makeTmp('prodgate-atomic-');
    const path = join(dir, 'checklist.md');
    await writeFile(path, 'old content that is longer than the new one\n');
    await writeFileAtomic(path, 'new\n');
    expect(await readFile(path, 'utf8')).toBe('new\n');
    await writeFileAtomic(path, Buffer.from([0, 1, 2, 255]));
    expect([...(await readFile(path))]).toEqual([0, 1, 2, 255]);
    expect(await readdir(dir)).toEqual(['checklist.md']);
  });

  it('leaves no temporary file behind after many concurrent writes to the same file', async () => {
    const dir = await makeTmp('prodgate-atomic-');
    const path = join(dir, 'out.txt');
    const contents = Array.from({ length: 20 }, (_, i) => `${String(i).repeat(1000)}\n`);
    await Promise.all(contents.map((c) => writeFileAtomic(path, c)));
    expect(contents).toContain(await readFile(path, 'utf8'));
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  it('fails without leaving a temporary file when the target cannot be replaced', async () => {
    const dir = await makeTmp('prodgate-atomic-');
    const target = join(dir, 'taken');
    await mkdir(join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['taken']);
    expect(await readdir(target)).toEqual(['child']);
  });
});
