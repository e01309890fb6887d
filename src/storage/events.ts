/**
 * Events and logs: batch append and filtered, paginated reads. All event SQL is here.
 *
 * Deep pages stay fast two ways: an unfiltered page in sequence order is a range on `seq`
 * whenever the sequence has no gaps (checked against the row count kept in `event_stats`);
 * any other page selects the page's `seq` values from an index first and only then reads
 * the 100 documents ("deferred join").
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { insertParams } from './bulk-insert.js';
import type { EventDocument } from '../core/index.js';
import type { AnyDb, DbContext } from './db.js';
import { inTransaction } from './transaction.js';
import { applyFilter, applySort, pageOf, parseSort } from './list-query.js';
import type { EventDocumentRecord, EventQuery, EventStore, ListResult } from './port.js';
import type { EventRecord } from './records.js';
import { encodeValue, rowToRecord, type Row } from './row-codec.js';
import { eventsTable } from './tables.js';

const isoPattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Cloudify's `YYYY-MM-DD HH:MM:SS.mmm+ZZZZ` (or any ISO time) -> `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
export function isoTime(value: string | undefined, fallback: number): string {
  if (value && isoPattern.test(value)) return value;
  if (value) {
    const normalised = value.replace(' ', 'T').replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
    const ms = Date.parse(normalised);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return new Date(fallback).toISOString();
}

/** The columns stored beside an event document (everything a filter may use). */
export function eventColumns(document: EventDocument, now: number): Omit<EventRecord, 'seq'> {
  const c = document.context;
  return {
    timestamp: isoTime(document['@timestamp'] ?? document.timestamp, now),
    type: document.type,
    executionId: c.execution_id ?? null,
    deploymentId: c.deployment_id ?? null,
    blueprintId: c.blueprint_id ?? null,
    workflowId: c.workflow_id ?? null,
    nodeId: c.node_name ?? c.source_name ?? null,
    nodeInstanceId: c.node_id ?? c.source_id ?? null,
    level: document.type === 'cloudify_log' ? document.level : null,
    eventType: document.type === 'cloudify_event' ? document.event_type : null,
    message: document.message.text,
    document,
  };
}

/** Columns an append writes (seq is assigned by the database). */
const insertColumns = eventsTable.columns.filter((c) => c.column !== 'seq');
const insertColumnNames = insertColumns.map((c) => c.column);

const filterFields = ['executionId', 'deploymentId', 'blueprintId', 'workflowId', 'nodeId', 'nodeInstanceId', 'type', 'level', 'eventType'] as const;

/** The EventStore over the `events` table. */
export class TableEventStore implements EventStore {
  constructor(
    private readonly ctx: DbContext,
    private readonly now: () => number,
  ) {}

  async append(documents: readonly EventDocument[]): Promise<number> {
    if (documents.length === 0) return 0;
    const now = this.now();
    const params: unknown[] = [];
    for (const d of documents) {
      const record = eventColumns(d, now) as unknown as Record<string, unknown>;
      for (const c of insertColumns) params.push(encodeValue(c.kind, record[c.field]));
    }
    await inTransaction(this.ctx, async (tx) => {
      await insertParams(tx, 'events', insertColumnNames, params);
      await adjustCount(tx, documents.length);
    });
    return documents.length;
  }

  async count(): Promise<number> {
    const row = await this.ctx.db.selectFrom('event_stats').select('total').where('id', '=', 1).executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  async deleteForDeployment(deploymentId: string): Promise<number> {
    return inTransaction(this.ctx, async (tx) => {
      const result = await tx.db.deleteFrom('events').where('deployment_id', '=', deploymentId).executeTakeFirst();
      const n = Number(result.numDeletedRows);
      await adjustCount(tx, -n);
      return n;
    });
  }

  list(query: EventQuery = {}): Promise<ListResult<EventRecord>> {
    return this.page(query, allColumns, toRecord);
  }

  listDocuments(query: EventQuery = {}): Promise<ListResult<EventDocumentRecord>> {
    return this.page(query, documentColumns, toDocumentRecord);
  }

  /** One page of `query`, reading `columns` of each row. */
  private async page<T>(query: EventQuery, columns: readonly string[], decode: (row: Row) => T): Promise<ListResult<T>> {
    const { offset, size } = pageOf(query.offset, query.size);
    const sort = parseSort(eventsTable, query.sort ?? ['seq']);
    const filtered = filterFields.some((f) => query[f] !== undefined) || query.from || query.to || query.messageContains || query.afterSeq !== undefined;
    const first = sort[0]!;
    if (!filtered && sort.length === 1 && first.column === 'seq') {
      const fast = await this.denseSeqPage(offset, size, first.desc, columns);
      if (fast) return { ...fast, items: fast.items.map(decode) };
    }
    const filter: Record<string, string | readonly string[]> = {};
    for (const f of filterFields) if (query[f] !== undefined) filter[f] = query[f];
    let keys = applyFilter(eventsTable, this.ctx.db.selectFrom('events').select('seq'), filter);
    if (query.from) keys = keys.where('timestamp', '>=', isoTime(query.from, 0));
    if (query.to) keys = keys.where('timestamp', '<=', isoTime(query.to, 0));
    if (query.afterSeq !== undefined) keys = keys.where('seq', '>', query.afterSeq);
    if (query.messageContains) {
      const pattern = `%${query.messageContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      keys = keys.where(sql<boolean>`message like ${pattern} escape '\\'`);
    }
    const total = query.withTotal === false ? -1 : await countOf(keys);
    const page = applySort(keys, sort).limit(size).offset(offset);
    const rows = await applySort(this.ctx.db.selectFrom('events').select(columns).where('seq', 'in', page), sort).execute();
    return { items: rows.map(decode), total, offset, size };
  }

  /** Unfiltered page in seq order as a seq range, when seq has no gaps; else null. */
  private async denseSeqPage(offset: number, size: number, desc: boolean, columns: readonly string[]): Promise<ListResult<Row> | null> {
    const bounds = await this.ctx.db
      .selectNoFrom((eb) => [
        eb.selectFrom('events').select((e) => e.fn.min('seq').as('m')).as('lo'),
        eb.selectFrom('events').select((e) => e.fn.max('seq').as('m')).as('hi'),
        eb.selectFrom('event_stats').select('total').where('id', '=', 1).as('total'),
      ])
      .executeTakeFirstOrThrow();
    const total = Number(bounds.total ?? 0);
    if (total === 0) return { items: [], total, offset, size };
    const lo = Number(bounds.lo);
    const hi = Number(bounds.hi);
    if (hi - lo + 1 !== total) return null;
    let q = this.ctx.db.selectFrom('events').select(columns);
    q = desc ? q.where('seq', '<=', hi - offset).orderBy('seq', 'desc') : q.where('seq', '>=', lo + offset).orderBy('seq', 'asc');
    const rows = await q.limit(size).execute();
    return { items: rows, total, offset, size };
  }
}

const allColumns = eventsTable.columns.map((c) => c.column);
const documentColumns = ['seq', 'timestamp', 'document'];

function toRecord(row: Row): EventRecord {
  return rowToRecord<EventRecord>(eventsTable, row);
}

function toDocumentRecord(row: Row): EventDocumentRecord {
  return { seq: Number(row.seq), timestamp: row.timestamp as string, document: JSON.parse(row.document as string) as EventDocument };
}

async function countOf(keys: SelectQueryBuilder<AnyDb, string, Record<string, unknown>>): Promise<number> {
  const row = await keys
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Keeps `event_stats.total` equal to the number of rows (same transaction as the write). */
export async function adjustCount(ctx: DbContext, delta: number): Promise<void> {
  if (delta === 0) return;
  await ctx.db
    .updateTable('event_stats')
    .set({ total: sql`total + ${delta}` })
    .where('id', '=', 1)
    .execute();
}

/** Sets `event_stats.total` (after an import). */
export async function setCount(ctx: DbContext, total: number): Promise<void> {
  await ctx.db.updateTable('event_stats').set({ total }).where('id', '=', 1).execute();
}
