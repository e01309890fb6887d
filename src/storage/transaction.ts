/** Transaction helper shared by the stores. */
import type { DbContext } from './db.js';

/** Runs `fn` in a transaction unless `ctx` already is one (then it joins it). */
export async function inTransaction<T>(ctx: DbContext, fn: (tx: DbContext) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ db: trx, dialect: ctx.dialect }));
}
