#!/usr/bin/env node
// Part of `npm run build`, after tsc: compiles the artifact schemas (schemas/artifacts/) to
// ajv standalone code in dist/collect/artifact-validators/, so that reading an artifact
// compiles nothing (src/collect/artifact-validators.ts).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { COMPILED_DIR, compileArtifactValidators } from '../dist/collect/artifact-validators.js';

rmSync(COMPILED_DIR, { recursive: true, force: true });
mkdirSync(COMPILED_DIR, { recursive: true });
for (const [name, code] of compileArtifactValidators())
  writeFileSync(new URL(`${name}.cjs`, COMPILED_DIR), code);
