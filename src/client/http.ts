/**
 * The HTTP layer of the REST client: one request function that adds auth, parses the
 * manager's `{message, error_code}` error bodies into typed errors, and maps connection
 * failures to an operational error naming the manager's address.
 */
import { OperationalError, UserError } from '../core/index.js';

/** Where the manager is and how to authenticate. */
export interface ClientOptions {
  host: string;
  /** @default 80 (443 means https, as in Cloudify) */
  port?: number;
  /** @default 'https' when port is 443, else 'http' */
  protocol?: 'http' | 'https';
  username?: string;
  password?: string;
  /** A token from `GET /tokens`; sent as `Authentication-Token`. */
  token?: string;
  /** Request timeout in milliseconds. @default 30000 */
  timeoutMs?: number;
  /** API prefix. @default '/api/v2' */
  apiPrefix?: string;
}

/** A REST error returned by the manager (status, Cloudify error code and message). */
export class ManagerRequestError extends UserError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message, { httpStatus: status, details: { status } });
  }
}

/** The manager did not answer (down, wrong address, timeout). */
export class ManagerUnreachableError extends OperationalError {}

export interface RequestOptions {
  method?: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** A JSON body (sent with `Content-Type: application/json`). */
  json?: unknown;
  /** A raw body (sent as `application/octet-stream`). */
  body?: Uint8Array | NodeJS.ReadableStream | ReadableStream<Uint8Array>;
  /** Body length, when `body` is a stream. */
  bodyLength?: number;
  signal?: AbortSignal;
  /** Overrides the client's timeout. 0 = none (downloads, long polls). */
  timeoutMs?: number;
}

/** Sends requests to one manager. */
export class HttpTransport {
  readonly baseUrl: string;
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    const port = options.port ?? 80;
    const protocol = options.protocol ?? (port === 443 ? 'https' : 'http');
    const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
    this.baseUrl = `${protocol}://${host}:${port}${options.apiPrefix ?? '/api/v2'}`;
    this.#options = options;
  }

  /** Performs a request and returns the raw response (status < 400), or throws. */
  async raw(path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value as readonly string[]) url.searchParams.append(key, v);
      else url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { ...this.#authHeaders() };
    let body: RequestInit['body'];
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      if (options.bodyLength !== undefined) headers['content-length'] = String(options.bodyLength);
      body = options.body as RequestInit['body'];
    }
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 30_000;
    const signals = [options.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
        // Node's fetch needs `duplex: 'half'` to send a streamed body.
        ...(options.body !== undefined && !(options.body instanceof Uint8Array) ? { duplex: 'half' } : {}),
      });
    } catch (error) {
      throw new ManagerUnreachableError(
        'manager_unreachable_error',
        `The manager at ${this.baseUrl} is not responding: ${describeFetchError(error)}`,
        { cause: error, details: { url: url.toString() }, hints: ['Check that the manager is running and that `cfy use -t IP --port N` named the right address'] },
      );
    }
    if (response.status >= 400) throw await toRequestError(response);
    return response;
  }

  /** Performs a request and parses the JSON answer. */
  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.raw(path, options);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  #authHeaders(): Record<string, string> {
    const { username, password, token } = this.#options;
    if (token) return { 'authentication-token': token };
    if (username && password) {
      return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
    }
    return {};
  }
}

async function toRequestError(response: Response): Promise<ManagerRequestError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: string; error_code?: string };
    return new ManagerRequestError(response.status, body.error_code ?? 'unknown_error', body.message ?? text);
  } catch {
    return new ManagerRequestError(response.status, 'unknown_error', `HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (error.name === 'TimeoutError') return 'timed out';
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
