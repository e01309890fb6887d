/** `cfy events list -e ID [-l] [--tail] [--json]`. */
import type { Command } from 'commander';
import { ManagerRequestError } from '../../client/index.js';
import { UserError } from '../../core/index.js';
import { formatEventLine } from '../../engine/index.js';
import type { Output } from '../output.js';
import { currentManager } from '../remote.js';
import { followExecution } from '../follow-execution.js';
import { SilentExit } from '../main.js';

export function registerEventCommands(program: Command, output: Output): void {
  const group = program.command('events').description("Show executions' events");
  group
    .command('list')
    .description("Print an execution's events")
    .requiredOption('-e, --execution-id <id>', 'the execution')
    .option('-l, --include-logs', 'include operation logs', false)
    .option('--tail', 'keep printing until the execution ends', false)
    .option('--json', 'one JSON document per line', false)
    .action(async (options: { executionId: string; includeLogs: boolean; tail: boolean; json: boolean }) => {
      const { target, client } = currentManager();
      if (!options.json) {
        output.info(
          `Getting events from management server ${target.ip} for execution id '${options.executionId}' [include_logs=${options.includeLogs ? 'True' : 'False'}]`,
        );
      }
      try {
        await client.executions.get(options.executionId);
      } catch (error) {
        if (error instanceof ManagerRequestError && error.status === 404) {
          throw new UserError('not_found_error', `Execution '${options.executionId}' not found on management server`, { cause: error });
        }
        throw error;
      }
      const print = (event: Parameters<typeof formatEventLine>[0]): void =>
        output.info(options.json ? JSON.stringify(event) : formatEventLine(event));
      if (options.tail) {
        const result = await followExecution(client, options.executionId, { includeLogs: options.includeLogs, onEvent: print });
        const e = result.execution;
        if (e.status === 'terminated') {
          output.info(`Finished executing workflow '${e.workflow_id}' on deployment '${e.deployment_id}'`);
          return;
        }
        output.warn(`Execution of workflow '${e.workflow_id}' for deployment '${e.deployment_id}' ${e.status}. [error=${e.error}]`);
        throw new SilentExit(1);
      }
      let offset = 0;
      for (;;) {
        const page = await client.events.list({ executionId: options.executionId, includeLogs: options.includeLogs }, { offset, size: 100 });
        page.items.forEach(print);
        offset += page.items.length;
        if (page.items.length < 100) break;
      }
      if (!options.json) output.info(`\nTotal events: ${offset}`);
    });
}
