/** `cfy local instances [--node-id ID]`: node instances of the local deployment, Cloudify's JSON shape. */
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import { openLocalState } from '../local/local-env.js';
import type { Output } from '../output.js';

export function registerLocalInstances(group: Command, output: Output): void {
  group
    .command('instances')
    .description('Print the node instances of the local deployment (JSON)')
    .option('--node-id <id>', 'only the instances of this node')
    .action((options: { nodeId?: string }) => {
      const store = openLocalState();
      const { nodeId } = options;
      if (nodeId !== undefined && !store.model().nodes.some((n) => n.id === nodeId)) {
        throw new UserError('not_found_error', `Could not find node ${nodeId}`, {
          hints: [
            `Nodes of this deployment: ${store
              .model()
              .nodes.map((n) => n.id)
              .join(', ')}`,
          ],
        });
      }
      const instances = store
        .listInstances()
        .filter((i) => nodeId === undefined || i.nodeId === nodeId);
      output.json(
        instances.map((i) => ({
          id: i.id,
          node_id: i.nodeId,
          host_id: i.hostId,
          relationships: i.relationships.map((r) => ({
            type: r.type,
            target_id: r.targetId,
            target_name: r.targetName,
          })),
          runtime_properties: i.runtimeProperties,
          state: i.state,
          version: i.version,
        })),
      );
    });
}
