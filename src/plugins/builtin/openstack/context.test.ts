import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NonRecoverableError, OperationRetry } from '../../../core/index.js';
import { relationshipEnds, relationshipSides, type OsContext } from './context.js';

const end = (
  id: string,
  external: boolean,
): { node: OsContext['node']; instance: OsContext['instance'] } => ({
  node: { id, properties: { use_external_resource: external } },
  instance: { id: `${id}_1`, runtimeProperties: {} },
});

function ctx(
  source: ReturnType<typeof end> | null,
  target: ReturnType<typeof end> | null,
  logs: string[],
): OsContext {
  return {
    ...end('self', false),
    source,
    target,
    deploymentId: 'd1',
    operation: {
      retryNumber: 0,
      retry(message?: string): never {
        throw new OperationRetry(message ?? 'retry');
      },
    },
    logger: {
      debug: (m) => logs.push(m),
      info: (m) => logs.push(m),
      warning: (m) => logs.push(m),
      error: (m) => logs.push(m),
    },
  };
}

test('relationshipEnds: not a relationship is non-recoverable, naming the task', () => {
  const logs: string[] = [];
  assert.throws(
    () => relationshipEnds(ctx(null, null, logs), 'port.detach', 'skip'),
    (error: unknown) =>
      error instanceof NonRecoverableError &&
      error.message === 'port.detach runs on a relationship',
  );
  assert.throws(
    () => relationshipSides(ctx(end('a', false), null, logs), 'server.connect_floatingip'),
    /server\.connect_floatingip runs on a relationship/,
  );
  assert.deepEqual(logs, []);
});

test('relationshipEnds: both ends external -> null, logging the skip message when there is one', () => {
  const logs: string[] = [];
  assert.equal(
    relationshipEnds(ctx(end('a', true), end('b', true), logs), 't', 'Not connecting'),
    null,
  );
  assert.equal(relationshipEnds(ctx(end('a', true), end('b', true), logs), 't', null), null);
  assert.deepEqual(logs, ['Not connecting']);
});

test('relationshipEnds: one end managed -> the ends, nothing logged', () => {
  const logs: string[] = [];
  const source = end('a', true);
  const target = end('b', false);
  assert.deepEqual(relationshipEnds(ctx(source, target, logs), 't', 'Not connecting'), {
    source,
    target,
  });
  assert.deepEqual(logs, []);
});
