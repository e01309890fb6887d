/** Shared pieces of `cfy bootstrap`, `cfy recover` and `cfy teardown`. */
export * from './manager-env.js';
export * from './dump.js';
export * from './provider-context.js';
export * from './preflight.js';
export * from './task-flags.js';
export { packTar, type TarEntry } from './tar.js';
export * from './restore-phase.js';
