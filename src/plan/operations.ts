/** Operation lookup by full or short name, as `execute_operation` accepts both. */
import type { OperationSpec } from './model.js';

/**
 * Finds `name` in `operations`: a full name (`cloudify.interfaces.lifecycle.start`) or, when
 * exactly one interface has it, a short one (`start`). Returns undefined when absent or ambiguous.
 */
export function findOperation(
  operations: Readonly<Record<string, OperationSpec>>,
  name: string,
): OperationSpec | undefined {
  const direct = operations[name];
  if (direct) return direct;
  const matches = Object.keys(operations).filter(
    (full) => full.endsWith(`.${name}`) && full.lastIndexOf('.') === full.length - name.length - 1,
  );
  return matches.length === 1 ? operations[matches[0]!] : undefined;
}
