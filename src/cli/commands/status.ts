/** `cfy status`: the manager's services and their state. */
import type { Command } from 'commander';
import { ManagerRequestError } from '../../client/index.js';
import { UserError } from '../../core/index.js';
import type { Output } from '../output.js';
import { currentManager } from '../remote.js';

export function registerStatusCommand(program: Command, output: Output): void {
  program
    .command('status')
    .description("Show the manager's services")
    .option('--json', 'print JSON', false)
    .action(async (options: { json: boolean }) => {
      const { target, client } = currentManager();
      if (!options.json) output.info(`Getting management services status... [ip=${target.ip}]`);
      let status;
      try {
        status = await client.manager.status();
      } catch (error) {
        if (error instanceof ManagerRequestError && error.status === 401) {
          throw new UserError('unauthorized_error', "Can't query management server status: User is unauthorized", { cause: error });
        }
        throw new UserError('manager_unavailable_error', `REST service at management server ${target.ip} is not responding!`, {
          cause: error,
          hints: ["If the manager's machine died, recover it with 'cfy recover -f --snapshot-path SNAPSHOT'"],
        });
      }
      if (options.json) {
        output.json(status);
        return;
      }
      output.table(
        'Services:',
        ['service', 'status'],
        status.services.map((s) => [s.display_name, s.instances[0]?.state ?? 'unknown']),
      );
    });
}
