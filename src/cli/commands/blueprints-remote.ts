/** `cfy blueprints upload | list | get | delete | download` against the manager. */
import { rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import { collectAll, dispositionFileName, saveResponse } from '../../client/index.js';
import type { Output } from '../output.js';
import { currentManager } from '../remote.js';
import { zipFolder } from '../archive-folder.js';
import { progressPrinter } from '../progress.js';

export function registerBlueprintUpload(group: Command, output: Output): void {
  group
    .command('upload')
    .description('Upload a blueprint (its whole folder) to the manager')
    .requiredOption('-p, --blueprint-path <path>', 'the main blueprint YAML file')
    .requiredOption('-b, --blueprint-id <id>', 'the id to give the blueprint')
    .option('--json', 'print the blueprint as JSON', false)
    .action(async (options: { blueprintPath: string; blueprintId: string; json: boolean }) => {
      const path = resolve(options.blueprintPath);
      if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
        throw new UserError('bad_parameters_error', `Blueprint file not found: ${options.blueprintPath}`, {
          hints: ['-p takes the path of the main YAML file; its whole folder is uploaded'],
        });
      }
      const { target, client } = currentManager();
      if (!options.json) output.info(`Uploading blueprint ${options.blueprintPath} to management server ${target.ip}`);
      const archive = await zipFolder(dirname(path), options.blueprintId);
      const progress = progressPrinter('Uploading');
      try {
        const blueprint = await client.blueprints.upload(options.blueprintId, archive, basename(path), progress);
        progress.done();
        if (options.json) output.json(blueprint);
        else output.info(`Uploaded blueprint, blueprint's id is: ${blueprint.id}`);
      } finally {
        rmSync(dirname(archive), { recursive: true, force: true });
      }
    });
}

export function registerBlueprintList(group: Command, output: Output): void {
  group
    .command('list')
    .description('List the blueprints on the manager')
    .option('--json', 'print JSON', false)
    .action(async (options: { json: boolean }) => {
      const { target, client } = currentManager();
      const items = await collectAll((page) => client.blueprints.list(page));
      if (options.json) return output.json(items);
      output.info(`Getting blueprints list... [manager=${target.ip}]`);
      output.table(
        'Blueprints:',
        ['id', 'description', 'main_file_name', 'created_at', 'updated_at'],
        items.map((b) => [b.id, b.description, b.main_file_name, b.created_at, b.updated_at]),
      );
    });
}

export function registerBlueprintGet(group: Command, output: Output): void {
  group
    .command('get')
    .description('Show one blueprint and its deployments')
    .requiredOption('-b, --blueprint-id <id>', 'the blueprint id')
    .option('--json', 'print JSON', false)
    .action(async (options: { blueprintId: string; json: boolean }) => {
      const { target, client } = currentManager();
      const blueprint = await client.blueprints.get(options.blueprintId);
      const deployments = { items: await collectAll((page) => client.deployments.list(options.blueprintId, page)) };
      if (options.json) return output.json({ ...blueprint, deployments: deployments.items.map((d) => d.id) });
      output.info(`Getting blueprint: '${options.blueprintId}' [manager=${target.ip}]`);
      output.table(
        'Blueprint:',
        ['id', 'main_file_name', 'created_at', 'updated_at', '#deployments'],
        [[blueprint.id, blueprint.main_file_name, blueprint.created_at, blueprint.updated_at, deployments.items.length]],
      );
      output.info('Existing deployments:');
      output.info(JSON.stringify(deployments.items.map((d) => d.id)));
    });
}

export function registerBlueprintDelete(group: Command, output: Output): void {
  group
    .command('delete')
    .description('Delete a blueprint that no deployment uses')
    .requiredOption('-b, --blueprint-id <id>', 'the blueprint id')
    .action(async (options: { blueprintId: string }) => {
      const { target, client } = currentManager();
      output.info(`Deleting blueprint ${options.blueprintId} from management server ${target.ip}`);
      await client.blueprints.delete(options.blueprintId);
      output.info('Deleted blueprint successfully');
    });
}

export function registerBlueprintDownload(group: Command, output: Output): void {
  group
    .command('download')
    .description("Download a blueprint's archive")
    .requiredOption('-b, --blueprint-id <id>', 'the blueprint id')
    .option('-o, --output <path>', 'where to save it (default: the name the manager gives, in this folder)')
    .action(async (options: { blueprintId: string; output?: string }) => {
      const { client } = currentManager();
      output.info(`Downloading blueprint ${options.blueprintId}...`);
      const response = await client.blueprints.download(options.blueprintId);
      const file = options.output ?? join(process.cwd(), dispositionFileName(response) ?? `${options.blueprintId}.tar.gz`);
      const progress = progressPrinter('Downloading');
      await saveResponse(response, file, progress);
      progress.done();
      output.info(`Blueprint downloaded as ${file}`);
    });
}
