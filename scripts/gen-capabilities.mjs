#!/usr/bin/env node
// Writes policies/capabilities.json: the builtins that a policy compiled with
// `opa build -t wasm` can really call under @open-policy-agent/opa-wasm.
// That is the set the OPA wasm compiler implements natively (read from the pinned
// OPA source) plus the few the JS SDK supplies. Building against this file makes an
// unsupported builtin (time.*, semver.*, crypto.*, http.send, ...) fail at build time
// instead of silently making a rule undefined at evaluation time.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const opa = process.env.OPA_BIN ?? join(root, '.tools/bin/opa');
const goBin = process.env.GO ?? 'go';

const opaSrc = execFileSync(
  goBin,
  ['list', '-m', '-f', '{{.Dir}}', 'github.com/open-policy-agent/opa'],
  {
    cwd: join(root, 'tools/opa'),
    encoding: 'utf8',
  },
).trim();

// Go identifier -> builtin name, from v1/ast/builtins.go (`var Plus = &Builtin{ Name: "plus"`).
const astSource = readFileSync(join(opaSrc, 'v1/ast/builtins.go'), 'utf8');
const nameOf = new Map();
for (const m of astSource.matchAll(/^var (\w+) = &Builtin\{\s*Name:\s*"([^"]+)"/gm))
  nameOf.set(m[1], m[2]);

// The wasm compiler's native table: `ast.Plus.Name: "opa_arith_plus"`.
const wasmSource = readFileSync(join(opaSrc, 'internal/compiler/wasm/wasm.go'), 'utf8');
const table = wasmSource.slice(
  wasmSource.indexOf('var builtinsFunctions'),
  wasmSource.indexOf('var builtinsUsingRE2'),
);
const supported = new Set(['eq', 'assign']); // compiled out by the planner
for (const m of table.matchAll(/ast\.(\w+)\.Name:/g)) {
  const name = nameOf.get(m[1]);
  if (!name) throw new Error(`cannot resolve ast.${m[1]} to a builtin name`);
  supported.add(name);
}

// Builtins the JS SDK provides itself: the keys of its builtins module.
const require = createRequire(import.meta.url);
const sdkBuiltins = require(
  join(dirname(require.resolve('@open-policy-agent/opa-wasm')), 'builtins/index.js'),
);
for (const name of Object.keys(sdkBuiltins)) supported.add(name);

const current = JSON.parse(
  execFileSync(opa, ['capabilities', '--current'], { encoding: 'utf8', maxBuffer: 64 << 20 }),
);
const builtins = current.builtins.filter((b) => supported.has(b.name));
const missing = [...supported].filter((n) => !builtins.some((b) => b.name === n));
if (missing.length) throw new Error(`not in OPA's capabilities: ${missing.join(', ')}`);

const capabilities = {
  builtins,
  wasm_abi_versions: current.wasm_abi_versions,
  features: ['rego_v1'],
};
writeFileSync(
  join(root, 'policies/capabilities.json'),
  `${JSON.stringify(capabilities, null, 2)}\n`,
);
console.log(
  `policies/capabilities.json: ${builtins.length} builtins (${[...supported].sort().join(' ')})`,
);
