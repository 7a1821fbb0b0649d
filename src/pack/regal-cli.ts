import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CannotEvaluateError } from '../core/errors.js';
import { runTool, type ToolRun } from './opa-cli.js';
import { INSTALL_ROOT } from '../core/install-root.js';

const MODULE = 'github.com/styrainc/regal';

/** The Regal version pinned by tools/regal/go.mod (with its go.sum checksums). */
export async function pinnedRegalVersion(): Promise<string> {
  const goMod = await readFile(join(INSTALL_ROOT, 'tools/regal/go.mod'), 'utf8');
  const m = new RegExp(`${MODULE.replace(/\./g, '\\.')} v(\\d+\\.\\d+\\.\\d+)`).exec(goMod);
  if (!m?.[1]) throw new CannotEvaluateError(`tools/regal/go.mod does not pin ${MODULE}`);
  return m[1];
}

/** The Regal CLI: $REGAL_BIN, else the one scripts/setup-regal.sh built into .tools/bin. */
export function regalBinary(): string {
  return process.env['REGAL_BIN'] || join(INSTALL_ROOT, '.tools/bin/regal');
}

export function runRegal(args: string[], cwd?: string): Promise<ToolRun> {
  // Never ask GitHub for a newer Regal, whatever a pack's own config says: lint runs
  // offline and the version is pinned.
  return runTool(
    regalBinary(),
    args,
    cwd,
    'Regal',
    'bash scripts/setup-regal.sh or set REGAL_BIN',
    { REGAL_DISABLE_CHECK_VERSION: 'true' },
  );
}

/** Checks that the Regal in use is the pinned one: another version has other rules and findings. */
export async function checkRegalVersion(): Promise<string> {
  const expected = await pinnedRegalVersion();
  const run = await runRegal(['version']);
  const actual = /^Version:\s*v?(\S+)/m.exec(run.stdout)?.[1];
  if (actual !== expected)
    throw new CannotEvaluateError(
      `Regal ${actual ?? '(unknown)'} at ${regalBinary()}, but ${expected} is pinned (run bash scripts/setup-regal.sh)`,
    );
  return expected;
}

/** The committed Regal configuration: the pack's own .regal/config.yaml, else prodgate's. */
export function regalConfigFor(packRoot: string, exists: (path: string) => boolean): string {
  const own = join(packRoot, '.regal/config.yaml');
  return exists(own) ? own : join(INSTALL_ROOT, '.regal/config.yaml');
}
