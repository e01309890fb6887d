/** `cfy init [-r]`: creates `.cloudify/` in the current directory. */
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { initCloudifyDir } from '../profile.js';

export function registerInitCommand(program: Command, output: Output): void {
  program
    .command('init')
    .description('Initialize a working directory (creates .cloudify/)')
    .option('-r, --reset-config', 'overwrite an existing configuration', false)
    .action((options: { resetConfig: boolean }) => {
      initCloudifyDir(process.cwd(), options.resetConfig);
      output.info('Initialization completed successfully');
    });
}
