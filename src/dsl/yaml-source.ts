/**
 * YAML text -> plain data, keeping the document so a diagnostic path can be turned into a
 * line and column later (only when a diagnostic is reported, so valid blueprints pay nothing).
 * PyYAML semantics as Cloudify used them: YAML 1.1 scalars, merge keys (`<<`), anchors.
 */
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { PathSegments } from './diagnostics.js';
import { fastParse, plainResolver, Unsupported } from './fast-yaml.js';

/** A parsed YAML file. */
export interface YamlSource {
  file: string;
  /** The data (null for an empty file). */
  value: unknown;
  /** Syntax errors, 1-based positions. */
  errors: { message: string; line: number; column: number }[];
  /** 1-based position of the node at `path` (or of its key), or of the nearest ancestor found. */
  locate(path: PathSegments, key: boolean): { line: number; column: number };
}

type YamlTag = { tag: string; test?: RegExp };
const BOOL = 'tag:yaml.org,2002:bool';
/** PyYAML's booleans: YAML 1.1 without `y`/`n` (PyYAML reads those as strings). */
const pyBool = (value: boolean, test: RegExp) => ({
  identify: (v: unknown) => v === value,
  default: true,
  tag: BOOL,
  test,
  resolve: () => value,
});
/** YAML 1.1 as PyYAML reads it: no timestamps (kept as strings), PyYAML's booleans. */
const pyYamlTags = (tags: YamlTag[]): unknown[] => [
  pyBool(true, /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/),
  pyBool(false, /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/),
  ...tags.filter((t) => !t.tag.endsWith(':timestamp') && t.tag !== BOOL),
];

/** The document model, for positions (built on demand when the fast path was used). */
function parseDoc(text: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    version: '1.1',
    merge: true,
    uniqueKeys: false, // PyYAML keeps the last of duplicate keys; so does Cloudify
    prettyErrors: false,
    customTags: pyYamlTags as never,
  });
  return { doc, lineCounter };
}

let resolvePlain: ((text: string) => unknown) | null = null;

/** Parses YAML text. Never throws: syntax problems are in `errors`. */
export function loadYaml(text: string, file: string): YamlSource {
  resolvePlain ??= plainResolver(pyYamlTags);
  let parsed: { doc: Document; lineCounter: LineCounter } | null = null;
  const model = (): { doc: Document; lineCounter: LineCounter } => (parsed ??= parseDoc(text));
  try {
    const value = fastParse(text, resolvePlain);
    return {
      file,
      value,
      errors: [],
      locate: (path, key) => locateIn(model().doc, model().lineCounter, path, key),
    };
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
  }
  const { doc, lineCounter } = model();
  const errors = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { message: e.message.split('\n')[0] ?? e.message, line: pos.line, column: pos.col };
  });
  let value: unknown = null;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: -1 });
    } catch (error) {
      errors.push({
        message: error instanceof Error ? error.message : String(error),
        line: 1,
        column: 1,
      });
    }
  }
  return {
    file,
    value,
    errors,
    locate: (path, key) => locateIn(doc, lineCounter, path, key),
  };
}

/** The `yaml` library's result for `text` (used by tests to check the fast path). */
export function loadYamlSlow(text: string): unknown {
  const { doc } = parseDoc(text);
  return doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: -1 });
}

/** The fast path's result, or undefined when `text` is outside its subset. */
export function loadYamlFast(text: string): unknown {
  resolvePlain ??= plainResolver(pyYamlTags);
  try {
    return fastParse(text, resolvePlain);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function findPair(doc: Document, map: YAMLMap, segment: string): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) {
      const k = isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (!index.has(k)) index.set(k, item);
    }
    pairIndex.set(map, index);
  }
  const direct = index.get(segment);
  if (direct) return direct;
  // Merge keys: look into the merged mappings.
  const merge = index.get('<<');
  if (merge) {
    const sources = isSeq(merge.value) ? merge.value.items : [merge.value];
    for (const source of sources) {
      const resolved = isAlias(source) ? source.resolve(doc) : source;
      if (isMap(resolved)) {
        const found = findPair(doc, resolved, segment);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function locateIn(
  doc: Document,
  lineCounter: LineCounter,
  path: PathSegments,
  key: boolean,
): { line: number; column: number } {
  let node: unknown = doc.contents;
  let best: { range?: [number, number, number] | null } | null = isNodeWithRange(node)
    ? node
    : null;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i]!;
    let next: unknown;
    const parent: unknown = node;
    let parentPair: Pair | undefined;
    if (isMap(node)) {
      const pair = findPair(doc, node, String(segment));
      if (!pair) break;
      parentPair = pair;
      if (i === path.length - 1 && key && isNodeWithRange(pair.key)) {
        best = pair.key;
        break;
      }
      next = pair.value ?? pair.key;
      if (next === null && isNodeWithRange(pair.key)) best = pair.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    } else break;
    if (isPair(next)) next = next.value;
    if (!next) break;
    node = next;
    if (isNodeWithRange(node)) best = node;
    // A block collection starts on the line after its key: point at the key instead.
    if (
      i === path.length - 1 &&
      (isMap(node) || isSeq(node)) &&
      isMap(parent) &&
      parentPair &&
      isNodeWithRange(parentPair.key)
    )
      best = parentPair.key;
  }
  const offset = best?.range?.[0] ?? 0;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function isNodeWithRange(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}
