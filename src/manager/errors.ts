/**
 * The REST error codes the manager raises (Cloudify 3.3 codes where one exists). Each is a
 * core {@link UserError} with its HTTP status; the one error handler in http/error-handler.ts
 * turns them into `{message, error_code, server_traceback}`. See docs/errors/manager.md.
 */
import { UserError, type ErrorDetails } from '../core/index.js';

function userError(code: string, status: number) {
  return (message: string, details?: ErrorDetails, hints?: readonly string[]): UserError =>
    new UserError(code, message, { httpStatus: status, ...(details ? { details } : {}), ...(hints ? { hints } : {}) });
}

/** 400: a request parameter or body field is missing or wrong. */
export const badParameters = userError('bad_parameters_error', 400);
/** 400: `_include` names a field the resource does not have. */
export const noSuchIncludeField = userError('no_such_include_field_error', 400);
/** 415: a JSON endpoint got another content type. */
export const unsupportedContentType = userError('unsupported_content_type_error', 415);
/** 405: the path exists but not with this method. */
export const methodNotAllowed = userError('method_not_allowed_error', 405);
/** 401: no or wrong credentials. */
export const unauthorized = userError('unauthorized_error', 401);
/** 400: the uploaded blueprint (archive or YAML) is not valid. */
export const invalidBlueprint = userError('invalid_blueprint_error', 400);
/** 400: an execution is already running where this one would run. */
export const existingRunningExecution = userError('existing_running_execution_error', 400);
/** 400: the action is not allowed in the resource's current state. */
export const illegalAction = userError('illegal_action_error', 400);
/** 400: other resources still depend on this one. */
export const dependentExists = userError('dependent_exists_error', 400);
/** 400: the deployment has no workflow with that name. */
export const nonexistentWorkflow = userError('nonexistent_workflow_error', 400);
/** 400: the manager already runs as many executions as it allows. */
export const globalLimitReached = userError('global_parallel_running_executions_limit_reached_error', 400);
/** 413: the request body is larger than the manager accepts. */
export const payloadTooLarge = userError('payload_too_large_error', 413);
