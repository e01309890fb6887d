/**
 * What an operation (a plugin function or a script) throws to tell the engine how to go on.
 * Retryability belongs to the failure; the engine's retry policy reads only these classes.
 */

/** A failure that may succeed on a later attempt. `retryAfter` (seconds) overrides the interval. */
export class RecoverableError extends Error {
  readonly retryAfter: number | undefined;
  constructor(message: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    const suffix = options.retryAfter === undefined ? '' : ` [retry_after=${options.retryAfter}]`;
    super(message + suffix, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfter = options.retryAfter;
  }
  override get name(): string {
    return 'RecoverableError';
  }
}

/** A failure that no retry can fix: the task fails at once. */
export class NonRecoverableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
  override get name(): string {
    return 'NonRecoverableError';
  }
}

/**
 * Raised by `ctx.operation.retry(message, retryAfter)`: always retried (even where failures are
 * ignored, as in uninstall) and fails the workflow when its retries are exhausted.
 */
export class OperationRetry extends Error {
  readonly retryAfter: number | undefined;
  constructor(message: string, retryAfter?: number) {
    super(message);
    this.retryAfter = retryAfter;
  }
  override get name(): string {
    return 'OperationRetry';
  }
}

/** The serialisable form of an operation failure (crosses process and broker boundaries). */
export interface OperationFailure {
  kind: 'recoverable' | 'non_recoverable' | 'retry';
  message: string;
  retryAfter?: number;
  /** Extra text such as the tail of a script's stderr. */
  detail?: string;
}

/** Serialises an error thrown by an operation. Anything that is not a NonRecoverableError is recoverable. */
export function toOperationFailure(error: unknown): OperationFailure {
  if (error instanceof OperationRetry) {
    return { kind: 'retry', message: error.message, ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }) };
  }
  if (error instanceof NonRecoverableError) return { kind: 'non_recoverable', message: error.message };
  if (error instanceof RecoverableError) {
    return { kind: 'recoverable', message: error.message, ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'recoverable', message };
}

/** Rebuilds the error class from its serialised form. */
export function fromOperationFailure(failure: OperationFailure): Error {
  switch (failure.kind) {
    case 'retry':
      return new OperationRetry(failure.message, failure.retryAfter);
    case 'non_recoverable':
      return new NonRecoverableError(failure.message);
    case 'recoverable': {
      const error = new RecoverableError(failure.message);
      return Object.assign(error, { retryAfter: failure.retryAfter });
    }
  }
}
