/**
 * The `ctx` a script sees through the proxy: the operation context as a tree of groups,
 * dictionaries and functions (Cloudify's names, snake_case; `-` works too), plus what the script
 * asked for when it ends (`ctx returns`, `ctx abort-operation`, `ctx retry-operation`).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../../core/index.js';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { EntityContext, OperationContext } from '../../context/operation-context.js';
import { deleteByPath } from '../../context/dict-path.js';
import { CtxDict, CtxFunction, CtxGroup } from './ctx-tree.js';
import { renderTemplate } from './render.js';

/** How the script asked its operation to end, if it did. */
export type ScriptStop =
  | { kind: 'abort'; message: string }
  | { kind: 'retry'; message: string; retryAfter?: number }
  | { kind: 'recoverable'; message: string; retryAfter?: number };

/** State shared by the proxy and the script runner for one operation. */
export interface ScriptOutcome {
  returned: { value: unknown } | null;
  stop: ScriptStop | null;
}

/** Thrown by the proxy for `abort-operation` / `retry-operation`: the client stops the script. */
export class StopOperationSignal extends Error {}

export interface ScriptCtxOptions {
  ctx: OperationContext;
  inputs: Record<string, unknown>;
  outcome: ScriptOutcome;
  /** Folder for downloads without a target (removed after the operation). */
  workdir: string;
}

/** Per-request data the client sends besides the arguments. */
export interface RequestScope {
  /** The client's working directory: relative target paths are resolved against it. */
  cwd: string | null;
}

/** Builds the ctx tree for one request of one script operation (cheap: a handful of objects). */
export function buildScriptCtx(options: ScriptCtxOptions, scope: RequestScope): CtxGroup {
  const { ctx, outcome, workdir } = options;
  const targetPath = (path: unknown): string | undefined => {
    if (path === undefined || path === null || path === '') return undefined;
    const text = textOf(path);
    return isAbsolute(text) ? text : resolve(scope.cwd ?? workdir, text);
  };
  const download = async (resourcePath: unknown, target?: unknown): Promise<string> => {
    const path = textOf(resourcePath);
    return ctx.downloadResource(
      path,
      targetPath(target) ?? join(mkdtempSync(join(workdir, 'res-')), basename(path)),
    );
  };
  const stop = (value: ScriptStop): never => {
    outcome.stop ??= value;
    throw new StopOperationSignal(value.message);
  };
  const root: CtxGroup = new CtxGroup(
    {
      type: ctx.type,
      node: ctx.type === 'node-instance' ? nodeGroup(ctx) : null,
      instance: ctx.type === 'node-instance' ? instanceGroup(ctx, 'ctx.instance') : null,
      source: ctx.source ? entityGroup(ctx.source, 'ctx.source') : null,
      target: ctx.target ? entityGroup(ctx.target, 'ctx.target') : null,
      deployment: new CtxGroup({ id: ctx.deploymentId }),
      blueprint: new CtxGroup({ id: ctx.blueprintId }),
      execution_id: ctx.executionId,
      workflow_id: ctx.workflowId,
      task_id: ctx.taskId,
      task_name: ctx.taskName,
      plugin: ctx.pluginName,
      operation: new CtxGroup({
        name: ctx.operation.name,
        retry_number: ctx.operation.retryNumber,
        max_retries: ctx.operation.maxRetries,
        retry: new CtxFunction(['message', 'retry_after'], (message, after) =>
          stop(retryStop('retry', message, after)),
        ),
      }),
      logger: loggerGroup(ctx),
      inputs: new CtxDict(() => options.inputs, false, 'operation inputs'),
      get_resource: new CtxFunction(['resource_path'], async (path) =>
        (await ctx.getResource(textOf(path))).toString('utf8'),
      ),
      get_resource_and_render: new CtxFunction(
        ['resource_path', 'template_variables'],
        async (path, variables) =>
          renderTemplate(
            (await ctx.getResource(textOf(path))).toString('utf8'),
            root,
            asRecord(variables),
          ),
      ),
      download_resource: new CtxFunction(['resource_path', 'target_path'], download),
      download_resource_and_render: new CtxFunction(
        ['resource_path', 'target_path', 'template_variables'],
        async (path, target, variables) => {
          const written = await download(path, target);
          writeFileAtomic(
            written,
            renderTemplate(readFileSync(written, 'utf8'), root, asRecord(variables)),
          );
          return written;
        },
      ),
      returns: new CtxFunction(['value'], (value) => {
        outcome.returned = { value };
        return null;
      }),
      abort_operation: new CtxFunction(['message'], (message) =>
        stop({ kind: 'abort', message: textOr(message, 'Operation aborted by the script') }),
      ),
      retry_operation: new CtxFunction(['message', 'retry_after'], (message, after) =>
        stop(retryStop('retry', message, after)),
      ),
      _recoverable_error: new CtxFunction(['message', 'retry_after'], (message, after) =>
        stop(retryStop('recoverable', message, after)),
      ),
    },
    {
      node: "'ctx node' is not available in relationship operations; use 'ctx source node' or 'ctx target node'",
      instance:
        "'ctx instance' is not available in relationship operations; use 'ctx source instance' or 'ctx target instance'",
      source: "'ctx source' is only available in relationship operations",
      target: "'ctx target' is only available in relationship operations",
    },
  );
  return root;
}

function nodeGroup(entity: Pick<EntityContext, 'node'>): CtxGroup {
  const { node } = entity;
  return new CtxGroup({
    id: node.id,
    name: node.name,
    type: node.type,
    type_hierarchy: node.typeHierarchy,
    properties: new CtxDict(() => node.properties, false, 'node properties'),
  });
}

function instanceGroup(entity: Pick<EntityContext, 'instance'>, label: string): CtxGroup {
  const { instance } = entity;
  return new CtxGroup({
    id: instance.id,
    host_ip: instance.hostIp,
    runtime_properties: new CtxDict(
      () => instance.runtimeProperties,
      true,
      `${label} runtime properties`,
    ),
    update: new CtxFunction([], () => null),
    delete_runtime_property: new CtxFunction(['key'], (key) => {
      deleteByPath(instance.runtimeProperties, textOf(key));
      return null;
    }),
  });
}

function entityGroup(entity: EntityContext, label: string): CtxGroup {
  return new CtxGroup({
    node: nodeGroup(entity),
    instance: instanceGroup(entity, `${label}.instance`),
  });
}

function loggerGroup(ctx: OperationContext): CtxGroup {
  const at = (write: (message: string) => void): CtxFunction =>
    new CtxFunction(['message'], (...parts) => {
      write(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
      return null;
    });
  return new CtxGroup({
    debug: at((m) => ctx.logger.debug(m)),
    info: at((m) => ctx.logger.info(m)),
    warning: at((m) => ctx.logger.warning(m)),
    warn: at((m) => ctx.logger.warning(m)),
    error: at((m) => ctx.logger.error(m)),
  });
}

function retryStop(kind: 'retry' | 'recoverable', message: unknown, after: unknown): ScriptStop {
  const text = textOr(
    message,
    kind === 'retry'
      ? 'Operation retry requested by the script'
      : 'Script raised a recoverable error',
  );
  if (after === undefined || after === null || after === '') return { kind, message: text };
  const seconds = Number(after);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new Error(`retry_after must be a number of seconds, got ${JSON.stringify(after)}`);
  return { kind, message: text, retryAfter: seconds };
}

function textOr(value: unknown, fallback: string): string {
  return value === undefined || value === null || value === '' ? fallback : textOf(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
