export * from './errors.js';
export * from './operation-errors.js';
export * from './events.js';
export * from './clock.js';
export * from './ids.js';
export * from './atomic-file.js';
export * from './package-root.js';
export * from './module-worker.js';
