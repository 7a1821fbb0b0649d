import { STATUSES, type GateStatus, type GateVerdict } from '../../decide/verdict.js';
import { escapeHtml } from '../../text/escape.js';
import type { GateMeta } from '../../pack/catalog.js';
import { STATUS_LABEL } from '../format-reason.js';
import type { Report } from '../report.js';
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from './html-assets.js';
import { evidenceDirOf, formatRepoRef, gateOrder, shortTitle, type FormatOptions } from './shared.js';

/**
 * One self-contained HTML page for people: the verdict, counts per status, and the
 * checklist as a gate × environment matrix (one column per report), each gate
 * expandable to its reasons, evidence, waiver and remediation. Filters by status need
 * the small inline script; without it every gate is shown. Nothing is fetched: no
 * fonts, images or scripts from anywhere, enforced by a Content-Security-Policy.
 * Every text from evidence or policies is escaped. Same reports -> same bytes.
 */
export function renderHtml(reports: Report[], gates: GateMeta[], options: FormatOptions = {}): string {
  const metas = new Map(gates.map((g) => [g.id, g]));
  const go = reports.length > 0 && reports.every((r) => r.verdict === 'GO');
  const envs = reports.map((r) => r.environment);
  const asOf = [...new Set(reports.map((r) => r.asOf))].join(', ');
  const rows = gateOrder(reports, gates).map((id) => gateRow(id, reports, metas.get(id), options));
  const title = `prodgate: ${go ? 'GO' : 'NO-GO'} · ${envs.join(', ')} · as of ${asOf}`;
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
    `<header class="banner ${go ? 'go' : 'no-go'}" data-verdict="${go ? 'GO' : 'NO-GO'}">`,
    `<h1>${go ? 'GO' : 'NO-GO'}</h1>`,
    `<p>${reports.map((r) => `${esc(r.environment)}: ${r.verdict}`).join(' · ')} · as of ${esc(asOf)}</p>`,
    '</header>',
    '<main>',
    `<section class="envs" aria-label="Environments">${reports.map(envCard).join('')}</section>`,
    filters(rows.map((r) => r.statuses)),
    '<div class="scroll">',
    '<table class="matrix">',
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

interface Row {
  id: string;
  section: string;
  statuses: Set<GateStatus>;
  html: string;
}

function gateRow(id: string, reports: Report[], meta: GateMeta | undefined, options: FormatOptions): Row {
  const verdicts = reports.map((r) => r.gates.find((g) => g.id === id));
  const any = verdicts.find((v): v is GateVerdict => v !== undefined);
  const title = meta?.title ?? any?.title ?? id;
  const section = meta?.section ?? any?.section ?? '';
  const parent = meta?.parent ?? any?.parent;
  const statuses = new Set(verdicts.filter((v): v is GateVerdict => v !== undefined).map((v) => v.status));
  const cells = verdicts.map((v, i) => cell(reports[i]?.environment ?? '', v)).join('');
  const details = [
    meta?.description ? `<p>${esc(meta.description)}</p>` : '',
    ...verdicts.map((v, i) => (v ? envDetail(reports[i] as Report, v, options) : '')),
    meta?.remediation && [...statuses].some((s) => s === 'fail' || s === 'error' || s === 'waived') ? `<h4>Remediation</h4><p>${esc(meta.remediation)}</p>` : '',
  ].join('');
  const html = [
    `<tr class="gate${parent ? ' child' : ''}" data-gate="${esc(id)}" data-statuses="${[...statuses].sort().join(' ')}">`,
    `<th scope="row"><details><summary>${esc(shortTitle(title))} <code>${esc(id)}</code></summary><div class="detail">${details}</div></details></th>`,
    cells,
    '</tr>',
  ].join('');
  return { id, section, statuses, html };
}

function cell(env: string, v: GateVerdict | undefined): string {
  if (!v) return `<td class="cell st-none" data-env="${esc(env)}" data-status="">—</td>`; // not evaluated there
  const until = v.status === 'waived' && v.waiver ? `<small>until ${esc(v.waiver.expires)}</small>` : '';
  const tip = v.status === 'waived' && v.waiver ? ` title="${esc(`waived by ${v.waiver.approver} until ${v.waiver.expires}`)}"` : '';
  return `<td class="cell" data-env="${esc(env)}" data-status="${v.status}"${tip}><span class="badge st-${v.status}">${STATUS_LABEL[v.status]}</span>${until}</td>`;
}

function envDetail(report: Report, v: GateVerdict, options: FormatOptions): string {
  const dir = evidenceDirOf(options, report.environment);
  const parts = [`<h4>${esc(report.environment)}: <span class="badge st-${v.status}">${STATUS_LABEL[v.status]}</span></h4>`, `<p>Rule: ${esc(v.rule)}</p>`];
  if (v.waiver) {
    const w = v.waiver;
    const ticket = w.ticket && /^https:\/\/\S+$/.test(w.ticket) ? ` · <a href="${esc(w.ticket)}" rel="noopener noreferrer">${esc(w.ticket)}</a>` : '';
    parts.push(`<p class="waiver">Waived by <strong>${esc(w.approver)}</strong> until <strong>${esc(w.expires)}</strong>: ${esc(w.justification)}${ticket}</p>`);
  }
  const reasons = v.reasons.filter((r) => r.code !== 'waived');
  if (reasons.length) {
    const items = reasons.map((r) => {
      const where = r.evidence.map((ref) => `<span class="where">${esc(formatRepoRef(ref, dir))}</span>`).join(', ');
      return `<li>${esc(r.message)}${where ? `<br>${where}` : ''}</li>`;
    });
    parts.push(`<ul>${items.join('')}</ul>`);
  }
  return parts.join('');
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
    out.push(`<tr class="head"><th colspan="${columns + 1}" scope="colgroup">${esc(section)}</th></tr>`);
    for (const row of bySection.get(section) ?? []) out.push(row.html);
    out.push('</tbody>');
  }
  return out;
}

function filters(statuses: Set<GateStatus>[]): string {
  const count = (s: GateStatus): number => statuses.filter((set) => set.has(s)).length;
  const buttons = [`<button type="button" data-filter="all" aria-pressed="true">all (${statuses.length})</button>`];
  for (const s of STATUSES) buttons.push(`<button type="button" data-filter="${s}" aria-pressed="false">${STATUS_LABEL[s].toLowerCase()} (${count(s)})</button>`);
  return `<nav class="filters" aria-label="Show gates by status"><span>Show gates that are</span>${buttons.join('')}</nav>`;
}

function envCard(report: Report): string {
  const c = report.counts;
  const counts = STATUSES.map((s) => `<li class="st-count" data-status="${s}">${STATUS_LABEL[s]} <strong>${c[s]}</strong></li>`).join('');
  const issues = [
    ...report.problems.map((p) => `<li>problem: ${esc(p)}</li>`),
    ...report.diagnostics.map((d) => `<li>${esc(`${d.severity}: ${d.file}:${d.line}:${d.column}: ${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}`)}</li>`),
  ];
  const verdict = report.verdict === 'GO' ? 'go' : 'no-go';
  return [
    `<article class="env" data-env="${esc(report.environment)}">`,
    `<h2>${esc(report.environment)} <span class="verdict ${verdict}">${report.verdict}</span></h2>`,
    `<div>as of ${esc(report.asOf)} · ${report.evidence.files.length} evidence file(s)</div>`,
    `<ul class="counts">${counts}</ul>`,
    issues.length ? `<ul class="problems">${issues.join('')}</ul>` : '',
    '</article>',
  ].join('');
}

function footer(reports: Report[]): string {
  const first = reports[0];
  if (!first) return '<footer>No environment was evaluated.</footer>';
  const digests = reports.map((r) => `${esc(r.environment)} evidence <code>${esc(r.evidence.digest)}</code>`).join(' · ');
  return `<footer>Generated by ${esc(first.tool.name)} ${esc(first.tool.version)} · policy ${esc(first.policy.pack)} (OPA ${esc(first.policy.opaVersion)}, wasm sha256 <code>${esc(first.policy.wasmSha256)}</code>) · ${digests}. Re-run <code>npx prodgate evaluate</code> to reproduce.</footer>`;
}

/** Text or attribute value, safe anywhere in the page (src/text/escape.ts). */
export function esc(value: string): string {
  return escapeHtml(value);
}
