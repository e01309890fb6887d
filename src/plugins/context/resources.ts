/**
 * Blueprint resources: the files of the blueprint folder an operation may read
 * (`ctx.get_resource`, `ctx.download_resource`, script paths). Paths are relative to the
 * folder; a path that escapes it (`../x`, an absolute path, a symlink pointing outside) is refused.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NonRecoverableError } from '../../core/index.js';

/** Reads blueprint resources. Implementations: a local folder, a manager's file server. */
export interface BlueprintResourcesPort {
  /** The content of a resource. Rejects with NonRecoverableError when missing or outside the folder. */
  get(path: string): Promise<Buffer>;
  /**
   * Copies a resource to `target` (or to a new temp file named like the resource) and resolves
   * with the local path written.
   */
  download(path: string, target?: string): Promise<string>;
}

/** Blueprint resources served from a local folder (local mode, the manager's blueprint store). */
export class FolderResourcesAdapter implements BlueprintResourcesPort {
  readonly #root: string;

  /** @param root the blueprint folder (the folder holding the main blueprint file). */
  constructor(root: string) {
    this.#root = resolve(root);
  }

  get(path: string): Promise<Buffer> {
    return Promise.resolve(readFileSync(this.resolvePath(path)));
  }

  download(path: string, target?: string): Promise<string> {
    const source = this.resolvePath(path);
    const destination =
      target ?? join(mkdtempSync(join(tmpdir(), 'rekindle-res-')), basename(source));
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(source, destination);
    return Promise.resolve(destination);
  }

  /**
   * The absolute path of a resource inside the folder. Throws NonRecoverableError for a path
   * that escapes the folder or does not name a file.
   */
  resolvePath(path: string): string {
    if (typeof path !== 'string' || path.trim() === '') {
      throw new NonRecoverableError('A blueprint resource path must be a non-empty string');
    }
    const candidate = resolve(this.#root, path);
    if (isAbsolute(path) || !isInside(this.#root, candidate)) {
      throw new NonRecoverableError(
        `Resource path '${path}' escapes the blueprint folder; use a path relative to the blueprint folder (no '..', not absolute)`,
      );
    }
    let real: string;
    try {
      real = realpathSync(candidate);
    } catch {
      throw new NonRecoverableError(`Blueprint resource '${path}' not found in ${this.#root}`);
    }
    if (!isInside(realpathSync(this.#root), real)) {
      throw new NonRecoverableError(
        `Resource path '${path}' resolves (through a symbolic link) outside the blueprint folder`,
      );
    }
    if (!statSync(real).isFile())
      throw new NonRecoverableError(`Blueprint resource '${path}' is not a file`);
    return real;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
