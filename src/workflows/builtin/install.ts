import { buildLifecycleGraph } from '../lifecycle.js';
import type { WorkflowContext } from '../workflow-context.js';

/** `install`: every instance, targets before sources. */
export async function install(ctx: WorkflowContext): Promise<void> {
  const b = ctx.newGraph();
  await ctx.runGraph(buildLifecycleGraph(b, 'install', ctx.nodeInstances, false));
}

/** `uninstall`: every instance, sources before targets; failures ignored except exhausted retry requests. */
export async function uninstall(ctx: WorkflowContext): Promise<void> {
  const b = ctx.newGraph();
  await ctx.runGraph(buildLifecycleGraph(b, 'uninstall', ctx.nodeInstances, false));
}
