/** `derived_from` chains: order, unknown parents and cycles. */
import type { ParseContext, Section } from './context.js';
import { isMapping } from './util.js';

/**
 * Computes each definition's chain (root first, itself last) for a section whose entries may
 * have `derived_from`. Unknown parents and cycles are reported; the chain stops there.
 * `builtinParents` are names that exist without being declared in the section.
 */
export function resolveHierarchies(
  ctx: ParseContext,
  section: Section,
  kind: string,
): Map<string, string[]> {
  const defs = ctx.sections[section];
  const result = new Map<string, string[]>();
  const visiting = new Set<string>();
  const visit = (name: string): string[] => {
    const done = result.get(name);
    if (done) return done;
    if (visiting.has(name)) return [name];
    visiting.add(name);
    const def = defs[name];
    let chain = [name];
    const parent = isMapping(def) ? def.derived_from : undefined;
    if (parent !== undefined && parent !== null) {
      if (typeof parent !== 'string') {
        ctx.report(
          'bad_value',
          section,
          name,
          ['derived_from'],
          `${kind} ${name}: derived_from must be a type name`,
        );
      } else if (!Object.prototype.hasOwnProperty.call(defs, parent)) {
        ctx.report(
          'unknown_type',
          section,
          name,
          ['derived_from'],
          `${kind} ${name} derives from unknown ${kind} '${parent}'`,
        );
      } else if (visiting.has(parent)) {
        ctx.report(
          'derived_from_cycle',
          section,
          name,
          ['derived_from'],
          `${kind} ${name} derives from itself through '${parent}' (derived_from cycle)`,
        );
      } else {
        chain = [...visit(parent), name];
      }
    }
    visiting.delete(name);
    result.set(name, chain);
    return chain;
  };
  for (const name of Object.keys(defs)) visit(name);
  return result;
}
