import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRekindleError } from '../../core/index.js';
import type { ExecutionRecord } from '../store/records.js';
import { cancelTransition, checkCanStart, mergeParameters } from './execution-rules.js';

function execution(id: string, overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id, status: 'started', deployment_id: 'd1', workflow_id: 'install', blueprint_id: 'b', created_at: '', error: '',
    parameters: {}, is_system_workflow: false, ...overrides,
  };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(isRekindleError(error));
    return error.code;
  }
  return 'no error';
}

test('checkCanStart: deployment exclusivity, force, system-wide rules, global limit', () => {
  const start = { deploymentId: 'd1', systemWide: false, force: false };
  assert.equal(codeOf(() => checkCanStart(start, [], 50)), 'no error');
  assert.equal(codeOf(() => checkCanStart(start, [execution('e1')], 50)), 'existing_running_execution_error');
  assert.equal(codeOf(() => checkCanStart({ ...start, force: true }, [execution('e1')], 50)), 'no error');
  assert.equal(codeOf(() => checkCanStart({ ...start, deploymentId: 'd2' }, [execution('e1')], 50)), 'no error');
  assert.equal(codeOf(() => checkCanStart({ ...start, deploymentId: 'd2' }, [execution('e1')], 1)), 'global_parallel_running_executions_limit_reached_error');
  const system = execution('s1', { deployment_id: null, is_system_workflow: true });
  assert.equal(codeOf(() => checkCanStart({ ...start, force: true }, [system], 50)), 'existing_running_execution_error');
  // A snapshot being created reads one consistent point in time: deployments keep working.
  const creating = execution('s2', { deployment_id: null, is_system_workflow: true, workflow_id: 'create_snapshot' });
  assert.equal(codeOf(() => checkCanStart(start, [creating], 50)), 'no error');
  assert.equal(codeOf(() => checkCanStart({ deploymentId: null, systemWide: true, force: false }, [execution('e1')], 50)), 'existing_running_execution_error');
  assert.throws(
    () => checkCanStart({ deploymentId: null, systemWide: true, force: false }, [execution('e1')], 50),
    /You cannot start a system-wide execution if there are other executions running\. Currently running executions: \[e1/,
  );
});

test('mergeParameters: defaults, missing mandatory and undeclared parameters listed together', () => {
  const declared = { a: { default: 1 }, b: {} };
  assert.deepEqual(mergeParameters('w', declared, { b: 2 }, false), { a: 1, b: 2 });
  assert.throws(() => mergeParameters('w', declared, { c: 3 }, false), /missing mandatory parameter\(s\): b; undeclared parameter\(s\): c/);
  assert.deepEqual(mergeParameters('w', declared, { b: 2, c: 3 }, true), { a: 1, b: 2, c: 3 });
  assert.equal(codeOf(() => mergeParameters('w', declared, 'x', false)), 'bad_parameters_error');
});

test('cancelTransition: cancel from pending/started, force-cancel also from cancelling, never from end states', () => {
  assert.equal(cancelTransition(execution('e', { status: 'started' }), 'cancel'), 'cancelling');
  assert.equal(cancelTransition(execution('e', { status: 'cancelling' }), 'force-cancel'), 'force_cancelling');
  assert.equal(codeOf(() => cancelTransition(execution('e', { status: 'cancelling' }), 'cancel')), 'illegal_action_error');
  assert.equal(codeOf(() => cancelTransition(execution('e', { status: 'terminated' }), 'force-cancel')), 'illegal_action_error');
});
