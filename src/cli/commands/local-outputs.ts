/** `cfy local outputs`: the deployment outputs, runtime functions evaluated against the local state. */
import type { Command } from 'commander';
import { evaluateOutputs } from '../../plan/index.js';
import { openLocalState } from '../local/local-env.js';
import type { Output } from '../output.js';

export function registerLocalOutputs(group: Command, output: Output): void {
  group
    .command('outputs')
    .description('Print the outputs of the local deployment (JSON)')
    .action(() => {
      const store = openLocalState();
      const runtime = new Map(store.listInstances().map((i) => [i.id, i.runtimeProperties]));
      output.json(evaluateOutputs(store.model(), (id) => runtime.get(id)));
    });
}
