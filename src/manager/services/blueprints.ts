/** Blueprint upload, listing and deletion. */
import { conflict, notFound } from '../../core/index.js';
import { dependentExists, invalidBlueprint } from '../errors.js';
import type { ListQuery, ListResult } from '../store/port.js';
import type { BlueprintRecord } from '../store/records.js';
import { isoNow, type ServiceContext } from './context.js';
import { checkResourceId } from './ids.js';
import type { BlueprintDiagnostic } from './ports.js';

/** `file:line:column: message` for one diagnostic. */
export function formatDiagnostic(d: BlueprintDiagnostic): string {
  const where = [d.file, d.line, d.column].filter((x) => x !== undefined).join(':');
  return `${where ? `${where}: ` : ''}${d.message}${d.path ? ` (${d.path})` : ''}`;
}

export class BlueprintService {
  constructor(private readonly ctx: ServiceContext) {}

  async get(id: string): Promise<BlueprintRecord> {
    const record = await this.ctx.store.blueprints.get(id);
    if (!record) throw notFound('Blueprint', id);
    return record;
  }

  list(query: ListQuery): Promise<ListResult<BlueprintRecord>> {
    return this.ctx.store.blueprints.list(query);
  }

  /** Extracts, validates and records an uploaded blueprint. */
  async upload(id: string, body: Buffer, mainFile: string): Promise<BlueprintRecord> {
    checkResourceId('Blueprint', id);
    if ((await this.ctx.store.blueprints.get(id)) !== undefined || this.ctx.files.exists(id)) throw conflict('Blueprint', id);
    const { dir } = await this.ctx.files.store(id, body, mainFile);
    try {
      const parsed = await this.ctx.parser.parse(dir, mainFile);
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        throw invalidBlueprint(
          `Invalid blueprint ${id}: ${errors.length} error(s):\n${errors.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`,
          { diagnostics: errors },
        );
      }
      const now = isoNow(this.ctx);
      const record: BlueprintRecord = {
        id,
        created_at: now,
        updated_at: now,
        main_file_name: mainFile,
        description: parsed.description,
        plan: parsed.plan,
      };
      await this.ctx.store.blueprints.insert(record);
      return record;
    } catch (error) {
      this.ctx.files.remove(id);
      throw error;
    }
  }

  /** Deletes a blueprint that no deployment uses (400 `dependent_exists_error` otherwise). */
  async delete(id: string): Promise<BlueprintRecord> {
    const record = await this.get(id);
    const users = await this.ctx.store.deployments.list({ filter: { blueprint_id: id }, offset: 0, size: 1000 });
    if (users.total > 0) {
      throw dependentExists(
        `Can't delete blueprint ${id} - There exist deployments for this blueprint; Deployments ids: ${users.items.map((d) => d.id).join(',')}`,
        { deployments: users.items.map((d) => d.id) },
        ['Delete those deployments first'],
      );
    }
    await this.ctx.store.blueprints.delete(id);
    this.ctx.files.remove(id);
    return record;
  }
}
