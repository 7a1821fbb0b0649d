import { Option, type Command } from 'commander';
import { REPORTS_FORMATS } from '../render/formats/index.js';

/** `--pack DIR`, on every command that reads a pack. */
export const packOption = (): Option => new Option('--pack <dir>', 'policy pack folder (default: the shipped production-readiness pack)');

/** The exit codes of every command that judges something. */
export const EXIT_CODES_HELP = ['Exit codes:', '  0  GO (or: verified, passed, clean)', '  1  NO-GO: a gate failed or errored, or evidence is invalid (or: a difference, a failing test, a finding)', '  2  could not run: bad flag, unknown environment or gate, unreadable folder or file, --out not writable'].join('\n');

/** `--format` names and what each is for, for `evaluate --help`. */
export function formatsHelp(): string {
  const rows: [string, string][] = [
    ['text', 'the verdict summary (what stdout shows by default)'],
    ['json', 'the JSON report (always written)'],
    ['markdown', 'the checklist (always written)'],
    ...Object.values(REPORTS_FORMATS).map((f): [string, string] => [f.name, `${f.description}: ${f.fileName('<env>')}`]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return ['Formats (--format, repeatable; --stdout prints one instead of the summary):', ...rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`)].join('\n');
}

/** Adds text after a command's --help: the given sections, then the exit codes. */
export function helpFooter(command: Command, ...sections: string[]): Command {
  return command.addHelpText('after', `\n${[...sections, EXIT_CODES_HELP].join('\n\n')}\n`);
}
