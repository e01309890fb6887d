/** `cfy local init -p BLUEPRINT [-i INPUTS]`: parses and plans a blueprint, creates the local state. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { invalidBlueprintError, parseBlueprintFile } from '../../dsl/index.js';
import { planDeployment } from '../../plan/index.js';
import { LocalStateStore } from '../../plugins/index.js';
import { parseInputs } from '../inputs.js';
import { localDeploymentName, localStateRoot } from '../local/local-env.js';
import type { Output } from '../output.js';

interface InitOptions {
  blueprintPath: string;
  inputs?: string[];
  installPlugins: boolean;
}

export function registerLocalInit(group: Command, output: Output): void {
  group
    .command('init')
    .description(
      'Parse a blueprint and create the local deployment state (replaces an earlier one)',
    )
    .requiredOption('-p, --blueprint-path <file>', 'the main blueprint file')
    .option(
      '-i, --inputs <inputs>',
      "inputs: a YAML file, a YAML string or 'k1=v1;k2=v2' (repeatable)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--install-plugins', 'ignored: Rekindle plugins are built in', false)
    .action((options: InitOptions) => {
      if (options.installPlugins)
        output.warn(
          "Note: --install-plugins is ignored; Rekindle's plugins are built in (see docs/plugins.md)",
        );
      const blueprintPath = resolve(options.blueprintPath);
      const { blueprint, diagnostics } = parseBlueprintFile(blueprintPath);
      if (blueprint === null || diagnostics.some((d) => d.severity === 'error'))
        throw invalidBlueprintError(diagnostics);
      const inputs: Record<string, unknown> = {};
      for (const text of options.inputs ?? []) Object.assign(inputs, parseInputs(text));
      const plan = planDeployment(blueprint, inputs);
      LocalStateStore.create(localStateRoot(), {
        name: localDeploymentName,
        blueprintPath,
        inputs: plan.inputs,
        plan,
      });
      output.info(`Initiated ${options.blueprintPath}`);
      output.info(
        `If you make changes to the blueprint, run 'cfy local init -p ${options.blueprintPath}' again to apply them`,
      );
    });
}
