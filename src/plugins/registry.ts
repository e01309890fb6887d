/** Plugin name + task name -> the TypeScript function that runs the operation. */
import { NonRecoverableError } from '../core/index.js';
import type { OperationContext } from './context/operation-context.js';

/**
 * A plugin operation. Throws RecoverableError / NonRecoverableError or calls
 * `ctx.operation.retry(...)` to tell the engine how to go on; anything else thrown is recoverable.
 * `signal` aborts when the execution is cancelled: stop work and reject.
 */
export type PluginFunction = (
  ctx: OperationContext,
  inputs: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<unknown>;

/** The plugins this process can run. */
export class PluginRegistry {
  readonly #plugins = new Map<string, Map<string, PluginFunction>>();

  /** Registers `plugin`'s task `task` (e.g. `script` + `script_runner.tasks.run`). Replaces an earlier one. */
  register(plugin: string, task: string, fn: PluginFunction): this {
    let tasks = this.#plugins.get(plugin);
    if (!tasks) {
      tasks = new Map();
      this.#plugins.set(plugin, tasks);
    }
    tasks.set(task, fn);
    return this;
  }

  /** Registers several tasks of one plugin. */
  registerPlugin(plugin: string, tasks: Readonly<Record<string, PluginFunction>>): this {
    for (const [task, fn] of Object.entries(tasks)) this.register(plugin, task, fn);
    return this;
  }

  has(plugin: string, task: string): boolean {
    return this.#plugins.get(plugin)?.has(task) ?? false;
  }

  /** Plugin names known to the registry, sorted. */
  plugins(): string[] {
    return [...this.#plugins.keys()].sort();
  }

  /** The function for `plugin`/`task`; throws NonRecoverableError naming both (no retry can fix it). */
  resolve(plugin: string, task: string): PluginFunction {
    const tasks = this.#plugins.get(plugin);
    if (!tasks) {
      throw new NonRecoverableError(
        `Plugin '${plugin}' is not available (operation task '${task}'). Rekindle runs plugins written in TypeScript: ` +
          `register one under src/plugins/builtin/${plugin}/ (see docs/plugins.md), or map the operation to a script in the blueprint folder. ` +
          `Known plugins: ${this.plugins().join(', ') || 'none'}`,
      );
    }
    const fn = tasks.get(task);
    if (!fn) {
      throw new NonRecoverableError(
        `Plugin '${plugin}' has no task '${task}'. Check the operation's implementation in the blueprint; ` +
          `tasks of '${plugin}': ${[...tasks.keys()].sort().join(', ')}`,
      );
    }
    return fn;
  }
}
