/** The browser UI: the fastify plugin that serves the built app (the app itself is in `app/`). */
export { serveWebUi, isWebUiRequest, defaultWebRoot, notBuiltMessage, type ServeWebUiOptions } from './serve-ui.js';
