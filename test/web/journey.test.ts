/**
 * The operator's main journey in a real browser against a real manager: log in, upload a
 * blueprint (archive) and see its topology, create a deployment from the generated inputs form,
 * run install and watch its events arrive while it runs, see the node instances and outputs,
 * create and download a snapshot. A screenshot of each main page goes to test-output/web/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudifyTimestamp, type EventDocument } from '../../src/core/index.js';
import { gatedArchive } from './blueprints.js';
import { startWebFixture, type WebFixture } from './harness.js';

let web: WebFixture;
let gate: string;

before(async () => {
  web = await startWebFixture();
  gate = join(web.dataDir, 'gate');
});

after(async () => {
  await web?.close();
});

test('log in and see the overview: services, version, counts', async () => {
  await web.login();
  const { page } = web;
  await page.getByRole('cell', { name: 'Message broker' }).waitFor();
  assert.match(await page.getByTestId('version').innerText(), /^Rekindle \d+\.\d+\.\d+/);
  assert.equal(await page.getByTestId('count-blueprints').innerText(), '0');
  assert.equal(await page.getByTestId('latest-snapshot').innerText(), 'none yet');
  const states = await page.locator('td.state').allInnerTexts();
  assert.deepEqual(states, ['running', 'running', 'running', 'running']);
  await web.screenshot('overview');
});

test('upload a blueprint archive and see its topology graph', async () => {
  const { page } = web;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blueprints' }).click();
  await page.getByRole('heading', { name: 'Blueprints', level: 1 }).waitFor();
  await page.getByLabel('Blueprint file').setInputFiles({ name: 'webapp.tar.gz', mimeType: 'application/gzip', buffer: gatedArchive() });
  assert.equal(await page.getByLabel('Blueprint id').inputValue(), 'webapp', 'the id is proposed from the file name');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByRole('heading', { name: 'Blueprint webapp' }).waitFor();
  const graph = page.getByRole('img', { name: /Blueprint webapp: 3 node\(s\), 3 relationship\(s\)/ });
  await graph.waitFor();
  const names = await Promise.all((await page.locator('g.node').all()).map((n) => n.getAttribute('data-node')));
  assert.deepEqual(names.sort(), ['app', 'db', 'host']);
  assert.equal(await page.locator('.edge.contained').count(), 2);
  assert.equal(await page.locator('.edge.connected').count(), 1);
  await web.screenshot('blueprint');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blueprints' }).click();
  await page.getByRole('link', { name: 'webapp', exact: true }).waitFor();
  await web.screenshot('blueprints');
});

test('create a deployment with the inputs form generated from the blueprint', async () => {
  const { page } = web;
  await page.getByRole('link', { name: 'Deploy', exact: true }).click();
  await page.getByRole('heading', { name: 'Create a deployment' }).waitFor();
  assert.equal(await page.getByLabel('Blueprint', { exact: true }).inputValue(), 'webapp');
  // Both declared inputs get a field; greeting shows its default.
  await page.getByLabel('gate').waitFor();
  assert.equal(await page.getByLabel('greeting').inputValue(), 'hello');
  await page.getByLabel('Deployment id').fill('webapp-1');
  await page.getByLabel('gate').fill(gate);
  await page.getByRole('button', { name: 'Create deployment' }).click();
  await page.getByRole('heading', { name: 'Deployment webapp-1' }).waitFor();
  await page.getByRole('img', { name: /Deployment webapp-1: 3 node\(s\), 3 relationship\(s\)/ }).waitFor();
  const states = await page.locator('td.state').allInnerTexts();
  assert.deepEqual(states, ['uninitialized', 'uninitialized', 'uninitialized']);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deployments' }).click();
  await page.getByRole('link', { name: 'webapp-1' }).waitFor();
  await web.screenshot('deployments');
  await page.getByRole('link', { name: 'webapp-1' }).click();
  await page.getByRole('heading', { name: 'Deployment webapp-1' }).waitFor();
});

test('run install and watch its events arrive live, then filter them', async () => {
  const { page } = web;
  rmSync(gate, { force: true });
  assert.equal(await page.getByLabel('Workflow', { exact: true }).inputValue(), 'install');
  await page.getByRole('button', { name: 'Start install' }).click();
  await page.getByRole('heading', { name: /^Execution / }).waitFor();
  const log = page.getByRole('log', { name: 'Event lines' });
  // The create operation is blocked on the gate: this line can only be there while install runs.
  await log.getByText('INFO: waiting for gate').waitFor();
  assert.equal(await page.getByTestId('execution-status').innerText(), 'started');
  const executionId = (await page.getByRole('heading', { name: /^Execution / }).innerText()).replace('Execution ', '');
  const res = await fetch(`${web.url}/api/v2/executions/${executionId}`, { headers: { authorization: `Basic ${Buffer.from(`admin:${'web-admin-password'}`).toString('base64')}` } });
  assert.equal(((await res.json()) as { status: string }).status, 'started', 'still running when its first lines were on the page');
  await web.screenshot('execution-running');
  writeFileSync(gate, 'open');
  await log.getByText('INFO: gate opened').waitFor();
  await page.getByTestId('execution-status').getByText('terminated').waitFor();
  await log.getByText("'install' workflow execution succeeded").waitFor();
  const lines = await log.locator('.line').allInnerTexts();
  const waiting = lines.find((l) => l.includes('waiting for gate'));
  assert.match(waiting ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d LOG <webapp-1> \[app_[0-9a-f]{5}\.create\] INFO: waiting for gate$/);
  assert.ok(lines.some((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CFY <webapp-1> Starting 'install' workflow execution$/.test(l)), lines.join('\n'));
  await web.screenshot('execution');

  // Filters are applied by the manager: info logs only, then one node instance.
  await page.getByLabel('Level').selectOption('info');
  await log.getByText('INFO: gate opened').waitFor();
  await page.getByText(/complete · \d+ event\(s\)/).waitFor();
  const info = await log.locator('.line').allInnerTexts();
  assert.ok(info.length >= 2 && info.every((l) => l.includes(' LOG ') && l.includes('INFO: ')), info.join('\n'));
  await page.getByLabel('Level').selectOption('');
  const dbInstance = (await page.getByLabel('Node instance').locator('option').allInnerTexts()).find((o) => o.startsWith('db_'));
  assert.ok(dbInstance);
  await page.getByLabel('Node instance').selectOption(dbInstance);
  await page.getByText(/complete · \d+ event\(s\)/).waitFor();
  const dbLines = await log.locator('.line').allInnerTexts();
  assert.ok(dbLines.length > 0 && dbLines.every((l) => l.includes(`[${dbInstance}`)), dbLines.join('\n'));
});

test('the deployment shows node instances started, runtime properties and outputs', async () => {
  const { page } = web;
  await page.getByRole('link', { name: 'webapp-1' }).first().click();
  await page.getByRole('heading', { name: 'Deployment webapp-1' }).waitFor();
  await page.getByText('"said": "hello from the web"').first().waitFor();
  assert.deepEqual(await page.locator('td.state').allInnerTexts(), ['started', 'started', 'started']);
  const outputs = await page.getByLabel('Deployment outputs').innerText();
  assert.deepEqual(JSON.parse(outputs), { said: 'hello from the web' });
  await web.screenshot('deployment');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Executions' }).click();
  await page.getByRole('cell', { name: 'terminated' }).waitFor();
  await web.screenshot('executions');
});

test('a long event stream opens at its newest 1,000 lines', async () => {
  const { page, manager } = web;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Executions' }).click();
  await page.getByRole('cell', { name: 'terminated' }).waitFor();
  const link = page.getByRole('link', { name: /^[0-9a-f-]{36}$/ }).first();
  const executionId = await link.innerText();
  const before = (await manager.services.ctx.store.events.list({ context: { execution_id: executionId }, types: [], levels: [], offset: 0, size: 1 })).total;
  const extra = 5000;
  const start = Date.now();
  const docs: EventDocument[] = Array.from({ length: extra }, (_, i) => ({
    type: 'cloudify_log', logger: 'bulk', level: 'info', timestamp: cloudifyTimestamp(new Date(start + i)),
    '@timestamp': new Date(start + i).toISOString(), message: { text: `bulk line ${i}` },
    context: { deployment_id: 'webapp-1', execution_id: executionId, workflow_id: 'install' },
  }));
  await manager.services.ctx.store.events.append(docs);
  await link.click();
  const log = page.getByRole('log', { name: 'Event lines' });
  await log.getByText(`INFO: bulk line ${extra - 1}`).waitFor();
  await page.getByText(`complete · ${before + extra} event(s) · showing the last 1000`).waitFor();
  assert.equal(await log.locator('.line').count(), 1000);
  assert.match(await log.locator('.line').first().innerText(), new RegExp(`INFO: bulk line ${extra - 1000}$`));
});

test('create a snapshot, see it created with its size, download it', async () => {
  const { page } = web;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Snapshots' }).click();
  await page.getByLabel('Snapshot id').first().fill('snap-1');
  await page.getByRole('button', { name: 'Create snapshot' }).click();
  const row = page.locator('tr[data-snapshot="snap-1"]');
  await row.locator('td.status-created').waitFor();
  assert.match(await row.locator('td').nth(2).innerText(), /^\d+(\.\d)? (B|KiB|MiB)$/);
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download snap-1' }).click()]);
  assert.equal(download.suggestedFilename(), 'snap-1.zip');
  const saved = join(web.dataDir, 'downloaded.zip');
  await download.saveAs(saved);
  const bytes = readFileSync(saved);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip archive');
  await web.screenshot('snapshots');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
  await page.getByTestId('latest-snapshot').getByText(/snap-1 \(created\), created \d+ s ago/).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
  await page.getByRole('table', { name: 'Agents on managed hosts' }).waitFor();
  await web.screenshot('agents');
  assert.deepEqual(web.pageErrors, []);
});
