import type { Command } from 'commander';
import { buildPack } from '../../pack/build.js';
import { escapeCiLog } from '../../core/text/escape.js';
import { helpFooter, packOption } from '../shared-options.js';

export function registerBuild(program: Command): void {
  const command = program
    .command('build')
    .description(
      "compile the pack's policies to policy.wasm with the pinned OPA and write the bundle manifest; prints what changed",
    )
    .addOption(packOption());
  helpFooter(command, {
    ok: 'built (the bundle is written)',
    failed: 'the policies do not compile',
    cannot: 'could not build: OPA missing, pack.json invalid',
  }).action(async (flags: { pack?: string }) => {
    const summary = await buildPack(flags.pack);
    const { manifest } = summary;
    const lines = [
      `built ${manifest.name} ${summary.version}: ${manifest.gates.length} gates, OPA ${manifest.opaVersion}, entrypoint ${manifest.entrypoint}`,
      `policy.wasm sha256 ${manifest.wasm.sha256}${summary.previousSha256 === manifest.wasm.sha256 ? ' (unchanged)' : summary.previousSha256 ? ` (was ${summary.previousSha256})` : ''}`,
    ];
    if (summary.added.length) lines.push(`gates added: ${summary.added.join(', ')}`);
    if (summary.removed.length) lines.push(`gates removed: ${summary.removed.join(', ')}`);
    if (summary.changed.length)
      lines.push(`gates changed (METADATA): ${summary.changed.join(', ')}`);
    // Pack name and gate ids come from pack files: escaped for a terminal or CI log.
    process.stdout.write(`${lines.map(escapeCiLog).join('\n')}\n`);
    // The bundle is written either way (it is what the sources say), but evaluate will
    // refuse the pack until the template agrees: say so now, not at release time.
    for (const problem of summary.templateProblems)
      process.stderr.write(
        `prodgate: warning: checklist template and policies disagree: ${escapeCiLog(problem)} (see npx prodgate lint)\n`,
      );
  });
}
