// action.yml: pinned actions, a current Node.js, production dependencies only, and step
// outputs that no input can forge. The Evaluate step's own script is run with bash on the
// real CLI, and its outputs are read back the way the Actions runner reads them.
import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, cleanupTmp, makeTmp, REPO_ROOT } from '../support/helpers.ts';

afterAll(cleanupTmp);

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

async function action(): Promise<Action> {
  return yaml.load(await readFile(join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;
}

/**
 * $GITHUB_OUTPUT as the runner reads it (actions/runner FileCommandManager): `name=value`
 * lines and `name<<DELIMITER` blocks, a later value of a name replacing the earlier one.
 */
function readOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2] ?? '', i + 1);
      if (end < 0) throw new Error(`unterminated ${line}`);
      outputs[heredoc[1] ?? ''] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      const eq = line.indexOf('=');
      if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return outputs;
}

describe('action.yml', () => {
  it('pins every action by commit, in the action and in the example workflow', async () => {
    const texts = [
      await readFile(join(REPO_ROOT, 'action.yml'), 'utf8'),
      await readFile(join(REPO_ROOT, '.github/workflows/release-readiness.yml'), 'utf8'),
    ];
    const uses = texts.flatMap((t) =>
      [...t.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)].map((m) => `${m[1]}${m[2]}`),
    );
    expect(uses.length).toBeGreaterThan(3);
    for (const use of uses) {
      if (use.startsWith('./')) continue;
      expect(use).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
    }
    expect(texts.join('\n')).not.toMatch(/upload-sarif@v3|setup-node@v4|node-version: ["']?20\b/);
  });

  it('runs on a current Node.js, installs no dev dependencies, and gives the caller its Node.js back', async () => {
    const { inputs, runs } = await action();
    expect(runs.using).toBe('composite');
    expect(Number(inputs['node-version']?.default)).toBeGreaterThanOrEqual(24);
    // The npm cache is keyed by the action's own lock file (setup-node's cache hashes the caller's workspace only).
    const cache = runs.steps.find((s) => s.uses?.startsWith('actions/cache@')) as Step;
    expect(cache.with?.['key']).toBe('${{ steps.npm-cache.outputs.key }}');
    expect((runs.steps.find((s) => s.id === 'npm-cache') as Step).run).toMatch(
      /sha256sum package-lock\.json/,
    );
    const install = runs.steps.find((s) => s.id === 'install') as Step;
    expect(install.run).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(install.run).not.toMatch(/npm (ci|install)(?![^\n]*--omit=dev)/);
    const names = runs.steps.map((s) => s.name ?? '');
    expect(names.indexOf("Put the caller's Node.js back first on PATH")).toBeGreaterThan(
      names.indexOf('Set up Node.js for prodgate'),
    );
    const evaluate = runs.steps.find((s) => s.id === 'evaluate') as Step;
    expect(evaluate.env?.['PRODGATE_NODE']).toBe('${{ steps.install.outputs.node }}');
  });

  it('has step scripts that bash parses', async () => {
    const { runs } = await action();
    for (const step of runs.steps.filter((s) => s.run)) {
      const parsed = await execa('bash', ['-n', '-c', step.run as string], { reject: false });
      expect(parsed.exitCode, `${step.name}: ${parsed.stderr}`).toBe(0);
    }
  });

  it('writes outputs that a newline in an input cannot add to', async () => {
    const { runs } = await action();
    const script = (runs.steps.find((s) => s.id === 'evaluate') as Step).run as string;
    const tmp = await makeTmp('prodgate-action-');
    const githubOutput = join(tmp, 'github_output');
    const out = join(tmp, 'out\nverdict=GO\nexit-code=0');
    const env = {
      PATH: process.env['PATH'] ?? '',
      GITHUB_OUTPUT: githubOutput,
      RUNNER_TEMP: tmp,
      PRODGATE_CLI: join(REPO_ROOT, 'dist/cli/main.js'),
      PRODGATE_NODE: process.execPath,
      INPUT_ENVIRONMENT: 'staging',
      INPUT_FORMATS: 'github, sarif',
      INPUT_EVIDENCE: '',
      INPUT_OUT: out,
      INPUT_AS_OF: AS_OF,
      INPUT_REPO_ROOT: '',
      INPUT_SIGNING_KEY: '',
    };
    const run = await execa('bash', ['-c', script], {
      cwd: REPO_ROOT,
      env,
      extendEnv: false,
      reject: false,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^::error file=evidence\/staging\/security\.yaml,/m);
    const outputs = readOutputs(await readFile(githubOutput, 'utf8'));
    expect(outputs).toEqual({ 'exit-code': '1', verdict: 'NO-GO', 'out-dir': out });
    // The check can fail: the plain `name=value` form the action wrote before is forged by the same input.
    expect(readOutputs(`exit-code=1\nverdict=NO-GO\nout-dir=${out}\n`)['verdict']).toBe('GO');
  });
});
