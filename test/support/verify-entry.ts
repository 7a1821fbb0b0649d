// Runs the test-only CLI entry (support/cli.mjs) as a subprocess, with a controlled environment.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { withoutCiContext } from '../../src/provenance/ci-context.ts';
import { REPO_ROOT, type CliResult } from './helpers.ts';

export const ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'cli.mjs');

/**
 * The entry with `args`; `env` replaces the environment entirely (PATH is kept so that
 * node and opa are found), so that nothing of the test runner's environment leaks in.
 */
export async function runEntry(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  if (!existsSync(join(REPO_ROOT, 'dist/verify/verify.js')))
    throw new Error('dist/ has no verify modules: run npm run build first');
  const env = options.env ?? withoutCiContext({ ...process.env, PRODGATE_DEBUG: '' });
  const result = await execa('node', [ENTRY, ...args], {
    reject: false,
    cwd: options.cwd ?? REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    extendEnv: false,
    stripFinalNewline: false,
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}
