/** `cfy blueprints plan -p BLUEPRINT [-i INPUTS] [--seed N] [--json]`: show the planned instances. */
import type { Command } from 'commander';
import { seededRandom, secureRandom, UserError } from '../../core/index.js';
import { planDeployment } from '../../plan/index.js';
import { parseInputs } from '../inputs.js';
import type { Output } from '../output.js';
import { failOnErrors, readBlueprint } from './blueprints-validate.js';

interface PlanCommandOptions {
  blueprintPath: string;
  inputs?: string[];
  seed?: string;
  importMapping?: string[];
  json?: boolean;
}

export function registerBlueprintsPlan(group: Command, output: Output): void {
  group
    .command('plan')
    .description(
      'Plan a deployment of a blueprint: node instances, hosts and relationships (nothing is run)',
    )
    .requiredOption('-p, --blueprint-path <path>', 'the blueprint YAML file')
    .option(
      '-i, --inputs <inputs...>',
      'inputs: a YAML file, a YAML/JSON mapping, or "k1=v1;k2=v2" (repeatable)',
    )
    .option('--seed <n>', 'seed for reproducible node instance ids')
    .option(
      '--import-mapping <mapping...>',
      "import URL mappings: a YAML file of 'URL: path' lines, or URL=path (repeatable)",
    )
    .option('--json', 'print the whole deployment model as JSON')
    .action((options: PlanCommandOptions) => {
      const result = readBlueprint(options.blueprintPath, options.importMapping);
      failOnErrors(result, output, options.json === true);
      if (!result.blueprint)
        throw new UserError(
          'invalid_blueprint_error',
          `Cannot read blueprint ${options.blueprintPath}`,
        );
      let random = secureRandom;
      if (options.seed !== undefined) {
        const seed = Number(options.seed);
        if (!Number.isInteger(seed))
          throw new UserError(
            'bad_parameters_error',
            `--seed must be an integer, got '${options.seed}'`,
          );
        random = seededRandom(seed);
      }
      const model = planDeployment(result.blueprint, parseInputs(options.inputs), { random });
      if (options.json) {
        output.json(model);
        return;
      }
      const rows = model.nodeInstances.map((i) => [
        i.id,
        i.nodeId,
        i.hostId ?? '',
        i.relationships
          .map((r) => `${r.type.replace(/^cloudify\.relationships\./, '')} -> ${r.targetId}`)
          .join('\n'),
      ]);
      output.table('Node instances:', ['id', 'node_id', 'host_id', 'relationships'], rows);
      output.info(
        `${model.nodes.length} nodes, ${model.nodeInstances.length} node instances, workflows: ${Object.keys(model.workflows).join(', ') || 'none'}`,
      );
    });
}
