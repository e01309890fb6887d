/**
 * Request authentication: HTTP Basic (`Authorization: Basic ...`) or a token
 * (`Authentication-Token: <value>`, from `GET /api/v2/tokens`). Everything except the health
 * check requires one of them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unauthorized } from '../errors.js';
import type { ManagerStorePort } from '../store/port.js';
import { hashToken, verifyPassword } from './passwords.js';

/** Paths reachable without credentials. */
export const publicPaths: readonly string[] = ['/api/v2/health', '/healthz'];

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user name (set by the auth hook). */
    username?: string;
  }
}

function parseBasic(header: string): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Successful Basic verifications, keyed by sha256(header + stored hash): scrypt runs once per
 * credential, and a changed password hash invalidates the entry. Bounded.
 */
export class VerifiedCredentials {
  readonly #keys = new Set<string>();
  constructor(readonly max = 1000) {}
  key(header: string, passwordHash: string): string {
    return hashToken(`${header}\n${passwordHash}`);
  }
  has(key: string): boolean {
    return this.#keys.has(key);
  }
  add(key: string): void {
    if (this.#keys.size >= this.max) this.#keys.clear();
    this.#keys.add(key);
  }
}

/** Returns the user name the request proves, or throws 401 `unauthorized_error`. */
export async function authenticate(
  request: FastifyRequest,
  store: ManagerStorePort,
  now: () => Date,
  verified: VerifiedCredentials = new VerifiedCredentials(),
): Promise<string> {
  const token = request.headers['authentication-token'];
  if (typeof token === 'string' && token.length > 0) {
    const record = await store.tokens.get(hashToken(token));
    if (!record || record.expires_at <= now().toISOString()) {
      throw unauthorized('User is unauthorized: the authentication token is invalid or expired', undefined, [
        'Get a new token with GET /api/v2/tokens',
      ]);
    }
    return record.username;
  }
  const header = request.headers.authorization;
  if (header === undefined) {
    throw unauthorized('User is unauthorized: no credentials were given', undefined, [
      'Send HTTP Basic credentials (CLOUDIFY_USERNAME / CLOUDIFY_PASSWORD) or an Authentication-Token header',
    ]);
  }
  const basic = parseBasic(header);
  const user = basic ? await store.users.get(basic.username) : undefined;
  const key = user ? verified.key(header, user.password_hash) : undefined;
  if (user && key !== undefined && verified.has(key)) return user.username;
  // Hash even for unknown users so the timing does not reveal which names exist.
  const ok = await verifyPassword(basic?.password ?? '', user?.password_hash ?? dummyHash);
  if (!basic || !user || !ok || key === undefined) throw unauthorized('User is unauthorized: wrong user name or password');
  verified.add(key);
  return user.username;
}

const dummyHash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + Buffer.alloc(64).toString('base64');

/**
 * Installs the authentication hook on every route except {@link publicPaths} and the requests
 * `isPublic` accepts (the web UI's static files: src/web `isWebUiRequest`).
 */
export function installAuth(
  app: FastifyInstance,
  store: ManagerStorePort,
  now: () => Date,
  isPublic: (method: string, path: string) => boolean = () => false,
): void {
  const verified = new VerifiedCredentials();
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (publicPaths.includes(path) || isPublic(request.method, path)) return;
    request.username = await authenticate(request, store, now, verified);
  });
}
