import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NonRecoverableError, OperationRetry, RecoverableError } from '../../src/core/index.js';
import { blueprintFolder, harness, invocation, node, scriptOperation } from './helpers.js';

const never = new AbortController().signal;
const fixtureScripts = fileURLToPath(
  new URL('../../../shared/fixtures/cloudify-3.3/recovery-test/scripts/', import.meta.url),
);
const helloPy = join(fixtureScripts, 'hello.py');

test(
  'the recovery-test fixture hello.py sets runtime property greet=hello',
  { skip: existsSync(helloPy) ? false : `fixture ${helloPy} is absent` },
  async (t) => {
    const bp = blueprintFolder({ 'scripts/hello.py': readFileSync(helloPy, 'utf8') });
    t.after(() => bp.cleanup());
    const h = harness(bp.dir, [node('host')]);
    h.store.add('host_1', 'host', { existing: 1 });
    await h.dispatcher.run(
      invocation(
        scriptOperation('scripts/hello.py', {}, 'cloudify.interfaces.greet.hello'),
        'host',
        'host_1',
      ),
      never,
    );
    assert.deepEqual(h.store.instances.get('host_1')!.runtimeProperties, {
      existing: 1,
      greet: 'hello',
    });
  },
);

test('from cloudify import ctx: properties, runtime properties, logger, ids, inputs, resources, returns', async (t) => {
  const bp = blueprintFolder({
    'scripts/all.py': [
      'from cloudify import ctx',
      'from cloudify.state import ctx_parameters as inputs',
      "ctx.logger.info('port=%s name=%s', ctx.node.properties['port'], ctx.node.name)",
      "ctx.instance.runtime_properties['n'] = 3",
      "ctx.instance.runtime_properties['d'] = {'a': [1, 2]}",
      "ctx.instance.runtime_properties.update(x='y')",
      "del ctx.instance.runtime_properties['old']",
      "assert ctx.instance.runtime_properties['n'] == 3",
      "assert 'x' in ctx.instance.runtime_properties",
      "ctx.logger.warning('id=%s dep=%s bp=%s op=%s retry=%s/%s', ctx.instance.id, ctx.deployment.id, ctx.blueprint.id, ctx.operation.name, ctx.operation.retry_number, ctx.operation.max_retries)",
      "ctx.logger.info('input=' + inputs['greeting'] + ' ' + inputs.greeting)",
      "ctx.logger.info('resource=' + ctx.get_resource('files/a.txt'))",
      "path = ctx.download_resource('files/a.txt')",
      "ctx.logger.info('downloaded=' + open(path).read())",
      "ctx.returns({'done': True})",
    ].join('\n'),
    'files/a.txt': 'A',
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('web', { port: 8080 })]);
  h.store.add('web_1', 'web', { old: true });
  const op = scriptOperation('scripts/all.py', { greeting: 'hi' });
  const result = await h.dispatcher.run(invocation(op, 'web', 'web_1', { retryNumber: 1 }), never);
  assert.deepEqual(result, { done: true });
  assert.deepEqual(h.store.instances.get('web_1')!.runtimeProperties, {
    n: 3,
    d: { a: [1, 2] },
    x: 'y',
  });
  assert.deepEqual(h.sink.logs('info'), [
    'port=8080 name=web',
    'input=hi hi',
    'resource=A',
    'downloaded=A',
  ]);
  assert.deepEqual(h.sink.logs('warning'), [
    'id=web_1 dep=dep bp=bp op=cloudify.interfaces.lifecycle.start retry=1/3',
  ]);
});

test('Python operation errors decide how the operation ends', async (t) => {
  const bp = blueprintFolder({
    'nonrec.py':
      "from cloudify.exceptions import NonRecoverableError\nraise NonRecoverableError('no way')\n",
    'rec.py':
      "from cloudify import ctx\nfrom cloudify.exceptions import RecoverableError\nraise RecoverableError('later', retry_after=4)\n",
    'retry.py':
      "from cloudify import ctx\nctx.operation.retry('not yet', 2)\nctx.logger.info('not reached')\n",
    'plain.py': "import sys\nsys.stderr.write('boom\\n')\nraise ValueError('bad value')\n",
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  const run = (path: string) =>
    h.dispatcher.run(invocation(scriptOperation(path), 'n', 'n_1'), never);
  await assert.rejects(
    run('nonrec.py'),
    (e: unknown) => e instanceof NonRecoverableError && e.message === 'no way',
  );
  await assert.rejects(
    run('rec.py'),
    (e: unknown) => e instanceof RecoverableError && e.retryAfter === 4 && /^later/.test(e.message),
  );
  await assert.rejects(
    run('retry.py'),
    (e: unknown) => e instanceof OperationRetry && e.retryAfter === 2 && e.message === 'not yet',
  );
  await assert.rejects(
    run('plain.py'),
    (e: unknown) =>
      e instanceof RecoverableError &&
      /exit code 1/.test(e.message) &&
      /ValueError: bad value/.test(e.message),
  );
  assert.ok(!h.sink.logs().includes('not reached'));
});
