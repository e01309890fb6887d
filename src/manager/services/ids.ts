/** Resource id rules: ids name folders in the data dir, so they are restricted. */
import { badParameters } from '../errors.js';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Throws 400 `bad_parameters_error` unless `id` is 1-128 of `[A-Za-z0-9_.-]`, not starting with `.`/`-`/`_`. */
export function checkResourceId(resource: string, id: string): void {
  if (!idPattern.test(id)) {
    throw badParameters(
      `${resource} id '${id}' is not valid: use 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit`,
      { id },
    );
  }
}
