/** Nova version documents, flavors, images and keypairs (subset §2.1, §2.8, §2.9). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tokenOf, type CloudContext } from '../context.js';
import { novaFault } from '../faults.js';
import { FLAVORS } from '../images.js';
import { generateSshKeypair, sshFingerprint } from '../keypairs.js';
import {
  MAX_MICROVERSION,
  MIN_MICROVERSION,
  findFlavor,
  flavorDetail,
  flavorSummary,
  imageDetail,
  imageSummary,
} from '../nova-views.js';
import type { KeypairRecord } from '../state.js';
import { isoSeconds } from '../time.js';

type Params = { id: string };
const UPDATED = '2013-07-23T11:33:21Z';

const atLeast22 = (request: FastifyRequest): boolean =>
  request.microversion.major > 2 || request.microversion.minor >= 2;

export function registerCatalogRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const v21 = (): Record<string, unknown> => ({
    id: 'v2.1',
    status: 'CURRENT',
    version: MAX_MICROVERSION,
    min_version: MIN_MICROVERSION,
    updated: UPDATED,
    links: [{ rel: 'self', href: `${ctx.urls.compute}/` }],
  });
  app.get('/', () => ({ versions: [v21()] }));
  app.get('/v2.1', () => ({
    version: {
      ...v21(),
      'media-types': [
        { base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' },
      ],
    },
  }));
  app.get('/v2.1/', () => ({
    version: {
      ...v21(),
      'media-types': [
        { base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' },
      ],
    },
  }));

  app.get('/v2.1/flavors', () => ({ flavors: FLAVORS.map((f) => flavorSummary(ctx, f)) }));
  app.get('/v2.1/flavors/detail', () => ({ flavors: FLAVORS.map((f) => flavorDetail(ctx, f)) }));
  app.get<{ Params: Params }>('/v2.1/flavors/:id', (request) => {
    const flavor = findFlavor(request.params.id);
    if (!flavor) throw novaFault(404, `Flavor ${request.params.id} could not be found.`);
    return { flavor: flavorDetail(ctx, flavor) };
  });

  const images = (): ReturnType<typeof ctx.images.values> => ctx.images.values();
  app.get('/v2.1/images', (request) => {
    const name = (request.query as { name?: string }).name;
    return {
      images: [...images()]
        .filter((i) => name === undefined || i.name === name)
        .map((i) => imageSummary(ctx, i)),
    };
  });
  app.get('/v2.1/images/detail', () => ({ images: [...images()].map((i) => imageDetail(ctx, i)) }));
  app.get<{ Params: Params }>('/v2.1/images/:id', (request) => {
    const image = [...images()].find((i) => i.id === request.params.id);
    if (!image) throw novaFault(404, 'Image not found.');
    return { image: imageDetail(ctx, image) };
  });

  const keypairOf = (request: FastifyRequest, name: string): KeypairRecord => {
    const user = tokenOf(request).user.id;
    const found = ctx.state.keypairs.find((k) => k.name === name && k.user_id === user);
    if (!found) throw novaFault(404, `Keypair ${name} not found for user ${user}`);
    return found;
  };
  const withType = (
    request: FastifyRequest,
    body: Record<string, unknown>,
    k: KeypairRecord,
  ): Record<string, unknown> => (atLeast22(request) ? { ...body, type: k.type } : body);

  app.get('/v2.1/os-keypairs', (request) => {
    const user = tokenOf(request).user.id;
    return {
      keypairs: ctx.state.keypairs
        .filter((k) => k.user_id === user)
        .map((k) => ({
          keypair: withType(
            request,
            { name: k.name, public_key: k.public_key, fingerprint: k.fingerprint },
            k,
          ),
        })),
    };
  });
  app.get<{ Params: Params }>('/v2.1/os-keypairs/:id', (request) => {
    const k = keypairOf(request, request.params.id);
    return {
      keypair: withType(
        request,
        {
          name: k.name,
          public_key: k.public_key,
          fingerprint: k.fingerprint,
          user_id: k.user_id,
          id: k.id,
          created_at: k.created_at,
          updated_at: null,
          deleted: false,
          deleted_at: null,
        },
        k,
      ),
    };
  });
  app.post('/v2.1/os-keypairs', async (request, reply) => {
    const spec = (
      (request.body ?? {}) as { keypair?: { name?: unknown; public_key?: unknown; type?: unknown } }
    ).keypair;
    if (!spec || typeof spec.name !== 'string')
      throw novaFault(
        400,
        "Invalid input for field/attribute keypair. Value: None. 'name' is a required property",
      );
    const name = spec.name;
    if (!/^[a-zA-Z0-9 _-]{1,255}$/.test(name))
      throw novaFault(400, 'Keypair data is invalid: Keypair name contains unsafe characters');
    const user = tokenOf(request).user.id;
    if (ctx.state.keypairs.some((k) => k.name === name && k.user_id === user))
      throw novaFault(409, `Key pair '${name}' already exists.`);
    let publicKey: string;
    let privateKey: string | undefined;
    if (spec.public_key === undefined)
      ({ publicKey, privateKey } = generateSshKeypair(`Generated-by-Rekindle-local-cloud`));
    else if (typeof spec.public_key === 'string') publicKey = spec.public_key.trim();
    else throw novaFault(400, 'Keypair data is invalid: failed to generate fingerprint');
    const fingerprint = sshFingerprint(publicKey);
    if (!fingerprint)
      throw novaFault(400, 'Keypair data is invalid: failed to generate fingerprint');
    const type = spec.type === 'x509' && atLeast22(request) ? 'x509' : 'ssh';
    const record: KeypairRecord = {
      id: ctx.state.next_keypair_id++,
      name,
      user_id: user,
      public_key: publicKey,
      fingerprint,
      type,
      created_at: isoSeconds(ctx.now()),
    };
    ctx.state.keypairs.push(record);
    await ctx.commit();
    const body: Record<string, unknown> = withType(
      request,
      { name, public_key: publicKey, fingerprint, user_id: user },
      record,
    );
    if (privateKey !== undefined) body.private_key = privateKey;
    return reply.code(atLeast22(request) ? 201 : 200).send({ keypair: body });
  });
  app.delete<{ Params: Params }>('/v2.1/os-keypairs/:id', async (request, reply) => {
    const k = keypairOf(request, request.params.id);
    ctx.state.keypairs = ctx.state.keypairs.filter((x) => x !== k);
    await ctx.commit();
    return reply.code(atLeast22(request) ? 204 : 202).send();
  });
}
