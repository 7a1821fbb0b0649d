// Issue 15: the JSON Schemas prodgate ships carry fetchable https `$id`s that mirror the
// repository (https://prodgate.dev/<path>), and `prodgate init` run in another repository
// writes yaml-language-server modelines that resolve there: the https `$id`, never a path
// into the prodgate install (node_modules) or outside that repository.
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTmp, makeTmp, REPO_ROOT, runCli } from '../support/helpers.ts';
import { cleanFailure } from '../support/pack.ts';

afterAll(cleanupTmp);

const SCHEMA_BASE = 'https://prodgate.dev/';

async function shippedSchemas(): Promise<string[]> {
  const found: string[] = [];
  for (const root of ['schemas', 'packs']) {
    const entries = await readdir(join(REPO_ROOT, root), { recursive: true });
    for (const entry of entries)
      if (entry.endsWith('.schema.json') && !entry.includes('node_modules'))
        found.push(`${root}/${entry.split('\\').join('/')}`);
  }
  return found.sort();
}

describe('shipped schemas', () => {
  it('each has the https $id of its path in the repository', async () => {
    const files = await shippedSchemas();
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const schema = JSON.parse(await readFile(join(REPO_ROOT, file), 'utf8')) as { $id?: string };
      expect(schema.$id, file).toBe(`${SCHEMA_BASE}${file}`);
    }
  });
});

/** The modeline target of every starter file in `dir`, by kind. */
async function modelines(dir: string, kinds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const kind of kinds) {
    const first = (await readFile(join(dir, `${kind}.yaml`), 'utf8')).split('\n')[0] ?? '';
    const target = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
    expect(target, `${kind}: ${first}`).toBeDefined();
    out.set(kind, target as string);
  }
  return out;
}

async function gitRepo(): Promise<string> {
  const repo = join(await makeTmp('prodgate-other-repo-'), 'app');
  await mkdir(repo, { recursive: true });
  await execa('git', ['init', '--quiet'], { cwd: repo });
  return repo;
}

const KINDS = ['release', 'security', 'signoff', 'ops'];

describe('init run in another repository', () => {
  it('with the installed default pack: modelines are the https $ids, never a path into the install', async () => {
    const repo = await gitRepo();
    const run = await runCli(['init', '--env', 'prod'], { cwd: repo });
    expect(run.exitCode, cleanFailure(run)).toBe(0);
    const targets = await modelines(join(repo, 'evidence/prod'), KINDS);
    for (const [kind, target] of targets) {
      expect(target).toBe(`${SCHEMA_BASE}schemas/evidence/${kind}.v1.schema.json`);
      // the URL is the schema's own $id, the file prodgate validates with
      const schema = JSON.parse(
        await readFile(join(REPO_ROOT, target.slice(SCHEMA_BASE.length)), 'utf8'),
      ) as { $id: string };
      expect(schema.$id).toBe(target);
    }
  });

  it('with prodgate installed in the repository (node_modules/prodgate): the https $ids too', async () => {
    const repo = await gitRepo();
    const install = join(repo, 'node_modules/prodgate');
    for (const part of ['pack.json', 'policies', 'schemas', 'templates', 'bundle'])
      await cp(join(REPO_ROOT, part), join(install, part), { recursive: true });
    const run = await runCli(['init', '--env', 'prod', '--pack', 'node_modules/prodgate'], {
      cwd: repo,
    });
    expect(run.exitCode, cleanFailure(run)).toBe(0);
    for (const [kind, target] of await modelines(join(repo, 'evidence/prod'), KINDS)) {
      expect(target).toBe(`${SCHEMA_BASE}schemas/evidence/${kind}.v1.schema.json`);
      expect(target).not.toMatch(/node_modules|\.\./);
    }
  });

  it('with a pack kept in the same repository: relative paths that resolve in every checkout', async () => {
    const repo = await gitRepo();
    const pack = join(repo, 'packs/api');
    await cp(join(REPO_ROOT, 'packs/public-api-endpoint'), pack, { recursive: true });
    const out = join(repo, 'evidence/prod');
    const run = await runCli(['init', '--env', 'prod', '--pack', pack, '--out', out], {
      cwd: repo,
    });
    expect(run.exitCode, cleanFailure(run)).toBe(0);
    for (const [kind, target] of await modelines(out, ['access', 'endpoint', 'traffic'])) {
      expect(target).toBe(`../../packs/api/schemas/evidence/${kind}.v1.schema.json`);
      expect(relative(repo, resolve(out, target)).startsWith('..')).toBe(false);
    }
  });
});
