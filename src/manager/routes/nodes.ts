/** `/nodes` and `/node-instances`. */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/index.js';
import { compileInclude, compileListQuery, envelope, project, single, type Query } from '../http/list.js';
import { anyObject, doc, idParams } from '../http/schemas.js';
import type { ManagerServices } from '../services/index.js';

export const nodeFields = [
  'id', 'deployment_id', 'blueprint_id', 'type', 'type_hierarchy', 'number_of_instances', 'planned_number_of_instances',
  'deploy_number_of_instances', 'host_id', 'properties', 'operations', 'relationships', 'plugins',
] as const;

export const nodeInstanceFields = [
  'id', 'node_id', 'deployment_id', 'host_id', 'state', 'runtime_properties', 'version', 'relationships',
] as const;

export function nodeRoutes(app: FastifyInstance, services: ManagerServices): void {
  const { store } = services.ctx;
  app.get<{ Querystring: Query }>('/nodes', { schema: doc('nodes', 'List nodes (filter: deployment_id, node_id)') }, async (request) => {
    const q = compileListQuery(request.query, nodeFields, ['id', 'deployment_id', 'type']);
    const deploymentId = single(request.query, 'deployment_id');
    if (deploymentId !== undefined) await services.deployments.get(deploymentId);
    const filter = { deployment_id: deploymentId, id: single(request.query, 'node_id') };
    return envelope(await store.nodes.list({ ...q, filter }), q);
  });

  app.get<{ Querystring: Query }>(
    '/node-instances',
    { schema: doc('node-instances', 'List node instances (filter: deployment_id, node_id)') },
    async (request) => {
      const q = compileListQuery(request.query, nodeInstanceFields, ['id', 'deployment_id', 'node_id', 'state']);
      const deploymentId = single(request.query, 'deployment_id');
      if (deploymentId !== undefined) await services.deployments.get(deploymentId);
      const filter = { deployment_id: deploymentId, node_id: single(request.query, 'node_id') };
      return envelope(await store.nodeInstances.list({ ...q, filter }), q);
    },
  );

  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/node-instances/:id',
    { schema: doc('node-instances', 'Get a node instance', { params: idParams }) },
    async (request) => {
      const record = await store.nodeInstances.get(request.params.id);
      if (!record) throw notFound('Node instance', request.params.id);
      return project(record, compileInclude(request.query, nodeInstanceFields));
    },
  );

  app.patch<{ Params: { id: string }; Body: { runtime_properties?: Record<string, unknown>; version: number } }>(
    '/node-instances/:id',
    {
      config: { jsonBody: true },
      schema: doc('node-instances', 'Replace runtime properties (optimistic: 409 when version is stale)', {
        params: idParams,
        body: {
          type: 'object',
          required: ['version'],
          properties: { runtime_properties: anyObject, version: { type: 'integer', minimum: 0 } },
        },
      }),
    },
    async (request) => {
      const { id } = request.params;
      const current = await store.nodeInstances.get(id);
      if (!current) throw notFound('Node instance', id);
      const props = request.body.runtime_properties ?? current.runtime_properties;
      return store.nodeInstances.updateRuntimeProperties(id, props, request.body.version);
    },
  );
}
