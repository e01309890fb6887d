/** Zips a blueprint folder into a temp file for upload (the manager accepts zip and tar.gz). */
import { createWriteStream, lstatSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

const skipped = new Set(['.cloudify', '.git', 'node_modules']);

/** Files under `dir` (no symlinks, no hidden state folders), as paths relative to it. */
export function listFolder(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      if (skipped.has(name)) continue;
      const full = join(current, name);
      const stat = lstatSync(full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) out.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

/** Writes `dir` as a zip whose single top folder is `topName`; returns the zip's path. */
export async function zipFolder(dir: string, topName: string): Promise<string> {
  const target = join(mkdtempSync(join(tmpdir(), 'rekindle-upload-')), `${topName}.zip`);
  const zip = new yazl.ZipFile();
  for (const file of listFolder(dir)) zip.addFile(join(dir, file), `${topName}/${file}`);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(target));
  return target;
}
