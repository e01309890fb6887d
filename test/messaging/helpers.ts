/** Shared helpers for messaging and agent tests. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { OperationInvocation } from '../../src/engine/ports.js';

/** An invocation of a test operation (see test/agent/fixtures/test-executor.ts) on `hostId`. */
export function invocation(hostId: string, operation: string, inputs: Record<string, unknown> = {}, taskId = randomUUID()): OperationInvocation {
  return {
    taskId,
    executionId: 'exec-1',
    workflowId: 'execute_operation',
    deploymentId: 'dep',
    blueprintId: 'bp',
    operation: { name: 'test.op', operation, plugin: 'test', executor: 'host_agent', inputs, maxRetries: null, retryInterval: null },
    inputs,
    nodeId: hostId.replace(/_[0-9a-f]+$/, ''),
    nodeInstanceId: hostId,
    relationship: null,
    hostId,
    retryNumber: 0,
    maxRetries: 3,
  };
}

/** A temp folder removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `rekindle-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `check` every 20 ms until it returns true; fails after `timeoutMs` with `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A pino logger that keeps its lines, for asserting on logs. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}
