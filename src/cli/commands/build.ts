import type { Command } from 'commander';
import { buildPack } from '../../pack/build.js';
import { packOption } from '../shared-options.js';

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description("compile the pack's policies to policy.wasm with the pinned OPA and write the bundle manifest")
    .addOption(packOption())
    .action(async (flags: { pack?: string }) => {
      const summary = await buildPack(flags.pack);
      const { manifest } = summary;
      const lines = [
        `built ${manifest.name}: ${manifest.gates.length} gates, OPA ${manifest.opaVersion}, entrypoint ${manifest.entrypoint}`,
        `policy.wasm sha256 ${manifest.wasm.sha256}${summary.previousSha256 === manifest.wasm.sha256 ? ' (unchanged)' : summary.previousSha256 ? ` (was ${summary.previousSha256})` : ''}`,
      ];
      if (summary.added.length) lines.push(`gates added: ${summary.added.join(', ')}`);
      if (summary.removed.length) lines.push(`gates removed: ${summary.removed.join(', ')}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
