/** Request-body checks and list rendering shared by the Neutron routes (subset §3.1, §5.2). */
import type { FastifyRequest } from 'fastify';
import { neutronFault } from './faults.js';

type Json = Record<string, unknown>;

/**
 * Unwraps `{"<key>": {...}}` and checks attribute names: unknown → 400 `Unrecognized attribute(s)`,
 * missing required → 400 `Required attribute ... not specified`.
 */
export function resourceBody(
  body: unknown,
  key: string,
  allowed: readonly string[],
  required: readonly string[] = [],
): Json {
  const inner = typeof body === 'object' && body !== null ? (body as Json)[key] : undefined;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw neutronFault(
      400,
      'BadRequest',
      `Bad ${key.replace(/_/g, '')} request: Resource body required.`,
    );
  }
  const record = inner as Json;
  const unknown = Object.keys(record).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw neutronFault(400, 'HTTPBadRequest', `Unrecognized attribute(s) '${unknown.join(', ')}'`);
  for (const name of required) {
    if (record[name] === undefined)
      throw neutronFault(
        400,
        'HTTPBadRequest',
        `Failed to parse request. Required attribute '${name}' not specified`,
      );
  }
  return record;
}

/** 400 `Invalid input for <attr>. Reason: <reason>.` */
export function invalid(attr: string, reason: string): never {
  throw neutronFault(400, 'HTTPBadRequest', `Invalid input for ${attr}. Reason: ${reason}.`);
}

export function optString(record: Json, attr: string): string | undefined {
  const value = record[attr];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalid(attr, `'${JSON.stringify(value)}' is not a valid string`);
  return value;
}

export function optBool(record: Json, attr: string): boolean | undefined {
  const value = record[attr];
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return invalid(attr, `'${JSON.stringify(value)}' cannot be converted to boolean`);
}

export function optStringList(record: Json, attr: string): string[] | undefined {
  const value = record[attr];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    invalid(attr, `'${JSON.stringify(value)}' is not a list of strings`);
  return value as string[];
}

const CONTROL = new Set(['fields', 'limit', 'marker', 'page_reverse', 'sort_key', 'sort_dir']);

/** A query or body scalar as text (objects as JSON). */
export function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function queryValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(scalarText);
  return value === undefined ? [] : [scalarText(value)];
}

function matches(item: Json, key: string, wanted: string[]): boolean {
  const value = item[key];
  if (value === undefined) return true;
  if (Array.isArray(value)) return wanted.some((w) => value.map(scalarText).includes(w));
  const text = value === null ? '' : scalarText(value);
  return wanted.some((w) => w === text || (typeof value === 'boolean' && w.toLowerCase() === text));
}

/** Renders `{"<collection>": [...], "<collection>_links": [...]}` with filters, fields and paging. */
export function neutronList(
  request: FastifyRequest,
  collection: string,
  items: Json[],
  baseUrl: string,
): Json {
  const query = (request.query ?? {}) as Record<string, unknown>;
  let out = items.filter((item) =>
    Object.entries(query).every(([k, v]) => CONTROL.has(k) || matches(item, k, queryValues(v))),
  );
  const links: { rel: string; href: string }[] = [];
  const limitText = queryValues(query.limit)[0];
  if (limitText !== undefined) {
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 0) invalid('limit', `'${limitText}' is not an integer`);
    const marker = queryValues(query.marker)[0];
    const reverse = (queryValues(query.page_reverse)[0] ?? '').toLowerCase() === 'true';
    let start = 0;
    if (marker !== undefined) {
      const at = out.findIndex((i) => i.id === marker);
      if (at < 0)
        throw neutronFault(
          404,
          'HTTPNotFound',
          `${collection.slice(0, -1)} ${marker} could not be found.`,
        );
      start = reverse ? 0 : at + 1;
      if (reverse) out = out.slice(0, at);
    }
    const page =
      limit === 0
        ? out.slice(start)
        : reverse
          ? out.slice(Math.max(0, out.length - limit))
          : out.slice(start, start + limit);
    const href = (m: string, rev: boolean): string =>
      `${baseUrl}/${collection.replace(/_/g, '-')}?limit=${limit}&marker=${m}${rev ? '&page_reverse=True' : ''}`;
    const last = page[page.length - 1];
    const first = page[0];
    if (limit > 0 && page.length === limit && last)
      links.push({ rel: 'next', href: href(String(last.id), false) });
    if (marker !== undefined && first)
      links.push({ rel: 'previous', href: href(String(first.id), true) });
    out = page;
  }
  const fields = queryValues(query.fields);
  if (fields.length > 0)
    out = out.map((item) =>
      Object.fromEntries(Object.entries(item).filter(([k]) => fields.includes(k))),
    );
  const body: Json = { [collection]: out };
  if (links.length > 0) body[`${collection}_links`] = links;
  return body;
}
