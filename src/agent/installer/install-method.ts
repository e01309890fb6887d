/** The `install_method` of a host's `agent_config`, as in Cloudify 3.3/3.4. */
import { NonRecoverableError } from '../../core/index.js';

/**
 * - `init_script`: the agent is installed by a script the server runs at boot (userdata).
 * - `provided`: the user installed the agent; Rekindle issues its credentials and config only.
 * - `none`: the host has no agent (no `host_agent` operations may run on it).
 * - `remote`: install over SSH/WinRM: not supported by Rekindle.
 */
export type InstallMethod = 'init_script' | 'provided' | 'none';

/** Reads an install method; `remote` and unknown values fail with a NonRecoverableError saying what to use. */
export function parseInstallMethod(value: unknown): InstallMethod {
  const method = value ?? 'init_script';
  if (method === 'init_script' || method === 'provided' || method === 'none') return method;
  if (method === 'remote') {
    throw new NonRecoverableError(
      "install_method 'remote' is not supported: Rekindle does not install agents over SSH/WinRM. Use 'init_script' (the server runs the install script at boot), 'provided' (you install cfy-agent with the config Rekindle issues) or 'none'",
    );
  }
  throw new NonRecoverableError(`Unknown install_method ${JSON.stringify(method)}: use 'init_script', 'provided' or 'none'`);
}
