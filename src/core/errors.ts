/**
 * Error kinds and codes shared by every stage. See docs/errors.md for the list of codes.
 *
 * - {@link UserError}: bad blueprint, input or request. Shown without a stack; HTTP 4xx.
 * - {@link OperationalError}: infrastructure trouble (a host, a cloud, a broker). Retryable.
 * - {@link UnexpectedError}: a bug. HTTP 500, stack, "please report".
 */
export type ErrorKind = 'user' | 'operational' | 'unexpected';

/** Structured context attached to an error: ids, paths, limits. Never secrets. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export interface RekindleErrorOptions {
  /** Structured context fields. */
  details?: ErrorDetails;
  /** The underlying error. */
  cause?: unknown;
  /**
   * HTTP status the manager answers with.
   * @default 400 for user errors, 503 for operational errors, 500 for unexpected ones
   */
  httpStatus?: number;
  /** Short suggestions printed by the CLI as `  - <hint>` lines. */
  hints?: readonly string[];
}

const defaultStatus: Record<ErrorKind, number> = { user: 400, operational: 503, unexpected: 500 };

/** Base class of every error Rekindle throws on purpose. */
export abstract class RekindleError extends Error {
  abstract readonly kind: ErrorKind;
  /** Stable, documented code (Cloudify-compatible for REST errors, e.g. `not_found_error`). */
  readonly code: string;
  readonly details: ErrorDetails;
  readonly hints: readonly string[];
  readonly #httpStatus: number | undefined;

  constructor(code: string, message: string, options: RekindleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    this.hints = options.hints ?? [];
    this.#httpStatus = options.httpStatus;
  }

  /** The HTTP status for this error. */
  get httpStatus(): number {
    return this.#httpStatus ?? defaultStatus[this.kind];
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The user can fix it: a bad blueprint, input, flag or request. */
export class UserError extends RekindleError {
  readonly kind = 'user' as const;
}

/** Infrastructure trouble; trying again later may succeed. */
export class OperationalError extends RekindleError {
  readonly kind = 'operational' as const;
}

/** A bug in Rekindle. */
export class UnexpectedError extends RekindleError {
  readonly kind = 'unexpected' as const;
}

/** 404 `not_found_error` for a missing resource. */
export function notFound(resource: string, id: string): UserError {
  return new UserError('not_found_error', `${resource} ${id} not found`, {
    httpStatus: 404,
    details: { resource, id },
  });
}

/** 409 `conflict_error` for a duplicate id. */
export function conflict(resource: string, id: string): UserError {
  return new UserError('conflict_error', `${resource} ${id} already exists`, {
    httpStatus: 409,
    details: { resource, id },
  });
}

/** True for errors Rekindle raised on purpose. */
export function isRekindleError(error: unknown): error is RekindleError {
  return error instanceof RekindleError;
}

/** Turns anything thrown into an Error (keeps Errors as they are). */
export function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new Error(typeof error === 'string' ? error : JSON.stringify(error));
}
