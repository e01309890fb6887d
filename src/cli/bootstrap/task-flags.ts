/** The `--task-retries / --task-retry-interval / --task-thread-pool-size` flags of bootstrap, recover and teardown. */
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import type { TaskSettings } from './manager-env.js';

/** Raw flag values. */
export interface TaskFlags {
  taskRetries: string;
  taskRetryInterval: string;
  taskThreadPoolSize: string;
}

/** Adds the three flags with the 3.3 defaults (5, 30, 1). */
export function addTaskFlags(command: Command): Command {
  return command
    .option('--task-retries <n>', 'retries of a failed operation (-1 = infinite)', '5')
    .option('--task-retry-interval <seconds>', 'seconds between retries', '30')
    .option('--task-thread-pool-size <n>', 'operations run at the same time', '1');
}

function parse(text: string, flag: string, min: number, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new UserError('bad_parameters_error', `${flag} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got '${text}'`);
  }
  return value;
}

/** Validated settings. */
export function taskSettings(flags: TaskFlags): TaskSettings {
  return {
    taskRetries: parse(flags.taskRetries, '--task-retries', -1, true),
    taskRetryInterval: parse(flags.taskRetryInterval, '--task-retry-interval', 0, false),
    threadPoolSize: parse(flags.taskThreadPoolSize, '--task-thread-pool-size', 1, true),
  };
}
