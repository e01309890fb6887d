/**
 * The fast YAML path returns exactly what the `yaml` library returns, on every YAML file we
 * have (fixtures, shipped types, examples, the benchmark's blueprints) and on tricky snippets;
 * outside its subset it declines (and the library is used).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadYaml, loadYamlFast, loadYamlSlow } from '../../src/dsl/yaml-source.js';
import { generateBlueprint } from '../../bench/dsl.js';
import { fixturesDir, hasFixtures, repoRoot } from './helpers.js';

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

function same(text: string, label: string): boolean {
  const fast = loadYamlFast(text);
  if (fast === undefined) return false;
  assert.deepStrictEqual(fast, loadYamlSlow(text), label);
  return true;
}

test('shipped types, examples and benchmark blueprints: fast path used and identical', () => {
  const files = [
    ...yamlFiles(join(repoRoot, 'resources', 'dsl')),
    ...yamlFiles(join(repoRoot, 'examples')),
  ];
  assert.ok(files.length >= 6);
  for (const f of files) assert.ok(same(readFileSync(f, 'utf8'), f), `fast path declined ${f}`);
  assert.ok(same(generateBlueprint(200), 'bench blueprint'));
});

test(
  'fixture YAML files: identical whenever the fast path accepts them',
  { skip: hasFixtures ? false : `no fixtures at ${fixturesDir}` },
  () => {
    let accepted = 0;
    const files = yamlFiles(fixturesDir);
    for (const f of files) if (same(readFileSync(f, 'utf8'), f)) accepted++;
    assert.ok(accepted >= files.length / 2, `fast path accepted ${accepted} of ${files.length}`);
  },
);

const snippets = [
  'a: 1\nb: -2\nc: 0x1f\nd: 0777\ne: 1.5\nf: .inf\ng: 1e3\nh: 1_000\ni: 12:30\n',
  'a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: ~\nh: null\ni:\nj: True\n',
  'a: 2015-12-01\nb: "2015-12-01"\nc: 10.67.79.0/24\nd: http://x.org/a:b\ne: a#b\nf: a #comment\n',
  'a: \'it\'\'s\'\nb: "tab\\there \\u00e9 \\"q\\""\nc: \'\'\nd: ""\n',
  'list:\n- a\n- b\nnext:\n  - { x: 1, y: [1, 2, {z: ~}] }\n  - [a, "b, c", \'d\']\n  -\n    k: v\n  - k1: v1\n    k2: v2\n',
  'base: &b { x: 1, y: 2 }\nother:\n  <<: *b\n  y: 3\nmulti:\n  <<: [*b, { z: 4 }]\n  x: 0\nref: *b\n',
  'anchored: &a\n  deep:\n    - 1\n    - &c two\nalias: *a\nc: *c\n',
  'f: >\n  folded\n  text\n\n  para\nl: |\n  line 1\n    indented\n  line 3\ns: |-\n  strip\nk: >+\n  keep\n\nz: 1\n',
  'flow: { a: [1, 2,\n    3], b: { c: d }, # comment\n  e: f }\ndone: true\n',
  '---\nkey: value\n',
  '"quoted key": 1\n\'single\': 2\n1: one\ntrue: t\n',
  'a:\n  b:\n    c: 1\n  d: 2\ne: 3\n',
  '# only a comment\n',
  '',
  '{}\n',
  'empty_map: {}\nempty_list: []\nnull_item:\n  -\n  - x\n',
  'dup: 1\ndup: 2\n',
];

test('tricky snippets: identical to the library (or declined)', () => {
  let accepted = 0;
  snippets.forEach((text, i) => {
    if (same(text, `snippet ${i}: ${text}`)) accepted++;
  });
  assert.ok(accepted >= snippets.length - 2, `accepted ${accepted} of ${snippets.length}`);
});

test('outside the subset the library is used: syntax errors still have positions', () => {
  for (const text of [
    'a: b: c\n',
    'a:\n\tb: 1\n',
    'a: !custom x\n',
    'a: [1, 2\n',
    'key: plain\n  continued\n',
    '? complex\n: value\n',
  ]) {
    assert.equal(loadYamlFast(text), undefined, text);
  }
  const bad = loadYaml('a: 1\nb: [1, 2\n', 'x.yaml');
  assert.ok(bad.errors.length > 0);
  assert.equal(loadYaml('a: plain\n  continued\n', 'y.yaml').value !== undefined, true);
  assert.deepEqual(loadYaml('a: plain\n  continued\n', 'y.yaml').value, { a: 'plain continued' });
});

test('positions are available for values parsed by the fast path', () => {
  const src = loadYaml('a:\n  b:\n    - x\n    - y: 1\n', 'z.yaml');
  assert.deepEqual(src.locate(['a', 'b', 1, 'y'], false), { line: 4, column: 10 });
  assert.deepEqual(src.locate(['a', 'b'], true), { line: 2, column: 3 });
});
