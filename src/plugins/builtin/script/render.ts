/**
 * A small stand-in for the Jinja2 rendering of `ctx download-resource-and-render`: replaces
 * `{{ ctx.node.properties.port }}` and `{{ name.path }}` (from `template_variables`) with their
 * values. Unknown names render as '' (as Jinja2 does). No filters, loops or conditions.
 */
import { getByPath } from '../../context/dict-path.js';
import { CtxDict, CtxGroup, memberName } from './ctx-tree.js';

const expression = /\{\{\s*([A-Za-z_][\w.-]*(?:\[\d+\])*(?:\.[\w-]+(?:\[\d+\])*)*)\s*\}\}/g;

/** Renders `template` against the ctx tree and extra variables. */
export function renderTemplate(
  template: string,
  ctx: CtxGroup,
  variables: Record<string, unknown>,
): string {
  return template.replace(expression, (_match, path: string) =>
    format(lookup(path, ctx, variables)),
  );
}

function lookup(path: string, ctx: CtxGroup, variables: Record<string, unknown>): unknown {
  const [head, ...rest] = path.split('.');
  if (head === 'ctx') return walk(ctx, rest);
  if (head === undefined || !Object.hasOwn(variables, head)) return undefined;
  return rest.length === 0 ? variables[head] : tryGet(variables[head], rest.join('.'));
}

function walk(group: CtxGroup, segments: string[]): unknown {
  let current: unknown = group;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (current instanceof CtxGroup) {
      const name = memberName(current, segment);
      if (name === undefined) return undefined;
      current = current.members[name];
    } else if (current instanceof CtxDict) {
      return tryGet(current.data(), segments.slice(index).join('.'));
    } else {
      return undefined;
    }
  }
  return current instanceof CtxDict
    ? current.data()
    : current instanceof CtxGroup
      ? undefined
      : current;
}

function tryGet(root: unknown, path: string): unknown {
  if (root === null || typeof root !== 'object') return undefined;
  try {
    return getByPath(root as Record<string, unknown>, path);
  } catch {
    return undefined;
  }
}

function format(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
