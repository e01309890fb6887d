/**
 * The `rekindle_manager` plugin: the manager blueprints' `manager_configuration` node. Register
 * with `registry.registerPlugin(rekindleManagerPluginName, rekindleManagerPluginTasks)`.
 */
import type { PluginFunction } from '../../registry.js';
import { configureManager } from './configure.js';

export { buildProviderContext, configureManager } from './configure.js';
export { checkServices, uploadProviderContext, type ManagerEndpoint, type ServicesCheck } from './services.js';

/** Plugin name used by resources/manager-blueprints/types/rekindle-manager-types.yaml. */
export const rekindleManagerPluginName = 'rekindle_manager';

/** Tasks by name. */
export const rekindleManagerPluginTasks: Readonly<Record<string, PluginFunction>> = {
  'configuration.start': async (ctx, inputs) => {
    await configureManager(ctx, inputs);
    return undefined;
  },
};
export { checkKeptResource, type KeptResource, type KeptResourceState } from './cloud-check.js';
