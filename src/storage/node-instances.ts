/** Node instances: the generic repository plus an optimistic version check on update. */
import { sql } from 'kysely';
import { notFound } from '../core/index.js';
import type { DbContext } from './db.js';
import { mapWriteError, versionConflict } from './errors.js';
import type { NodeInstanceRepository } from './port.js';
import type { NodeInstanceRecord } from './records.js';
import { TableRepository } from './repository.js';
import { recordToRow, rowToRecord } from './row-codec.js';
import { nodeInstancesTable } from './tables.js';

export class NodeInstanceTableRepository extends TableRepository<NodeInstanceRecord> implements NodeInstanceRepository {
  constructor(ctx: DbContext) {
    super(ctx, nodeInstancesTable);
  }

  override async update(
    id: string,
    patch: Partial<Omit<NodeInstanceRecord, 'id' | 'version'>>,
    expectedVersion?: number,
  ): Promise<NodeInstanceRecord> {
    const values = recordToRow(this.spec, patch);
    delete values.id;
    delete values.version;
    let q = this.ctx.db
      .updateTable(this.spec.table)
      .set({ ...values, version: sql`version + 1` })
      .where('id', '=', id);
    if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
    let row: Record<string, unknown> | undefined;
    try {
      row = await q.returningAll().executeTakeFirst();
    } catch (error) {
      throw mapWriteError(error, this.spec.resource, id, 'insert');
    }
    if (row) return rowToRecord<NodeInstanceRecord>(this.spec, row);
    const current = await this.find(id);
    if (!current) throw notFound(this.spec.resource, id);
    throw versionConflict(this.spec.resource, id, expectedVersion ?? current.version, current.version);
  }
}
