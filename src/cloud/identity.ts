/**
 * Keystone's data: users and projects from the configuration (ids derived from names, so they are
 * stable across restarts) and issued tokens (in memory only: clients re-authenticate after a
 * cloud restart, on the 401 they get).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CloudUser } from './config.js';

export interface IdentityUser {
  id: string;
  name: string;
  password: string;
  projectId: string;
  projectName: string;
}

export interface Token {
  id: string;
  user: IdentityUser;
  /** null for an unscoped token. */
  projectId: string | null;
  issuedAt: number;
  expiresAt: number;
  auditId: string;
}

/** 32 hex characters derived from a name, Keystone-id shaped. */
export function stableId(kind: string, name: string): string {
  return createHash('sha256').update(`rekindle-${kind}:${name}`).digest('hex').slice(0, 32);
}

/** Users, projects and tokens. */
export class Identity {
  readonly users: IdentityUser[];
  readonly #tokens = new Map<string, Token>();

  constructor(
    users: CloudUser[],
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {
    this.users = users.map((u) => ({
      id: stableId('user', u.name),
      name: u.name,
      password: u.password,
      projectId: stableId('project', u.project),
      projectName: u.project,
    }));
  }

  /** The first configured project (owner of resources created at first start). */
  get defaultProjectId(): string {
    return this.users[0]!.projectId;
  }

  /** Finds a user by id or by name (domain is accepted as Default only). */
  findUser(ref: { id?: string; name?: string }): IdentityUser | undefined {
    return this.users.find((u) => (ref.id !== undefined ? u.id === ref.id : u.name === ref.name));
  }

  issue(user: IdentityUser, projectId: string | null): Token {
    const issuedAt = this.now();
    const token: Token = {
      id: `gAAAAA${randomBytes(48).toString('base64url')}`,
      user,
      projectId,
      issuedAt,
      expiresAt: issuedAt + this.ttlMs,
      auditId: randomBytes(16).toString('base64url').slice(0, 22),
    };
    this.#tokens.set(token.id, token);
    return token;
  }

  /** A valid, unexpired token or undefined. */
  validate(id: string | undefined, allowExpired = false): Token | undefined {
    if (id === undefined) return undefined;
    const token = this.#tokens.get(id);
    if (!token) return undefined;
    if (!allowExpired && token.expiresAt <= this.now()) return undefined;
    return token;
  }

  revoke(id: string): boolean {
    return this.#tokens.delete(id);
  }
}
