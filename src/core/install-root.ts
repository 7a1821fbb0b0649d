import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where prodgate itself is installed: the folder holding its package.json, its pinned
 * tool versions (tools/opa/go.mod, tools/regal/go.mod), the tools built from them
 * (.tools/bin) and the pack it ships. Computed from this module's own location
 * (src/core/ or dist/core/, two levels below). Not the pack being evaluated: that is
 * `--pack`, whose default (pack/pack.ts DEFAULT_PACK_ROOT) happens to live here.
 */
export const INSTALL_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
