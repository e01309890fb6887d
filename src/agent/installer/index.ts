/** Agent installation operations (the `agent` plugin's tasks), as plain functions. */
export * from './install-method.js';
export * from './operations.js';
