/** `cfy local ...`: run blueprints without a manager. Verbs live in their own files. */
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { registerLocalInit } from './local-init.js';
import { registerLocalExecute } from './local-execute.js';
import { registerLocalOutputs } from './local-outputs.js';
import { registerLocalInstances } from './local-instances.js';

/** Verb registrations for `cfy local`, one line each. */
const verbs: ((group: Command, output: Output) => void)[] = [
  registerLocalInit,
  registerLocalExecute,
  registerLocalOutputs,
  registerLocalInstances,
];

export function registerLocalCommands(program: Command, output: Output): void {
  const group = program
    .command('local')
    .description('Run a blueprint locally, without a manager (state in .cloudify/)');
  for (const verb of verbs) verb(group, output);
}
