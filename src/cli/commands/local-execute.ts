/**
 * `cfy local execute -w WORKFLOW`: runs a workflow of the local deployment in this process,
 * printing events live. Ctrl-C once cancels (running operations finish), twice force-cancels.
 */
import type { Command } from 'commander';
import { UserError, type EventDocument } from '../../core/index.js';
import { formatEventLine } from '../../engine/index.js';
import { runWorkflow } from '../../workflows/index.js';
import { parseInputs } from '../inputs.js';
import { localDeploymentName, localEnginePorts, openLocalState } from '../local/local-env.js';
import { SilentExit } from '../main.js';
import { localScaleServices } from '../../plugins/index.js';
import type { Output } from '../output.js';

interface ExecuteOptions {
  workflow: string;
  parameters?: string[];
  allowCustomParameters: boolean;
  taskRetries: string;
  taskRetryInterval: string;
  taskThreadPoolSize: string;
  json: boolean;
}

export function registerLocalExecute(group: Command, output: Output): void {
  group
    .command('execute')
    .description('Run a workflow on the local deployment')
    .requiredOption(
      '-w, --workflow <id>',
      'the workflow (install, uninstall, execute_operation, heal, ...)',
    )
    .option(
      '-p, --parameters <params>',
      "workflow parameters: a YAML file, a YAML string or 'k1=v1;k2=v2' (repeatable)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--allow-custom-parameters', 'accept parameters the workflow does not declare', false)
    .option('--task-retries <n>', 'retries of a failed operation (-1 = infinite)', '0')
    .option('--task-retry-interval <seconds>', 'seconds between retries', '1')
    .option('--task-thread-pool-size <n>', 'operations run at the same time', '1')
    .option('--json', 'print events as JSON lines', false)
    .action(async (options: ExecuteOptions, command: Command) => {
      const taskRetries = integer(options.taskRetries, '--task-retries', -1);
      const taskRetryInterval = number(options.taskRetryInterval, '--task-retry-interval');
      const threadPoolSize = integer(options.taskThreadPoolSize, '--task-thread-pool-size', 1);
      const parameters: Record<string, unknown> = {};
      for (const text of options.parameters ?? []) Object.assign(parameters, parseInputs(text));
      const globals = command.optsWithGlobals<{ debug?: boolean; verbose?: boolean }>();
      const showDebug = globals.debug === true || globals.verbose === true;
      const print = (event: EventDocument): void => {
        if (event.type === 'cloudify_log' && event.level === 'debug' && !showDebug) return;
        output.info(options.json ? JSON.stringify(event) : formatEventLine(event));
      };

      const store = openLocalState();
      const release = store.lock();
      const cancel = new AbortController();
      const forceCancel = new AbortController();
      const onInterrupt = (): void => {
        if (!cancel.signal.aborted) {
          output.warn('Cancelling the execution (press Ctrl-C again to force)...');
          cancel.abort();
        } else forceCancel.abort(new Error('execution force-cancelled'));
      };
      process.on('SIGINT', onInterrupt);
      try {
        for (const stale of await store.failInterruptedExecutions()) {
          output.warn(
            `Execution ${stale.id} of '${stale.workflowId}' was interrupted earlier; marked failed`,
          );
        }
        const result = await runWorkflow({
          model: store.model(),
          workflow: options.workflow,
          parameters,
          deploymentId: localDeploymentName,
          blueprintId: store.data().blueprintId,
          ports: localEnginePorts(store, print),
          options: {
            taskRetries,
            taskRetryInterval,
            threadPoolSize,
            allowCustomParameters: options.allowCustomParameters,
            signal: cancel.signal,
            forceSignal: forceCancel.signal,
            ...localScaleServices(store),
          },
        });
        if (result.error !== null) throw new SilentExit(1);
      } finally {
        process.off('SIGINT', onInterrupt);
        try {
          store.checkpoint();
        } finally {
          release();
        }
      }
    });
}

function integer(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new UserError(
      'bad_parameters_error',
      `${flag} must be an integer >= ${min}, got '${text}'`,
    );
  return value;
}

function number(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new UserError(
      'bad_parameters_error',
      `${flag} must be a number of seconds >= 0, got '${text}'`,
    );
  return value;
}
