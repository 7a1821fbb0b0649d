import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PACK_ROOT } from './pack/pack.js';

/** prodgate's own name and version, from its package.json. */
export const TOOL = ((): { name: string; version: string } => {
  const pkg = JSON.parse(readFileSync(join(DEFAULT_PACK_ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
})();
