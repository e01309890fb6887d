/** Property schemas, data types, defaults and type checks. */
import type { ParseContext, Section } from './context.js';
import type { DataType, PropertySchema } from './types.js';
import { FEATURE_VERSIONS } from './versions.js';
import { cloneData, has, isMapping, kindOf, type Mapping } from './util.js';
import { isFunctionCall } from './functions.js';
import type { PathSegments } from './diagnostics.js';

const SCHEMA_KEYS = ['description', 'type', 'default'];
const PRIMITIVES = new Set(['string', 'integer', 'float', 'boolean']);

/** Parses a `properties:` (or `parameters:`/`inputs:` schema) mapping. */
export function parseSchemas(
  ctx: ParseContext,
  section: Section,
  name: string,
  rest: PathSegments,
  value: unknown,
): Record<string, PropertySchema> {
  const out: Record<string, PropertySchema> = {};
  if (value === undefined || value === null) return out;
  if (!isMapping(value)) {
    ctx.report(
      'not_a_mapping',
      section,
      name,
      rest,
      `${[section, name, ...rest].join('.')} must be a mapping of property definitions`,
    );
    return out;
  }
  for (const [prop, def] of Object.entries(value)) {
    if (def === null || def === undefined) {
      out[prop] = { hasDefault: false, required: true };
      continue;
    }
    if (!ctx.checkKeys(section, name, [...rest, prop], def, SCHEMA_KEYS, FEATURE_VERSIONS.property))
      continue;
    const schema: PropertySchema = {
      hasDefault: has(def, 'default'),
      required: def.required !== false,
    };
    if (typeof def.description === 'string') schema.description = def.description;
    if (def.type !== undefined) {
      if (typeof def.type === 'string') schema.type = def.type;
      else
        ctx.report(
          'bad_value',
          section,
          name,
          [...rest, prop, 'type'],
          `${prop}: type must be a type name`,
        );
    }
    if (schema.hasDefault) schema.default = def.default;
    if (def.required !== undefined && typeof def.required !== 'boolean') {
      ctx.report(
        'bad_value',
        section,
        name,
        [...rest, prop, 'required'],
        `${prop}: required must be true or false`,
      );
    }
    out[prop] = schema;
  }
  return out;
}

/** Reports schema types that are neither primitive nor a known data type. */
export function checkSchemaTypes(
  ctx: ParseContext,
  section: Section,
  name: string,
  rest: PathSegments,
  schemas: Record<string, PropertySchema>,
  dataTypes: Record<string, DataType>,
): void {
  for (const [prop, schema] of Object.entries(schemas)) {
    if (schema.type !== undefined && !PRIMITIVES.has(schema.type) && !has(dataTypes, schema.type)) {
      ctx.report(
        'unknown_type',
        section,
        name,
        [...rest, prop, 'type'],
        `Property '${prop}' has unknown type '${schema.type}' (use string, integer, float, boolean or a data type)`,
      );
    }
  }
}

/**
 * The checked value (data-type defaults applied) of a schema's default, per schema object (so
 * per parse: schemas are parsed anew for each blueprint). Each use gets its own copy.
 */
const checkedDefaults = new WeakMap<PropertySchema, { value: unknown }>();

/** Where property values are checked, for messages and locations. */
export interface ValueSite {
  section: Section;
  name: string;
  rest: PathSegments;
  /** e.g. "node template vm". */
  label: string;
}

/**
 * Applies schemas to values: defaults filled in, unknown properties, missing required ones and
 * type mismatches reported. Returns a new mapping (inputs are never mutated).
 */
export function applySchemas(
  ctx: ParseContext,
  schemas: Record<string, PropertySchema>,
  values: Mapping,
  site: ValueSite,
  dataTypes: Record<string, DataType>,
): Mapping {
  const out: Mapping = {};
  for (const key of Object.keys(values)) {
    if (!has(schemas, key)) {
      ctx.report(
        'unknown_property',
        site.section,
        site.name,
        [...site.rest, key],
        `${site.label}: '${key}' is not a property of its type (known: ${Object.keys(schemas).join(', ') || 'none'})`,
        true,
      );
    }
  }
  for (const [prop, schema] of Object.entries(schemas)) {
    const given = has(values, prop);
    if (!given) {
      const defaulted = checkedDefaults.get(schema);
      if (defaulted !== undefined) {
        out[prop] = cloneData(defaulted.value);
        continue;
      }
    }
    let value = given ? values[prop] : cloneData(schema.default);
    const dataType = schema.type !== undefined ? dataTypes[schema.type] : undefined;
    if (dataType && schema.hasDefault && given && isMapping(schema.default) && isMapping(value))
      value = { ...cloneData(schema.default), ...value };
    if (!given && !schema.hasDefault) {
      if (dataType) value = {};
      else {
        if (schema.required) {
          ctx.report(
            'missing_required_property',
            site.section,
            site.name,
            site.rest,
            `${site.label}: missing required property '${prop}'`,
          );
        }
        continue;
      }
    }
    const reported = ctx.diag.items.length;
    out[prop] = checkValue(
      ctx,
      schema,
      value,
      { ...site, rest: [...site.rest, prop], label: `${site.label}: property '${prop}'` },
      dataTypes,
      given,
    );
    // A default that checked cleanly gives the same value for every template of the type.
    if (!given && ctx.diag.items.length === reported)
      checkedDefaults.set(schema, { value: cloneData(out[prop]) });
  }
  // Unknown properties are kept (after the error) so functions referencing them still resolve.
  for (const key of Object.keys(values))
    if (!has(out, key) && !has(schemas, key)) out[key] = values[key];
  return out;
}

function checkValue(
  ctx: ParseContext,
  schema: PropertySchema,
  value: unknown,
  site: ValueSite,
  dataTypes: Record<string, DataType>,
  given: boolean,
): unknown {
  if (schema.type === undefined || value === null || value === undefined || isFunctionCall(value))
    return value;
  const dataType = dataTypes[schema.type];
  if (dataType) {
    if (!isMapping(value)) {
      report(ctx, site, `expected a ${schema.type} mapping, got ${kindOf(value)}`, given);
      return value;
    }
    return applySchemas(ctx, dataType.properties, value, site, dataTypes);
  }
  if (!matchesPrimitive(schema.type, value))
    report(
      ctx,
      site,
      `expected ${schema.type}, got ${kindOf(value)} ${JSON.stringify(value)}`,
      given,
    );
  return value;
}

function report(ctx: ParseContext, site: ValueSite, message: string, given: boolean): void {
  ctx.report(
    'bad_property_type',
    site.section,
    site.name,
    given ? site.rest : site.rest.slice(0, -1),
    `${site.label}: ${message}`,
  );
}

/** True when `value` fits a primitive DSL type (string, integer, float, boolean). */
export function matchesPrimitive(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}
