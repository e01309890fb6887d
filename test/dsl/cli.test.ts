/** `cfy blueprints validate|plan` through main() with a capturing Output; the -i parser. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { parseInputs } from '../../src/cli/inputs.js';
import { HEAD, fixturesDir, repoRoot, skipFixtures } from './helpers.js';

async function cfy(...args: string[]): Promise<{
  code: number;
  stdout: string[];
  stderr: string[];
  json: unknown[];
  tables: unknown[][][];
}> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const json: unknown[] = [];
  const tables: unknown[][][] = [];
  const output: Output = {
    info: (l) => void stdout.push(l),
    warn: (l) => void stderr.push(l),
    json: (v) => void json.push(v),
    table: (_t, _c, rows) => void tables.push(rows),
  };
  const code = await main(['node', 'cfy', ...args], output);
  return { code, stdout, stderr, json, tables };
}

const dir = mkdtempSync(join(tmpdir(), 'rekindle-dsl-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const bad = join(dir, 'bad.yaml');
writeFileSync(
  bad,
  `${HEAD}node_templates:\n  vm:\n    type: cloudify.nodes.Computer\n  app:\n    type: cloudify.nodes.WebServer\n    properties: { port: { get_input: nope } }\n`,
);
const example = join(repoRoot, 'examples', 'single-host-web-db', 'blueprint.yaml');

test('validate: a valid blueprint', async () => {
  const r = await cfy('blueprints', 'validate', '-p', example);
  assert.equal(r.code, 0);
  assert.ok(r.stdout.includes('Blueprint validated successfully'));
});

test('validate: every diagnostic as file:line:column, exit 1', async () => {
  const r = await cfy('blueprints', 'validate', '-p', bad);
  assert.equal(r.code, 1);
  assert.ok(
    r.stderr.some(
      (l) => l.startsWith(`${bad}:6:11: `) && l.includes("unknown type 'cloudify.nodes.Computer'"),
    ),
    r.stderr.join('\n'),
  );
  assert.ok(
    r.stderr.some((l) => l.startsWith(`${bad}:9:`) && l.includes("input 'nope'")),
    r.stderr.join('\n'),
  );
  assert.ok(r.stderr.some((l) => l.includes('2 errors')));
});

test('validate --json prints the diagnostics', async () => {
  const r = await cfy('blueprints', 'validate', '-p', bad, '--json');
  assert.equal(r.code, 1);
  const doc = r.json[0] as { valid: boolean; diagnostics: { code: string; line: number }[] };
  assert.equal(doc.valid, false);
  assert.deepEqual(
    doc.diagnostics.map((d) => [d.code, d.line]),
    [
      ['unknown_type', 6],
      ['unknown_input', 9],
    ],
  );
});

test('validate --import-mapping maps an unknown URL to a local file', async () => {
  const plugin = join(dir, 'my-plugin.yaml');
  writeFileSync(plugin, 'plugins:\n  mine: { executor: central_deployment_agent }\n');
  const mapping = join(dir, 'mapping.yaml');
  writeFileSync(mapping, 'http://example.com/my-plugin.yaml: my-plugin.yaml\n');
  const bp = join(dir, 'mapped.yaml');
  writeFileSync(
    bp,
    `${HEAD}  - http://example.com/my-plugin.yaml\nnode_templates:\n  vm:\n    type: cloudify.nodes.Compute\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create: mine.tasks.create\n`,
  );
  const without = await cfy('blueprints', 'validate', '-p', bp);
  assert.equal(without.code, 1);
  assert.ok(
    without.stderr.some(
      (l) => l.includes('--import-mapping') && l.includes('http://example.com/my-plugin.yaml'),
    ),
  );
  const withMapping = await cfy('blueprints', 'validate', '-p', bp, '--import-mapping', mapping);
  assert.equal(withMapping.code, 0, withMapping.stderr.join('\n'));
  const inline = await cfy(
    'blueprints',
    'validate',
    '-p',
    bp,
    '--import-mapping',
    `http://example.com/my-plugin.yaml=${plugin}`,
  );
  assert.equal(inline.code, 0, inline.stderr.join('\n'));
  const broken = await cfy(
    'blueprints',
    'validate',
    '-p',
    bp,
    '--import-mapping',
    join(dir, 'nope.yaml'),
  );
  assert.equal(broken.code, 1);
  assert.ok(broken.stderr.some((l) => l.includes('neither a file nor URL=path')));
});

test('plan: a table of instances with hosts and relationships; --seed is reproducible', async () => {
  const a = await cfy(
    'blueprints',
    'plan',
    '-p',
    example,
    '-i',
    'web_port=9000;db_name=x',
    '--seed',
    '3',
  );
  assert.equal(a.code, 0, a.stderr.join('\n'));
  const rows = a.tables[0]!;
  assert.deepEqual(
    rows.map((r) => r[1]),
    ['host', 'database', 'web'],
  );
  const host = rows[0]![0] as string;
  assert.ok(rows.every((r) => r[2] === host));
  assert.match(
    String(rows[2]![3]),
    /contained_in -> host_[0-9a-f]{5}\nconnected_to -> database_[0-9a-f]{5}/,
  );
  const b = await cfy(
    'blueprints',
    'plan',
    '-p',
    example,
    '-i',
    'web_port=9000;db_name=x',
    '--seed',
    '3',
  );
  assert.deepEqual(b.tables, a.tables);
});

test('plan --json prints the deployment model; bad inputs exit 1 with every problem', async () => {
  const r = await cfy('blueprints', 'plan', '-p', example, '--json', '-i', '{"web_port": 81}');
  assert.equal(r.code, 0);
  const model = r.json[0] as { inputs: Record<string, unknown>; nodeInstances: unknown[] };
  assert.equal(model.inputs.web_port, 81);
  assert.equal(model.nodeInstances.length, 3);
  const badInputs = await cfy(
    'blueprints',
    'plan',
    '-p',
    example,
    '-i',
    'web_port=eighty;colour=red',
  );
  assert.equal(badInputs.code, 1);
  assert.ok(
    badInputs.stderr.some(
      (l) =>
        l.includes("Unknown input 'colour'") &&
        l.includes("Input 'web_port' must be of type integer"),
    ),
    badInputs.stderr.join('\n'),
  );
});

test(
  'plan: the openstack manager blueprint with its inputs file',
  { skip: skipFixtures },
  async () => {
    const r = await cfy(
      'blueprints',
      'plan',
      '-p',
      join(fixturesDir, 'manager-blueprint', 'openstack-manager-blueprint.yaml'),
      '-i',
      join(fixturesDir, 'manager-blueprint', 'openstack-manager-blueprint-inputs.yaml'),
      '-i',
      'manager_public_key_name=kp;agent_public_key_name=akp',
    );
    assert.equal(r.code, 0, r.stderr.join('\n'));
    assert.equal(r.tables[0]!.length, 24);
  },
);

test('-i parser: files, YAML/JSON strings, k=v pairs, merging, errors', () => {
  const sub = join(dir, 'in');
  mkdirSync(sub, { recursive: true });
  const file = join(sub, 'inputs.yaml');
  writeFileSync(file, 'a: 1\nb: text\n');
  assert.deepEqual(parseInputs([file]), { a: 1, b: 'text' });
  assert.deepEqual(parseInputs('{"a": [1, 2]}'), { a: [1, 2] });
  assert.deepEqual(parseInputs('a: 2'), { a: 2 });
  assert.deepEqual(parseInputs('port=8080;flag=true;name=web;empty='), {
    port: 8080,
    flag: true,
    name: 'web',
    empty: '',
  });
  assert.deepEqual(parseInputs([file, 'a=3']), { a: 3, b: 'text' });
  assert.deepEqual(parseInputs(undefined), {});
  assert.throws(() => parseInputs('just text'), { code: 'invalid_inputs_error' });
  assert.throws(() => parseInputs('=x'), { code: 'invalid_inputs_error' });
});
