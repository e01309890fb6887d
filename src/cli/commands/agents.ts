/** `cfy agents list`: each host's agent, its state and when it was last seen. */
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { currentManager } from '../remote.js';
import { collectAll } from '../../client/index.js';

export function registerAgentCommands(program: Command, output: Output): void {
  const group = program.command('agents').description("Inspect the agents on managed hosts");
  group
    .command('list')
    .description('List agents')
    .option('--json', 'print JSON', false)
    .action(async (options: { json: boolean }) => {
      const { target, client } = currentManager();
      const items = await collectAll((page) => client.agents.list(page));
      if (options.json) return output.json(items);
      output.info(`Getting agents list... [manager=${target.ip}]`);
      output.table(
        'Agents:',
        ['name', 'deployment_id', 'host_id', 'state', 'version', 'last_seen'],
        items.map((a) => [a.name, a.deployment_id, a.host_id, a.state, a.version, a.last_seen]),
      );
    });
}
