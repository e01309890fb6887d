/**
 * The UI's REST client: every call goes to `/api/v2` with the session's token in the
 * `Authentication-Token` header. A 401 clears the token and tells the app (the login page comes
 * back with the server's message).
 */

const tokenKey = 'rekindle.token';

/** One DSL diagnostic as the manager returns it in `details.diagnostics`. */
export interface Diagnostic {
  message: string;
  severity?: string;
  path?: string;
  file?: string;
  line?: number;
  column?: number;
  code?: string;
}

/** A REST error: `{message, error_code, details?, hints?}` and the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly hints: readonly string[] = [],
  ) {
    super(message);
  }
  /** DSL / input diagnostics carried in `details.diagnostics`. */
  get diagnostics(): Diagnostic[] {
    const d = this.details.diagnostics;
    return Array.isArray(d) ? (d as Diagnostic[]) : [];
  }
}

/** A list answer: `{items, metadata.pagination}`. */
export interface Page<T> {
  items: T[];
  metadata: { pagination: { total: number; size: number; offset: number } };
}

type Listener = (message: string) => void;
const unauthorizedListeners = new Set<Listener>();

/** Called with the server's message when a call answers 401 (the session is over). */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function getToken(): string | null {
  return sessionStorage.getItem(tokenKey);
}

export function clearToken(): void {
  sessionStorage.removeItem(tokenKey);
}

async function toError(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { message?: string; error_code?: string; details?: Record<string, unknown>; hints?: string[] };
    return new ApiError(res.status, body.error_code ?? 'http_error', body.message ?? `HTTP ${res.status}`, body.details ?? {}, body.hints ?? []);
  } catch {
    return new ApiError(res.status, 'http_error', text || `HTTP ${res.status} ${res.statusText}`);
  }
}

/** Logs in: `GET /tokens` with Basic credentials; keeps the token in sessionStorage. */
export async function login(username: string, password: string): Promise<void> {
  const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)));
  const res = await fetch('/api/v2/tokens', { headers: { authorization: `Basic ${basic}` } });
  if (!res.ok) throw await toError(res);
  const { value } = (await res.json()) as { value: string };
  sessionStorage.setItem(tokenKey, value);
}

/** Query values; arrays repeat the parameter, undefined and '' are left out. */
export type QueryValues = Record<string, string | number | boolean | readonly string[] | undefined>;

export function queryString(query: QueryValues = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(key, v);
    else params.append(key, String(value as string | number | boolean));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Options of {@link request}. */
export interface RequestOptions {
  query?: QueryValues;
  json?: unknown;
  body?: Blob;
  signal?: AbortSignal;
}

/** The raw response of an authenticated call (throws ApiError when not ok). */
export async function rawRequest(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers['authentication-token'] = token;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/octet-stream';
    body = options.body;
  }
  const res = await fetch(`/api/v2${path}${queryString(options.query)}`, { method, headers, body: body ?? null, signal: options.signal ?? null });
  if (!res.ok) {
    const error = await toError(res);
    if (res.status === 401) {
      clearToken();
      for (const l of unauthorizedListeners) l(error.message);
    }
    throw error;
  }
  return res;
}

/** An authenticated JSON call. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const res = await rawRequest(method, path, options);
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: QueryValues, signal?: AbortSignal): Promise<T> =>
  request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) });

/** Downloads a file through an authenticated call (a plain link could not send the token). */
export async function download(path: string, fileName: string): Promise<void> {
  const res = await rawRequest('GET', path);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Path segment encoding for ids. */
export const seg = (id: string): string => encodeURIComponent(id);
