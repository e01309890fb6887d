/** The script plugin, under Cloudify's name: plugin `script`, task `script_runner.tasks.run`. */
import type { PluginFunction } from '../../registry.js';
import { runScript } from './run-script.js';

export { runScript, ScriptFailedError, ctxBinDir, pythonPackageDir } from './run-script.js';
export { parseScriptInputs, type CompiledScriptInputs } from './script-inputs.js';

/** The plugin name. */
export const scriptPluginName = 'script';

/** The plugin's tasks. */
export const scriptPluginTasks: Readonly<Record<string, PluginFunction>> = {
  'script_runner.tasks.run': runScript,
};
