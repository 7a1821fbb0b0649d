// Atomic outputs: a writer SIGKILLed mid-write leaves the old file or the new one, never
// a mix; two writers of the same output folder at once leave a checklist and a report
// from the same run. Writers are real child processes using the built library (dist/).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  checklistName,
  cleanupTmp,
  copyEvidence,
  editYaml,
  makeTmp,
  REPO_ROOT,
  reportName,
  runCli,
} from '../support/helpers.ts';

const DIST = pathToFileURL(join(REPO_ROOT, 'dist/core/io')).href;

/** Two versions of a large output (about 6 MB of JSON each), so that a write takes a while. */
function version(name: string): string {
  const rows = Array.from({ length: 60_000 }, (_, i) => ({
    i,
    name,
    text: `${name} row ${i} `.padEnd(80, name),
  }));
  return `${JSON.stringify({ version: name, rows }, null, 1)}\n`;
}

function startChild(code: string): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Resolves when the child has printed `line` on stdout. */
function waitFor(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(line)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before printing ${line}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve()
      : child.on('exit', () => resolve()),
  );
}

afterAll(cleanupTmp);

describe('writeFileAtomic under SIGKILL', () => {
  const A = version('A');
  const B = version('B');

  it('leaves the old or the new content after a kill at a random moment, never a mix', async () => {
    const dir = await makeTmp('prodgate-kill-');
    const target = join(dir, 'P4_PROD_READINESS_REPORT_prod.json');
    await writeFile(join(dir, 'a.json'), A);
    await writeFile(join(dir, 'b.json'), B);
    await writeFile(target, A);
    let midWrite = 0;
    for (let round = 0; round < 10; round++) {
      const child = startChild(`
        import { readFileSync } from 'node:fs';
        import { writeFileAtomic } from '${DIST}/atomic-write.js';
        const versions = [readFileSync('${join(dir, 'a.json')}', 'utf8'), readFileSync('${join(dir, 'b.json')}', 'utf8')];
        console.log('writing');
        for (let i = 1; ; i++) await writeFileAtomic('${target}', versions[i % 2]);
      `);
      await waitFor(child, 'writing');
      await new Promise((done) => setTimeout(done, 5 + Math.random() * 150));
      child.kill('SIGKILL');
      await exited(child);
      const content = await readFile(target, 'utf8');
      expect(
        content === A || content === B,
        `round ${round}: the file is neither version (${content.length} bytes)`,
      ).toBe(true);
      expect(() => JSON.parse(content)).not.toThrow();
      if ((await readdir(dir)).some((n) => n.endsWith('.tmp'))) midWrite++;
    }
    // The kills did land inside writes (a temporary file was left behind)...
    expect(midWrite).toBeGreaterThan(0);
    // ...and the next write clears what the killed writers left.
    const { writeFileAtomic } = (await import(`${DIST}/atomic-write.js`)) as {
      writeFileAtomic(path: string, content: string): Promise<void>;
    };
    await writeFileAtomic(target, B);
    expect((await readdir(dir)).sort()).toEqual([
      'P4_PROD_READINESS_REPORT_prod.json',
      'a.json',
      'b.json',
    ]);
    expect(await readFile(target, 'utf8')).toBe(B);
  }, 60_000);
});

describe('two writers of one output folder', () => {
  it('leave the checklist and the report of the same writer, every time', async () => {
    const dir = await makeTmp('prodgate-pair-');
    // A writes an 8 MiB checklist and a small report, B a small checklist and a 64 MiB
    // report: unserialised, A's checklist lands after B's and B's report after A's,
    // leaving a mixed pair (it does, every round, with the lock taken out).
    const writer = (name: 'A' | 'B', round: number, startAt: number) =>
      startChild(`
        import { writeOutputSet } from '${DIST}/output-set.js';
        const [checklistPad, reportPad] = '${name}' === 'A' ? ['x'.repeat(8 << 20), ''] : ['', 'x'.repeat(64 << 20)];
        const files = [
          { name: '${checklistName('prod')}', content: '# writer ${name} round ${round}\\n' + checklistPad },
          { name: '${reportName('prod')}', content: JSON.stringify({ writer: '${name}', round: ${round}, reportPad }) },
        ];
        while (Date.now() < ${startAt}) {}
        await writeOutputSet('${dir}', files);
        console.log('done');
      `);
    for (let round = 0; round < 3; round++) {
      // Both children spin until the same moment, after their start-up.
      const startAt = Date.now() + 1000;
      const children = [writer('A', round, startAt), writer('B', round, startAt)];
      await Promise.all(children.map((c) => waitFor(c, 'done')));
      await Promise.all(children.map(exited));
      const checklist = await readFile(join(dir, checklistName('prod')), 'utf8');
      const report = JSON.parse(await readFile(join(dir, reportName('prod')), 'utf8')) as {
        writer: string;
        round: number;
      };
      expect(
        checklist.startsWith(`# writer ${report.writer} round ${round}\n`),
        `round ${round}: checklist "${checklist.slice(0, 30)}" beside the report of ${report.writer}`,
      ).toBe(true);
      expect(report.round).toBe(round);
    }
    expect((await readdir(dir)).sort()).toEqual([checklistName('prod'), reportName('prod')].sort());
  }, 60_000);
});

describe('two evaluations writing to the same outputs/ at once', () => {
  let goDir: string;
  let noGoDir: string;
  const solo: Record<string, { checklist: string; report: string }> = {};

  beforeAll(async () => {
    goDir = await copyEvidence('prod');
    noGoDir = await copyEvidence('prod');
    await editYaml(noGoDir, 'ops.yaml', (d) => (d['migrations'].serialized = false));
    for (const [name, evidence] of [
      ['go', goDir],
      ['nogo', noGoDir],
    ] as const) {
      const out = await makeTmp('prodgate-solo-');
      await runCli([
        'evaluate',
        '--env',
        'prod',
        '--evidence',
        evidence,
        '--as-of',
        AS_OF,
        '--repo-root',
        REPO_ROOT,
        '--out',
        out,
      ]);
      solo[name] = {
        checklist: await readFile(join(out, checklistName('prod')), 'utf8'),
        report: await readFile(join(out, reportName('prod')), 'utf8'),
      };
    }
  }, 60_000);

  it('leave a checklist and a report of one and the same evaluation', async () => {
    const out = await makeTmp('prodgate-shared-out-');
    for (let round = 0; round < 2; round++) {
      const runs = await Promise.all(
        [goDir, noGoDir].map((evidence) =>
          runCli([
            'evaluate',
            '--env',
            'prod',
            '--evidence',
            evidence,
            '--as-of',
            AS_OF,
            '--repo-root',
            REPO_ROOT,
            '--out',
            out,
          ]),
        ),
      );
      expect(runs.map((r) => r.exitCode).sort()).toEqual([0, 1]);
      const checklist = await readFile(join(out, checklistName('prod')), 'utf8');
      const report = await readFile(join(out, reportName('prod')), 'utf8');
      const match = Object.values(solo).find((s) => s.checklist === checklist);
      expect(match, 'the checklist is one of the two evaluations, whole').toBeDefined();
      expect(report).toBe(match?.report);
      expect(await readdir(out)).toHaveLength(2);
    }
  }, 60_000);
});

// Issue 9, part 5: a writer SIGKILLed between two renames of one set (a real kill, at a
// chosen rename: the child wraps fs.promises.rename and kills itself after the first
// target is in place) leaves a mixed folder; verify and diff complete the interrupted
// commit before reading, so a new report is never verified beside an old checklist.
describe('a set whose writer is killed between two renames', () => {
  /** Runs writeOutputSet(dir, files) in a child that SIGKILLs itself after `renames` target renames. */
  async function crashWriting(
    dir: string,
    files: { name: string; content: string }[],
    renames: number,
  ) {
    const input = await makeTmp('prodgate-crash-input-');
    await writeFile(join(input, 'files.json'), JSON.stringify(files));
    const child = startChild(`
      import { readFileSync } from 'node:fs';
      import { createRequire, syncBuiltinESMExports } from 'node:module';
      const fsp = createRequire(import.meta.url)('node:fs/promises');
      const realRename = fsp.rename;
      let targets = 0;
      fsp.rename = async (from, to) => {
        await realRename(from, to);
        if (!/[/\\\\]\\.[^/\\\\]*$/.test(to) && ++targets === ${renames}) process.kill(process.pid, 'SIGKILL');
      };
      syncBuiltinESMExports();
      const { writeOutputSet } = await import('${DIST}/output-set.js');
      await writeOutputSet(${JSON.stringify(dir)}, JSON.parse(readFileSync(${JSON.stringify(join(input, 'files.json'))}, 'utf8')));
      console.log('not killed');
    `);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    await exited(child);
    expect(child.signalCode, `the writer was not killed: ${stdout}`).toBe('SIGKILL');
  }

  async function evaluateInto(out: string, evidence: string): Promise<void> {
    const run = await runCli([
      'evaluate',
      '--env',
      'prod',
      '--evidence',
      evidence,
      '--repo-root',
      REPO_ROOT,
      '--as-of',
      AS_OF,
      '--out',
      out,
      '--no-ci-context',
    ]);
    expect(run.exitCode, run.stderr).toBeLessThanOrEqual(1);
  }

  it('verify completes the interrupted commit: the new report is verified with its own checklist', async () => {
    const out = await makeTmp('prodgate-out-');
    await evaluateInto(out, join(REPO_ROOT, 'evidence/prod'));
    const oldChecklist = await readFile(join(out, checklistName('prod')), 'utf8');
    // The next run's set, made from other evidence (a wildcard CORS origin: NO-GO).
    const evidence = await copyEvidence('prod');
    await editYaml(evidence, 'security.yaml', (doc) => {
      doc.cors.trustedOrigins[0] = '*';
    });
    const next = await makeTmp('prodgate-next-');
    await evaluateInto(next, evidence);
    const names = [reportName('prod'), checklistName('prod')];
    const files = await Promise.all(
      names.map(async (name) => ({ name, content: await readFile(join(next, name), 'utf8') })),
    );

    await crashWriting(out, files, 1);
    // Killed mid-commit: the new report beside the old checklist, and the commit record.
    expect(await readFile(join(out, reportName('prod')), 'utf8')).toBe(files[0]?.content);
    expect(await readFile(join(out, checklistName('prod')), 'utf8')).toBe(oldChecklist);
    expect(await readdir(out)).toContain('.prodgate-outputs.commit');

    const verify = await runCli([
      'verify',
      join(out, reportName('prod')),
      '--evidence',
      evidence,
      '--repo-root',
      REPO_ROOT,
    ]);
    expect(verify.stdout).toMatch(/^VERIFIED: /m);
    expect(verify.exitCode).toBe(0);
    expect(await readFile(join(out, checklistName('prod')), 'utf8')).toBe(files[1]?.content);
    expect((await readdir(out)).sort()).toEqual(names.slice().sort());
  }, 120_000);

  it('diff reads the completed set too', async () => {
    const out = await makeTmp('prodgate-out-');
    await writeFile(join(out, 'a.txt'), 'old a\n');
    await writeFile(join(out, 'b.txt'), 'old b\n');
    await crashWriting(
      out,
      [
        { name: 'a.txt', content: 'new a\n' },
        { name: 'b.txt', content: 'new b\n' },
        { name: 'c.txt', content: 'new c\n' },
      ],
      2,
    );
    expect(await readFile(join(out, 'b.txt'), 'utf8')).toBe('new b\n');
    expect((await readdir(out)).filter((n) => !n.startsWith('.')).sort()).toEqual([
      'a.txt',
      'b.txt',
    ]);
    // diff of a file that is not a report fails (exit 2), but only after the set is whole.
    const diff = await runCli(['diff', join(out, 'a.txt'), join(out, 'c.txt')]);
    expect(diff.exitCode).toBe(2);
    expect((await readdir(out)).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(await readFile(join(out, 'c.txt'), 'utf8')).toBe('new c\n');
  }, 60_000);
});
