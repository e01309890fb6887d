import { UserError } from '../../core/index.js';
import type { NodeInstanceModel } from '../../plan/model.js';
import { buildLifecycleGraph } from '../lifecycle.js';
import type { ModelIndex } from '../model-index.js';
import type { WorkflowContext } from '../workflow-context.js';

/**
 * The instances `heal` reinstalls for a failing instance: its host plus everything contained
 * in the host, transitively (spec §4.2). UserError when the instance has no host.
 */
export function healSubgraph(index: ModelIndex, nodeInstanceId: string): NodeInstanceModel[] {
  const failing = index.instance(nodeInstanceId);
  if (failing.hostId === null) {
    throw new UserError('heal_without_host_error', `Node instance ${nodeInstanceId} cannot be healed: it is not contained in a host (Compute) node`, {
      details: { nodeInstanceId, nodeId: failing.nodeId },
      hints: ['heal the host instance, or an instance contained in one; networks, ports, floating IPs and keypairs have no host'],
    });
  }
  return index.containedSubgraph(failing.hostId);
}

/**
 * `heal` (`auto_heal_reinstall_node_subgraph`): uninstall the failing instance's host subgraph
 * completely, then install it; relationships crossing the boundary are unlinked and
 * re-established on both sides; other instances are not touched.
 */
export async function heal(ctx: WorkflowContext): Promise<void> {
  const nodeInstanceId = String(ctx.parameters['node_instance_id']);
  const rawDiagnose = ctx.parameters['diagnose_value'];
  const diagnose = typeof rawDiagnose === 'string' ? rawDiagnose : JSON.stringify(rawDiagnose ?? 'Not provided');
  ctx.logger.info(`Starting 'heal' workflow on ${nodeInstanceId}, Diagnosis: ${diagnose}`);
  const subgraph = healSubgraph(ctx.index, nodeInstanceId);
  await ctx.runGraph(buildLifecycleGraph(ctx.newGraph(), 'uninstall', subgraph, true));
  ctx.throwIfCancelled();
  await ctx.runGraph(buildLifecycleGraph(ctx.newGraph(), 'install', subgraph, true));
}
