/**
 * The JSON messages carried on the agent topics, with their validation. Anything that fails
 * validation is dropped by the receiver with a log line (see {@link decodeMessage}).
 */
import { z } from 'zod';
import type { OperationFailure } from '../core/index.js';
import type { EventDocument } from '../core/index.js';
import type { OperationInvocation } from '../engine/ports.js';

const invocationSchema = z.looseObject({
  taskId: z.string().min(1),
  executionId: z.string(),
  deploymentId: z.string(),
  operation: z.looseObject({ name: z.string() }),
  inputs: z.record(z.string(), z.unknown()),
  nodeId: z.string(),
  nodeInstanceId: z.string(),
  hostId: z.string().nullable(),
  retryNumber: z.number().int(),
  maxRetries: z.number().int(),
});

const taskMessageSchema = z.object({
  kind: z.literal('task'),
  taskId: z.string().min(1),
  invocation: invocationSchema,
});

const cancelMessageSchema = z.object({
  kind: z.literal('cancel'),
  taskId: z.string().min(1),
  reason: z.string(),
});

/** manager -> agent on `.../tasks`. */
export const managerMessageSchema = z.discriminatedUnion('kind', [taskMessageSchema, cancelMessageSchema]);

const failureSchema = z.object({
  kind: z.enum(['recoverable', 'non_recoverable', 'retry']),
  message: z.string(),
  retryAfter: z.number().optional(),
  detail: z.string().optional(),
});

/** agent -> manager on `.../results`. */
export const resultMessageSchema = z.discriminatedUnion('ok', [
  z.object({ taskId: z.string().min(1), ok: z.literal(true), value: z.unknown() }),
  z.object({ taskId: z.string().min(1), ok: z.literal(false), failure: failureSchema }),
]);

/** agent -> manager on `.../status` (heartbeats and the last will). */
export const statusMessageSchema = z.object({
  state: z.enum(['online', 'offline']),
  /** Random per agent process start. */
  bootId: z.string().min(1),
  /** Incremented on every connection of one process; tells a stale last will from a fresh one. */
  connection: z.number().int().nonnegative(),
  version: z.string(),
  hostId: z.string().nullable(),
  /** Sender's clock, ms since the epoch (informational). */
  sentAt: z.number(),
  reason: z.string().optional(),
  /** Tasks currently running on the agent. */
  running: z.number().int().nonnegative().optional(),
});

/** agent -> manager on `.../logs` and `.../events`. */
export const documentMessageSchema = z.object({
  taskId: z.string().nullable(),
  document: z.looseObject({
    type: z.enum(['cloudify_log', 'cloudify_event']),
    timestamp: z.string(),
    context: z.record(z.string(), z.unknown()),
    message: z.looseObject({ text: z.string() }),
  }),
});

/** A task for an agent. */
export interface TaskMessage {
  kind: 'task';
  taskId: string;
  invocation: OperationInvocation;
}
/** Asks an agent not to start (or to abort) a task the manager gave up on. */
export interface CancelMessage {
  kind: 'cancel';
  taskId: string;
  reason: string;
}
export type ManagerMessage = TaskMessage | CancelMessage;

/** The outcome of one task. */
export type ResultMessage =
  | { taskId: string; ok: true; value: unknown }
  | { taskId: string; ok: false; failure: OperationFailure };

export type StatusMessage = z.infer<typeof statusMessageSchema>;

/** A log or event an operation emitted on an agent. */
export interface DocumentMessage {
  taskId: string | null;
  document: EventDocument;
}

/** The result of decoding a payload. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses and validates a JSON payload; never throws. */
export function decodeMessage<T>(schema: z.ZodType, payload: Buffer | string): Decoded<T> {
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `invalid message: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown issue'}` };
  }
  return { ok: true, value: parsed.data as T };
}

/** Serialises a message for publishing. */
export function encodeMessage(message: ManagerMessage | ResultMessage | StatusMessage | DocumentMessage): string {
  return JSON.stringify(message);
}
