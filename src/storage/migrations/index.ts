/** Every migration, in order. Add new ones at the end; never edit an applied one. */
import { initialSchema } from './001-initial.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

export const migrations: readonly Migration[] = [initialSchema];

/** The schema version this code writes and expects. */
export const currentSchemaVersion: number = migrations[migrations.length - 1]?.version ?? 0;
