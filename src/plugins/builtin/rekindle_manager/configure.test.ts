import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NonRecoverableError, OperationRetry } from '../../../core/index.js';
import type { OperationContext } from '../../context/operation-context.js';
import { configureManager } from './configure.js';

let mode: 'down' | 'up' | 'unauthorized' = 'down';
const uploads: unknown[] = [];
const server = createServer((request: IncomingMessage, response) => {
  const auth = request.headers.authorization ?? '';
  if (mode === 'unauthorized' || auth !== `Basic ${Buffer.from('admin:pw').toString('base64')}`) {
    response.writeHead(401).end('{}');
    return;
  }
  if (mode === 'down') {
    response.writeHead(503).end('{}');
    return;
  }
  if (request.url === '/api/v2/status') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"running","services":[]}');
    return;
  }
  let body = '';
  request.on('data', (d: Buffer) => (body += d.toString()));
  request.on('end', () => {
    uploads.push({ url: request.url, body: JSON.parse(body) as unknown });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
after(() => server.close());

function ctx(runtime: Record<string, unknown>): OperationContext {
  return {
    node: { id: 'manager_configuration', name: 'manager_configuration', type: 'rekindle.nodes.Manager', typeHierarchy: [], properties: { admin_username: 'admin', admin_password: 'pw', rest_port: port, broker_port: 53333, cloudify: { resources_prefix: 'x-' } } },
    instance: { id: 'manager_configuration_1', runtimeProperties: runtime, hostIp: null },
    operation: {
      name: 'cloudify.interfaces.lifecycle.start',
      retryNumber: 0,
      maxRetries: 5,
      retry: (message?: string, after?: number) => {
        throw new OperationRetry(message ?? 'retry', after);
      },
    },
    logger: { debug: () => undefined, info: () => undefined, warning: () => undefined, error: () => undefined },
  } as unknown as OperationContext;
}

const inputs = { public_ip: '127.0.0.1', private_ip: '127.60.0.2', wait_interval: 0.5 };

test('while the services do not answer, start asks for a retry with the 3.3 message', async () => {
  mode = 'down';
  await assert.rejects(configureManager(ctx({}), inputs), (error: unknown) => {
    assert.ok(error instanceof OperationRetry);
    assert.match(error.message, /^waiting for cloudify management services to restart/);
    assert.equal(error.retryAfter, 0.5);
    return true;
  });
});

test('once up, it uploads the provider context with the private IP as broker and records it', async () => {
  mode = 'up';
  const runtime: Record<string, unknown> = {};
  await configureManager(ctx(runtime), inputs);
  const upload = uploads.at(-1) as { url: string; body: { name: string; context: { cloudify: { cloudify_agent: Record<string, unknown> } } } };
  assert.equal(upload.url, '/api/v2/provider/context?update=true');
  assert.equal(upload.body.context.cloudify.cloudify_agent.broker_ip, '127.60.0.2');
  assert.equal(runtime.manager_ip, '127.0.0.1');
  assert.equal(runtime.private_ip, '127.60.0.2');
});

test('refused credentials are not retried', async () => {
  mode = 'unauthorized';
  await assert.rejects(configureManager(ctx({}), inputs), NonRecoverableError);
});
