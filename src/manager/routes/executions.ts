/** `/executions`: start, list, get, cancel / force-cancel, raw status update. */
import type { FastifyInstance } from 'fastify';
import { booleanParam, compileInclude, compileListQuery, envelope, project, single, type Query } from '../http/list.js';
import { anyObject, doc, idParams } from '../http/schemas.js';
import type { ManagerServices } from '../services/index.js';

export const executionFields = [
  'id', 'status', 'deployment_id', 'workflow_id', 'blueprint_id', 'created_at', 'error', 'parameters', 'is_system_workflow',
] as const;

const stringOrBool = { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false', 'True', 'False'] }] };
const truthy = (v: boolean | string | undefined): boolean => v === true || (typeof v === 'string' && v.toLowerCase() === 'true');

export function executionRoutes(app: FastifyInstance, services: ManagerServices): void {
  const tag = 'executions';
  app.get<{ Querystring: Query }>(
    '/executions',
    { schema: doc(tag, 'List executions (filter: deployment_id, include_system_workflows)') },
    async (request) => {
      const q = compileListQuery(request.query, executionFields, ['id', 'deployment_id', 'workflow_id', 'status', 'created_at']);
      const deploymentId = single(request.query, 'deployment_id');
      if (deploymentId !== undefined) await services.deployments.get(deploymentId);
      const includeSystem = booleanParam(request.query, 'include_system_workflows', false);
      const filter = {
        deployment_id: deploymentId,
        is_system_workflow: includeSystem ? undefined : false,
        status: single(request.query, 'status'),
        workflow_id: single(request.query, 'workflow_id'),
      };
      const sort = q.sort.length > 0 ? q.sort : [{ field: 'created_at', desc: false }];
      return envelope(await services.executions.list({ ...q, sort, filter }), q);
    },
  );

  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/executions/:id',
    { schema: doc(tag, 'Get an execution', { params: idParams }) },
    async (request) => project(await services.executions.get(request.params.id), compileInclude(request.query, executionFields)),
  );

  app.post<{
    Body: {
      deployment_id: string;
      workflow_id: string;
      parameters?: Record<string, unknown>;
      allow_custom_parameters?: boolean | string;
      force?: boolean | string;
    };
  }>(
    '/executions',
    {
      config: { jsonBody: true },
      schema: doc(tag, 'Start a workflow on a deployment (201, status pending)', {
        body: {
          type: 'object',
          required: ['deployment_id', 'workflow_id'],
          properties: {
            deployment_id: { type: 'string' },
            workflow_id: { type: 'string' },
            parameters: { anyOf: [anyObject, { type: 'null' }] },
            allow_custom_parameters: stringOrBool,
            force: stringOrBool,
          },
        },
      }),
    },
    async (request, reply) => {
      const body = request.body;
      const record = await services.executions.start({
        deploymentId: body.deployment_id,
        workflowId: body.workflow_id,
        parameters: body.parameters ?? undefined,
        allowCustomParameters: truthy(body.allow_custom_parameters),
        force: truthy(body.force),
      });
      return reply.status(201).send(record);
    },
  );

  app.post<{ Params: { id: string }; Body: { action: 'cancel' | 'force-cancel' } }>(
    '/executions/:id',
    {
      config: { jsonBody: true },
      schema: doc(tag, 'Cancel (cooperative) or force-cancel an execution', {
        params: idParams,
        body: {
          type: 'object',
          required: ['action'],
          properties: { action: { type: 'string', enum: ['cancel', 'force-cancel'] } },
        },
      }),
    },
    async (request) => services.executions.cancel(request.params.id, request.body.action),
  );

  app.patch<{ Params: { id: string }; Body: { status: string; error?: string } }>(
    '/executions/:id',
    {
      config: { jsonBody: true },
      schema: doc(tag, 'Set the status of an execution (no transition check, as in Cloudify 3.3)', {
        params: idParams,
        body: {
          type: 'object',
          required: ['status'],
          properties: { status: { type: 'string' }, error: { type: 'string' } },
        },
      }),
    },
    async (request) => services.executions.setStatus(request.params.id, request.body.status, request.body.error),
  );
}
