/** `cfy node-instances list [-d] | get`. */
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { currentManager } from '../remote.js';
import { collectAll } from '../../client/index.js';

export function registerNodeInstanceCommands(program: Command, output: Output): void {
  const group = program.command('node-instances').description('Inspect node instances');

  group
    .command('list')
    .description('List node instances')
    .option('-d, --deployment-id <id>', 'only this deployment')
    .option('--node-id <id>', 'only this node')
    .option('--json', 'print JSON', false)
    .action(async (options: { deploymentId?: string; nodeId?: string; json: boolean }) => {
      const { target, client } = currentManager();
      const filter = {
        ...(options.deploymentId ? { deploymentId: options.deploymentId } : {}),
        ...(options.nodeId ? { nodeId: options.nodeId } : {}),
      };
      const items = await collectAll((page) => client.nodeInstances.list(filter, page));
      if (options.json) return output.json(items);
      output.info(`Getting node instances list... [manager=${target.ip}]`);
      output.table(
        'Instances:',
        ['id', 'deployment_id', 'host_id', 'node_id', 'state'],
        items.map((i) => [i.id, i.deployment_id, i.host_id, i.node_id, i.state]),
      );
    });

  group
    .command('get')
    .description('Show one node instance with its runtime properties')
    .requiredOption('--node-instance-id <id>', 'the node instance')
    .option('--json', 'print JSON', false)
    .action(async (options: { nodeInstanceId: string; json: boolean }) => {
      const { target, client } = currentManager();
      const instance = await client.nodeInstances.get(options.nodeInstanceId);
      if (options.json) return output.json(instance);
      output.info(`Getting node instance with ID: '${options.nodeInstanceId}' [manager=${target.ip}]`);
      output.table(
        'Instance:',
        ['id', 'deployment_id', 'host_id', 'node_id', 'state'],
        [[instance.id, instance.deployment_id, instance.host_id, instance.node_id, instance.state]],
      );
      output.info('Instance runtime properties:');
      for (const [key, value] of Object.entries(instance.runtime_properties)) {
        output.info(`\t${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
      }
    });
}
