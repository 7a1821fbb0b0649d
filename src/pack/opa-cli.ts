import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { CannotEvaluateError, messageOf } from '../errors.js';
import { DEFAULT_PACK_ROOT } from './pack.js';

/** The OPA version pinned by tools/opa/go.mod (with its go.sum checksums). */
export async function pinnedOpaVersion(): Promise<string> {
  const goMod = await readFile(join(DEFAULT_PACK_ROOT, 'tools/opa/go.mod'), 'utf8');
  const m = /github\.com\/open-policy-agent\/opa v(\d+\.\d+\.\d+)/.exec(goMod);
  if (!m?.[1]) throw new CannotEvaluateError('tools/opa/go.mod does not pin github.com/open-policy-agent/opa');
  return m[1];
}

/** The OPA CLI: $OPA_BIN, else the one `npm run setup:opa` built into .tools/bin. */
export function opaBinary(): string {
  return process.env['OPA_BIN'] || join(DEFAULT_PACK_ROOT, '.tools/bin/opa');
}

/** Runs the OPA CLI; a non-zero exit becomes an error carrying OPA's own message. */
export async function runOpa(args: string[], cwd?: string): Promise<string> {
  try {
    const result = await execa(opaBinary(), args, { cwd, maxBuffer: 256 * 1024 * 1024, stripFinalNewline: false });
    return result.stdout;
  } catch (thrown) {
    const failure = thrown as { stderr?: string; stdout?: string; code?: string };
    if (failure.code === 'ENOENT') throw new CannotEvaluateError(`OPA CLI not found at ${opaBinary()}: run npm run setup:opa or set OPA_BIN`);
    const detail = `${failure.stderr ?? ''}\n${failure.stdout ?? ''}`.trim() || messageOf(thrown);
    throw new CannotEvaluateError(`opa ${args[0]} failed:\n${detail}`);
  }
}

/** Checks that the OPA CLI in use is the pinned version: a different compiler means a different policy.wasm. */
export async function checkOpaVersion(): Promise<string> {
  const expected = await pinnedOpaVersion();
  const out = await runOpa(['version']);
  const actual = /^Version: (\S+)/m.exec(out)?.[1];
  if (actual !== expected) throw new CannotEvaluateError(`OPA ${actual ?? '(unknown)'} at ${opaBinary()}, but ${expected} is pinned`);
  return expected;
}
