/**
 * While a snapshot restore runs, mutating requests (POST/PUT/PATCH/DELETE) are refused with 503
 * `restore_in_progress_error`; reads go on. A global onRequest hook.
 */
import type { FastifyInstance } from 'fastify';
import { restoreInProgress } from '../services/snapshot-errors.js';

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Installs the hook on `app` (call it on the root instance so it covers every route). */
export function installRestoreGuard(app: FastifyInstance, restoring: () => string | undefined): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const execution = restoring();
    if (execution !== undefined && mutating.has(request.method)) done(restoreInProgress({ execution_id: execution }));
    else done();
  });
}
