/** `cfy blueprints ...`: the noun's group. Verbs are added by their own files. */
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { registerBlueprintsValidate } from './blueprints-validate.js';
import { registerBlueprintsPlan } from './blueprints-plan.js';
import {
  registerBlueprintDelete,
  registerBlueprintDownload,
  registerBlueprintGet,
  registerBlueprintList,
  registerBlueprintUpload,
} from './blueprints-remote.js';

export type BlueprintVerb = (group: Command, output: Output) => void;

/** Verb registrations for `cfy blueprints`, one line each. */
const verbs: BlueprintVerb[] = [
  registerBlueprintUpload,
  registerBlueprintList,
  registerBlueprintGet,
  registerBlueprintDelete,
  registerBlueprintDownload,
  registerBlueprintsValidate,
  registerBlueprintsPlan,
];

export function registerBlueprintCommands(program: Command, output: Output): void {
  const group = program.command('blueprints').description('Manage blueprints');
  for (const verb of verbs) verb(group, output);
}
