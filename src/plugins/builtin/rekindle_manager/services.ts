/** Talks to the manager being bootstrapped: its REST API through the floating IP (plain fetch, loopback only). */
import { NonRecoverableError } from '../../../core/index.js';

/** Where the manager answers and who to be. */
export interface ManagerEndpoint {
  ip: string;
  port: number;
  username: string;
  password: string;
}

/** The outcome of one services check. */
export type ServicesCheck = { state: 'up' } | { state: 'down'; reason: string } | { state: 'unauthorized' };

function assertLoopback(ip: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip)) {
    throw new NonRecoverableError(`The manager address ${ip} is not a 127.0.0.0/8 address; Rekindle connects to loopback only`);
  }
}

function headers(endpoint: ManagerEndpoint): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${endpoint.username}:${endpoint.password}`).toString('base64')}` };
}

function baseUrl(endpoint: ManagerEndpoint): string {
  assertLoopback(endpoint.ip);
  return `http://${endpoint.ip}:${endpoint.port}/api/v2`;
}

/** One `GET /status` with the admin credentials (2 s timeout). */
export async function checkServices(endpoint: ManagerEndpoint): Promise<ServicesCheck> {
  try {
    const response = await fetch(`${baseUrl(endpoint)}/status`, { headers: headers(endpoint), signal: AbortSignal.timeout(2000) });
    if (response.status === 401) return { state: 'unauthorized' };
    if (!response.ok) return { state: 'down', reason: `HTTP ${response.status}` };
    const body = (await response.json()) as { status?: string };
    return body.status === 'running' ? { state: 'up' } : { state: 'down', reason: `status ${String(body.status)}` };
  } catch (error) {
    return { state: 'down', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** `POST /provider/context?update=true` (creates or replaces it). */
export async function uploadProviderContext(endpoint: ManagerEndpoint, context: Record<string, unknown>, name = 'provider'): Promise<void> {
  const url = `${baseUrl(endpoint)}/provider/context?update=true`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...headers(endpoint), 'content-type': 'application/json' },
    body: JSON.stringify({ name, context }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`Uploading the provider context failed: HTTP ${response.status} ${await response.text()}`);
}
