import { Option, type Command } from 'commander';
import { FORMATS } from '../render/formats/index.js';

/** `--pack DIR`, on every command that reads a pack. */
export const packOption = (): Option =>
  new Option('--pack <dir>', 'policy pack folder (default: the shipped production-readiness pack)');

/** What exit codes 0, 1 and 2 mean for one command. */
/** `--format text|json` for a command that prints one result on stdout (verify, diff). */
export const textOrJsonOption = (): Option =>
  new Option('--format <format>', 'what to print on stdout: text or json')
    .choices(['text', 'json'])
    .default('text');

/** The help line that goes with textOrJsonOption. */
export const TEXT_OR_JSON_HELP = 'Formats (--format): text (default), json';

export interface ExitCodes {
  ok: string;
  failed: string;
  cannot: string;
}

/** The meaning of 0/1/2 for the commands that judge evidence (evaluate, validate, explain). */
export const VERDICT_EXIT_CODES: ExitCodes = {
  ok: 'GO: no applicable gate is fail or error',
  failed: 'NO-GO: a gate failed or errored, or some evidence is invalid',
  cannot:
    'could not evaluate: bad flag, unknown environment or gate, evidence folder missing, policy bundle missing or corrupt, --out not writable',
};

/** `--format` names and what each is for, for `evaluate --help`. */
export function formatsHelp(): string {
  // A reports format names its file: one for all environments, which --help cannot infer.
  const rows = Object.values(FORMATS).map((f): [string, string] => [
    f.name,
    f.renders === 'reports' ? `${f.description}: ${f.fileName('<env>')}` : f.description,
  ]);
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    'Formats (--format, repeatable; --stdout prints one instead of the summary):',
    ...rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`),
  ].join('\n');
}

/** Adds text after a command's --help: the given sections, then its exit codes. */
export function helpFooter(command: Command, codes: ExitCodes, ...sections: string[]): Command {
  return command.addHelpText('after', helpText(codes, ...sections));
}

/** The text after a command's --help: the given sections, then what each exit code means. */
export function helpText(codes: ExitCodes, ...sections: string[]): string {
  const exit = [
    'Exit codes:',
    `  0  ${codes.ok}`,
    `  1  ${codes.failed}`,
    `  2  ${codes.cannot}`,
  ].join('\n');
  return `\n${[...sections, exit].join('\n\n')}\n`;
}
