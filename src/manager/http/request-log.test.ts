import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import fastify from 'fastify';
import pino from 'pino';
import { OneLineRequestLog } from './request-log.js';

test('one log line per request, written when the response is sent', async () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const app = fastify({ loggerInstance: pino({ level: 'info' }, sink), logController: new OneLineRequestLog() });
  app.get('/things/:id', (request) => ({ id: (request.params as { id: string }).id }));
  try {
    const reply = await app.inject({ method: 'GET', url: '/things/t1?x=1' });
    assert.equal(reply.statusCode, 200);
    const requestLines = lines.filter((l) => l.reqId !== undefined);
    assert.equal(requestLines.length, 1);
    const [line] = requestLines;
    assert.deepEqual([line?.msg, line?.method, line?.url, line?.statusCode], ['request completed', 'GET', '/things/t1?x=1', 200]);
    assert.equal(typeof line?.responseTime, 'number');
  } finally {
    await app.close();
  }
});
