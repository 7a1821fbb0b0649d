import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import { INSTALL_ROOT } from '../core/install-root.js';

/** The OPA version pinned by tools/opa/go.mod (with its go.sum checksums). */
export async function pinnedOpaVersion(): Promise<string> {
  const goMod = await readFile(join(INSTALL_ROOT, 'tools/opa/go.mod'), 'utf8');
  const m = /github\.com\/open-policy-agent\/opa v(\d+\.\d+\.\d+)/.exec(goMod);
  if (!m?.[1])
    throw new CannotEvaluateError('tools/opa/go.mod does not pin github.com/open-policy-agent/opa');
  return m[1];
}

/** The OPA CLI: $OPA_BIN, else the one `npm run setup:opa` built into .tools/bin. */
export function opaBinary(): string {
  return process.env['OPA_BIN'] || join(INSTALL_ROOT, '.tools/bin/opa');
}

/** Runs the OPA CLI; a non-zero exit becomes an error carrying OPA's own message. */
export async function runOpa(args: string[], cwd?: string): Promise<string> {
  const result = await runOpaRaw(args, cwd);
  if (result.exitCode !== 0) {
    const detail = `${result.stderr}\n${result.stdout}`.trim() || `exit code ${result.exitCode}`;
    throw new CannotEvaluateError(`opa ${args[0]} failed:\n${detail}`);
  }
  return result.stdout;
}

export interface ToolRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the OPA CLI and returns its exit code and output whatever they are, for the
 * commands whose non-zero exit is a finding (failing tests, unformatted files).
 * Only a missing binary throws.
 */
export async function runOpaRaw(args: string[], cwd?: string): Promise<ToolRun> {
  return runTool(opaBinary(), args, cwd, 'OPA CLI', 'npm run setup:opa or set OPA_BIN');
}

/** Runs a pinned tool; a binary that is missing or cannot start is a CannotEvaluateError naming the fix. */
export async function runTool(
  bin: string,
  args: string[],
  cwd: string | undefined,
  what: string,
  fix: string,
  env: Record<string, string> = {},
): Promise<ToolRun> {
  try {
    const { execa } = await import('execa');
    const result = await execa(bin, args, {
      cwd,
      env,
      reject: false,
      maxBuffer: 256 * 1024 * 1024,
      stripFinalNewline: false,
    });
    if (result.failed && result.exitCode === undefined) throw result;
    return {
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout),
      stderr: String(result.stderr),
    };
  } catch (thrown) {
    const failure = thrown as { code?: string };
    if (failure.code === 'ENOENT' || failure.code === 'EACCES')
      throw new CannotEvaluateError(`${what} not found at ${bin}: run ${fix}`);
    throw new CannotEvaluateError(`${what} at ${bin} cannot be run: ${messageOf(thrown)}`);
  }
}

/** Checks that the OPA CLI in use is the pinned version: a different compiler means a different policy.wasm. */
export async function checkOpaVersion(): Promise<string> {
  const expected = await pinnedOpaVersion();
  const out = await runOpa(['version']);
  const actual = /^Version: (\S+)/m.exec(out)?.[1];
  if (actual !== expected)
    throw new CannotEvaluateError(
      `OPA ${actual ?? '(unknown)'} at ${opaBinary()}, but ${expected} is pinned`,
    );
  return expected;
}
