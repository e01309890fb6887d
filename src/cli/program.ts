/** Builds the `cfy` command tree. Each noun/verb lives in its own file under commands/. */
import { Command } from 'commander';
import type { Output } from './output.js';
import { registerBlueprintCommands } from './commands/blueprints.js';
import { registerCloudCommands } from './commands/cloud.js';
import { registerSnapshotCommands } from './commands/snapshots.js';
import { registerInitCommand } from './commands/init.js';
import { registerUseCommand } from './commands/use.js';
import { registerStatusCommand } from './commands/status.js';
import { registerDeploymentCommands } from './commands/deployments.js';
import { registerExecutionCommands } from './commands/executions.js';
import { registerEventCommands } from './commands/events.js';
import { registerNodeInstanceCommands } from './commands/node-instances.js';
import { registerLocalCommands } from './commands/local.js';
import { registerAgentCommands } from './commands/agents.js';
import { registerBootstrapCommand } from './commands/bootstrap.js';
import { registerRecoverCommand } from './commands/recover.js';
import { registerTeardownCommand } from './commands/teardown.js';

/** Every command group registers itself here, one line each. */
const registrations: ((program: Command, output: Output) => void)[] = [
  registerInitCommand,
  registerUseCommand,
  registerStatusCommand,
  registerBlueprintCommands,
  registerDeploymentCommands,
  registerExecutionCommands,
  registerEventCommands,
  registerNodeInstanceCommands,
  registerAgentCommands,
  registerSnapshotCommands,
  registerLocalCommands,
  registerCloudCommands,
  registerBootstrapCommand,
  registerRecoverCommand,
  registerTeardownCommand,
];

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
  // Before the commands are added: commander copies this setting into each subcommand.
  program.exitOverride();
  for (const register of registrations) register(program, output);
  return program;
}
