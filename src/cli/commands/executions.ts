/** `cfy executions start | list | get | cancel`. */
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import { formatEventLine } from '../../engine/index.js';
import { collectAll } from '../../client/index.js';
import type { Output } from '../output.js';
import { currentManager } from '../remote.js';
import { parseInputs } from '../inputs.js';
import { followExecution } from '../follow-execution.js';
import { SilentExit } from '../main.js';

interface StartOptions {
  workflow: string;
  deploymentId: string;
  parameters?: string;
  allowCustomParameters: boolean;
  timeout: string;
  force: boolean;
  includeLogs: boolean;
  json: boolean;
}

export function registerExecutionCommands(program: Command, output: Output): void {
  const group = program.command('executions').description('Run and inspect workflow executions');

  group
    .command('start')
    .description('Run a workflow on a deployment and stream its events')
    .requiredOption('-w, --workflow <id>', 'the workflow (install, uninstall, heal, scale, execute_operation, ...)')
    .requiredOption('-d, --deployment-id <id>', 'the deployment')
    .option('-p, --parameters <params>', "workflow parameters: a YAML file, a YAML string or 'k1=v1;k2=v2'")
    .option('--allow-custom-parameters', 'accept parameters the workflow does not declare', false)
    .option('--timeout <seconds>', 'stop waiting after this many seconds (the execution goes on)', '900')
    .option('-f, --force', 'run even if another execution of this deployment is active', false)
    .option('-l, --include-logs', 'print operation logs too', false)
    .option('--json', 'print events as JSON lines', false)
    .action(async (options: StartOptions) => {
      const { target, client } = currentManager();
      const timeout = Number(options.timeout);
      if (!Number.isFinite(timeout) || timeout < 0) throw new UserError('bad_parameters_error', `--timeout must be a number of seconds, got '${options.timeout}'`);
      const parameters = options.parameters ? parseInputs(options.parameters) : {};
      output.info(
        `Executing workflow '${options.workflow}' on deployment '${options.deploymentId}' at management server ${target.ip} [timeout=${timeout} seconds]`,
      );
      const execution = await client.executions.start(options.deploymentId, options.workflow, parameters, {
        allowCustomParameters: options.allowCustomParameters,
        force: options.force,
      });
      const result = await followExecution(client, execution.id, {
        includeLogs: options.includeLogs,
        timeoutSeconds: timeout,
        onEvent: (event) => output.info(options.json ? JSON.stringify(event) : formatEventLine(event)),
      });
      const where = `for deployment '${options.deploymentId}'`;
      if (result.timedOut) {
        throw new UserError('execution_timeout_error', `Execution of workflow '${options.workflow}' ${where} timed out.`, {
          hints: [`Run 'cfy executions cancel --execution-id ${execution.id}' to cancel the running workflow.`],
        });
      }
      const eventsHint = `* Run 'cfy events list --include-logs --execution-id ${execution.id}' to retrieve the execution's events/logs`;
      if (result.execution.status === 'terminated') {
        output.info(`Finished executing workflow '${options.workflow}' on deployment '${options.deploymentId}'`);
        output.info(eventsHint);
        return;
      }
      output.warn(`Execution of workflow '${options.workflow}' ${where} ${result.execution.status}. [error=${result.execution.error}]`);
      output.warn(eventsHint);
      throw new SilentExit(1);
    });

  group
    .command('list')
    .description('List executions')
    .option('-d, --deployment-id <id>', 'only this deployment')
    .option('--system-workflows', 'include system workflows (snapshots)', false)
    .option('--json', 'print JSON', false)
    .action(async (options: { deploymentId?: string; systemWorkflows: boolean; json: boolean }) => {
      const { target, client } = currentManager();
      const filter = { ...(options.deploymentId ? { deploymentId: options.deploymentId } : {}), includeSystemWorkflows: options.systemWorkflows };
      const items = await collectAll((page) => client.executions.list(filter, page));
      if (options.json) return output.json(items);
      output.info(`Getting executions list... [manager=${target.ip}]`);
      output.table(
        'Executions:',
        ['id', 'workflow_id', 'deployment_id', 'status', 'created_at'],
        items.map((e) => [e.id, e.workflow_id, e.deployment_id, e.status, e.created_at]),
      );
    });

  group
    .command('get')
    .description('Show one execution')
    .requiredOption('-e, --execution-id <id>', 'the execution')
    .option('--json', 'print JSON', false)
    .action(async (options: { executionId: string; json: boolean }) => {
      const { target, client } = currentManager();
      const e = await client.executions.get(options.executionId);
      if (options.json) return output.json(e);
      output.info(`Getting execution: '${options.executionId}' [manager=${target.ip}]`);
      output.table(
        'Executions:',
        ['id', 'workflow_id', 'status', 'deployment_id', 'created_at', 'error'],
        [[e.id, e.workflow_id, e.status, e.deployment_id, e.created_at, e.error.slice(0, 50)]],
      );
      output.info('Execution Parameters:');
      for (const [name, value] of Object.entries(e.parameters)) output.info(`\t${name}: \t${JSON.stringify(value)}`);
    });

  group
    .command('cancel')
    .description('Cancel a running execution')
    .requiredOption('-e, --execution-id <id>', 'the execution')
    .option('-f, --force', 'force-cancel: stop running operations at once', false)
    .action(async (options: { executionId: string; force: boolean }) => {
      const { target, client } = currentManager();
      output.info(`${options.force ? 'Force-' : ''}Cancelling execution ${options.executionId} on management server ${target.ip}`);
      await client.executions.cancel(options.executionId, options.force);
      output.info(
        `A cancel request for execution ${options.executionId} has been sent to management server ${target.ip}. To track the execution's status, use:\ncfy executions get -e ${options.executionId}`,
      );
    });
}
