#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CannotEvaluateError, messageOf } from '../errors.js';
import { escapeCiLogLines } from '../text/escape.js';
import { TOOL } from '../version.js';
import { registerBuild } from './commands/build.js';
import { registerDiff } from './commands/diff.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerExplain } from './commands/explain.js';
import { registerInit } from './commands/init.js';
import { registerLint } from './commands/lint.js';
import { registerNew } from './commands/new.js';
import { registerTest } from './commands/test.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import { EXIT } from './exit-codes.js';

const program = new Command()
  .name('prodgate')
  .description('Evaluate release evidence against Rego gates and render the checklist; test, lint and scaffold the policy packs that define them.')
  .version(TOOL.version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerEvaluate(program);
registerValidate(program);
registerExplain(program);
registerBuild(program);
registerVerify(program);
registerDiff(program);
registerTest(program);
registerLint(program);
registerNew(program);
registerInit(program);

// A reader that stops early (`| head`) closes the pipe: stop quietly, as other CLIs do, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
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
  if (process.env['PRODGATE_DEBUG'] && thrown instanceof Error) process.stderr.write(`${thrown.stack ?? ''}\n`);
  return EXIT.CANNOT_EVALUATE;
}
