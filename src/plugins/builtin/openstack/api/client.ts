/**
 * A typed HTTP client for Keystone v3, Nova v2.1 and Neutron v2.0: password auth with token
 * reuse (per auth URL, user and project, shared by every operation of this process) and one
 * re-auth on 401, endpoints from the catalog by type, interface and region, the Nova microversion
 * header, retries with back-off on 5xx, network errors and Nova "task_state" 409s, and error
 * mapping to {@link OpenStackApiError}. Rekindle's network rule applies: only 127.0.0.0/8 (or
 * `localhost`) URLs are used.
 */
import { NonRecoverableError } from '../../../../core/index.js';
import type { OpenStackConfig } from './config.js';
import { OpenStackApiError, apiError } from './errors.js';

export type Service = 'compute' | 'network';

/** Test seams. */
export interface OpenStackClientOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default setTimeout-based */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** @default Date.now */
  now?: () => number;
  /** Retries of a failed request (5xx, network error, transient 409). @default 3 */
  maxRetries?: number;
  /** First back-off delay; doubles each retry. @default 500 */
  retryDelayMs?: number;
}

interface CachedToken {
  id: string;
  expiresAt: number;
  endpoints: Record<Service, string>;
}

const tokenCache = new Map<string, CachedToken>();

/** Forgets every cached token (tests). */
export function clearTokenCache(): void {
  tokenCache.clear();
}

/** Refuses URLs outside 127.0.0.0/8 (and `localhost`). */
export function assertLoopbackUrl(url: string, what: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new NonRecoverableError(`${what} ${url} is not a valid URL`);
  }
  const loopback = host === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (!loopback)
    throw new NonRecoverableError(
      `${what} ${url} is not a loopback address: Rekindle only talks to clouds on 127.0.0.0/8 (e.g. the local cloud, cfy cloud start)`,
    );
}

type CatalogEntry = {
  type?: string;
  endpoints?: { interface?: string; region?: string; region_id?: string; url?: string }[];
};

function sleepDefault(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}

/** One client per operation; tokens are shared through the process-wide cache. */
export class OpenStackClient {
  readonly #fetch: typeof fetch;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now: () => number;
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;

  constructor(
    readonly config: OpenStackConfig,
    options: OpenStackClientOptions = {},
  ) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? sleepDefault;
    this.now = options.now ?? Date.now;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 500;
    assertLoopbackUrl(config.authUrl, 'auth_url');
  }

  get #cacheKey(): string {
    return `${this.config.authUrl}|${this.config.username}|${this.config.tenantName}|${this.config.region}|${this.config.interface}`;
  }

  /** `POST /v3/auth/tokens` and endpoint selection; reuses a cached token until a minute before expiry. */
  async authenticate(force = false, signal?: AbortSignal): Promise<CachedToken> {
    const cached = tokenCache.get(this.#cacheKey);
    if (!force && cached && cached.expiresAt - 60_000 > this.now()) return cached;
    const base = this.config.authUrl.replace(/\/+$/, '');
    const url = `${/\/v3$/.test(base) ? base : `${base}/v3`}/auth/tokens`;
    const body = {
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: {
              name: this.config.username,
              domain: { name: this.config.userDomainName },
              password: this.config.password,
            },
          },
        },
        scope: {
          project: {
            name: this.config.tenantName,
            domain: { name: this.config.projectDomainName },
          },
        },
      },
    };
    const response = await this.#send('identity', url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    const parsed = await readBody(response);
    if (!response.ok) {
      const error = apiError(
        'identity',
        response.status,
        parsed,
        response.headers.get('x-openstack-request-id'),
      );
      throw new NonRecoverableError(
        `Authentication to ${url} as ${this.config.username} (project ${this.config.tenantName}) failed: ${error.apiMessage}`,
        { cause: error },
      );
    }
    const tokenId = response.headers.get('x-subject-token');
    const token = (parsed as { token?: { expires_at?: string; catalog?: CatalogEntry[] } }).token;
    if (!tokenId || !token) throw new NonRecoverableError(`Keystone at ${url} returned no token`);
    const entry: CachedToken = {
      id: tokenId,
      expiresAt: token.expires_at ? Date.parse(token.expires_at) : this.now() + 3_600_000,
      endpoints: {
        compute: this.#endpoint(token.catalog ?? [], 'compute'),
        network: this.#endpoint(token.catalog ?? [], 'network'),
      },
    };
    tokenCache.set(this.#cacheKey, entry);
    return entry;
  }

  #endpoint(catalog: CatalogEntry[], type: Service): string {
    const region = this.config.region;
    for (const service of catalog.filter((c) => c.type === type)) {
      const endpoint = (service.endpoints ?? []).find(
        (e) =>
          e.interface === this.config.interface &&
          (region === '' || e.region === region || e.region_id === region) &&
          typeof e.url === 'string',
      );
      if (endpoint?.url) {
        assertLoopbackUrl(endpoint.url, `${type} endpoint`);
        const url = endpoint.url.replace(/\/+$/, '');
        return type === 'network' ? `${url}/v2.0` : url;
      }
    }
    throw new NonRecoverableError(
      `The service catalog has no ${type} endpoint for interface ${this.config.interface}${region ? ` in region ${region}` : ''}`,
    );
  }

  /** Calls `path` of `service` and returns the parsed JSON body (undefined when empty). */
  async request<T = Record<string, unknown>>(
    service: Service,
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    let token = await this.authenticate(false, signal);
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {
        'x-auth-token': token.id,
        accept: 'application/json',
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (service === 'compute') {
        headers['openstack-api-version'] = `compute ${this.config.novaMicroversion}`;
        headers['x-openstack-nova-api-version'] = this.config.novaMicroversion;
      }
      let response: Response;
      try {
        response = await this.#send(service, `${token.endpoints[service]}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
        });
      } catch (error) {
        if (attempt < this.#maxRetries && !signal?.aborted) {
          await this.sleep(this.#retryDelayMs * 2 ** attempt, signal);
          continue;
        }
        throw error;
      }
      const parsed = await readBody(response);
      if (response.ok) return parsed as T;
      if (response.status === 401 && !reauthenticated) {
        reauthenticated = true;
        token = await this.authenticate(true, signal);
        attempt--;
        continue;
      }
      const error = apiError(
        service,
        response.status,
        parsed,
        response.headers.get('x-openstack-request-id'),
      );
      const transient =
        response.status >= 500 ||
        (response.status === 409 && service === 'compute' && /task_state/.test(error.apiMessage));
      if (transient && attempt < this.#maxRetries) {
        await this.sleep(this.#retryDelayMs * 2 ** attempt, signal);
        continue;
      }
      throw error;
    }
  }

  async #send(what: string, url: string, init: RequestInit): Promise<Response> {
    assertLoopbackUrl(url, `${what} URL`);
    return this.#fetch(url, init);
  }

  get<T = Record<string, unknown>>(
    service: Service,
    path: string,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.request<T>(service, 'GET', path, undefined, signal);
  }
  post<T = Record<string, unknown>>(
    service: Service,
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.request<T>(service, 'POST', path, body, signal);
  }
  put<T = Record<string, unknown>>(
    service: Service,
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.request<T>(service, 'PUT', path, body, signal);
  }
  delete(service: Service, path: string, signal?: AbortSignal): Promise<unknown> {
    return this.request(service, 'DELETE', path, undefined, signal);
  }

  /** Polls `check` every `intervalMs` until it returns a value, or throws after `timeoutMs`. */
  async poll<T>(
    check: () => Promise<T | undefined>,
    intervalMs: number,
    timeoutMs: number,
    what: string,
    signal?: AbortSignal,
  ): Promise<T> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (this.now() >= deadline)
        throw new OpenStackTimeoutError(
          `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`,
        );
      await this.sleep(intervalMs, signal);
    }
  }
}

/** A poll that ran out of time. */
export class OpenStackTimeoutError extends Error {
  override get name(): string {
    return 'OpenStackTimeoutError';
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export { OpenStackApiError };
