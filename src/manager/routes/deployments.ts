/** `/deployments`: create (plan), list, get, delete, outputs. */
import type { FastifyInstance } from 'fastify';
import { booleanParam, compileInclude, compileListQuery, envelope, project, single, type Query } from '../http/list.js';
import { anyObject, doc, idParams } from '../http/schemas.js';
import type { ManagerServices } from '../services/index.js';
import type { DeploymentRecord } from '../store/records.js';

export const deploymentFields = [
  'id', 'blueprint_id', 'description', 'inputs', 'outputs', 'workflows', 'groups', 'policy_types', 'policy_triggers',
  'created_at', 'updated_at',
] as const;

/** The REST shape of a deployment (Cloudify 3.3). */
export function deploymentView(d: DeploymentRecord): Record<string, unknown> {
  return {
    id: d.id,
    blueprint_id: d.blueprint_id,
    description: d.description,
    inputs: d.inputs,
    outputs: d.outputs,
    workflows: Object.values(d.workflows).map((w) => ({ name: w.name, created_at: d.created_at, parameters: w.parameters })),
    groups: d.groups,
    policy_types: {},
    policy_triggers: {},
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

export function deploymentRoutes(app: FastifyInstance, services: ManagerServices): void {
  const tag = 'deployments';
  app.get<{ Querystring: Query }>('/deployments', { schema: doc(tag, 'List deployments (filter: blueprint_id, id)') }, async (request) => {
    const q = compileListQuery(request.query, deploymentFields, ['id', 'blueprint_id', 'created_at', 'updated_at']);
    const filter = { blueprint_id: single(request.query, 'blueprint_id'), id: single(request.query, 'id') };
    const result = await services.deployments.list({ ...q, filter });
    return envelope({ items: result.items.map(deploymentView), total: result.total }, q);
  });

  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/deployments/:id',
    { schema: doc(tag, 'Get a deployment', { params: idParams }) },
    async (request) =>
      project(deploymentView(await services.deployments.get(request.params.id)), compileInclude(request.query, deploymentFields)),
  );

  app.put<{ Params: { id: string }; Body: { blueprint_id: string; inputs?: Record<string, unknown> } }>(
    '/deployments/:id',
    {
      config: { jsonBody: true },
      schema: doc(tag, 'Create a deployment of a blueprint', {
        params: idParams,
        body: {
          type: 'object',
          required: ['blueprint_id'],
          properties: { blueprint_id: { type: 'string' }, inputs: anyObject },
        },
      }),
    },
    async (request, reply) => {
      const record = await services.deployments.create(request.params.id, request.body.blueprint_id, request.body.inputs);
      return reply.status(201).send(deploymentView(record));
    },
  );

  app.delete<{ Params: { id: string }; Querystring: Query }>(
    '/deployments/:id',
    { schema: doc(tag, 'Delete a deployment (ignore_live_nodes=true to delete one with live node instances)', { params: idParams }) },
    async (request) =>
      deploymentView(
        await services.deployments.delete(request.params.id, booleanParam(request.query, 'ignore_live_nodes', false)),
      ),
  );

  app.get<{ Params: { id: string } }>(
    '/deployments/:id/outputs',
    { schema: doc(tag, 'Deployment outputs, evaluated from the current runtime properties', { params: idParams }) },
    async (request) => services.deployments.outputs(request.params.id),
  );
}
