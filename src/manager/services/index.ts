/** The manager's services, built once per manager from a {@link ServiceContext}. */
import { BlueprintService } from './blueprints.js';
import type { ServiceContext } from './context.js';
import { DeploymentService } from './deployments.js';
import { ExecutionService } from './executions.js';

export interface ManagerServices {
  ctx: ServiceContext;
  blueprints: BlueprintService;
  deployments: DeploymentService;
  executions: ExecutionService;
}

export function createServices(ctx: ServiceContext, options: { closeGraceMs?: number } = {}): ManagerServices {
  const blueprints = new BlueprintService(ctx);
  const deployments = new DeploymentService(ctx);
  const executions = new ExecutionService(ctx, deployments, options.closeGraceMs);
  return { ctx, blueprints, deployments, executions };
}

export type { ServiceContext } from './context.js';
export * from './ports.js';
