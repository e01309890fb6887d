/** The Kysely handle the storage layer works with (tables are described in tables.ts). */
import type { Kysely } from 'kysely';
import type { Row } from './row-codec.js';

/** Database schema type: every table is a loose row; row-codec.ts gives values their types. */
export type AnyDb = Record<string, Row>;

/** Which SQL dialect an adapter speaks. */
export type Dialect = 'sqlite' | 'postgres';

/** A Kysely handle (or transaction) plus its dialect. */
export interface DbContext {
  db: Kysely<AnyDb>;
  dialect: Dialect;
}
