/**
 * `/snapshots`: create, list, get, delete, upload / download archives, restore (Cloudify 3.3 shapes),
 * and verify (a Rekindle extension, snapshot-verify.ts).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { badParameters } from '../errors.js';
import { compileInclude, compileListQuery, envelope, project, type Query } from '../http/list.js';
import { doc, idParams } from '../http/schemas.js';
import type { SnapshotService } from '../services/snapshots.js';
import { verifyStoredSnapshot } from './snapshot-verify.js';

export const snapshotFields = ['id', 'created_at', 'status', 'error', 'size', 'encrypted'] as const;

const bool = { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false', 'True', 'False'] }] };
const truthy = (v: boolean | string | undefined, fallback: boolean): boolean =>
  v === undefined ? fallback : v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
const passphraseOf = (body: { passphrase?: string } | undefined): string | undefined => {
  const p = body?.passphrase;
  if (p === undefined || p === null) return undefined;
  if (p.length === 0) throw badParameters('passphrase is empty; omit it or give the passphrase the snapshot was created with');
  return p;
};

/**
 * Registers the routes. The upload route reads the raw request stream: register these routes
 * in their own (encapsulated) plugin, whose content-type parsers hand the stream over.
 */
export function snapshotRoutes(app: FastifyInstance, snapshots: SnapshotService): void {
  const tag = 'snapshots';
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    try {
      done(null, body === '' ? {} : JSON.parse(body as string));
    } catch (error) {
      done(badParameters(`The request body is not valid JSON: ${(error as Error).message}`));
    }
  });
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.get<{ Querystring: Query }>('/snapshots', { schema: doc(tag, 'List snapshots') }, async (request) => {
    const q = compileListQuery(request.query, snapshotFields, ['id', 'created_at', 'status']);
    return envelope(await snapshots.list(q), q);
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/snapshots/:id', { schema: doc(tag, 'Get a snapshot', { params: idParams }) }, async (request) =>
    project(await snapshots.get(request.params.id), compileInclude(request.query, snapshotFields)),
  );

  app.put<{ Params: { id: string }; Body: { include_metrics?: boolean | string; include_credentials?: boolean | string; passphrase?: string } | undefined }>(
    '/snapshots/:id',
    {
      schema: doc(tag, 'Create a snapshot (201: the create_snapshot execution)', {
        params: idParams,
        body: { type: ['object', 'null'], properties: { include_metrics: bool, include_credentials: bool, passphrase: { type: 'string' } } },
      }),
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const passphrase = passphraseOf(body);
      const execution = await snapshots.create(request.params.id, {
        includeMetrics: truthy(body.include_metrics, false),
        includeCredentials: truthy(body.include_credentials, true),
        ...(passphrase === undefined ? {} : { passphrase }),
      });
      return reply.status(201).send(execution);
    },
  );

  app.delete<{ Params: { id: string } }>('/snapshots/:id', { schema: doc(tag, 'Delete a snapshot and its archive', { params: idParams }) }, (request) =>
    snapshots.delete(request.params.id),
  );

  app.put<{ Params: { id: string } }>(
    '/snapshots/:id/archive',
    { schema: doc(tag, 'Upload a snapshot archive (raw body; 201, status uploaded)', { params: idParams }) },
    async (request, reply) => {
      const body = request.body as Readable | undefined;
      if (body === undefined || body === null || typeof (body as { pipe?: unknown }).pipe !== 'function') {
        throw badParameters('Send the snapshot archive as the raw request body (Content-Type: application/octet-stream)');
      }
      return reply.status(201).send(await snapshots.upload(request.params.id, body));
    },
  );

  app.get<{ Params: { id: string } }>('/snapshots/:id/archive', { schema: doc(tag, "Download a snapshot's archive", { params: idParams }) }, async (request, reply) => {
    const { path, size } = await snapshots.archive(request.params.id);
    return reply
      .header('Content-Type', 'application/octet-stream')
      .header('Content-Disposition', `attachment; filename=${request.params.id}.zip`)
      .header('Content-Length', String(size))
      .send(createReadStream(path));
  });

  app.post<{ Params: { id: string }; Body: { recreate_deployments_envs?: boolean | string; force?: boolean | string; passphrase?: string } | undefined }>(
    '/snapshots/:id/restore',
    {
      schema: doc(tag, 'Restore a snapshot into this manager (the restore_snapshot execution)', {
        params: idParams,
        body: { type: ['object', 'null'], properties: { recreate_deployments_envs: bool, force: bool, passphrase: { type: 'string' } } },
      }),
    },
    async (request) => {
      const body = request.body ?? {};
      const passphrase = passphraseOf(body);
      return snapshots.restore(request.params.id, {
        recreateDeploymentsEnvs: truthy(body.recreate_deployments_envs, true),
        force: truthy(body.force, false),
        ...(passphrase === undefined ? {} : { passphrase }),
      });
    },
  );

  app.post<{ Params: { id: string }; Body: { passphrase?: string } | undefined }>(
    '/snapshots/:id/verify',
    {
      schema: doc(tag, "Verify a stored snapshot's archive offline, as `cfy snapshots verify` does (Rekindle extension; 200 {ok, ...} either way)", {
        params: idParams,
        body: { type: ['object', 'null'], properties: { passphrase: { type: 'string' } } },
      }),
    },
    async (request) => {
      const passphrase = passphraseOf(request.body ?? {});
      const { path } = await snapshots.archive(request.params.id);
      return verifyStoredSnapshot(request.params.id, path, passphrase);
    },
  );
}
