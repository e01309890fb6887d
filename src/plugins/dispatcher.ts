/**
 * The in-process dispatcher: runs operations inside this process through the plugin registry
 * (local mode, the manager's central_deployment_agent). Builds `ctx`, calls the plugin function,
 * saves runtime properties, maps errors to the operation-error classes.
 */
import {
  NonRecoverableError,
  RecoverableError,
  isRekindleError,
  systemClock,
  type Clock,
} from '../core/index.js';
import type {
  EventSinkPort,
  InstanceStorePort,
  NodeLookupPort,
  OperationDispatcherPort,
  OperationInvocation,
} from '../engine/ports.js';
import { prepareOperationContext } from './context/operation-context.js';
import type { BlueprintResourcesPort } from './context/resources.js';
import type { PluginRegistry } from './registry.js';

/** The ports of one deployment. */
export interface DeploymentPorts {
  store: InstanceStorePort;
  nodes: NodeLookupPort;
  resources: BlueprintResourcesPort;
}

export interface InProcessDispatcherOptions {
  registry: PluginRegistry;
  events: EventSinkPort;
  /** The deployment's ports: a fixed set (local mode) or a lookup by invocation (a manager). */
  ports: DeploymentPorts | ((invocation: OperationInvocation) => DeploymentPorts);
  /** @default systemClock */
  clock?: Clock;
}

/** Runs operations in this process. */
export class InProcessDispatcherAdapter implements OperationDispatcherPort {
  readonly #options: InProcessDispatcherOptions;

  constructor(options: InProcessDispatcherOptions) {
    this.#options = options;
  }

  async run(invocation: OperationInvocation, signal: AbortSignal): Promise<unknown> {
    const { operation } = invocation;
    if (operation.operation === '' || operation.plugin === null) return undefined;
    const fn = this.#options.registry.resolve(operation.plugin, operation.operation);
    const ports =
      typeof this.#options.ports === 'function'
        ? this.#options.ports(invocation)
        : this.#options.ports;
    const prepared = await prepareOperationContext(invocation, {
      ...ports,
      events: this.#options.events,
      clock: this.#options.clock ?? systemClock,
    });
    let failure: { error: unknown } | null = null;
    let result: unknown;
    try {
      signal.throwIfAborted();
      result = await fn(prepared.ctx, invocation.inputs, signal);
    } catch (error) {
      failure = { error };
    }
    try {
      await prepared.persist();
    } catch (persistError) {
      if (failure === null) throw persistError;
      prepared.ctx.logger.error(
        `Could not save runtime properties after the failed operation: ${messageOf(persistError)}`,
      );
    }
    if (failure !== null) throw mapOperationError(failure.error);
    return result;
  }
}

/**
 * Maps what a plugin threw to the engine's classes: operation errors pass through, user errors
 * become NonRecoverableError, operational errors RecoverableError; other errors stay as they are
 * (recoverable for the engine).
 */
export function mapOperationError(error: unknown): unknown {
  if (isRekindleError(error)) {
    if (error.kind === 'user') return new NonRecoverableError(error.message, { cause: error });
    if (error.kind === 'operational') return new RecoverableError(error.message, { cause: error });
  }
  return error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
