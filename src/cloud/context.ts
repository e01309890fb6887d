/** What every route of the cloud can reach: state, models, identity, URLs, commit. */
import type { Compute } from './compute.js';
import type { CompiledCloudConfig } from './config.js';
import type { Identity, Token } from './identity.js';
import type { Image } from './images.js';
import type { NeutronModel } from './neutron-model.js';
import type { CloudState } from './state.js';

/** Public URLs of the three services (all on the cloud's one listener). */
export interface CloudUrls {
  base: string;
  identity: string;
  compute: string;
  network: string;
}

export interface CloudContext {
  config: CompiledCloudConfig;
  state: CloudState;
  neutron: NeutronModel;
  compute: Compute;
  identity: Identity;
  images: Map<string, Image>;
  urls: CloudUrls;
  now(): number;
  /** Saves the state and brings floating-IP forwarding in line with it. */
  commit(): Promise<void>;
}

/** A Nova microversion. */
export interface Microversion {
  major: number;
  minor: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's token (Compute and Networking routes). */
    cloudToken: Token | null;
    /** The negotiated Nova microversion (Compute routes). */
    microversion: Microversion;
    /** `req-<uuid>` of this request. */
    openstackRequestId: string;
  }
}

/** The token of an authenticated route (the auth hook guarantees it). */
export function tokenOf(request: { cloudToken: Token | null }): Token {
  if (!request.cloudToken) throw new Error('route reached without a token');
  return request.cloudToken;
}
