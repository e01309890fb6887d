/**
 * A fast reader for the block-YAML subset blueprints use (block mappings and sequences, flow
 * collections, quoted and plain scalars, `|`/`>` block scalars, anchors, aliases, merge keys,
 * comments). It returns exactly what the `yaml` library returns for the same text, scalars
 * resolved with the library's own YAML 1.1 tags; anything outside the subset throws
 * {@link Unsupported} and the caller falls back to the library. The `yaml` library composes a
 * full document model first, which costs ~10x more on large blueprints.
 */
import { Document, isScalar } from 'yaml';

/** Thrown for constructs outside the subset (the caller then uses the `yaml` library). */
export class Unsupported extends Error {}

type Tag = {
  default?: boolean | 'key';
  test?: RegExp;
  resolve: (s: string, onError: (m: string) => void, o: unknown) => unknown;
};

/** Resolves plain scalars with a schema's tags, exactly as the library's composer does. */
export function plainResolver(customTags: unknown): (text: string) => unknown {
  const doc = new Document(null, { version: '1.1', customTags: customTags as never });
  const tags = (doc.schema.tags as unknown as Tag[]).filter((t) => t.default === true && t.test);
  const options = doc.options;
  const fail = (): never => {
    throw new Unsupported('scalar');
  };
  const cache = new Map<string, unknown>();
  return (text) => {
    if (cache.has(text)) return cache.get(text);
    const tag = tags.find((t) => t.test!.test(text));
    let value: unknown = text;
    if (tag) {
      const res = tag.resolve(text, fail, options);
      value = isScalar(res) ? res.value : res;
    }
    if (typeof value === 'object' && value !== null) throw new Unsupported('non-plain scalar');
    if (cache.size < 10_000) cache.set(text, value);
    return value;
  };
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  '/': '/',
  '0': '\0',
  ' ': ' ',
  e: '\x1b',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** Parses `text` (one document). Throws {@link Unsupported} outside the subset. */
export function fastParse(text: string, resolvePlain: (s: string) => unknown): unknown {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff)
    throw new Unsupported('tabs, CR or BOM');
  return new Reader(text, resolvePlain).document();
}

class Reader {
  pos = 0;
  readonly anchors = new Map<string, unknown>();
  constructor(
    readonly s: string,
    readonly plain: (s: string) => unknown,
  ) {}

  document(): unknown {
    this.skipBlank();
    if (this.s.startsWith('---', this.pos)) {
      const after = this.s[this.pos + 3];
      if (after === undefined || after === '\n' || after === ' ') {
        this.pos += 3;
        this.restOfLine();
        this.skipBlank();
      }
    }
    if (this.pos >= this.s.length) return null;
    const indent = this.column();
    const value = this.block(indent);
    this.skipBlank();
    if (this.pos < this.s.length) throw new Unsupported('trailing content');
    return value;
  }

  column(): number {
    return this.pos - (this.s.lastIndexOf('\n', this.pos - 1) + 1);
  }

  /** Skips blank lines, comment lines and indentation; stops at the first content char. */
  skipBlank(): void {
    const s = this.s;
    for (;;) {
      while (s[this.pos] === ' ') this.pos++;
      const c = s[this.pos];
      if (c === '#') {
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? s.length : nl + 1;
      } else if (c === '\n') this.pos++;
      else return;
    }
  }

  /** After a value on a line: only spaces and a comment may follow. */
  restOfLine(): void {
    const s = this.s;
    while (s[this.pos] === ' ') this.pos++;
    const c = s[this.pos];
    if (c === undefined) return;
    if (c === '#' && (s[this.pos - 1] === ' ' || s[this.pos - 1] === '\n')) {
      const nl = s.indexOf('\n', this.pos);
      this.pos = nl < 0 ? s.length : nl + 1;
      return;
    }
    if (c === '\n') {
      this.pos++;
      return;
    }
    throw new Unsupported('content after value');
  }

  /** A block node whose first content char is at the current position, at column `indent`. */
  block(indent: number): unknown {
    const s = this.s;
    const c = s[this.pos];
    if (
      c === '-' &&
      (s[this.pos + 1] === ' ' || s[this.pos + 1] === '\n' || s[this.pos + 1] === undefined)
    )
      return this.sequence(indent);
    if (c === '{' || c === '[') {
      const v = this.flow();
      this.restOfLine();
      return v;
    }
    return this.mapping(indent);
  }

  sequence(indent: number): unknown[] {
    const s = this.s;
    const out: unknown[] = [];
    for (;;) {
      this.pos++; // '-'
      while (s[this.pos] === ' ') this.pos++;
      out.push(this.value(indent, true));
      this.skipBlank();
      if (this.pos >= s.length) return out;
      const col = this.column();
      if (col < indent) return out;
      if (col > indent) throw new Unsupported('bad sequence indentation');
      if (
        s[this.pos] !== '-' ||
        !(s[this.pos + 1] === ' ' || s[this.pos + 1] === '\n' || s[this.pos + 1] === undefined)
      )
        return out;
    }
  }

  mapping(indent: number): Record<string, unknown> {
    const s = this.s;
    const out: Record<string, unknown> = {};
    for (;;) {
      const { key, merge } = this.key();
      const value = this.value(indent, false);
      if (merge) this.merge(out, value);
      else out[key] = value;
      this.skipBlank();
      if (this.pos >= s.length) return out;
      const col = this.column();
      if (col < indent) return out;
      if (col > indent) throw new Unsupported('bad mapping indentation');
      if (s[this.pos] === '-' && (s[this.pos + 1] === ' ' || s[this.pos + 1] === '\n')) return out; // a parent's sequence at the same indentation
    }
  }

  merge(out: Record<string, unknown>, value: unknown): void {
    const sources: unknown[] = Array.isArray(value) ? value : [value];
    for (const source of sources) {
      if (typeof source !== 'object' || source === null || Array.isArray(source))
        throw new Unsupported('merge of a non-mapping');
      const map = source as Record<string, unknown>;
      for (const k of Object.keys(map))
        if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = map[k];
    }
  }

  /** Reads `key:` (plain or quoted), leaving the position after the colon. */
  key(): { key: string; merge: boolean } {
    const s = this.s;
    const c = s[this.pos];
    let key: unknown;
    let isMerge = false;
    if (c === '"' || c === "'") {
      key = this.quoted();
      while (s[this.pos] === ' ') this.pos++;
      if (s[this.pos] !== ':') throw new Unsupported('quoted key without colon');
      this.pos++;
    } else {
      if (c === undefined || '?!&*|>%@`{[]},#'.includes(c)) throw new Unsupported('key indicator');
      let end = this.pos;
      for (;;) {
        const ch = s[end];
        if (ch === undefined || ch === '\n') throw new Unsupported('not a key');
        if (ch === ':' && (s[end + 1] === ' ' || s[end + 1] === '\n' || s[end + 1] === undefined))
          break;
        if (ch === '#' && s[end - 1] === ' ') throw new Unsupported('comment in key');
        end++;
      }
      const raw = s.slice(this.pos, end).trimEnd();
      this.pos = end + 1;
      if (raw === '<<') isMerge = true;
      key = this.plain(raw);
    }
    return { key: scalarKey(key), merge: isMerge };
  }

  /** The value after `key:` or `- `, on this line or as a nested block. */
  value(indent: number, inSequence: boolean): unknown {
    const s = this.s;
    while (s[this.pos] === ' ') this.pos++;
    let anchor: string | null = null;
    if (s[this.pos] === '&') {
      anchor = this.name();
      while (s[this.pos] === ' ') this.pos++;
    }
    const c = s[this.pos];
    let value: unknown;
    if (c === undefined || c === '\n' || (c === '#' && s[this.pos - 1] === ' ')) {
      this.restOfLine();
      this.skipBlank();
      const col = this.pos < s.length ? this.column() : -1;
      const seqHere = s[this.pos] === '-' && (s[this.pos + 1] === ' ' || s[this.pos + 1] === '\n');
      if (col > indent || (col === indent && seqHere && !inSequence)) value = this.block(col);
      else value = null;
    } else if (c === '*') {
      const name = this.name();
      if (!this.anchors.has(name)) throw new Unsupported('unknown alias');
      value = this.anchors.get(name);
      this.restOfLine();
    } else if (c === '{' || c === '[') {
      value = this.flow();
      this.restOfLine();
    } else if (c === '"' || c === "'") {
      value = this.quoted();
      this.restOfLine();
    } else if (c === '|' || c === '>') {
      value = this.blockScalar(indent, inSequence);
    } else if (inSequence && this.looksLikeKey()) {
      value = this.mapping(this.column());
    } else if (inSequence && c === '-' && (s[this.pos + 1] === ' ' || s[this.pos + 1] === '\n')) {
      throw new Unsupported('nested inline sequence');
    } else {
      value = this.plainValue(indent);
    }
    if (anchor !== null) this.anchors.set(anchor, value);
    return value;
  }

  looksLikeKey(): boolean {
    const s = this.s;
    if (s[this.pos] === '"' || s[this.pos] === "'") {
      const save = this.pos;
      try {
        this.quoted();
        while (s[this.pos] === ' ') this.pos++;
        return s[this.pos] === ':';
      } finally {
        this.pos = save;
      }
    }
    for (let i = this.pos; i < s.length && s[i] !== '\n'; i++) {
      if (s[i] === '#' && s[i - 1] === ' ') return false;
      if (s[i] === ':' && (s[i + 1] === ' ' || s[i + 1] === '\n' || s[i + 1] === undefined))
        return true;
    }
    return false;
  }

  name(): string {
    const s = this.s;
    const start = ++this.pos;
    while (this.pos < s.length && !' \n,[]{}'.includes(s[this.pos]!)) this.pos++;
    if (this.pos === start) throw new Unsupported('empty anchor');
    return s.slice(start, this.pos);
  }

  /** A plain scalar in block context: the rest of the line (no continuation lines). */
  plainValue(indent: number): unknown {
    const s = this.s;
    const c = s[this.pos]!;
    if (
      '!%@`'.includes(c) ||
      ((c === '?' || c === ':') && (s[this.pos + 1] === ' ' || s[this.pos + 1] === '\n'))
    )
      throw new Unsupported('indicator');
    let end = this.pos;
    while (end < s.length && s[end] !== '\n') {
      if (s[end] === '#' && s[end - 1] === ' ') break;
      if (s[end] === ':' && (s[end + 1] === ' ' || s[end + 1] === '\n' || s[end + 1] === undefined))
        throw new Unsupported('mapping in a plain scalar');
      end++;
    }
    const raw = s.slice(this.pos, end).trimEnd();
    this.pos = end;
    this.restOfLine();
    // A more indented line right after would continue this scalar: not in the subset.
    const save = this.pos;
    this.skipBlank();
    if (this.pos < s.length && this.column() > indent)
      throw new Unsupported('multi-line plain scalar');
    this.pos = save;
    return this.plain(raw);
  }

  quoted(): string {
    const s = this.s;
    const q = s[this.pos];
    let out = '';
    let i = this.pos + 1;
    for (;;) {
      const ch = s[i];
      if (ch === undefined || ch === '\n') throw new Unsupported('multi-line quoted scalar');
      if (q === "'") {
        if (ch === "'") {
          if (s[i + 1] === "'") {
            out += "'";
            i += 2;
            continue;
          }
          break;
        }
        out += ch;
        i++;
      } else {
        if (ch === '"') break;
        if (ch === '\\') {
          const e = s[i + 1]!;
          if (e === 'x' || e === 'u' || e === 'U') {
            const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
            const hex = s.slice(i + 2, i + 2 + len);
            if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len)
              throw new Unsupported('bad escape');
            out += String.fromCodePoint(parseInt(hex, 16));
            i += 2 + len;
            continue;
          }
          const mapped = ESCAPES[e];
          if (mapped === undefined) throw new Unsupported('escape');
          out += mapped;
          i += 2;
          continue;
        }
        out += ch;
        i++;
      }
    }
    this.pos = i + 1;
    return out;
  }

  /** `|` or `>` block scalar (clip/strip/keep chomping; no explicit indentation indicator). */
  blockScalar(indent: number, inSequence: boolean): string {
    const s = this.s;
    const folded = s[this.pos] === '>';
    this.pos++;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    if (s[this.pos] === '-') chomp = 'strip';
    else if (s[this.pos] === '+') chomp = 'keep';
    if (chomp !== 'clip') this.pos++;
    this.restOfLine();
    const lines: string[] = [];
    let contentIndent = -1;
    const minIndent = inSequence ? indent + 1 : indent + 1;
    while (this.pos < s.length) {
      const nl = s.indexOf('\n', this.pos);
      const lineEnd = nl < 0 ? s.length : nl;
      const line = s.slice(this.pos, lineEnd);
      const spaces = line.length - line.trimStart().length;
      if (line.trim() === '') {
        if (contentIndent >= 0 && spaces > contentIndent)
          throw new Unsupported('whitespace line in block scalar');
        lines.push('');
      } else {
        if (contentIndent < 0) {
          if (spaces < minIndent) break;
          if (lines.length > 0) throw new Unsupported('leading blank lines in block scalar');
          contentIndent = spaces;
        } else if (spaces < contentIndent) break;
        if (folded && spaces > contentIndent) throw new Unsupported('more-indented folded line');
        lines.push(line.slice(contentIndent));
      }
      this.pos = nl < 0 ? s.length : nl + 1;
    }
    // Trailing blank lines belong to the scalar only for chomping; give them back otherwise.
    let trailing = 0;
    while (lines.length > 0 && lines[lines.length - 1] === '') {
      lines.pop();
      trailing++;
    }
    if (this.pos >= s.length && trailing > 0 && !s.endsWith('\n'))
      throw new Unsupported('block scalar at end of file');
    let body: string;
    if (folded) {
      body = '';
      let blanks = -1;
      for (const line of lines) {
        if (line === '') {
          blanks++;
          continue;
        }
        if (body !== '' || blanks > 0)
          body += blanks > 0 ? '\n'.repeat(blanks) : blanks === 0 ? ' ' : '';
        body += line;
        blanks = 0;
      }
    } else body = lines.join('\n');
    if (lines.length === 0) return chomp === 'keep' ? '\n'.repeat(trailing) : '';
    if (chomp === 'strip') return body;
    if (chomp === 'keep') return `${body}\n${'\n'.repeat(trailing)}`;
    return `${body}\n`;
  }

  /** A flow collection, possibly over several lines. */
  flow(): unknown {
    const s = this.s;
    const open = s[this.pos];
    this.pos++;
    const close = open === '{' ? '}' : ']';
    const map: Record<string, unknown> = {};
    const seq: unknown[] = [];
    for (;;) {
      this.flowSpace();
      if (s[this.pos] === close) {
        this.pos++;
        return open === '{' ? map : seq;
      }
      if (open === '{') {
        const keyNode = this.flowScalarOrCollection(true);
        if (typeof keyNode === 'object' && keyNode !== null) throw new Unsupported('complex key');
        const isMerge = keyNode === FLOW_MERGE;
        const key = isMerge ? '<<' : scalarKey(keyNode);
        this.flowSpace();
        let value: unknown = null;
        if (s[this.pos] === ':') {
          this.pos++;
          this.flowSpace();
          if (s[this.pos] !== ',' && s[this.pos] !== '}')
            value = this.flowScalarOrCollection(false);
        }
        if (isMerge) this.merge(map, value);
        else map[key] = value;
      } else {
        const item = this.flowScalarOrCollection(false);
        this.flowSpace();
        if (s[this.pos] === ':') throw new Unsupported('pair in flow sequence');
        seq.push(item);
      }
      this.flowSpace();
      if (s[this.pos] === ',') this.pos++;
      else if (s[this.pos] !== close) throw new Unsupported('flow separator');
    }
  }

  flowSpace(): void {
    const s = this.s;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\n') this.pos++;
      else if (c === '#' && (s[this.pos - 1] === ' ' || s[this.pos - 1] === '\n')) {
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? s.length : nl;
      } else return;
    }
  }

  flowScalarOrCollection(isKey: boolean): unknown {
    const s = this.s;
    let anchor: string | null = null;
    if (s[this.pos] === '&') {
      anchor = this.name();
      this.flowSpace();
    }
    const c = s[this.pos];
    let value: unknown;
    if (c === '{' || c === '[') value = this.flow();
    else if (c === '"' || c === "'") value = this.quoted();
    else if (c === '*') {
      const name = this.name();
      if (!this.anchors.has(name)) throw new Unsupported('unknown alias');
      value = this.anchors.get(name);
    } else {
      if (c === undefined || '!%@`|>,]}#'.includes(c)) throw new Unsupported('flow indicator');
      let end = this.pos;
      for (;;) {
        const ch = s[end];
        if (ch === undefined) throw new Unsupported('unterminated flow');
        if (ch === ',' || ch === ']' || ch === '}' || ch === '\n' || ch === '[' || ch === '{')
          break;
        if (
          ch === ':' &&
          (s[end + 1] === ' ' ||
            s[end + 1] === '\n' ||
            s[end + 1] === ',' ||
            s[end + 1] === '}' ||
            s[end + 1] === ']')
        )
          break;
        if (ch === '#' && s[end - 1] === ' ') break;
        end++;
      }
      const raw = s.slice(this.pos, end).trim();
      this.pos = end;
      if (s[end] === '\n') {
        this.flowSpace();
        if (!',]}:'.includes(s[this.pos] ?? '')) throw new Unsupported('multi-line flow scalar');
      }
      if (raw === '') throw new Unsupported('empty flow scalar');
      value = isKey && raw === '<<' ? FLOW_MERGE : this.plain(raw);
    }
    if (anchor !== null) this.anchors.set(anchor, value);
    return value;
  }
}

const FLOW_MERGE = Symbol('merge');

/** A scalar key as the library's toJS turns it into an object key. */
function scalarKey(key: unknown): string {
  if (key === null || key === undefined) return '';
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint')
    return String(key);
  throw new Unsupported('complex key');
}
