#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CannotEvaluateError, messageOf } from '../core/errors.js';
import { escapeCiLogLines } from '../core/text/escape.js';
import { TOOL } from '../core/version.js';
import { EXIT } from './exit-codes.js';

const program = new Command()
  .name('prodgate')
  .description(
    'Evaluate release evidence against Rego gates and render the checklist; test, lint and scaffold the policy packs that define them.',
  )
  .version(TOOL.version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

/**
 * Each command's module, loaded only when that command runs: importing every command
 * (and what each needs: renderers, signing, the OPA runner) costs more than most
 * evaluations. Help without a command, or an unknown one, loads them all. In help order.
 */
type Register = (program: Command) => void;
const COMMANDS: Record<string, () => Promise<Register>> = {
  evaluate: async () => (await import('./commands/evaluate.js')).registerEvaluate,
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  collect: async () => (await import('./commands/collect.js')).registerCollect,
  explain: async () => (await import('./commands/explain.js')).registerExplain,
  build: async () => (await import('./commands/build.js')).registerBuild,
  verify: async () => (await import('./commands/verify.js')).registerVerify,
  diff: async () => (await import('./commands/diff.js')).registerDiff,
  test: async () => (await import('./commands/test.js')).registerTest,
  lint: async () => (await import('./commands/lint.js')).registerLint,
  new: async () => (await import('./commands/new.js')).registerNew,
  init: async () => (await import('./commands/init.js')).registerInit,
};

/** The command named on the command line: its first argument that is not an option (the program takes no option values). */
const named = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const loading =
  named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);

// A reader that stops early (`| head`) closes the pipe: stop quietly, as other CLIs do, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  for (const register of await Promise.all(
    loading.map((name) => (COMMANDS[name] as () => Promise<Register>)()),
  ))
    register(program);
  await program.parseAsync(process.argv);
} catch (thrown) {
  process.exitCode = exitCodeFor(thrown);
}

/**
 * A message for stderr, `prodgate: ` first: every line escaped for a terminal or CI log
 * (no ANSI escape, no workflow command). Line breaks are the message's own (a list of
 * METADATA problems, OPA's output); values quoted from evidence or reports are put on
 * one line where the message is made.
 */
function prefixed(message: string): string {
  return `prodgate: ${escapeCiLogLines(message)}\n`;
}

function exitCodeFor(thrown: unknown): number {
  if (thrown instanceof CommanderError) {
    // commander already printed its one-line message (or the help / version).
    return thrown.exitCode === 0 ? EXIT.GO : EXIT.CANNOT_EVALUATE;
  }
  if (thrown instanceof CannotEvaluateError) {
    // Messages can quote a report or evidence: escaped for a terminal or CI log.
    process.stderr.write(prefixed(thrown.message));
    return EXIT.CANNOT_EVALUATE;
  }
  process.stderr.write(prefixed(`internal error: ${messageOf(thrown)}`));
  if (process.env['PRODGATE_DEBUG'] && thrown instanceof Error)
    process.stderr.write(`${thrown.stack ?? ''}\n`);
  return EXIT.CANNOT_EVALUATE;
}
