/** A forward-only schema migration. */
import type { DbContext } from '../db.js';

export interface Migration {
  /** 1, 2, 3... applied in order, each in its own transaction. */
  version: number;
  name: string;
  /** Runs inside the migration's transaction (`ctx.db` is the transaction). */
  up(ctx: DbContext): Promise<void>;
}
