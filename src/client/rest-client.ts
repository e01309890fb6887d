/**
 * A typed client of the manager's REST API (v2), used by the CLI, the agent and tests.
 * One method per endpoint; shapes in ./types.ts.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { HttpTransport, type ClientOptions, type RequestOptions } from './http.js';
import type {
  Blueprint,
  Deployment,
  Event,
  Execution,
  ListResponse,
  ManagerStatus,
  NodeInstance,
  ProviderContext,
  Snapshot,
} from './types.js';

/** Paging and sorting of list calls. */
export interface ListOptions {
  offset?: number;
  size?: number;
  sort?: string;
  include?: string[];
}

/** Called as bytes of an upload or download go by. */
export type ProgressListener = (done: number, total: number | undefined) => void;

function listQuery(options: ListOptions = {}): RequestOptions['query'] {
  return {
    _offset: options.offset,
    _size: options.size,
    _sort: options.sort,
    _include: options.include?.join(','),
  };
}

/** Streams a local file as a request body, reporting progress. */
function fileBody(path: string, onProgress?: ProgressListener): { body: ReadableStream<Uint8Array>; length: number } {
  const length = statSync(path).size;
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      done += chunk.length;
      onProgress?.(done, length);
      callback(null, chunk);
    },
  });
  const file = createReadStream(path);
  // A read error (e.g. the file removed mid-upload) ends the body with that error instead of crashing.
  file.on('error', (error) => counter.destroy(error));
  const stream = file.pipe(counter);
  return { body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, length };
}

export class RestClient {
  readonly http: HttpTransport;

  constructor(options: ClientOptions) {
    this.http = new HttpTransport(options);
  }

  readonly manager = {
    status: (): Promise<ManagerStatus> => this.http.json('/status'),
    version: (): Promise<{ version: string } & Record<string, unknown>> => this.http.json('/version'),
    getContext: (): Promise<ProviderContext> => this.http.json('/provider/context'),
    createContext: (name: string, context: Record<string, unknown>, update = false): Promise<unknown> =>
      this.http.json('/provider/context', { method: 'POST', query: { update }, json: { name, context } }),
    token: (): Promise<{ value: string }> => this.http.json('/tokens'),
  };

  readonly blueprints = {
    /** Uploads a blueprint archive (tar.gz / zip) or a single YAML file. */
    upload: (id: string, archivePath: string, applicationFileName: string, onProgress?: ProgressListener): Promise<Blueprint> => {
      const { body, length } = fileBody(archivePath, onProgress);
      return this.http.json(`/blueprints/${encodeURIComponent(id)}`, {
        method: 'PUT',
        query: { application_file_name: applicationFileName },
        body,
        bodyLength: length,
        timeoutMs: 0,
      });
    },
    list: (options?: ListOptions): Promise<ListResponse<Blueprint>> => this.http.json('/blueprints', { query: listQuery(options) }),
    get: (id: string): Promise<Blueprint> => this.http.json(`/blueprints/${encodeURIComponent(id)}`),
    delete: (id: string): Promise<Blueprint> => this.http.json(`/blueprints/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    /** The archive as a response whose body the caller streams to disk. */
    download: (id: string): Promise<Response> => this.http.raw(`/blueprints/${encodeURIComponent(id)}/archive`, { timeoutMs: 0 }),
  };

  readonly deployments = {
    create: (id: string, blueprintId: string, inputs: Record<string, unknown> = {}): Promise<Deployment> =>
      this.http.json(`/deployments/${encodeURIComponent(id)}`, { method: 'PUT', json: { blueprint_id: blueprintId, inputs } }),
    list: (blueprintId?: string, options?: ListOptions): Promise<ListResponse<Deployment>> =>
      this.http.json('/deployments', { query: { ...listQuery(options), blueprint_id: blueprintId } }),
    get: (id: string): Promise<Deployment> => this.http.json(`/deployments/${encodeURIComponent(id)}`),
    delete: (id: string, ignoreLiveNodes = false): Promise<Deployment> =>
      this.http.json(`/deployments/${encodeURIComponent(id)}`, { method: 'DELETE', query: { ignore_live_nodes: ignoreLiveNodes } }),
    outputs: (id: string): Promise<{ deployment_id: string; outputs: Record<string, unknown> }> =>
      this.http.json(`/deployments/${encodeURIComponent(id)}/outputs`),
  };

  readonly nodeInstances = {
    list: (filter: { deploymentId?: string; nodeId?: string } = {}, options?: ListOptions): Promise<ListResponse<NodeInstance>> =>
      this.http.json('/node-instances', { query: { ...listQuery(options), deployment_id: filter.deploymentId, node_id: filter.nodeId } }),
    get: (id: string): Promise<NodeInstance> => this.http.json(`/node-instances/${encodeURIComponent(id)}`),
    update: (id: string, runtimeProperties: Record<string, unknown>, version: number): Promise<NodeInstance> =>
      this.http.json(`/node-instances/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        json: { runtime_properties: runtimeProperties, version },
      }),
  };

  readonly executions = {
    start: (
      deploymentId: string,
      workflowId: string,
      parameters: Record<string, unknown> = {},
      options: { allowCustomParameters?: boolean; force?: boolean } = {},
    ): Promise<Execution> =>
      this.http.json('/executions', {
        method: 'POST',
        json: {
          deployment_id: deploymentId,
          workflow_id: workflowId,
          parameters,
          allow_custom_parameters: options.allowCustomParameters ?? false,
          force: options.force ?? false,
        },
      }),
    list: (filter: { deploymentId?: string; includeSystemWorkflows?: boolean } = {}, options?: ListOptions): Promise<ListResponse<Execution>> =>
      this.http.json('/executions', {
        query: { ...listQuery(options), deployment_id: filter.deploymentId, include_system_workflows: filter.includeSystemWorkflows },
      }),
    get: (id: string): Promise<Execution> => this.http.json(`/executions/${encodeURIComponent(id)}`),
    cancel: (id: string, force = false): Promise<Execution> =>
      this.http.json(`/executions/${encodeURIComponent(id)}`, { method: 'POST', json: { action: force ? 'force-cancel' : 'cancel' } }),
  };

  readonly events = {
    list: (
      filter: { executionId?: string; deploymentId?: string; includeLogs?: boolean; afterSeq?: number },
      options: ListOptions = {},
    ): Promise<ListResponse<Event>> =>
      this.http.json('/events', {
        query: {
          // After a cursor (`metadata.last_seq` of the previous page), events come in sequence order.
          ...listQuery({ sort: filter.afterSeq === undefined ? '@timestamp' : '_seq', ...options }),
          _after_seq: filter.afterSeq,
          execution_id: filter.executionId,
          deployment_id: filter.deploymentId,
          type: filter.includeLogs ? ['cloudify_event', 'cloudify_log'] : ['cloudify_event'],
        },
      }),
  };

  readonly snapshots = {
    /** `passphrase` encrypts the snapshot (sent in the body; never put it on a command line). */
    create: (id: string, options: { includeMetrics?: boolean; includeCredentials?: boolean; passphrase?: string } = {}): Promise<Execution> =>
      this.http.json(`/snapshots/${encodeURIComponent(id)}`, {
        method: 'PUT',
        json: {
          include_metrics: options.includeMetrics ?? false,
          include_credentials: options.includeCredentials ?? true,
          ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
        },
      }),
    list: (options?: ListOptions): Promise<ListResponse<Snapshot>> => this.http.json('/snapshots', { query: listQuery(options) }),
    get: (id: string): Promise<Snapshot> => this.http.json(`/snapshots/${encodeURIComponent(id)}`),
    delete: (id: string): Promise<Snapshot> => this.http.json(`/snapshots/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    upload: (id: string, path: string, onProgress?: ProgressListener): Promise<Snapshot> => {
      const { body, length } = fileBody(path, onProgress);
      return this.http.json(`/snapshots/${encodeURIComponent(id)}/archive`, { method: 'PUT', body, bodyLength: length, timeoutMs: 0 });
    },
    download: (id: string): Promise<Response> => this.http.raw(`/snapshots/${encodeURIComponent(id)}/archive`, { timeoutMs: 0 }),
    /** `passphrase` decrypts an encrypted snapshot. */
    restore: (id: string, options: { recreateDeploymentsEnvs?: boolean; force?: boolean; passphrase?: string } = {}): Promise<Execution> =>
      this.http.json(`/snapshots/${encodeURIComponent(id)}/restore`, {
        method: 'POST',
        json: {
          recreate_deployments_envs: options.recreateDeploymentsEnvs ?? true,
          force: options.force ?? false,
          ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
        },
      }),
  };

  readonly agents = {
    list: (options?: ListOptions): Promise<ListResponse<Record<string, unknown>>> => this.http.json('/agents', { query: listQuery(options) }),
  };
}

/** Largest page the manager serves. */
export const maxPageSize = 1000;

/** Every item of a list endpoint, fetching page after page. */
export async function collectAll<T>(fetchPage: (options: ListOptions) => Promise<ListResponse<T>>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const page = await fetchPage({ offset: items.length, size: maxPageSize });
    items.push(...page.items);
    if (page.items.length < maxPageSize || items.length >= page.metadata.pagination.total) return items;
  }
}
