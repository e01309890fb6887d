/** `/blueprints`: upload (archive or YAML), list, get, delete, download. */
import type { FastifyInstance } from 'fastify';
import { badParameters } from '../errors.js';
import { compileInclude, compileListQuery, envelope, project, single, type Query } from '../http/list.js';
import { doc, idParams } from '../http/schemas.js';
import type { ManagerServices } from '../services/index.js';

export const blueprintFields = ['id', 'main_file_name', 'description', 'plan', 'created_at', 'updated_at'] as const;

export function blueprintRoutes(app: FastifyInstance, services: ManagerServices, maxUploadBytes: number): void {
  const tag = 'blueprints';
  app.get<{ Querystring: Query }>('/blueprints', { schema: doc(tag, 'List blueprints') }, async (request) => {
    const q = compileListQuery(request.query, blueprintFields, ['id', 'created_at', 'updated_at']);
    const filter = { id: single(request.query, 'id') };
    return envelope(await services.blueprints.list({ ...q, filter }), q);
  });

  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/blueprints/:id',
    { schema: doc(tag, 'Get a blueprint', { params: idParams }) },
    async (request) => project(await services.blueprints.get(request.params.id), compileInclude(request.query, blueprintFields)),
  );

  app.put<{ Params: { id: string }; Querystring: Query; Body: unknown }>(
    '/blueprints/:id',
    {
      bodyLimit: maxUploadBytes,
      schema: doc(tag, 'Upload a blueprint: a tar, tar.gz or zip archive, or a single YAML file (application/octet-stream)', {
        params: idParams,
        querystring: { type: 'object', properties: { application_file_name: { type: 'string' } } },
      }),
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        throw badParameters('Send the blueprint archive (or YAML file) as the request body with Content-Type: application/octet-stream');
      }
      const mainFile = single(request.query, 'application_file_name') ?? 'blueprint.yaml';
      const record = await services.blueprints.upload(request.params.id, request.body, mainFile);
      return reply.status(201).send(record);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/blueprints/:id',
    { schema: doc(tag, 'Delete a blueprint no deployment uses', { params: idParams }) },
    async (request) => services.blueprints.delete(request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/blueprints/:id/archive',
    { schema: doc(tag, 'Download the uploaded blueprint archive', { params: idParams }) },
    async (request, reply) => {
      await services.blueprints.get(request.params.id);
      const { data, fileName } = await services.ctx.files.archive(request.params.id, undefined);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename=${fileName}`)
        .send(data);
    },
  );
}
