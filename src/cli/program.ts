/** Builds the `cfy` command tree. Each noun/verb lives in its own file under commands/. */
import { Command } from 'commander';
import type { Output } from './output.js';
import { registerBlueprintCommands } from './commands/blueprints.js';

/** Every command group registers itself here, one line each. */
const registrations: ((program: Command, output: Output) => void)[] = [registerBlueprintCommands];

export function buildProgram(output: Output): Command {
  const program = new Command('cfy')
    .description('Rekindle: an orchestration manager that survives its own death (Cloudify DSL compatible)')
    .version('0.1.0', '--version')
    .option('-v, --verbose', 'print more detail')
    .option('--debug', 'print debugging detail');
  program.configureOutput({
    writeOut: (s) => output.info(s.trimEnd()),
    writeErr: (s) => output.warn(s.trimEnd()),
  });
  for (const register of registrations) register(program, output);
  return program;
}
