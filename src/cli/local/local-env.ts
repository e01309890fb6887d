/**
 * Local mode's environment: where `cfy local` keeps its state (`.cloudify/local-storage/local/`
 * of the working directory) and the engine ports that run operations in this process.
 */
import { join } from 'node:path';
import { systemClock, type EventDocument } from '../../core/index.js';
import type { EnginePorts } from '../../engine/index.js';
import {
  FolderResourcesAdapter,
  InProcessDispatcherAdapter,
  PluginRegistry,
  registerBuiltinPlugins,
} from '../../plugins/index.js';
import { LocalStateStore } from '../../plugins/index.js';

/** The deployment (and blueprint) id local-mode events carry: `<local>`. */
export const localDeploymentName = 'local';

/** The state folder of `cfy local` in `cwd`. */
export function localStateRoot(cwd: string = process.cwd()): string {
  return join(cwd, '.cloudify', 'local-storage', localDeploymentName);
}

/** Opens the local deployment of `cwd`, or explains how to create one. */
export function openLocalState(cwd: string = process.cwd()): LocalStateStore {
  return LocalStateStore.open(
    localStateRoot(cwd),
    "Run 'cfy local init -p BLUEPRINT_FILE' in this directory first",
  );
}

/** Engine ports over a local state store: in-process dispatcher with the built-in plugins. */
export function localEnginePorts(
  store: LocalStateStore,
  onEvent: (event: EventDocument) => void,
  registry?: PluginRegistry,
): EnginePorts {
  const events = { emit: onEvent };
  const dispatcher = new InProcessDispatcherAdapter({
    registry: registry ?? registerBuiltinPlugins(new PluginRegistry()),
    events,
    clock: systemClock,
    ports: {
      store: store.instances,
      nodes: store.nodeLookup(),
      resources: new FolderResourcesAdapter(store.resourcesDir()),
    },
  });
  return {
    dispatcher,
    instances: store.instances,
    executions: store.executions,
    events,
    clock: systemClock,
  };
}
