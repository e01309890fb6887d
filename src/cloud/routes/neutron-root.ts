/** Neutron discovery: `GET /`, `GET /v2.0/`, extensions (subset §3.1). */
import type { FastifyInstance } from 'fastify';
import type { CloudContext } from '../context.js';
import { neutronFault } from '../faults.js';

const EXTENSIONS: Record<string, string> = {
  'external-net': 'Neutron external network',
  router: 'Neutron L3 Router',
  'security-group': 'security-group',
  'fip-port-details': 'Floating IP Port Details Extension',
  'standard-attr-revisions': 'Resource revision numbers',
  'project-id': 'project_id field enabled',
};

export function registerNeutronRootRoutes(app: FastifyInstance, ctx: CloudContext): void {
  app.get('/', () => ({
    versions: [
      { id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${ctx.urls.network}v2.0` }] },
    ],
  }));
  app.get('/v2.0/', () => ({
    resources: [
      'networks',
      'subnets',
      'ports',
      'floatingips',
      'routers',
      'security-groups',
      'security-group-rules',
    ].map((name) => ({
      name: name.replace(/s$/, ''),
      collection: name,
      links: [{ rel: 'self', href: `${ctx.urls.network}v2.0/${name}` }],
    })),
  }));
  const view = (alias: string): Record<string, unknown> => ({
    alias,
    name: EXTENSIONS[alias],
    description: EXTENSIONS[alias],
    updated: '2026-01-01T00:00:00-00:00',
    links: [],
  });
  app.get('/v2.0/extensions', () => ({ extensions: Object.keys(EXTENSIONS).map(view) }));
  app.get<{ Params: { alias: string } }>('/v2.0/extensions/:alias', (request) => {
    if (!(request.params.alias in EXTENSIONS))
      throw neutronFault(
        404,
        'ExtensionNotFound',
        `Extension with alias ${request.params.alias} does not exist`,
      );
    return { extension: view(request.params.alias) };
  });
}
