import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CtxDict, CtxFunction, CtxGroup, processCtxRequest } from './ctx-tree.js';
import { renderTemplate } from './render.js';

function tree() {
  const runtime: Record<string, unknown> = {};
  const calls: unknown[][] = [];
  const root = new CtxGroup(
    {
      node: new CtxGroup({
        id: 'web',
        properties: new CtxDict(() => ({ port: 80, list: [1, 2] }), false, 'node properties'),
      }),
      instance: new CtxGroup({
        runtime_properties: new CtxDict(() => runtime, true, 'runtime properties'),
      }),
      download_resource: new CtxFunction(['resource_path', 'target_path'], (...args) => {
        calls.push(args);
        return 'done';
      }),
      source: null,
    },
    { source: 'no source here' },
  );
  return { root, runtime, calls };
}

test('the walk reads, writes and calls like Cloudify: - for _, dict paths, trailing kwargs', async () => {
  const { root, runtime, calls } = tree();
  assert.equal(await processCtxRequest(root, ['node', 'id']), 'web');
  assert.equal(await processCtxRequest(root, ['node', 'properties', 'list[1]']), 2);
  assert.deepEqual(await processCtxRequest(root, ['node', 'properties']), {
    port: 80,
    list: [1, 2],
  });
  assert.equal(await processCtxRequest(root, ['instance', 'runtime-properties', 'a.b', 5]), null);
  assert.deepEqual(runtime, { a: { b: 5 } });
  assert.equal(
    await processCtxRequest(root, ['download-resource', 'x', { target_path: '/t' }]),
    'done',
  );
  assert.equal(
    await processCtxRequest(root, ['download_resource', 'y', { not_a_param: 1 }]),
    'done',
  );
  assert.deepEqual(calls, [
    ['x', '/t'],
    ['y', { not_a_param: 1 }],
  ]);
});

test('the walk explains what is wrong', async () => {
  const { root } = tree();
  await assert.rejects(processCtxRequest(root, ['nope']), /nope cannot be processed in \["nope"\]/);
  await assert.rejects(
    processCtxRequest(root, ['node']),
    /'ctx.node' needs one more argument, one of: id, properties/,
  );
  await assert.rejects(
    processCtxRequest(root, ['node', 'properties', 'port', 1]),
    /node properties are read-only/,
  );
  await assert.rejects(
    processCtxRequest(root, ['instance', 'runtime_properties', 'a', 1, 2]),
    /Illegal argument while accessing dict/,
  );
  await assert.rejects(processCtxRequest(root, ['source', 'node']), /no source here/);
  await assert.rejects(
    processCtxRequest(root, ['node', 'id', 'extra']),
    /extra cannot be processed/,
  );
});

test('templates render ctx paths and variables; unknown names render empty', () => {
  const { root } = tree();
  const text = renderTemplate(
    '{{ ctx.node.id }}:{{ctx.node.properties.port}} {{ ctx.node.properties.list }} {{ who.name }} [{{ missing }}] [{{ ctx.nope }}]',
    root,
    { who: { name: 'me' } },
  );
  assert.equal(text, 'web:80 [1,2] me [] []');
});
