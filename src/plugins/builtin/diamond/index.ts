/**
 * The diamond monitoring plugin's tasks as no-ops: Rekindle collects no metrics. Blueprints that
 * install the diamond agent (e.g. Cloudify's hello world) still deploy; each task logs one debug line.
 */
import type { PluginFunction } from '../../registry.js';

/** The plugin name. */
export const diamondPluginName = 'diamond';

const noop =
  (task: string): PluginFunction =>
  (ctx) => {
    ctx.logger.debug(`diamond.${task}: monitoring is not supported by Rekindle; nothing to do`);
    return Promise.resolve(undefined);
  };

const tasks = ['install', 'start', 'stop', 'uninstall', 'add_collectors', 'del_collectors'];

/** `diamond_agent.tasks.*`, all no-ops. */
export const diamondPluginTasks: Readonly<Record<string, PluginFunction>> = Object.fromEntries(
  tasks.map((task) => [`diamond_agent.tasks.${task}`, noop(task)]),
);
