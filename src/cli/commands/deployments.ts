/** `cfy deployments create | list | delete | outputs`. */
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { currentManager } from '../remote.js';
import { collectAll } from '../../client/index.js';
import { parseInputs } from '../inputs.js';

export function registerDeploymentCommands(program: Command, output: Output): void {
  const group = program.command('deployments').description('Manage deployments');

  group
    .command('create')
    .description('Create a deployment from an uploaded blueprint')
    .requiredOption('-b, --blueprint-id <id>', 'the blueprint')
    .requiredOption('-d, --deployment-id <id>', 'the id to give the deployment')
    .option('-i, --inputs <inputs>', "inputs: a YAML file, a YAML string or 'k1=v1;k2=v2'")
    .option('--json', 'print JSON', false)
    .action(async (options: { blueprintId: string; deploymentId: string; inputs?: string; json: boolean }) => {
      const { target, client } = currentManager();
      const inputs = options.inputs ? parseInputs(options.inputs) : {};
      if (!options.json) output.info(`Creating new deployment from blueprint ${options.blueprintId} at management server ${target.ip}`);
      const deployment = await client.deployments.create(options.deploymentId, options.blueprintId, inputs);
      if (options.json) output.json(deployment);
      else output.info(`Deployment created, deployment's id is: ${deployment.id}`);
    });

  group
    .command('list')
    .description('List deployments')
    .option('-b, --blueprint-id <id>', 'only the deployments of this blueprint')
    .option('--json', 'print JSON', false)
    .action(async (options: { blueprintId?: string; json: boolean }) => {
      const { target, client } = currentManager();
      const items = await collectAll((page) => client.deployments.list(options.blueprintId, page));
      if (options.json) return output.json(items);
      output.info(`Getting deployments list...[manager=${target.ip}]`);
      output.table(
        'Deployments:',
        ['id', 'blueprint_id', 'created_at', 'updated_at'],
        items.map((d) => [d.id, d.blueprint_id, d.created_at, d.updated_at]),
      );
    });

  group
    .command('delete')
    .description('Delete a deployment')
    .requiredOption('-d, --deployment-id <id>', 'the deployment')
    .option('-l, --ignore-live-nodes', 'delete even if some node instances are still live', false)
    .action(async (options: { deploymentId: string; ignoreLiveNodes: boolean }) => {
      const { target, client } = currentManager();
      output.info(`Deleting deployment ${options.deploymentId} from management server ${target.ip}`);
      await client.deployments.delete(options.deploymentId, options.ignoreLiveNodes);
      output.info('Deleted deployment successfully');
    });

  group
    .command('outputs')
    .description("Show a deployment's outputs")
    .requiredOption('-d, --deployment-id <id>', 'the deployment')
    .option('--json', 'print JSON', false)
    .action(async (options: { deploymentId: string; json: boolean }) => {
      const { target, client } = currentManager();
      const [deployment, outputs] = await Promise.all([
        client.deployments.get(options.deploymentId),
        client.deployments.outputs(options.deploymentId),
      ]);
      if (options.json) return output.json(outputs.outputs);
      output.info(`Getting outputs for deployment: ${options.deploymentId} [manager=${target.ip}]`);
      const descriptions = (deployment.outputs ?? {}) as Record<string, { description?: string }>;
      for (const [name, value] of Object.entries(outputs.outputs)) {
        output.info(` - "${name}":`);
        const description = descriptions[name]?.description;
        if (description) output.info(`     Description: ${description}`);
        output.info(`     Value: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
      }
    });
}
