/**
 * Migration 1: the initial schema. Frozen: change the schema only in a new numbered
 * migration. Types: text, integers (bigint in PostgreSQL), booleans as 0/1 integers, JSON
 * and ISO timestamps as text (see docs/decisions/storage-portable-column-types.md).
 */
import { sql } from 'kysely';
import type { CreateTableBuilder, ForeignKeyConstraintBuilder } from 'kysely';
import type { DbContext } from '../db.js';
import type { Migration } from './migration.js';

type Kind = 'text' | 'int' | 'real';
type Cols = Record<string, `${Kind}` | `${Kind}?`>;

function columnType(ctx: DbContext, kind: Kind): 'text' | 'integer' | 'bigint' | 'real' | 'double precision' {
  if (kind === 'text') return 'text';
  if (kind === 'real') return ctx.dialect === 'postgres' ? 'double precision' : 'real';
  return ctx.dialect === 'postgres' ? 'bigint' : 'integer';
}

function create(ctx: DbContext, name: string, cols: Cols, key: string[]): CreateTableBuilder<string, string> {
  let builder = ctx.db.schema.createTable(name) as CreateTableBuilder<string, string>;
  for (const [column, spec] of Object.entries(cols)) {
    const kind = spec.replace('?', '') as Kind;
    builder = builder.addColumn(column, columnType(ctx, kind), (c) => (spec.endsWith('?') ? c : c.notNull()));
  }
  return builder.addPrimaryKeyConstraint(`${name}_pkey`, key);
}

async function index(ctx: DbContext, name: string, tableName: string, columns: string[]): Promise<void> {
  await ctx.db.schema.createIndex(name).on(tableName).columns(columns).execute();
}

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  async up(ctx) {
    const cascade = (fk: ForeignKeyConstraintBuilder): ForeignKeyConstraintBuilder => fk.onDelete('cascade');
    await create(ctx, 'blueprints', {
      id: 'text', main_file_name: 'text', description: 'text?', plan: 'text', created_at: 'text', updated_at: 'text',
    }, ['id']).execute();
    await create(ctx, 'deployments', {
      id: 'text', blueprint_id: 'text', description: 'text?', inputs: 'text', outputs: 'text', workflows: 'text',
      groups: 'text', policies: 'text', scaling_groups: 'text', created_at: 'text', updated_at: 'text',
    }, ['id'])
      .addForeignKeyConstraint('deployments_blueprint_fk', ['blueprint_id'], 'blueprints', ['id'])
      .execute();
    await index(ctx, 'deployments_blueprint_idx', 'deployments', ['blueprint_id']);
    await create(ctx, 'nodes', {
      deployment_id: 'text', id: 'text', blueprint_id: 'text', type: 'text', host_id: 'text?',
      number_of_instances: 'int', planned_number_of_instances: 'int', model: 'text',
    }, ['deployment_id', 'id'])
      .addForeignKeyConstraint('nodes_deployment_fk', ['deployment_id'], 'deployments', ['id'], cascade)
      .execute();
    await create(ctx, 'node_instances', {
      id: 'text', deployment_id: 'text', node_id: 'text', host_id: 'text?', state: 'text',
      runtime_properties: 'text', version: 'int', relationships: 'text',
    }, ['id'])
      .addForeignKeyConstraint('node_instances_deployment_fk', ['deployment_id'], 'deployments', ['id'], cascade)
      .execute();
    await index(ctx, 'node_instances_deployment_idx', 'node_instances', ['deployment_id', 'node_id']);
    await create(ctx, 'executions', {
      id: 'text', deployment_id: 'text?', blueprint_id: 'text?', workflow_id: 'text', status: 'text', error: 'text?',
      parameters: 'text', is_system_workflow: 'int', created_at: 'text', started_at: 'text?', ended_at: 'text?',
    }, ['id'])
      .addForeignKeyConstraint('executions_deployment_fk', ['deployment_id'], 'deployments', ['id'], cascade)
      .execute();
    await index(ctx, 'executions_deployment_idx', 'executions', ['deployment_id', 'created_at']);
    await index(ctx, 'executions_status_idx', 'executions', ['status']);
    await create(ctx, 'tasks', {
      id: 'text', execution_id: 'text', position: 'int', name: 'text', state: 'text', attempt: 'int', next_attempt_at: 'text?',
      invocation: 'text', result: 'text?', error: 'text?', created_at: 'text', updated_at: 'text',
    }, ['id'])
      .addForeignKeyConstraint('tasks_execution_fk', ['execution_id'], 'executions', ['id'], cascade)
      .execute();
    await index(ctx, 'tasks_execution_idx', 'tasks', ['execution_id', 'position']);
    await create(ctx, 'deployment_modifications', {
      id: 'text', deployment_id: 'text', status: 'text', modified_nodes: 'text', node_instances: 'text',
      context: 'text', created_at: 'text', ended_at: 'text?',
    }, ['id'])
      .addForeignKeyConstraint('deployment_modifications_deployment_fk', ['deployment_id'], 'deployments', ['id'], cascade)
      .execute();
    await index(ctx, 'deployment_modifications_deployment_idx', 'deployment_modifications', ['deployment_id']);
    await create(ctx, 'agents', {
      name: 'text', deployment_id: 'text', node_instance_id: 'text', credentials_hash: 'text?', version: 'text?',
      last_seen: 'text?', state: 'text', created_at: 'text',
    }, ['name'])
      .addForeignKeyConstraint('agents_deployment_fk', ['deployment_id'], 'deployments', ['id'], cascade)
      .execute();
    await index(ctx, 'agents_deployment_idx', 'agents', ['deployment_id']);
    await create(ctx, 'plugins', {
      id: 'text', package_name: 'text', package_version: 'text', archive_name: 'text', supported_platform: 'text',
      distribution: 'text?', distribution_release: 'text?', metadata: 'text', uploaded_at: 'text',
    }, ['id']).execute();
    await create(ctx, 'snapshots', {
      id: 'text', created_at: 'text', status: 'text', error: 'text?', size: 'int?', sha256: 'text?', encrypted: 'int',
    }, ['id']).execute();
    await create(ctx, 'provider_context', { id: 'text', name: 'text', context: 'text' }, ['id']).execute();
    await create(ctx, 'users', { username: 'text', password_hash: 'text', role: 'text', created_at: 'text' }, ['username']).execute();
    await create(ctx, 'tokens', { hash: 'text', username: 'text', created_at: 'text', expires_at: 'text' }, ['hash'])
      .addForeignKeyConstraint('tokens_user_fk', ['username'], 'users', ['username'], cascade)
      .execute();
    await index(ctx, 'tokens_username_idx', 'tokens', ['username']);
    await create(ctx, 'manager_state', { key: 'text', value: 'text', updated_at: 'text' }, ['key']).execute();

    // Events: an auto-increment sequence and one index per common filter. Each has seq right
    // after the filter column (a filtered page in sequence order is an index range scan) and
    // then type and level, so those extra filters are checked without reading the rows.
    const seqType = ctx.dialect === 'postgres' ? sql`bigserial primary key` : sql`integer primary key autoincrement`;
    await sql`create table events (
      seq ${seqType},
      timestamp text not null,
      type text not null,
      execution_id text, deployment_id text, blueprint_id text, workflow_id text,
      node_id text, node_instance_id text, level text, event_type text,
      message text not null,
      document text not null
    )`.execute(ctx.db);
    await index(ctx, 'events_execution_idx', 'events', ['execution_id', 'seq', 'type', 'level']);
    await index(ctx, 'events_deployment_idx', 'events', ['deployment_id', 'seq', 'type', 'level']);
    await index(ctx, 'events_timestamp_idx', 'events', ['timestamp', 'seq']);
    // Row count kept beside the table, so totals and deep unfiltered pages need no scan.
    await create(ctx, 'event_stats', { id: 'int', total: 'int' }, ['id']).execute();
    await ctx.db.insertInto('event_stats').values({ id: 1, total: 0 }).execute();
  },
};
