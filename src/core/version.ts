import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALL_ROOT } from './install-root.js';

/** prodgate's own name and version, from its package.json. */
export const TOOL = ((): { name: string; version: string } => {
  const pkg = JSON.parse(readFileSync(join(INSTALL_ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
})();
