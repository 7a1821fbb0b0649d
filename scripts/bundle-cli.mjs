#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles the CLI (dist/cli/main.js and everything it
// imports, node_modules included) into one ES module per command with esbuild, replacing
// dist/cli/main.js. Measured (npm run bench, node --cpu-prof): resolving and loading ~100
// ES modules and ~150 CommonJS files cost more CPU time than an evaluation itself; a few
// files cost a fraction of it. Each command's own code stays in its own chunk, loaded
// only when that command runs, as src/cli/main.ts intends. The library (dist/index.js)
// stays as tsc wrote it.
import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const CLI_DIR = join(DIST, 'cli');
const staging = mkdtempSync(join(tmpdir(), 'prodgate-bundle-'));

// Modules find the pack, the schemas and the compiled validators relative to their own
// file (import.meta.url): each keeps its own location inside the bundle, as seen from
// dist/cli/, where every output file is written.
const ownLocation = {
  name: 'own-import-meta-url',
  setup(context) {
    context.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(`${DIST}/`)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromCli = JSON.stringify(relative(CLI_DIR, args.path));
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${fromCli}, import.meta.url).href`),
        loader: 'js',
      };
    });
  },
};

try {
  await build({
    entryPoints: [join(CLI_DIR, 'main.js')],
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'main-[hash]',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS packages inside an ES module still call require (node: built-ins, JSON).
    banner: {
      js: "import { createRequire as prodgateCreateRequire } from 'node:module'; const require = prodgateCreateRequire(import.meta.url);",
    },
    plugins: [ownLocation],
  });
  rmSync(join(CLI_DIR, 'main.js.map'), { force: true });
  for (const old of readdirSync(CLI_DIR).filter((n) => /^main-[A-Z0-9]+\.js$/.test(n)))
    rmSync(join(CLI_DIR, old));
  for (const name of readdirSync(staging)) renameSync(join(staging, name), join(CLI_DIR, name));
} finally {
  rmSync(staging, { recursive: true, force: true });
}
