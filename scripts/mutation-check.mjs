#!/usr/bin/env node
// Mutation check of the policies: makes every single change of one kind to the GO
// example (evidence/prod), its YAML files and the artifacts they name (test reports,
// scan logs), and evaluates it with the built library (dist/). A change is
// killed when the verdict turns NO-GO. Every survivor must be documented in
// docs/hostile-evidence.md (section "Mutation survivors") as harmless or as a known
// policy gap; an undocumented survivor, or a documented one that no longer survives,
// fails the check.
//
//   node scripts/mutation-check.mjs [--json] [--sample N] [--as-of YYYY-MM-DD]
//
// Exit 0: no unexplained survivor and no stale entry; 1: some; 2: cannot run.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import yaml from 'js-yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EVIDENCE = join(ROOT, 'evidence/prod');
const DOC = join(ROOT, 'docs/hostile-evidence.md');
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const AS_OF = flag('--as-of') ?? '2026-11-25';
const SAMPLE = Number(flag('--sample') ?? 0);
const JSON_OUT = args.includes('--json');

/** The day after a date, YYYY-MM-DD. */
function nextDay(date) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const pointerOf = (path) =>
  path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Every value of a document with its path: [path, value, parent]. */
function* walk(value, path = []) {
  yield [path, value];
  if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* walk(v, [...path, i]);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) yield* walk(v, [...path, k]);
}

function edit(doc, path, change) {
  const copy = structuredClone(doc);
  const parent = path.slice(0, -1).reduce((node, key) => node[key], copy);
  change(parent, path[path.length - 1]);
  return copy;
}

/** The single changes of one file: delete, empty, dates, booleans, links. */
function mutationsOf(file, doc, links) {
  const out = [];
  const add = (op, path, change) =>
    out.push({ id: `${op} ${file} ${pointerOf(path)}`, file, doc: edit(doc, path, change) });
  for (const [path, value] of walk(doc)) {
    if (path.length === 0) continue;
    const last = path[path.length - 1];
    if (typeof last === 'string') add('delete', path, (parent, key) => delete parent[key]);
    if (Array.isArray(value) && value.length > 0)
      add('empty-list', path, (parent, key) => (parent[key] = []));
    if (typeof value === 'string' && DATE.test(value)) {
      add('date-future', path, (parent, key) => (parent[key] = nextDay(AS_OF)));
      add('date-ancient', path, (parent, key) => (parent[key] = '2000-01-01'));
    }
    if (typeof value === 'boolean') add('flip', path, (parent, key) => (parent[key] = !value));
    if (typeof value === 'string' && (links.has(value) || /^https?:\/\//.test(value))) {
      const http = value.startsWith('https://')
        ? `http://${value.slice(8)}`
        : 'http://docs.todox.example/page.md';
      add('link-http', path, (parent, key) => (parent[key] = http));
      add('link-missing', path, (parent, key) => (parent[key] = 'evidence/docs/no-such-file.md'));
      add('link-escape', path, (parent, key) => (parent[key] = '../outside-the-repository/doc.md'));
      add('link-file-url', path, (parent, key) => (parent[key] = 'file:///etc/passwd'));
    }
  }
  return out;
}

/**
 * Sign-offs approve the evidence by its digest (docs/audit.md), so any change to another
 * file would be killed by them: re-approve it, as reviewers would, so that only the
 * rule under test decides whether the change is caught.
 */
async function reapprove(dir, digest) {
  const names = (await readdir(dir))
    .filter((n) => !n.startsWith('.') && /\.(json|ya?ml)$/i.test(n))
    .sort();
  const files = await Promise.all(
    names.map(async (path) => ({ path, sha256: digest.sha256(await readFile(join(dir, path))) })),
  );
  // The artifacts the evidence names are in the digest a sign-off approves too.
  const listed = names.includes('artifacts.yaml')
    ? (yaml.load(await readFile(join(dir, 'artifacts.yaml'), 'utf8'), { schema: yaml.CORE_SCHEMA })
        ?.artifacts ?? [])
    : [];
  for (const a of listed)
    if (typeof a?.path === 'string')
      files.push({
        path: a.path,
        sha256: digest.sha256(await readFile(join(dir, a.path)).catch(() => '')),
      });
  const approved = digest.bundleDigestWithout(files, 'signoff.yaml');
  const path = join(dir, 'signoff.yaml');
  const doc = yaml.load(await readFile(path, 'utf8'), { schema: yaml.CORE_SCHEMA });
  for (const role of ['product', 'engineering', 'security'])
    if (typeof doc[role]?.name === 'string') doc[role].evidenceDigest = approved;
  await writeFile(path, yaml.dump(doc, { schema: yaml.CORE_SCHEMA, lineWidth: -1 }));
}

/**
 * The single changes of the artifacts (docs/artifacts.md): in a JUnit report, each test
 * case failed, errored, skipped, flaky, reported twice (failed once) or dropped, the run
 * dated after as-of; in a SARIF log, a finding added (open, accepted, under review), the
 * run failed, another revision. Each comes as the artifact's new text.
 */
function artifactMutationsOf(file, text) {
  const out = [];
  const add = (op, where, next) => out.push({ id: `${op} ${file} ${where}`, file, text: next });
  if (file.endsWith('.xml')) {
    const count = (xml, counter, by) =>
      xml.replace(
        new RegExp(`(<testsuites? [^>]*${counter}=")(\\d+)"`, 'g'),
        (_, head, n) => `${head}${Number(n) + by}"`,
      );
    const cases = [...text.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*>\s*<\/testcase>/g)];
    for (const m of cases) {
      const tag = /\[([^\]]+)\]/.exec(m[1])?.[1] ?? m[1];
      const at = m.index;
      const body = (inner) =>
        `${text.slice(0, at)}${m[0].replace(/<\/testcase>$/, `${inner}</testcase>`)}${text.slice(at + m[0].length)}`;
      add('junit-fail', `[${tag}]`, count(body('<failure message="x"/>'), 'failures', 1));
      add('junit-error', `[${tag}]`, count(body('<error message="x"/>'), 'errors', 1));
      add('junit-skip', `[${tag}]`, count(body('<skipped/>'), 'skipped', 1));
      add('junit-flaky', `[${tag}]`, body('<flakyFailure message="x"/>'));
      add(
        'junit-rerun-failed',
        `[${tag}]`,
        count(
          count(
            `${text.slice(0, at)}${m[0].replace(/<\/testcase>$/, '<failure message="x"/></testcase>')}${m[0]}${text.slice(at + m[0].length)}`,
            'tests',
            1,
          ),
          'failures',
          1,
        ),
      );
      add(
        'junit-drop',
        `[${tag}]`,
        count(`${text.slice(0, at)}${text.slice(at + m[0].length)}`, 'tests', -1),
      );
    }
    add(
      'junit-date-future',
      'timestamp',
      text.replace(/timestamp="[^"]*"/g, `timestamp="${nextDay(AS_OF)}T10:00:00Z"`),
    );
    add(
      'junit-doctype',
      'prolog',
      text.replace(/<testsuites/, '<!DOCTYPE testsuites>\n<testsuites'),
    );
  } else if (file.endsWith('.sarif')) {
    const log = JSON.parse(text);
    const variant = (change) => {
      const copy = structuredClone(log);
      change(copy.runs[0]);
      return JSON.stringify(copy);
    };
    const result = (extra) => ({
      ruleId: 'generic-api-key',
      message: { text: 'secret' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'config/settings.yaml' },
            region: { startLine: 3 },
          },
        },
      ],
      ...extra,
    });
    add(
      'sarif-finding',
      '/runs/0/results',
      variant((r) => r.results.push(result({}))),
    );
    add(
      'sarif-finding-accepted',
      '/runs/0/results',
      variant((r) =>
        r.results.push(
          result({
            suppressions: [{ kind: 'external', status: 'accepted', justification: 'test fixture' }],
          }),
        ),
      ),
    );
    add(
      'sarif-finding-under-review',
      '/runs/0/results',
      variant((r) =>
        r.results.push(result({ suppressions: [{ kind: 'external', status: 'underReview' }] })),
      ),
    );
    add(
      'sarif-finding-no-status',
      '/runs/0/results',
      variant((r) => r.results.push(result({ suppressions: [{ kind: 'inSource' }] }))),
    );
    add(
      'sarif-not-run',
      '/runs/0/invocations',
      variant((r) => (r.invocations[0].executionSuccessful = false)),
    );
    add(
      'sarif-no-invocation',
      '/runs/0/invocations',
      variant((r) => delete r.invocations),
    );
    add(
      'sarif-revision',
      '/runs/0/versionControlProvenance',
      variant(
        (r) =>
          (r.versionControlProvenance[0].revisionId = '1111111111111111111111111111111111111111'),
      ),
    );
    add(
      'sarif-date-future',
      '/runs/0/invocations',
      variant((r) => (r.invocations[0].endTimeUtc = `${nextDay(AS_OF)}T10:00:00Z`)),
    );
  } else {
    out.push(...configMutationsOf(file, text));
  }
  return out;
}

/**
 * The single changes of a configuration file (docs/artifacts.md, "Configuration files"):
 * each alerting rule dropped; each receiver stripped of its integrations and each
 * route's receiver sent to one without; each dashboard panel's queries dropped; each
 * OTEL_*_EXPORTER set to none; each SLO document dropped; the captured alert resolved
 * or dated after as-of. Files are rewritten through js-yaml / JSON (positions change,
 * meaning does not).
 */
function configMutationsOf(file, text) {
  const out = [];
  const json = file.endsWith('.json');
  const docs = json
    ? [JSON.parse(text)]
    : yaml.loadAll(text, undefined, { schema: yaml.CORE_SCHEMA }).filter((d) => d != null);
  const write = (next) =>
    json
      ? `${JSON.stringify(next[0], null, 2)}\n`
      : next.map((d) => yaml.dump(d, { schema: yaml.CORE_SCHEMA, lineWidth: -1 })).join('---\n');
  const add = (op, where, change) => {
    const next = structuredClone(docs);
    if (change(next) === false) return;
    out.push({ id: `${op} ${file} ${where}`, file, text: write(next) });
  };
  docs.forEach((doc, d) => {
    const groups = doc?.spec?.groups ?? doc?.groups;
    const base = doc?.spec?.groups ? `/${d}/spec/groups` : `/${d}/groups`;
    for (const [gi, g] of (Array.isArray(groups) ? groups : []).entries()) {
      for (const [ri, r] of (g.rules ?? []).entries()) {
        if (r.alert === undefined) continue;
        add('rule-drop', `${base}/${gi}/rules/${ri}`, (next) => {
          const ng = next[d].spec?.groups ?? next[d].groups;
          ng[gi].rules.splice(ri, 1);
        });
      }
    }
    if (doc?.route && Array.isArray(doc.receivers)) {
      doc.receivers.forEach((r, i) => {
        if (!Object.keys(r).some((k) => k.endsWith('_configs'))) return;
        add('receiver-no-integration', `/${d}/receivers/${i}`, (next) => {
          next[d].receivers[i] = { name: r.name };
        });
      });
      for (const i of (doc.route.routes ?? []).keys())
        add('route-to-nothing', `/${d}/route/routes/${i}`, (next) => {
          next[d].receivers.push({ name: 'mutation-nothing' });
          next[d].route.routes[i].receiver = 'mutation-nothing';
          delete next[d].route.routes[i].continue;
        });
    }
    if (Array.isArray(doc?.panels)) {
      const panels = (list, at) =>
        list.forEach((p, i) => {
          if (Array.isArray(p.panels)) panels(p.panels, `${at}/${i}/panels`);
          if (!Array.isArray(p.targets)) return;
          add('panel-no-query', `/${d}${at}/${i}`, (next) => {
            let node = next[d];
            for (const k of `${at}/${i}`.split('/').slice(1)) node = node[k];
            node.targets = [];
          });
        });
      panels(doc.panels, '/panels');
    }
    for (const c of doc?.spec?.template?.spec?.containers ?? [])
      (c.env ?? []).forEach((e, i) => {
        if (!/^OTEL_(TRACES|METRICS|LOGS)_EXPORTER$/.test(e.name)) return;
        add('otel-exporter-none', `/${d}/containers/${c.name}/env/${i}`, (next) => {
          const nc = next[d].spec.template.spec.containers.find((x) => x.name === c.name);
          nc.env[i].value = 'none';
        });
      });
    if (
      typeof doc?.apiVersion === 'string' &&
      doc.apiVersion.startsWith('openslo/') &&
      docs.length > 1
    )
      add('slo-drop', `/${d}`, (next) => next.splice(d, 1));
    if (Array.isArray(doc?.alerts) && doc.version === '4') {
      add('alert-resolved', `/${d}/alerts`, (next) => {
        for (const a of next[d].alerts) a.status = 'resolved';
      });
      add('alert-date-future', `/${d}/alerts`, (next) => {
        for (const a of next[d].alerts) a.startsAt = `${nextDay(AS_OF)}T09:00:00Z`;
      });
    }
  });
  return out;
}

/** Documented survivors: table rows "| `id` | harmless or gap | why |"; `*` matches one pointer token. */
async function documented() {
  let text = '';
  try {
    text = await readFile(DOC, 'utf8');
  } catch {
    return [];
  }
  const section = text.split(/^## /m).find((s) => s.startsWith('Mutation survivors')) ?? '';
  return [...section.matchAll(/^\|\s*`([^`]+)`\s*\|\s*(harmless|gap)\s*\|\s*(.*?)\s*\|\s*$/gm)].map(
    ([, id, verdict, why]) => ({
      id,
      verdict,
      why,
      pattern: new RegExp(`^${id.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/ ]+')}$`),
    }),
  );
}

async function main() {
  let lib;
  let digest;
  try {
    lib = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
    digest = await import(pathToFileURL(join(ROOT, 'dist/core/digest.js')).href);
  } catch (thrown) {
    console.error(`mutation-check: cannot load dist/ (run npm run build): ${thrown.message}`);
    return 2;
  }
  const pack = await lib.loadPack();
  const work = await mkdtemp(join(tmpdir(), 'prodgate-mutation-'));
  try {
    await cp(EVIDENCE, work, { recursive: true });
    const evaluate = () =>
      lib.evaluateEnvironment({
        env: 'prod',
        evidenceDir: work,
        asOf: AS_OF,
        pack,
        repoRoot: ROOT,
      });
    const baseline = await evaluate();
    if (baseline.decision.verdict !== 'GO') {
      console.error(`mutation-check: evidence/prod is not GO at ${AS_OF}; nothing to mutate from`);
      return 2;
    }
    const before = new Map(baseline.decision.gates.map((g) => [g.id, g.status]));
    const links = new Set(Object.keys(baseline.input.links));

    let mutations = [];
    for (const file of (await readdir(work)).filter((f) => f.endsWith('.yaml')).sort()) {
      const doc = yaml.load(await readFile(join(work, file), 'utf8'), { schema: yaml.CORE_SCHEMA });
      mutations.push(...mutationsOf(file, doc, links));
    }
    const listing = yaml.load(
      await readFile(join(work, 'artifacts.yaml'), 'utf8').catch(() => 'artifacts: []'),
      { schema: yaml.CORE_SCHEMA },
    );
    for (const a of listing?.artifacts ?? [])
      mutations.push(...artifactMutationsOf(a.path, await readFile(join(work, a.path), 'utf8')));
    if (SAMPLE > 0 && SAMPLE < mutations.length) {
      const step = mutations.length / SAMPLE;
      mutations = Array.from({ length: SAMPLE }, (_, i) => mutations[Math.floor(i * step)]);
    }

    const results = [];
    for (const m of mutations) {
      const path = join(work, m.file);
      const original = await readFile(path, 'utf8');
      await writeFile(
        path,
        m.text ?? yaml.dump(m.doc, { schema: yaml.CORE_SCHEMA, lineWidth: -1 }),
      );
      const signoff = join(work, 'signoff.yaml');
      const approved = await readFile(signoff, 'utf8');
      if (m.file !== 'signoff.yaml') await reapprove(work, digest);
      const evaluation = await evaluate();
      await writeFile(path, original);
      await writeFile(signoff, approved);
      const flipped = evaluation.decision.gates
        .filter(
          (g) => before.get(g.id) !== g.status && (g.status === 'fail' || g.status === 'error'),
        )
        .map((g) => `${g.id}:${g.status}`);
      const bySchema = evaluation.diagnostics.some((d) => d.severity === 'error');
      results.push({
        id: m.id,
        killed: evaluation.decision.verdict === 'NO-GO',
        by: bySchema ? 'schema' : 'policy',
        flipped,
      });
    }

    const docs = await documented();
    const survivors = results
      .filter((r) => !r.killed)
      .map((r) => ({ ...r, doc: docs.find((d) => d.pattern.test(r.id)) }));
    const unexplained = survivors.filter((s) => !s.doc).map((s) => s.id);
    // A documented survivor that was checked and is now killed: the documentation is stale.
    const stale =
      SAMPLE > 0
        ? []
        : docs.filter((d) => !survivors.some((s) => d.pattern.test(s.id))).map((d) => d.id);
    const killed = results.filter((r) => r.killed).length;
    const summary = {
      asOf: AS_OF,
      mutations: results.length,
      killed,
      killedBySchema: results.filter((r) => r.killed && r.by === 'schema').length,
      killedByPolicy: results.filter((r) => r.killed && r.by === 'policy').length,
      killRate: results.length ? killed / results.length : 1,
      byOperation: Object.fromEntries(
        [
          'delete',
          'empty-list',
          'date-future',
          'date-ancient',
          'flip',
          'link-http',
          'link-missing',
          'link-escape',
          'link-file-url',
          'junit-fail',
          'junit-error',
          'junit-skip',
          'junit-flaky',
          'junit-rerun-failed',
          'junit-drop',
          'junit-date-future',
          'junit-doctype',
          'sarif-finding',
          'sarif-finding-accepted',
          'sarif-finding-under-review',
          'sarif-finding-no-status',
          'sarif-not-run',
          'sarif-no-invocation',
          'sarif-revision',
          'sarif-date-future',
          'rule-drop',
          'receiver-no-integration',
          'route-to-nothing',
          'panel-no-query',
          'otel-exporter-none',
          'slo-drop',
          'alert-resolved',
          'alert-date-future',
        ].map((op) => [op, results.filter((r) => r.id.startsWith(`${op} `)).length]),
      ),
      survivors: survivors.map((s) => ({
        id: s.id,
        verdict: s.doc?.verdict ?? 'UNEXPLAINED',
        why: s.doc?.why ?? '',
      })),
      unexplained,
      stale,
    };
    if (JSON_OUT) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      const pct = (summary.killRate * 100).toFixed(1);
      const lines = [
        `mutation check of evidence/prod at ${AS_OF}: ${killed}/${results.length} killed (${pct}%): ${summary.killedByPolicy} by a policy, ${summary.killedBySchema} by a schema`,
        ...summary.survivors.map(
          (s) => `  survivor [${s.verdict}] ${s.id}${s.why ? `: ${s.why}` : ''}`,
        ),
        ...stale.map((id) => `  STALE documented survivor that no longer survives: ${id}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return unexplained.length || stale.length ? 1 : 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
