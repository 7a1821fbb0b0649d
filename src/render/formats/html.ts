import { STATUSES, type GateStatus, type GateVerdict } from '../../decide/verdict.js';
import { escapeHtml } from '../../core/text/escape.js';
import type { GateMeta } from '../../pack/catalog.js';
import { STATUS_LABEL } from '../format-reason.js';
import type { Report } from '../report.js';
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from './html-assets.js';
import {
  evidenceDirOf,
  failsThroughItems,
  findingCounts,
  formatRepoRef,
  gateOrder,
  isFinding,
  shortTitle,
  type FormatOptions,
} from './shared.js';
import { plain, reportsFormat, type ReportsFormat } from './format.js';

/**
 * One self-contained HTML page for people: a verdict per environment (the banner is
 * red only when every environment shown is NO-GO; a mixed page says which is which),
 * each environment's release id, revision and owner and its counts (the same counts as
 * every format), the gates that need attention first (links to their rows), then the
 * checklist as a gate × environment matrix with a caption and a header row that stays
 * in view while the table scrolls, each gate expandable to its reasons, evidence,
 * waiver and remediation. Filters by status need the small inline script; without it
 * every gate is shown. Nothing is fetched: no fonts, images or scripts from anywhere,
 * enforced by a Content-Security-Policy. Every text from evidence or policies is
 * escaped. Same reports -> same bytes.
 */
export function renderHtml(
  reports: Report[],
  gates: GateMeta[],
  options: FormatOptions = {},
): string {
  const metas = new Map(gates.map((g) => [g.id, g]));
  const envs = reports.map((r) => r.environment);
  const asOf = [...new Set(reports.map((r) => r.asOf))].join(', ');
  const rows = gateOrder(reports, gates).map((id) => gateRow(id, reports, metas.get(id), options));
  const verdicts = new Set(reports.map((r) => r.verdict));
  const overall =
    reports.length === 0
      ? 'NO-GO'
      : verdicts.size === 1
        ? (reports[0]?.verdict ?? 'NO-GO')
        : 'MIXED';
  const banner = overall === 'GO' ? 'go' : overall === 'NO-GO' ? 'no-go' : 'mixed';
  const heading =
    overall === 'MIXED'
      ? envs.length > 1
        ? reports.map((r) => `${r.environment} ${r.verdict}`).join(' · ')
        : 'NO-GO'
      : reports.length > 1
        ? `${overall} in every environment`
        : overall;
  const title = `prodgate: ${reports.map((r) => `${r.environment} ${r.verdict}`).join(', ') || 'no environment'} · as of ${asOf}`;
  return `${[
    '<!DOCTYPE html>',
    '<html lang="en" class="no-js">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header class="banner ${banner}" data-verdict="${overall}">`,
    `<h1>${esc(heading)}</h1>`,
    `<p>Release readiness · as of ${esc(asOf)}</p>`,
    '</header>',
    '<main>',
    `<section class="envs" aria-label="Environments">${reports.map((r) => envCard(r, options)).join('')}</section>`,
    attention(reports),
    filters(rows.map((r) => r.statuses)),
    '<div class="scroll" tabindex="0" role="region" aria-labelledby="matrix-caption">',
    '<table class="matrix">',
    `<caption id="matrix-caption">Gates by environment (${rows.length} gates × ${envs.length} environment${envs.length === 1 ? '' : 's'})</caption>`,
    `<thead><tr><th scope="col">Gate</th>${envs.map((e) => `<th scope="col" data-env="${esc(e)}">${esc(e)}</th>`).join('')}</tr></thead>`,
    ...sections(rows, envs.length),
    '</table>',
    '</div>',
    footer(reports),
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
  ].join('\n')}\n`;
}

/** The gates that fail or error on their own reasons, per environment, each a link to its row: what to fix first. */
function attention(reports: Report[]): string {
  const items = reports.flatMap((r) =>
    r.gates
      .filter(isFinding)
      .map(
        (g) =>
          `<li><a href="#${esc(rowId(g.id))}"><span class="badge st-${g.status}">${STATUS_LABEL[g.status]}</span> ${esc(r.environment)} · ${esc(shortTitle(g.title))} <code>${esc(g.id)}</code></a></li>`,
      ),
  );
  if (items.length === 0)
    return '<section class="attention" aria-label="Needs attention"><h2>Needs attention</h2><p>No gate fails or errors.</p></section>';
  return `<section class="attention" aria-label="Needs attention"><h2>Needs attention (${items.length})</h2><ul>${items.join('')}</ul></section>`;
}

/** The id of a gate's row: `gate-` and the gate id (ids are dotted lowercase words and hyphens). */
function rowId(id: string): string {
  return `gate-${id}`;
}

interface Row {
  id: string;
  section: string;
  statuses: Set<GateStatus>;
  html: string;
}

function gateRow(
  id: string,
  reports: Report[],
  meta: GateMeta | undefined,
  options: FormatOptions,
): Row {
  const verdicts = reports.map((r) => r.gates.find((g) => g.id === id));
  const any = verdicts.find((v): v is GateVerdict => v !== undefined);
  const title = meta?.title ?? any?.title ?? id;
  const section = meta?.section ?? any?.section ?? '';
  const parent = meta?.parent ?? any?.parent;
  // What the filters match: a parent failing only through its items is counted at them (as in every format).
  const statuses = new Set(
    verdicts
      .filter((v): v is GateVerdict => v !== undefined && !failsThroughItems(v))
      .map((v) => v.status),
  );
  const cells = verdicts.map((v, i) => cell(reports[i]?.environment ?? '', v)).join('');
  const details = [
    meta?.description ? `<p>${esc(meta.description)}</p>` : '',
    ...verdicts.map((v, i) => (v ? envDetail(reports[i] as Report, v, options) : '')),
    meta?.remediation && verdicts.some((v) => v && ['fail', 'error', 'waived'].includes(v.status))
      ? `<h4>Remediation</h4><p>${esc(meta.remediation)}</p>`
      : '',
  ].join('');
  const html = [
    `<tr class="gate${parent ? ' child' : ''}" id="${esc(rowId(id))}" data-gate="${esc(id)}" data-statuses="${[...statuses].sort().join(' ')}">`,
    `<th scope="row"><details><summary>${esc(shortTitle(title))} <code>${esc(id)}</code></summary><div class="detail">${details}</div></details></th>`,
    cells,
    '</tr>',
  ].join('');
  return { id, section, statuses, html };
}

function cell(env: string, v: GateVerdict | undefined): string {
  if (!v) return `<td class="cell st-none" data-env="${esc(env)}" data-status="">—</td>`; // not evaluated there
  const until =
    v.status === 'waived' && v.waiver ? `<small>until ${esc(v.waiver.expires)}</small>` : '';
  const tip =
    v.status === 'waived' && v.waiver
      ? ` title="${esc(`waived by ${v.waiver.approver} until ${v.waiver.expires}`)}"`
      : '';
  return `<td class="cell" data-env="${esc(env)}" data-status="${v.status}"${tip}><span class="badge st-${v.status}">${STATUS_LABEL[v.status]}</span>${until}</td>`;
}

function envDetail(report: Report, v: GateVerdict, options: FormatOptions): string {
  const dir = evidenceDirOf(options, report.environment);
  const parts = [
    `<h4>${esc(report.environment)}: <span class="badge st-${v.status}">${STATUS_LABEL[v.status]}</span></h4>`,
    `<p>Rule: ${esc(v.rule)}</p>`,
  ];
  if (v.waiver) {
    const w = v.waiver;
    const ticket =
      w.ticket && /^https:\/\/\S+$/.test(w.ticket)
        ? ` · <a href="${esc(w.ticket)}" rel="noopener noreferrer">${esc(w.ticket)}</a>`
        : '';
    parts.push(
      `<p class="waiver">Waived by <strong>${esc(w.approver)}</strong> until <strong>${esc(w.expires)}</strong>: ${esc(w.justification)}${ticket}</p>`,
    );
  }
  const reasons = v.reasons.filter((r) => r.code !== 'waived');
  if (reasons.length) {
    const items = reasons.map((r) => {
      const where = r.evidence
        .map((ref) => `<span class="where">${esc(formatRepoRef(ref, dir))}</span>`)
        .join(', ');
      return `<li>${esc(r.message)}${where ? `<br>${where}` : ''}</li>`;
    });
    parts.push(`<ul>${items.join('')}</ul>`);
  }
  if (v.facts?.length) parts.push(factsTable(v, dir));
  return parts.join('');
}

/** Claimed and recorded facts side by side (docs/artifacts.md). */
function factsTable(v: GateVerdict, dir: string): string {
  const rows = (v.facts ?? []).map((f) => {
    const where = esc(formatRepoRef(f, dir));
    const from =
      f.source === 'recorded' && f.artifact
        ? `${esc(f.artifact.path)} (${esc(f.artifact.format)}, sha256 <code>${esc(f.artifact.sha256.slice(0, 12))}</code>), ${esc(f.artifact.selector)}`
        : 'typed in the evidence';
    return `<tr><td class="fact-${f.source}">${f.source}</td><td><span class="where">${where}</span></td><td>${from}</td></tr>`;
  });
  return `<table class="facts"><caption>Facts: claimed or recorded</caption><thead><tr><th scope="col">fact</th><th scope="col">where</th><th scope="col">from</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function sections(rows: Row[], columns: number): string[] {
  const out: string[] = [];
  const order: string[] = [];
  const bySection = new Map<string, Row[]>();
  for (const row of rows) {
    if (!bySection.has(row.section)) order.push(row.section);
    bySection.set(row.section, [...(bySection.get(row.section) ?? []), row]);
  }
  for (const section of order) {
    out.push(`<tbody class="section" data-section="${esc(section)}">`);
    out.push(
      `<tr class="head"><th colspan="${columns + 1}" scope="colgroup">${esc(section)}</th></tr>`,
    );
    for (const row of bySection.get(section) ?? []) out.push(row.html);
    out.push('</tbody>');
  }
  return out;
}

/**
 * The filter buttons; each count is the number of rows (gates) the button shows: the
 * gates with that status in at least one environment. The environment cards count per
 * environment.
 */
function filters(statuses: Set<GateStatus>[]): string {
  const count = (s: GateStatus): number => statuses.filter((set) => set.has(s)).length;
  const label = (name: string, n: number): string => `${name} (${n})`;
  const buttons = [
    `<button type="button" data-filter="all" aria-pressed="true" title="every gate: ${statuses.length}">${label('all', statuses.length)}</button>`,
  ];
  for (const s of STATUSES) {
    const n = count(s);
    buttons.push(
      `<button type="button" data-filter="${s}" aria-pressed="false" title="${n} gate${n === 1 ? '' : 's'} ${STATUS_LABEL[s].toLowerCase()} in at least one environment">${label(STATUS_LABEL[s].toLowerCase(), n)}</button>`,
    );
  }
  return `<nav class="filters" aria-label="Show gates by status"><span>Show gates (any environment) that are</span>${buttons.join('')}</nav>`;
}

function envCard(report: Report, options: FormatOptions): string {
  const c = findingCounts(report.gates);
  const counts = STATUSES.map(
    (s) =>
      `<li class="st-count" data-status="${s}">${STATUS_LABEL[s]} <strong>${c[s]}</strong></li>`,
  ).join('');
  const through = c.throughItems
    ? `<p class="through">and ${c.throughItems} parent gate${c.throughItems === 1 ? '' : 's'} failing through the items counted above</p>`
    : '';
  const issues = [
    ...report.problems.map((p) => `<li>problem: ${esc(p)}</li>`),
    ...report.diagnostics.map(
      (d) =>
        `<li>${esc(`${d.severity}: ${d.file}:${d.line}:${d.column}: ${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}`)}</li>`,
    ),
  ];
  const verdict = report.verdict === 'GO' ? 'go' : 'no-go';
  const release = options.release?.(report.environment);
  const facts = [
    release?.id ? `<dt>Release</dt><dd>${esc(release.id)}</dd>` : '',
    release?.revision ? `<dt>Revision</dt><dd><code>${esc(release.revision)}</code></dd>` : '',
    release?.owner ? `<dt>Owner</dt><dd>${esc(release.owner)}</dd>` : '',
  ].join('');
  return [
    `<article class="env ${verdict}" data-env="${esc(report.environment)}">`,
    `<h2>${esc(report.environment)} <span class="verdict ${verdict}">${report.verdict}</span></h2>`,
    facts ? `<dl class="release">${facts}</dl>` : '',
    `<div>as of ${esc(report.asOf)} · ${report.evidence.files.length} evidence file(s)</div>`,
    `<ul class="counts" aria-label="Gates in ${esc(report.environment)} by status">${counts}</ul>`,
    through,
    issues.length ? `<ul class="problems">${issues.join('')}</ul>` : '',
    '</article>',
  ].join('');
}

function footer(reports: Report[]): string {
  const first = reports[0];
  if (!first) return '<footer>No environment was evaluated.</footer>';
  const digests = reports
    .map((r) => `${esc(r.environment)} evidence <code>${esc(r.evidence.digest)}</code>`)
    .join(' · ');
  return `<footer>Generated by ${esc(first.tool.name)} ${esc(first.tool.version)} · policy ${esc(first.policy.pack)} (OPA ${esc(first.policy.opaVersion)}, wasm sha256 <code>${esc(first.policy.wasmSha256)}</code>) · ${digests}. Re-run <code>npx prodgate evaluate</code> to reproduce.</footer>`;
}

/** Text or attribute value, safe anywhere in the page (src/core/text/escape.ts). */
export function esc(value: string): string {
  return escapeHtml(value);
}

/** The `html` format's registry entry (index.ts). */
export const htmlFormat: ReportsFormat = reportsFormat({
  name: 'html',
  kind: 'HTML',
  extension: 'html',
  description: 'one self-contained HTML page for people',
  render: plain(renderHtml),
});
