/** The fastify app: hooks (request ids, microversions, auth), one error handler, the three services' routes. */
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import type { CloudContext, Microversion } from './context.js';
import { ApiFault, keystoneFault, neutronFault, novaFault, unauthorized } from './faults.js';
import type { FloatingIpForwarder } from './forwarder.js';
import { parseMicroversion } from './microversion.js';
import { MAX_MICROVERSION, MIN_MICROVERSION } from './nova-views.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerKeystoneRoutes } from './routes/keystone.js';
import { registerActionRoutes } from './routes/nova-actions.js';
import { registerCatalogRoutes } from './routes/nova-catalog.js';
import { registerMetadataRoutes } from './routes/nova-metadata.js';
import { registerServerRoutes } from './routes/nova-servers.js';
import { registerFloatingIpRoutes } from './routes/neutron-floatingips.js';
import { registerNetworkRoutes } from './routes/neutron-networks.js';
import { registerPortRoutes } from './routes/neutron-ports.js';
import { registerNeutronRootRoutes } from './routes/neutron-root.js';
import { registerRouterRoutes } from './routes/neutron-routers.js';
import { registerSecurityGroupRoutes } from './routes/neutron-security.js';

type Service = 'identity' | 'compute' | 'network' | 'admin';

function serviceOf(url: string): Service {
  if (url.startsWith('/compute')) return 'compute';
  if (url.startsWith('/network')) return 'network';
  if (url.startsWith('/rekindle-admin')) return 'admin';
  return 'identity';
}

function faultFor(service: Service, status: number, message: string): ApiFault {
  if (service === 'network') return neutronFault(status, undefined, message);
  if (service === 'identity') return keystoneFault(status, message);
  return novaFault(status, message);
}

/** Builds the app (not listening yet). */
export function buildApp(ctx: CloudContext, forwarder: FloatingIpForwarder): FastifyInstance {
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    rewriteUrl: (req) =>
      (req.url ?? '/').replace(/^(\/network\/v2\.0\/[^?]*?)\.json(?=$|\?)/, '$1'),
  });
  app.decorateRequest('cloudToken', null);
  app.decorateRequest('microversion', null as unknown as Microversion);
  app.decorateRequest('openstackRequestId', '');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (_req, body: string, done) => {
      if (body.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(body));
      } catch {
        const error = new Error('Malformed request body') as Error & { statusCode: number };
        error.statusCode = 400;
        done(error, undefined);
      }
    },
  );
  app.addHook('onRequest', (request, _reply, done) => {
    request.openstackRequestId = `req-${randomUUID()}`;
    request.microversion = { major: 2, minor: 1 };
    done();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-openstack-request-id', request.openstackRequestId);
    if (serviceOf(request.url) === 'compute') {
      const mv = `${request.microversion.major}.${request.microversion.minor}`;
      reply.header('x-compute-request-id', request.openstackRequestId);
      reply.header('openstack-api-version', `compute ${mv}`);
      reply.header('x-openstack-nova-api-version', mv);
      reply.header('vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    }
    return payload;
  });
  app.setErrorHandler(
    (error: FastifyError | ApiFault, request: FastifyRequest, reply: FastifyReply) => {
      const service = serviceOf(request.url);
      let fault: ApiFault;
      if (error instanceof ApiFault) fault = error;
      else if (typeof error.statusCode === 'number' && error.statusCode < 500)
        fault = faultFor(service, error.statusCode, error.message);
      else fault = faultFor(service, 500, `Unexpected error in the local cloud: ${error.message}`);
      return reply
        .code(fault.statusCode)
        .headers(fault.headers)
        .type('application/json')
        .send(fault.body);
    },
  );
  app.setNotFoundHandler((request, reply) => {
    const fault = faultFor(serviceOf(request.url), 404, 'The resource could not be found.');
    return reply.code(404).type('application/json').send(fault.body);
  });

  const requireToken = (request: FastifyRequest): void => {
    const token = ctx.identity.validate(request.headers['x-auth-token'] as string | undefined);
    if (!token) throw unauthorized(ctx.urls.identity);
    request.cloudToken = token;
  };
  void app.register((scope, _opts, done) => {
    registerKeystoneRoutes(scope, ctx);
    done();
  });
  void app.register(
    (scope, _opts, registered) => {
      scope.addHook('onRequest', (request, _reply, done) => {
        try {
          request.microversion = parseMicroversion(
            request.headers,
            MIN_MICROVERSION,
            MAX_MICROVERSION,
          );
          if (!/^\/compute\/?(v2\.1\/?)?$/.test(request.url.split('?')[0]!)) requireToken(request);
          done();
        } catch (error) {
          done(error as Error);
        }
      });
      registerCatalogRoutes(scope, ctx);
      registerServerRoutes(scope, ctx);
      registerActionRoutes(scope, ctx);
      registerMetadataRoutes(scope, ctx);
      registered();
    },
    { prefix: '/compute' },
  );
  void app.register(
    (scope, _opts, registered) => {
      scope.addHook('onRequest', (request, _reply, done) => {
        try {
          if (!/^\/network\/?(v2\.0\/?)?$/.test(request.url.split('?')[0]!)) requireToken(request);
          done();
        } catch (error) {
          done(error as Error);
        }
      });
      registerNeutronRootRoutes(scope, ctx);
      registerNetworkRoutes(scope, ctx);
      registerPortRoutes(scope, ctx);
      registerFloatingIpRoutes(scope, ctx);
      registerSecurityGroupRoutes(scope, ctx);
      registerRouterRoutes(scope, ctx);
      registered();
    },
    { prefix: '/network' },
  );
  void app.register((scope, _opts, done) => {
    registerAdminRoutes(scope, ctx, () => forwarder.status());
    done();
  });
  return app;
}
