/** The generic repository: CRUD and lists over any table described in tables.ts. */
import { CompiledQuery } from 'kysely';
import { notFound } from '../core/index.js';
import { insertRows } from './bulk-insert.js';
import type { DbContext } from './db.js';
import { inTransaction } from './transaction.js';
import { mapWriteError } from './errors.js';
import { applyFilter, applySort, pageOf, parseSort } from './list-query.js';
import type { ListQuery, ListResult, Repository } from './port.js';
import { recordToRow, rowToRecord, type Row } from './row-codec.js';
import type { TableSpec } from './tables.js';

/** A Repository over one table. `K` is a string for single-column keys, else an object. */
export class TableRepository<R, K = string> implements Repository<R, K> {
  constructor(
    protected readonly ctx: DbContext,
    protected readonly spec: TableSpec,
  ) {}

  /** Key -> `{ column: value }`. */
  protected keyRow(key: K): Row {
    const fields: Record<string, unknown> = typeof key === 'object' && key !== null ? (key as Record<string, unknown>) : { [this.spec.key[0]!]: key };
    const row = recordToRow(this.spec, fields);
    const out: Row = {};
    for (const field of this.spec.key) {
      const column = this.spec.columns.find((c) => c.field === field)!.column;
      out[column] = row[column];
    }
    return out;
  }

  /** Key as text for messages (`dep1/vm` for composite keys). */
  protected keyText(key: K): string {
    return Object.values(this.keyRow(key)).map(String).join('/');
  }

  protected recordKeyText(record: R): string {
    return this.spec.key.map((f) => String((record as Record<string, unknown>)[f])).join('/');
  }

  /**
   * `select * where <key> = ?`, compiled once per repository: a lookup by key is the most
   * frequent query (every REST read and every authentication), and building Kysely's query
   * tree for it costs more than running it.
   */
  #findSql: string | undefined;

  async find(key: K): Promise<R | null> {
    const keyRow = this.keyRow(key);
    if (this.#findSql === undefined) {
      let q = this.ctx.db.selectFrom(this.spec.table).selectAll();
      for (const column of Object.keys(keyRow)) q = q.where(column, '=', null);
      this.#findSql = q.compile().sql;
    }
    const result = await this.ctx.db.executeQuery<Row>(CompiledQuery.raw(this.#findSql, Object.values(keyRow)));
    const row = result.rows[0];
    return row ? rowToRecord<R>(this.spec, row) : null;
  }

  async get(key: K): Promise<R> {
    const record = await this.find(key);
    if (!record) throw notFound(this.spec.resource, this.keyText(key));
    return record;
  }

  async create(record: R): Promise<R> {
    const row = recordToRow(this.spec, record as Record<string, unknown>);
    try {
      await this.ctx.db.insertInto(this.spec.table).values(row).execute();
    } catch (error) {
      throw mapWriteError(error, this.spec.resource, this.recordKeyText(record), 'insert');
    }
    return rowToRecord<R>(this.spec, row);
  }

  async createMany(records: readonly R[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((r) => recordToRow(this.spec, r as Record<string, unknown>));
    const columns = this.spec.columns.map((c) => c.column);
    try {
      await inTransaction(this.ctx, (tx) => insertRows(tx, this.spec.table, columns, rows));
    } catch (error) {
      const ids = records.length <= 10 ? records.map((r) => this.recordKeyText(r)).join(', ') : `(one of ${records.length} records)`;
      throw mapWriteError(error, this.spec.resource, ids, 'insert');
    }
  }

  async update(key: K, patch: Partial<R>): Promise<R> {
    const keyRow = this.keyRow(key);
    const values = recordToRow(this.spec, patch);
    for (const column of Object.keys(keyRow)) delete values[column];
    if (Object.keys(values).length === 0) return this.get(key);
    let q = this.ctx.db.updateTable(this.spec.table).set(values);
    for (const [column, value] of Object.entries(keyRow)) q = q.where(column, '=', value);
    let row: Row | undefined;
    try {
      row = await q.returningAll().executeTakeFirst();
    } catch (error) {
      throw mapWriteError(error, this.spec.resource, this.keyText(key), 'insert');
    }
    if (!row) throw notFound(this.spec.resource, this.keyText(key));
    return rowToRecord<R>(this.spec, row);
  }

  async delete(key: K): Promise<R> {
    let q = this.ctx.db.deleteFrom(this.spec.table);
    for (const [column, value] of Object.entries(this.keyRow(key))) q = q.where(column, '=', value);
    let row: Row | undefined;
    try {
      row = await q.returningAll().executeTakeFirst();
    } catch (error) {
      throw mapWriteError(error, this.spec.resource, this.keyText(key), 'delete');
    }
    if (!row) throw notFound(this.spec.resource, this.keyText(key));
    return rowToRecord<R>(this.spec, row);
  }

  async deleteWhere(filter: NonNullable<ListQuery['filter']>): Promise<number> {
    // The filter logic exists once (applyFilter, on a select); delete by key through it.
    const keyColumns = this.spec.key.map((f) => this.spec.columns.find((c) => c.field === f)!.column);
    const selected = applyFilter(this.spec, this.ctx.db.selectFrom(this.spec.table).select(keyColumns), filter);
    try {
      if (keyColumns.length === 1) {
        const result = await this.ctx.db.deleteFrom(this.spec.table).where(keyColumns[0]!, 'in', selected).executeTakeFirst();
        return Number(result.numDeletedRows);
      }
      let count = 0;
      for (const row of await selected.execute()) {
        let q = this.ctx.db.deleteFrom(this.spec.table);
        for (const column of keyColumns) q = q.where(column, '=', row[column]);
        count += Number((await q.executeTakeFirst()).numDeletedRows);
      }
      return count;
    } catch (error) {
      throw mapWriteError(error, this.spec.resource, JSON.stringify(filter), 'delete');
    }
  }

  async list(query: ListQuery = {}): Promise<ListResult<R>> {
    const { offset, size } = pageOf(query.offset, query.size);
    const sort = parseSort(this.spec, query.sort);
    const base = applyFilter(this.spec, this.ctx.db.selectFrom(this.spec.table).selectAll(), query.filter);
    const countRow = await base
      .clearSelect()
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    const rows = await applySort(base, sort).limit(size).offset(offset).execute();
    return {
      items: rows.map((row) => rowToRecord<R>(this.spec, row)),
      total: Number(countRow?.n ?? 0),
      offset,
      size,
    };
  }
}
