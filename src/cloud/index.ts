/**
 * The local cloud: an OpenStack API subset (Keystone v3, Nova v2.1, Neutron v2.0) whose servers
 * are process groups and whose addresses are all in 127.0.0.0/8. See docs/cloud.md.
 */
export { LocalCloud, readEndpointFile, type CloudEndpointFile } from './cloud.js';
export {
  compileCloudConfig,
  cloudFileSchema,
  type CloudOptions,
  type CompiledCloudConfig,
  type CloudUser,
} from './config.js';
export type { CloudLog } from './compute.js';
export type { CloudStatusView, ServerStatusView } from './routes/admin.js';
export type { ForwardStatus } from './forwarder.js';
export { HOST_IMAGE_COMMAND, imageId, FLAVORS, type ImageSpec, type Flavor } from './images.js';
export { isLoopback, parseCidr } from './ip.js';
export { MAX_MICROVERSION, MIN_MICROVERSION } from './nova-views.js';
