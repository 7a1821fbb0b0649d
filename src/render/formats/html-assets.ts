import { createHash } from 'node:crypto';

// The HTML report's only style and script, inlined: the file must open from a CI
// artifact or a mail attachment with no network. The Content-Security-Policy admits
// exactly these two by hash, so nothing else in the page can load or run.

export const STYLE = `
:root { --pass: #1a7f37; --fail: #cf222e; --error: #8250df; --waived: #9a6700; --na: #6e7781; --line: #d0d7de; --soft: #f6f8fa; --ink: #1f2328; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 0 16px 32px; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.banner { padding: 18px 16px; color: #fff; }
.banner h1 { margin: 0; font-size: 2rem; letter-spacing: 0.02em; }
.banner p { margin: 4px 0 0; }
.banner.go { background: var(--pass); }
.banner.no-go { background: var(--fail); }
.banner.mixed { background: var(--ink); }
.envs { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; margin: 16px 0; }
.env { border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.env h2 { margin: 0 0 6px; font-size: 1.1rem; }
.env .verdict { font-weight: 700; }
.env .verdict.go { color: var(--pass); }
.env .verdict.no-go { color: var(--fail); }
.env.go { border-top: 6px solid var(--pass); }
.env.no-go { border-top: 6px solid var(--fail); }
.release { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; margin: 4px 0 6px; font-size: 0.85rem; }
.release dt { color: #57606a; }
.release dd { margin: 0; overflow-wrap: anywhere; }
.through { margin: 6px 0 0; font-size: 0.8rem; color: #57606a; }
.attention { border: 1px solid var(--line); border-left: 6px solid var(--fail); border-radius: 8px; padding: 8px 12px; margin: 12px 0; }
.attention h2 { margin: 0 0 4px; font-size: 1rem; }
.attention ul { margin: 0; padding-left: 18px; }
.attention li { margin: 2px 0; overflow-wrap: anywhere; }
caption { caption-side: top; text-align: left; font-weight: 700; padding: 6px 0; }
tr.gate:target > th { outline: 3px solid var(--ink); outline-offset: -3px; }
.counts { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 0; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 999px; padding: 0 8px; font-size: 0.85rem; }
.problems { margin: 8px 0 0; padding-left: 18px; font-size: 0.85rem; }
.filters { display: flex; flex-wrap: wrap; gap: 6px; margin: 12px 0; align-items: center; }
.filters button { font: inherit; font-size: 0.9rem; border: 1px solid var(--line); background: var(--soft); border-radius: 6px; padding: 4px 10px; cursor: pointer; }
.filters button[aria-pressed="true"] { background: var(--ink); color: #fff; border-color: var(--ink); }
.no-js .filters { display: none; }
.scroll { overflow: auto; max-height: 80vh; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; z-index: 1; background: #fff; font-size: 0.85rem; box-shadow: 0 1px 0 var(--line); }
thead th[data-env] { text-align: center; }
tbody.section > tr.head th { background: var(--soft); font-size: 0.95rem; text-transform: capitalize; }
tr.gate > th { font-weight: 400; min-width: 220px; overflow-wrap: anywhere; }
tr.gate.child > th { padding-left: 28px; }
summary { cursor: pointer; }
summary code { color: #57606a; }
.detail { margin: 8px 0 4px; font-size: 0.9rem; }
.detail h4 { margin: 10px 0 2px; font-size: 0.9rem; }
.detail ul { margin: 2px 0; padding-left: 18px; }
.detail .where { color: #57606a; overflow-wrap: anywhere; }
td.cell { white-space: nowrap; font-weight: 700; font-size: 0.8rem; text-align: center; width: 90px; }
td.cell small { display: block; font-weight: 400; color: #57606a; }
.badge { display: inline-block; border-radius: 4px; padding: 1px 6px; font-weight: 700; }
.st-pass { color: var(--pass); }
.st-fail { color: #fff; background: var(--fail); }
.st-error { color: #fff; background: var(--error); }
.st-waived { color: #fff; background: var(--waived); }
.st-na { color: var(--na); }
.st-none { color: var(--na); font-weight: 400; }
footer { margin-top: 24px; font-size: 0.8rem; color: #57606a; overflow-wrap: anywhere; }
@media (max-width: 640px) {
  body { font-size: 14px; }
  main { padding: 0 8px 24px; }
  .banner h1 { font-size: 1.5rem; }
  tr.gate > th { min-width: 0; }
  tr.gate.child > th { padding-left: 16px; }
  th, td { padding: 6px 4px; }
  td.cell { width: auto; font-size: 0.7rem; }
  .badge { padding: 1px 3px; }
}
@media print {
  body { font-size: 11pt; }
  .filters { display: none; }
  .banner, .st-fail, .st-error, .st-waived { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead th { position: static; }
  tr.gate { break-inside: avoid; }
  .scroll { overflow: visible; max-height: none; border: 0; }
  a { color: inherit; }
}
`;

export const SCRIPT = `
(function () {
  document.documentElement.classList.remove('no-js');
  var buttons = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.gate'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('tbody.section'));
  function apply(filter) {
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-filter') === filter)); });
    rows.forEach(function (row) { row.hidden = filter !== 'all' && row.getAttribute('data-statuses').split(' ').indexOf(filter) < 0; });
    sections.forEach(function (s) { s.hidden = !s.querySelector('tr.gate:not([hidden])'); });
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { apply(b.getAttribute('data-filter')); }); });
  // A link from "Needs attention" shows its row (whatever the filter) with its details open.
  function reveal() {
    var row = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (!row || !row.classList.contains('gate')) return;
    if (row.hidden) apply('all');
    var d = row.querySelector('details');
    if (d) d.open = true;
    row.scrollIntoView({ block: 'center' });
  }
  window.addEventListener('hashchange', reveal);
  reveal();
  // On paper every gate of the current filter is shown expanded; the screen gets its state back after.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    // Added to, not replaced: a second beforeprint before afterprint must not forget the first's.
    var closed = Array.prototype.slice.call(document.querySelectorAll('details:not([open])'));
    closed.forEach(function (d) { d.open = true; });
    opened = opened.concat(closed);
  });
  window.addEventListener('afterprint', function () { opened.forEach(function (d) { d.open = false; }); opened = []; });
})();
`;

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Nothing may load from anywhere; only the inline style and script above may apply. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${cspHash(STYLE)}`,
  `script-src ${cspHash(SCRIPT)}`,
  "img-src 'none'",
  "font-src 'none'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
