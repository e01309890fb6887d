import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NonRecoverableError, OperationRetry, RecoverableError } from '../../src/core/index.js';
import { ScriptFailedError } from '../../src/plugins/index.js';
import { blueprintFolder, harness, invocation, node, scriptOperation } from './helpers.js';

const never = new AbortController().signal;

test('a bash script reads properties, writes runtime properties, logs and returns through ctx', async (t) => {
  const bp = blueprintFolder({
    'scripts/start.sh': [
      '#!/bin/bash',
      'set -e',
      'port=$(ctx node properties port)',
      'ctx logger info "port is ${port}, nested is $(ctx node properties endpoint.urls[1])"',
      'ctx instance runtime-properties pid 1234',
      'ctx instance runtime-properties count @14',
      'ctx instance runtime-properties nested.deep.value "${MY_INPUT}"',
      'echo "plain stdout line"',
      'echo "warning on stderr" >&2',
      'test "$(ctx instance runtime-properties pid)" = 1234',
      'ctx returns "@{\\"ok\\": true, \\"port\\": ${port}}"',
    ].join('\n'),
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('web', { port: 8080, endpoint: { urls: ['a', 'b'] } })]);
  h.store.add('web_1', 'web');
  const result = await h.dispatcher.run(
    invocation(scriptOperation('scripts/start.sh', { MY_INPUT: 'from-input' }), 'web', 'web_1'),
    never,
  );
  assert.deepEqual(result, { ok: true, port: 8080 });
  const saved = h.store.instances.get('web_1')!;
  assert.deepEqual(saved.runtimeProperties, {
    pid: '1234',
    count: 14,
    nested: { deep: { value: 'from-input' } },
  });
  assert.equal(saved.version, 2);
  assert.ok(h.sink.logs('info').includes('port is 8080, nested is b'));
  assert.ok(h.sink.logs('info').includes('plain stdout line'));
  assert.ok(h.sink.logs('error').includes('warning on stderr'));
});

test('a failing script fails the operation (recoverable) with its exit code and the tail of stderr', async (t) => {
  const bp = blueprintFolder({
    'fail.sh': '#!/bin/sh\necho "first" >&2\necho "the real problem" >&2\nexit 3\n',
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  await assert.rejects(
    h.dispatcher.run(invocation(scriptOperation('fail.sh'), 'n', 'n_1'), never),
    (error: unknown) => {
      assert.ok(error instanceof ScriptFailedError);
      assert.ok(error instanceof RecoverableError);
      assert.equal(error.exitCode, 3);
      assert.deepEqual(error.stderrTail, ['first', 'the real problem']);
      assert.equal(
        error.message,
        "Script 'fail.sh' failed with exit code 3; stderr (last lines): first | the real problem",
      );
      return true;
    },
  );
});

test('ctx retry-operation ends the operation with OperationRetry and its retry_after', async (t) => {
  const bp = blueprintFolder({
    'retry.sh':
      '#!/bin/bash\nset -e\nctx retry-operation "port not ready" @7\necho "not reached"\n',
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  await assert.rejects(
    h.dispatcher.run(invocation(scriptOperation('retry.sh'), 'n', 'n_1'), never),
    (error: unknown) => {
      assert.ok(error instanceof OperationRetry);
      assert.equal(error.message, 'port not ready');
      assert.equal(error.retryAfter, 7);
      return true;
    },
  );
  assert.ok(!h.sink.logs().includes('not reached'));
});

test('ctx abort-operation ends the operation with NonRecoverableError, even when the script exits 0', async (t) => {
  const bp = blueprintFolder({
    'abort.sh': '#!/bin/bash\nctx abort-operation "bad configuration"\nexit 0\n',
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  await assert.rejects(
    h.dispatcher.run(invocation(scriptOperation('abort.sh'), 'n', 'n_1'), never),
    (error: unknown) => {
      assert.ok(error instanceof NonRecoverableError);
      assert.equal(error.message, 'bad configuration');
      return true;
    },
  );
});

test('process.timeout kills the script and its children and fails the operation (recoverable)', async (t) => {
  const bp = blueprintFolder({});
  t.after(() => bp.cleanup());
  const pidFile = join(bp.dir, 'child.pid');
  writeFileSync(join(bp.dir, 'slow.sh'), `#!/bin/bash\nsleep 30 &\necho $! > ${pidFile}\nwait\n`);
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  const op = scriptOperation('slow.sh', { process: { timeout: 3 } });
  await assert.rejects(h.dispatcher.run(invocation(op, 'n', 'n_1'), never), (error: unknown) => {
    assert.ok(error instanceof RecoverableError);
    assert.match(error.message, /^Script 'slow.sh' timed out after 3 seconds and was killed/);
    return true;
  });
  const child = Number(readFileSync(pidFile, 'utf8').trim());
  assert.ok(child > 0);
  // Killed means gone, or a zombie waiting for PID 1 to reap it (it runs no more).
  for (let i = 0; i < 100 && isRunning(child); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(isRunning(child), false, `the script's child ${child} still runs`);
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('cancelling the execution kills the script', async (t) => {
  const bp = blueprintFolder({ 'slow.sh': '#!/bin/bash\nctx logger info started\nsleep 30\n' });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  const controller = new AbortController();
  const running = h.dispatcher.run(
    invocation(scriptOperation('slow.sh'), 'n', 'n_1'),
    controller.signal,
  );
  while (!h.sink.logs().includes('started')) await new Promise((r) => setTimeout(r, 20));
  controller.abort(new Error('execution cancelled'));
  await assert.rejects(running, /execution cancelled/);
});

test('ctx proxy errors reach the script: unknown attributes, missing keys, read-only properties', async (t) => {
  const bp = blueprintFolder({
    'errors.sh': [
      '#!/bin/bash',
      'ctx no-such-thing 2> e1 && exit 10',
      'ctx node properties missing 2> e2 && exit 11',
      'ctx node properties port 1 2> e3 && exit 12',
      'ctx source node id 2> e4 && exit 13',
      'ctx instance runtime-properties x @{bad 2> e5; test $? = 2 || exit 14',
      'CTX_SOCKET_URL= ctx node id 2> e6; test $? = 2 || exit 15',
      'for f in e1 e2 e3 e4 e5 e6; do ctx logger info "$f: $(cat $f)"; done',
    ].join('\n'),
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n', { port: 1 })]);
  h.store.add('n_1', 'n');
  await h.dispatcher.run(invocation(scriptOperation('errors.sh'), 'n', 'n_1'), never);
  const logs = h.sink.logs('info').join('\n');
  assert.match(logs, /e1: ctx: RuntimeError: no-such-thing cannot be processed/);
  assert.match(logs, /e2: ctx: RuntimeError: illegal path: missing/);
  assert.match(logs, /e3: ctx: RuntimeError: node properties are read-only/);
  assert.match(
    logs,
    /e4: ctx: RuntimeError: 'ctx source' is only available in relationship operations/,
  );
  assert.match(logs, /e5: ctx: argument "@\{bad" starts with '@' but is not valid JSON/);
  assert.match(logs, /e6: ctx: Missing CTX_SOCKET_URL/);
});

test('download-resource refuses paths escaping the blueprint folder; resources are copied and rendered', async (t) => {
  const bp = blueprintFolder({
    'dl.sh': [
      '#!/bin/bash',
      'set -e',
      'ctx download-resource ../outside 2> err && exit 10',
      'ctx logger info "escape: $(cat err)"',
      'ctx download-resource /etc/passwd 2> err && exit 11',
      'ctx logger info "absolute: $(cat err)"',
      'out=$(ctx download-resource files/page.html)',
      'ctx logger info "default: $(cat "$out")"',
      'ctx download-resource files/page.html copy.html > /dev/null',
      'ctx logger info "relative: $(cat copy.html)"',
      'ctx download-resource-and-render files/tpl.txt rendered.txt > /dev/null',
      'ctx logger info "rendered: $(cat rendered.txt)"',
    ].join('\n'),
    'files/page.html': '<h1>hi</h1>',
    'files/tpl.txt':
      'port={{ ctx.node.properties.port }} id={{ctx.instance.id}} none=[{{ missing }}]',
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n', { port: 8080 })]);
  h.store.add('n_1', 'n');
  await h.dispatcher.run(invocation(scriptOperation('dl.sh'), 'n', 'n_1'), never);
  const logs = h.sink.logs('info');
  assert.ok(
    logs.some((l) =>
      /^escape: ctx: NonRecoverableError: Resource path '..\/outside' escapes the blueprint folder/.test(
        l,
      ),
    ),
    logs.join('\n'),
  );
  assert.ok(logs.some((l) => /^absolute: .*escapes the blueprint folder/.test(l)));
  assert.ok(logs.includes('default: <h1>hi</h1>'));
  assert.ok(logs.includes('relative: <h1>hi</h1>'));
  assert.ok(logs.includes('rendered: port=8080 id=n_1 none=[]'));
});

test('a script_path escaping the blueprint folder, a URL or a missing file fails without retry', async (t) => {
  const bp = blueprintFolder({ 'ok.sh': '#!/bin/sh\n' });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  for (const [path, message] of [
    ['../../etc/passwd', /escapes the blueprint folder/],
    ['https://example.com/x.sh', /is a URL/],
    ['scripts/missing.sh', /not found/],
  ] as const) {
    await assert.rejects(
      h.dispatcher.run(invocation(scriptOperation(path), 'n', 'n_1'), never),
      (error: unknown) => {
        assert.ok(error instanceof NonRecoverableError, String(error));
        assert.match(error.message, message);
        return true;
      },
    );
  }
});

test('process.cwd, process.args, process.env and command_prefix are honoured', async (t) => {
  const bp = blueprintFolder({
    'args.txt': 'ctx logger info "cwd=$PWD args=$1,$2 env=$MY_ENV list=$LIST"\n',
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  const op = scriptOperation('args.txt', {
    LIST: [1, 2],
    process: { cwd: bp.dir, args: ['a', 2], env: { MY_ENV: 'e' }, command_prefix: '/bin/bash' },
  });
  await h.dispatcher.run(invocation(op, 'n', 'n_1'), never);
  assert.deepEqual(h.sink.logs('info'), [`cwd=${bp.dir} args=a,2 env=e list=[1,2]`]);
});

test('a script with no shebang and an unknown extension fails without retry, naming the fix', async (t) => {
  const bp = blueprintFolder({ 'thing.rb': 'puts 1\n' });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  await assert.rejects(
    h.dispatcher.run(invocation(scriptOperation('thing.rb'), 'n', 'n_1'), never),
    /command_prefix/,
  );
});

test('Node.js scripts run with this node and reach ctx through the ctx command', async (t) => {
  const bp = blueprintFolder({
    'set.mjs': [
      "import { execFileSync } from 'node:child_process';",
      "execFileSync('ctx', ['instance', 'runtime-properties', 'from_js', '@[1,2]']);",
      "console.log('id=' + execFileSync('ctx', ['instance', 'id']).toString());",
    ].join('\n'),
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  await h.dispatcher.run(invocation(scriptOperation('set.mjs'), 'n', 'n_1'), never);
  assert.deepEqual(h.store.instances.get('n_1')!.runtimeProperties, { from_js: [1, 2] });
  assert.deepEqual(h.sink.logs('info'), ['id=n_1']);
});
