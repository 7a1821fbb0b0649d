// The layering of src/, checked by `npm run lint:layers` (part of `npm test`).
//
// STAGES is the one place the stage order is written: bottom first, in the order the
// data flows (docs/architecture.md). A module may import its own stage and any stage
// below it, never one above; the import graph has no cycle. Each entry is a name and the
// paths (under src/) that make up the stage.
const STAGES = [
  ['core', ['core/']], // shared pieces; imports no stage
  ['load', ['load/']], // evidence files parsed, with positions
  ['validate', ['validate/']], // JSON Schemas (ajv)
  ['pack', ['pack/']], // the policy pack: bundle, catalog, options, build
  ['collect', ['collect/']], // artifacts the evidence names
  ['evaluate', ['evaluate/']], // policy input, opa-wasm
  ['decide', ['decide/']], // gate verdicts, waivers, GO / NO-GO
  ['provenance', ['provenance/']], // what a verdict rests on, digested once
  ['render', ['render/']], // checklist, report, CI formats (no I/O, no hashing)
  ['attest', ['attest/']], // DSSE / in-toto over the written outputs
  ['pipeline', ['pipeline/', 'engine.ts']], // load -> ... -> decide, orchestrated
  ['verify', ['verify/']], // re-evaluation, report files read back, diff
  ['authoring', ['authoring/']], // prodgate test / lint / new / init
  ['cli', ['cli/', 'index.ts']], // flags, exit codes; the library's public face
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathsOf = (paths) => `^src/(${paths.map(escape).join('|')})`;

/** One rule per stage: nothing in it may import a stage above it. */
const backArrows = STAGES.slice(0, -1).map(([name, paths], index) => ({
  name: `no-back-arrow-from-${name}`,
  comment: `${name} may import only ${STAGES.slice(0, index + 1)
    .map(([below]) => below)
    .join(', ')} (stage order: .dependency-cruiser.cjs)`,
  severity: 'error',
  from: { path: pathsOf(paths) },
  to: { path: pathsOf(STAGES.slice(index + 1).flatMap(([, above]) => above)) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...backArrows,
    {
      name: 'no-cycle',
      comment: 'modules of src/ import each other in a loop',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'render-reads-no-file',
      comment:
        'render/ does no file I/O and digests no input: provenance is computed once, before render, and passed in (provenance/evaluation.ts)',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: ['^(node:)?fs(/promises)?$', '^src/core/(digest|io/)', '^src/provenance/pack-digests'] },
    },
    {
      name: 'no-stage-less-module',
      comment: 'every module of src/ belongs to a stage listed in .dependency-cruiser.cjs',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: pathsOf(STAGES.flatMap(([, paths]) => paths)),
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from a higher stage is a back-arrow too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
