/**
 * `GET /events` (v2): filtered, paged, sorted event and log documents. `POST /events` is 405.
 * Rekindle extension: `_after_seq=<n>` reads the events after a sequence number (a keyset
 * cursor, O(page) at any depth) and every answer carries `metadata.last_seq`, the cursor to
 * continue from (docs/rest-api.md, Events).
 */
import type { FastifyInstance } from 'fastify';
import { badParameters, methodNotAllowed } from '../errors.js';
import { compileListQuery, envelope, many, single, type Query } from '../http/list.js';
import { doc } from '../http/schemas.js';
import type { ManagerServices } from '../services/index.js';
import type { SortKey } from '../store/port.js';

export const eventFields = [
  'type', 'event_type', 'timestamp', '@timestamp', 'message', 'message_code', 'context', 'level', 'logger',
] as const;

/** Query parameter -> `context.<key>`. `node_id` is the node; `node_instance_id` the instance. */
const contextFilters: Record<string, string> = {
  blueprint_id: 'blueprint_id',
  deployment_id: 'deployment_id',
  execution_id: 'execution_id',
  workflow_id: 'workflow_id',
  node_id: 'node_name',
  node_instance_id: 'node_id',
};

const eventTypes = ['cloudify_event', 'cloudify_log'];

/** Sort fields: Cloudify's timestamps, and `_seq` (storage insertion order, a Rekindle extension). */
const sortable = ['@timestamp', 'timestamp', '_seq'];

/** Reads `_after_seq` (a non-negative integer) and checks it goes with the sort asked for. */
export function parseAfterSeq(raw: string | undefined, sort: readonly SortKey[]): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw badParameters(`_after_seq must be a non-negative integer (a metadata.last_seq), got '${raw}'`, { _after_seq: raw });
  if (sort.some((s) => s.field !== '_seq' || s.desc)) {
    throw badParameters('_after_seq reads events in sequence order; drop _sort (or use _sort=_seq)', { _after_seq: raw });
  }
  return Number(raw);
}

/** Parses `_range=@timestamp,<from>,<to>` (either bound may be empty). */
export function parseRange(raw: string | undefined): { from?: string; to?: string } {
  if (raw === undefined) return {};
  const [field, from, to] = raw.split(',');
  if ((field !== '@timestamp' && field !== 'timestamp') || from === undefined || to === undefined) {
    throw badParameters(`_range must be '@timestamp,<from>,<to>', got '${raw}'`, { _range: raw });
  }
  const iso = (value: string, which: string): string | undefined => {
    if (value === '') return undefined;
    const t = Date.parse(value);
    if (Number.isNaN(t)) throw badParameters(`_range ${which} '${value}' is not a date/time`, { _range: raw });
    return new Date(t).toISOString();
  };
  const range: { from?: string; to?: string } = {};
  const f = iso(from, 'from');
  const tt = iso(to, 'to');
  if (f !== undefined) range.from = f;
  if (tt !== undefined) range.to = tt;
  return range;
}

export function eventRoutes(app: FastifyInstance, services: ManagerServices): void {
  app.get<{ Querystring: Query }>(
    '/events',
    { schema: doc('events', 'List events and logs (filters, type, level, _range=@timestamp,from,to, paging, sort; _after_seq cursor)') },
    async (request) => {
      const q = compileListQuery(request.query, eventFields, sortable);
      const afterSeq = parseAfterSeq(single(request.query, '_after_seq'), q.sort);
      const context: Record<string, string | undefined> = {};
      for (const [param, key] of Object.entries(contextFilters)) context[key] = single(request.query, param);
      const types = many(request.query, 'type');
      const unknown = types.filter((t) => !eventTypes.includes(t));
      if (unknown.length > 0) throw badParameters(`Unknown event type(s) ${unknown.join(', ')}; use ${eventTypes.join(' or ')}`);
      const result = await services.ctx.store.events.list({
        context,
        types,
        levels: many(request.query, 'level'),
        ...parseRange(single(request.query, '_range')),
        offset: q.offset,
        size: q.size,
        sort: q.sort,
        ...(afterSeq === undefined ? {} : { afterSeq }),
      });
      const body = envelope(result, q);
      return { ...body, metadata: { ...body.metadata, last_seq: result.lastSeq ?? afterSeq ?? null } };
    },
  );

  app.post('/events', { schema: doc('events', 'Not allowed in v2 (405)') }, () => {
    throw methodNotAllowed('POST /api/v2/events is not allowed; use GET /api/v2/events with query parameters');
  });
}
