/** The plugins Rekindle ships. `default_workflows` is not here: the workflows stage implements it. */
import type { PluginRegistry } from '../registry.js';
import { diamondPluginName, diamondPluginTasks } from './diamond/index.js';
import { openstackPluginName, openstackPluginTasks } from './openstack/index.js';
import { scriptPluginName, scriptPluginTasks } from './script/index.js';
import { rekindleManagerPluginName, rekindleManagerPluginTasks } from './rekindle_manager/index.js';

/** Registers every built-in plugin (one line each). */
export function registerBuiltinPlugins(registry: PluginRegistry): PluginRegistry {
  registry.registerPlugin(scriptPluginName, scriptPluginTasks);
  registry.registerPlugin(diamondPluginName, diamondPluginTasks);
  registry.registerPlugin(openstackPluginName, openstackPluginTasks);
  registry.registerPlugin(rekindleManagerPluginName, rekindleManagerPluginTasks);
  return registry;
}
