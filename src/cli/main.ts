/**
 * The `cfy` entry point and the CLI's one error boundary: user errors print their message and
 * hints (exit 1), operational errors likewise, unexpected errors print a stack and ask for a report.
 */
import { CommanderError } from 'commander';
import { isRekindleError } from '../core/index.js';
import { buildProgram } from './program.js';
import { processOutput, type Output } from './output.js';

/** A failure whose message was already printed (e.g. a failed execution after its events). */
export class SilentExit extends Error {
  constructor(readonly exitCode = 1) {
    super('silent exit');
  }
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[], output: Output = processOutput()): Promise<number> {
  const program = buildProgram(output);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportError(error, output);
  }
}

function reportError(error: unknown, output: Output): number {
  if (error instanceof SilentExit) return error.exitCode;
  if (error instanceof CommanderError) {
    // commander already printed usage errors and help.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (isRekindleError(error)) {
    output.warn(error.kind === 'unexpected' ? `Unexpected error (please report): ${error.message}` : error.message);
    for (const hint of error.hints) output.warn(`  - ${hint}`);
    if (error.kind === 'unexpected' && error.stack) output.warn(error.stack);
    return 1;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  output.warn(`Unexpected error (please report it with the stack below): ${err.message}`);
  if (err.stack) output.warn(err.stack);
  return 1;
}
