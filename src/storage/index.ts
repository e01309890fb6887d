/**
 * Storage: the port the manager keeps its state behind, with SQLite and PostgreSQL adapters
 * on one Kysely query layer. See docs/storage.md.
 */
export type * from './port.js';
export type * from './records.js';
export { openStorage, parseStorageUrl, type OpenStorageOptions, type StorageTarget } from './open.js';
export { openSqliteStorage, type SqliteStorageOptions } from './sqlite.js';
export { openPostgresStorage, type PostgresStorageOptions } from './postgres.js';
export { createInstanceStore } from './instance-store.js';
export { currentSchemaVersion } from './migrations/index.js';
export { defaultPageSize, maxPageSize } from './list-query.js';
export { eventColumns } from './events.js';
export { restorableTables, allTables, type TableSpec, type ColumnSpec } from './tables.js';
export { createExecutionStore } from './execution-store.js';
export { encodeLines } from './row-batch.js';
