/** DSL versions and the keys each one introduced. */
import { DSL_VERSIONS, type DslVersion } from './types.js';

export function isDslVersion(value: unknown): value is DslVersion {
  return typeof value === 'string' && (DSL_VERSIONS as readonly string[]).includes(value);
}

/** True when `version` is at least `minimum`. */
export function atLeast(version: DslVersion, minimum: DslVersion): boolean {
  return DSL_VERSIONS.indexOf(version) >= DSL_VERSIONS.indexOf(minimum);
}

/** Keys that need a DSL version newer than 1_0, by the place they appear. */
export const FEATURE_VERSIONS = {
  top: {
    data_types: 'cloudify_dsl_1_2',
    dsl_definitions: 'cloudify_dsl_1_2',
    description: 'cloudify_dsl_1_2',
    policies: 'cloudify_dsl_1_3',
  },
  plugin: {
    install_arguments: 'cloudify_dsl_1_1',
    package_name: 'cloudify_dsl_1_2',
    package_version: 'cloudify_dsl_1_2',
    supported_platform: 'cloudify_dsl_1_2',
    distribution: 'cloudify_dsl_1_2',
    distribution_version: 'cloudify_dsl_1_2',
    distribution_release: 'cloudify_dsl_1_2',
  },
  operation: { max_retries: 'cloudify_dsl_1_3', retry_interval: 'cloudify_dsl_1_3' },
  property: { required: 'cloudify_dsl_1_2' },
} as const satisfies Record<string, Record<string, DslVersion>>;
