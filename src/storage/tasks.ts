/** Tasks: the generic repository, plus `position` (write order per execution) assigned on create. */
import type { DbContext } from './db.js';
import type { NewTaskRecord, TaskRepository } from './port.js';
import type { TaskRecord } from './records.js';
import { TableRepository } from './repository.js';
import { tasksTable } from './tables.js';
import { inTransaction } from './transaction.js';

export class TaskTableRepository extends TableRepository<TaskRecord> implements TaskRepository {
  constructor(ctx: DbContext) {
    super(ctx, tasksTable);
  }

  /** Next positions for the records' executions (max + 1, in the caller's transaction). */
  private async withPositions(ctx: DbContext, records: readonly NewTaskRecord[]): Promise<TaskRecord[]> {
    const next = new Map<string, number>();
    const out: TaskRecord[] = [];
    for (const r of records) {
      if (r.position !== undefined) {
        out.push({ ...r, position: r.position });
        continue;
      }
      let position = next.get(r.executionId);
      if (position === undefined) {
        const row = await ctx.db
          .selectFrom('tasks')
          .select((eb) => eb.fn.max('position').as('p'))
          .where('execution_id', '=', r.executionId)
          .executeTakeFirst();
        position = Number(row?.p ?? 0) + 1;
      }
      next.set(r.executionId, position + 1);
      out.push({ ...r, position });
    }
    return out;
  }

  override create(record: NewTaskRecord): Promise<TaskRecord> {
    return inTransaction(this.ctx, async (tx) => {
      const [full] = await this.withPositions(tx, [record]);
      return new TableRepository<TaskRecord>(tx, this.spec).create(full!);
    });
  }

  override createMany(records: readonly NewTaskRecord[]): Promise<void> {
    return inTransaction(this.ctx, async (tx) => new TableRepository<TaskRecord>(tx, this.spec).createMany(await this.withPositions(tx, records)));
  }
}
