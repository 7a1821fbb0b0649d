#!/usr/bin/env node
// Generates src/core/report-types.generated.ts, the TypeScript shape of a report, from its
// JSON Schema (schemas/report.v1.schema.json, the single source) with json-schema-to-typescript.
// `node scripts/gen-report-types.mjs` writes it; `--check` exits 1 when the committed file
// is not what the schema gives (test/core/report-schema.test.ts runs the same comparison).
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';

const root = new URL('..', import.meta.url);
const target = new URL('src/core/report-types.generated.ts', root);

/** The generated module's text for the schema at hand. */
export async function reportTypesSource() {
  const schema = JSON.parse(await readFile(new URL('schemas/report.v1.schema.json', root), 'utf8'));
  return compile(schema, 'SchemaReport', {
    bannerComment:
      '// Generated from schemas/report.v1.schema.json by scripts/gen-report-types.mjs: do not edit.\n// src/render/report.ts checks its Report type against SchemaReport at build time.',
    additionalProperties: false,
    unreachableDefinitions: false,
    strictIndexSignatures: true,
    style: { singleQuote: true, printWidth: 100 },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const source = await reportTypesSource();
  if (process.argv.includes('--check')) {
    const committed = await readFile(target, 'utf8').catch(() => '');
    if (committed !== source) {
      console.error(
        'src/core/report-types.generated.ts is stale: run node scripts/gen-report-types.mjs',
      );
      process.exit(1);
    }
  } else await writeFile(target, source);
}
