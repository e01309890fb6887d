/** Keystone v3: version discovery, password tokens, validation, revocation, catalog (subset §1). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CloudContext } from '../context.js';
import { keystoneFault, unauthorized } from '../faults.js';
import { stableId, type IdentityUser, type Token } from '../identity.js';
import { isoMicros } from '../time.js';

type Json = Record<string, unknown>;
const DOMAIN = { id: 'default', name: 'Default' };

/** The catalog: identity, compute and network, all on the cloud's one listener. */
export function catalog(ctx: CloudContext): Json[] {
  const endpoint = (service: string, url: string, iface: string): Json => ({
    id: stableId('endpoint', `${service}-${iface}`),
    interface: iface,
    region: ctx.config.region,
    region_id: ctx.config.region,
    url,
  });
  const entry = (type: string, name: string, url: string): Json => ({
    type,
    name,
    id: stableId('service', type),
    endpoints: ['public', 'internal', 'admin'].map((i) => endpoint(type, url, i)),
  });
  return [
    entry('identity', 'keystone', ctx.urls.identity),
    entry('compute', 'nova', ctx.urls.compute),
    entry('network', 'neutron', ctx.urls.network),
  ];
}

function tokenBody(ctx: CloudContext, token: Token, withCatalog: boolean): Json {
  const body: Json = {
    methods: ['password'],
    user: { id: token.user.id, name: token.user.name, domain: DOMAIN, password_expires_at: null },
    audit_ids: [token.auditId],
    issued_at: isoMicros(token.issuedAt),
    expires_at: isoMicros(token.expiresAt),
  };
  if (token.projectId !== null) {
    body.project = { id: token.projectId, name: token.user.projectName, domain: DOMAIN };
    body.is_domain = false;
    body.roles = [
      { id: stableId('role', 'member'), name: 'member' },
      { id: stableId('role', 'reader'), name: 'reader' },
    ];
    if (withCatalog) body.catalog = catalog(ctx);
  }
  return { token: body };
}

function badRequest(message: string): Error {
  return keystoneFault(400, `Invalid input for field '${message}'`);
}

/** Checks a `domain` reference: only the Default domain exists. */
function isDefaultDomain(domain: unknown): boolean {
  const d = (domain ?? {}) as { id?: unknown; name?: unknown };
  return d.id === 'default' || d.name === 'Default';
}

function authenticate(
  ctx: CloudContext,
  body: unknown,
): { user: IdentityUser; projectId: string | null } {
  const auth = (body as { auth?: Json } | null)?.auth;
  if (typeof auth !== 'object' || auth === null)
    throw badRequest("auth': 'auth' is a required property");
  const identity = auth.identity as { methods?: unknown; password?: { user?: Json } } | undefined;
  if (!identity || !Array.isArray(identity.methods))
    throw badRequest("identity': 'methods' is a required property");
  if (!identity.methods.includes('password') || !identity.password?.user)
    throw unauthorized(ctx.urls.identity);
  const ref = identity.password.user;
  const user =
    typeof ref.id === 'string'
      ? ctx.identity.findUser({ id: ref.id })
      : typeof ref.name === 'string' && isDefaultDomain(ref.domain)
        ? ctx.identity.findUser({ name: ref.name })
        : undefined;
  if (!user || ref.password !== user.password) throw unauthorized(ctx.urls.identity);
  const scope = auth.scope;
  if (scope === undefined) return { user, projectId: user.projectId };
  if (scope === 'unscoped') return { user, projectId: null };
  const project = (scope as { project?: { id?: unknown; name?: unknown; domain?: unknown } })
    .project;
  if (project) {
    const ok =
      project.id === user.projectId ||
      (project.name === user.projectName && isDefaultDomain(project.domain));
    if (!ok) throw unauthorized(ctx.urls.identity);
    return { user, projectId: user.projectId };
  }
  const domain = (scope as { domain?: unknown }).domain;
  if (domain !== undefined && isDefaultDomain(domain)) return { user, projectId: null };
  throw unauthorized(ctx.urls.identity);
}

export function registerKeystoneRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const v3 = (): Json => ({
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${ctx.urls.identity}/` }],
    'media-types': [
      { base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' },
    ],
  });
  app.get('/', async (_request, reply) => reply.code(300).send({ versions: { values: [v3()] } }));
  app.get('/v3', () => ({ version: v3() }));
  app.get('/v3/', () => ({ version: v3() }));

  app.post('/v3/auth/tokens', async (request, reply) => {
    const { user, projectId } = authenticate(ctx, request.body);
    const token = ctx.identity.issue(user, projectId);
    const nocatalog = 'nocatalog' in (request.query as Json);
    return reply
      .code(201)
      .header('x-subject-token', token.id)
      .send(tokenBody(ctx, token, !nocatalog));
  });

  const caller = (request: FastifyRequest): Token => {
    const token = ctx.identity.validate(request.headers['x-auth-token'] as string | undefined);
    if (!token) throw unauthorized(ctx.urls.identity);
    return token;
  };
  const subject = (request: FastifyRequest): Token => {
    caller(request);
    const id = request.headers['x-subject-token'] as string | undefined;
    if (id === undefined) throw keystoneFault(404, 'No token in the request');
    const allowExpired =
      JSON.stringify((request.query as Json).allow_expired ?? '').toLowerCase() === '"true"';
    const token = ctx.identity.validate(id, allowExpired);
    if (!token) throw keystoneFault(404, `Could not find token: ${id}.`);
    return token;
  };
  const show = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const token = subject(request);
    const nocatalog = 'nocatalog' in (request.query as Json);
    reply.header('x-subject-token', token.id);
    if (request.method === 'HEAD') return reply.code(200).send();
    return reply.code(200).send(tokenBody(ctx, token, !nocatalog));
  };
  app.get('/v3/auth/tokens', { exposeHeadRoute: false }, show);
  app.head('/v3/auth/tokens', show);
  app.delete('/v3/auth/tokens', async (request, reply) => {
    const token = subject(request);
    ctx.identity.revoke(token.id);
    return reply.code(204).send();
  });
  app.get('/v3/auth/catalog', (request) => {
    caller(request);
    return {
      catalog: catalog(ctx),
      links: { self: `${ctx.urls.identity}/auth/catalog`, previous: null, next: null },
    };
  });
}
