/**
 * Blueprint files in the data dir: `<data>/blueprints/<id>/` holds the extracted blueprint,
 * `<data>/blueprints/<id>.archive` the uploaded bytes (served by `GET .../archive`).
 * Extraction is all-or-nothing: entries are validated in memory, written to a temp folder,
 * then renamed into place.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import yazl from 'yazl';
import { invalidBlueprint } from '../errors.js';
import {
  detectArchiveKind,
  readTar,
  readTarGz,
  readZip,
  type ArchiveEntry,
  type ArchiveKind,
  type ArchiveLimits,
} from './archive-entries.js';

export interface StoredBlueprintFiles {
  /** Folder holding the main file (the archive's single top folder is unwrapped). */
  dir: string;
  kind: ArchiveKind;
}

/** Where blueprints live inside a data dir. */
export class BlueprintFiles {
  readonly root: string;
  constructor(dataDir: string, readonly limits: ArchiveLimits) {
    this.root = join(dataDir, 'blueprints');
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  archivePath(id: string): string {
    return join(this.root, `${id}.archive`);
  }

  /** Reads the upload into entries; a non-archive body becomes `<mainFile>`. */
  async entries(body: Buffer, mainFile: string): Promise<{ kind: ArchiveKind; entries: ArchiveEntry[] }> {
    const kind = detectArchiveKind(body);
    switch (kind) {
      case 'tar.gz':
        return { kind, entries: readTarGz(body, this.limits) };
      case 'tar':
        return { kind, entries: readTar(body, this.limits) };
      case 'zip':
        return { kind, entries: await readZip(body, this.limits) };
      case 'yaml':
        if (body.includes(0)) throw invalidBlueprint('The upload is neither a tar(.gz) or zip archive nor a YAML file');
        return { kind, entries: [{ path: mainFile, data: body }] };
    }
  }

  /** Extracts the upload for blueprint `id` and returns where its files are. */
  async store(id: string, body: Buffer, mainFile: string): Promise<StoredBlueprintFiles> {
    const { kind, entries } = await this.entries(body, mainFile);
    if (entries.length === 0) throw invalidBlueprint('The blueprint archive is empty');
    const top = singleTopFolder(entries);
    const relative = top === null ? entries : entries.map((e) => ({ path: e.path.slice(top.length + 1), data: e.data }));
    if (!relative.some((e) => e.path === mainFile)) {
      throw invalidBlueprint(
        `The archive has no '${mainFile}'${top ? ` in its folder '${top}'` : ''}; pass application_file_name=<file> to name the main blueprint file`,
        { application_file_name: mainFile },
      );
    }
    const seen = new Set<string>();
    for (const entry of relative) {
      if (seen.has(entry.path)) throw invalidBlueprint(`The archive holds '${entry.path}' twice`, { entry: entry.path });
      seen.add(entry.path);
    }
    mkdirSync(this.root, { recursive: true });
    const suffix = randomBytes(4).toString('hex');
    const tmp = join(this.root, `.upload-${id}-${suffix}`);
    const tmpArchive = join(this.root, `.upload-${id}-${suffix}.archive`);
    try {
      for (const entry of relative) writeInside(tmp, entry);
      writeFileSync(tmpArchive, body);
      rmSync(this.dir(id), { recursive: true, force: true });
      renameSync(tmp, this.dir(id));
      renameSync(tmpArchive, this.archivePath(id));
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      rmSync(tmpArchive, { force: true });
      throw error;
    }
    return { dir: this.dir(id), kind };
  }

  /** The archive to download: the uploaded bytes, or a zip of a single uploaded YAML file. */
  async archive(id: string, kind: ArchiveKind | undefined): Promise<{ data: Buffer; fileName: string }> {
    const data = readFileSync(this.archivePath(id));
    const actual = kind ?? detectArchiveKind(data);
    if (actual !== 'yaml') return { data, fileName: `${id}.${actual}` };
    return { data: await zipFolder(this.dir(id), id), fileName: `${id}.zip` };
  }

  exists(id: string): boolean {
    return existsSync(this.dir(id));
  }

  remove(id: string): void {
    rmSync(this.dir(id), { recursive: true, force: true });
    rmSync(this.archivePath(id), { force: true });
  }
}

function singleTopFolder(entries: readonly ArchiveEntry[]): string | null {
  const first = entries[0]?.path.split('/')[0];
  if (first === undefined) return null;
  return entries.every((e) => e.path.startsWith(`${first}/`)) ? first : null;
}

function writeInside(root: string, entry: ArchiveEntry): void {
  const target = resolve(root, entry.path);
  if (!target.startsWith(resolve(root) + sep)) {
    throw invalidBlueprint(`Archive entry '${entry.path}' escapes the blueprint folder`, { entry: entry.path });
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, entry.data, { flag: 'wx' });
}

function zipFolder(dir: string, id: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const name of listFiles(dir)) zip.addFile(join(dir, name), `${id}/${name}`);
  zip.end();
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolvePromise(Buffer.concat(chunks)));
  });
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
}
