/**
 * `cfy bootstrap -p BLUEPRINT [-i INPUTS]`: runs the manager blueprint as the local deployment
 * `manager` (state in `.cloudify/bootstrap/manager/`), uploads the provider context with the
 * manager-deployment dump, and saves the manager in the working directory's profile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import { invalidBlueprintError, parseBlueprintFile } from '../../dsl/index.js';
import { planDeployment, type DeploymentModel } from '../../plan/index.js';
import { LocalStateStore } from '../../plugins/index.js';
import {
  addTaskFlags,
  bootstrapDirOf,
  managerClient,
  managerDeploymentName,
  managerStateRoot,
  managerTargetOf,
  runManagerWorkflow,
  taskSettings,
  uploadManagerProviderContext,
  type TaskFlags,
  type TaskSettings,
} from '../bootstrap/index.js';
import { parseInputs } from '../inputs.js';
import { SilentExit } from '../main.js';
import type { Output } from '../output.js';
import { readProfile, requireCloudifyDir, writeProfile } from '../profile.js';

interface BootstrapFlags extends TaskFlags {
  blueprintPath: string;
  inputs?: string[];
  keepUpOnFailure: boolean;
  skipValidations: boolean;
  validateOnly: boolean;
  installPlugins: boolean;
}

function plan(blueprintPath: string, inputTexts: string[]): DeploymentModel {
  const { blueprint, diagnostics } = parseBlueprintFile(blueprintPath);
  if (blueprint === null || diagnostics.some((d) => d.severity === 'error')) throw invalidBlueprintError(diagnostics);
  const inputs: Record<string, unknown> = {};
  for (const text of inputTexts) Object.assign(inputs, parseInputs(text));
  return planDeployment(blueprint, inputs);
}

async function validate(blueprintPath: string, model: DeploymentModel, settings: TaskSettings, output: Output): Promise<void> {
  output.info('executing bootstrap validation');
  const scratch = mkdtempSync(join(tmpdir(), 'rekindle-bootstrap-validation-'));
  try {
    const store = LocalStateStore.create(join(scratch, managerDeploymentName), { name: managerDeploymentName, blueprintPath, inputs: model.inputs, plan: model });
    const error = await runManagerWorkflow(store, 'execute_operation', { operation: 'cloudify.interfaces.validation.creation' }, settings, output);
    if (error) throw new UserError('bootstrap_validation_failed', `bootstrap validation failed: ${error.message}`, { cause: error, hints: ['Fix the inputs, or pass --skip-validations'] });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  output.info('bootstrap validation completed successfully');
}

export function registerBootstrapCommand(program: Command, output: Output): void {
  const command = program
    .command('bootstrap')
    .description('Bootstrap a manager: run the manager blueprint locally and remember the manager')
    .requiredOption('-p, --blueprint-path <file>', 'the manager blueprint (see resources/manager-blueprints/)')
    .option('-i, --inputs <inputs>', "inputs: a YAML file, a YAML string or 'k1=v1;k2=v2' (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option('--keep-up-on-failure', 'do not tear down what a failed bootstrap created', false)
    .option('--skip-validations', 'skip the creation validation of the cloud resources', false)
    .option('--validate-only', 'only run the validations', false)
    .option('--install-plugins', "ignored: Rekindle's plugins are built in", false);
  addTaskFlags(command).action(async (flags: BootstrapFlags) => {
    const settings = taskSettings(flags);
    const cloudifyDir = requireCloudifyDir();
    const root = managerStateRoot(cloudifyDir);
    if (LocalStateStore.exists(root)) {
      throw new UserError(
        'bootstrap_not_clean',
        `Can't bootstrap because the environment is not clean. Clean the environment by calling teardown or reset it using the "cfy init -r" command`,
        { hints: [`The manager deployment lives in ${root}`] },
      );
    }
    const blueprintPath = resolve(flags.blueprintPath);
    const model = plan(blueprintPath, flags.inputs ?? []);
    if (!flags.skipValidations) await validate(blueprintPath, model, settings, output);
    if (flags.validateOnly) return;

    output.info('executing bootstrap');
    const store = LocalStateStore.create(root, { name: managerDeploymentName, blueprintPath, inputs: model.inputs, plan: model });
    let error = await runManagerWorkflow(store, 'install', {}, settings, output);
    let target;
    if (!error) {
      try {
        target = managerTargetOf(store);
        const context = await uploadManagerProviderContext(store, managerClient(target, store));
        const profile = readProfile(cloudifyDir);
        const key = model.nodes.find((n) => n.typeHierarchy.includes('cloudify.nodes.CloudifyManager'))?.properties.ssh_key_filename;
        writeProfile(cloudifyDir, {
          ...profile,
          management_ip: target.ip,
          rest_port: target.port,
          protocol: target.protocol,
          provider_context: context,
          management_key: typeof key === 'string' && key !== '' ? key : null,
        });
      } catch (cause) {
        error = cause instanceof Error ? cause : new Error(String(cause));
      }
    }
    if (error) {
      output.warn(`bootstrap failed! (${error.message})`);
      if (!flags.keepUpOnFailure) {
        output.warn('executing teardown due to failed bootstrap');
        const uninstallError = await runManagerWorkflow(store, 'uninstall', {}, { ...settings, taskRetries: 5 }, output);
        if (uninstallError) output.warn(`teardown after the failed bootstrap failed too: ${uninstallError.message}; the manager deployment is kept in ${root}`);
        else rmSync(bootstrapDirOf(cloudifyDir), { recursive: true, force: true });
      }
      throw new SilentExit(1);
    }
    output.info('bootstrapping complete');
    output.info(`management server is up at ${target?.ip ?? ''} (REST port ${target?.port ?? ''})`);
  });
}
