export * from './http.js';
export * from './types.js';
export * from './rest-client.js';
export * from './download.js';
