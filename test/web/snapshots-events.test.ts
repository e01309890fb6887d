/**
 * The event stream opens at the newest events and follows with the sequence cursor
 * (`_after_seq`, never a deep `_offset`); the snapshot Verify button shows an intact archive and
 * names the damaged entry of a corrupted one; a restore with force runs end to end from the
 * confirmation and the manager then holds what the dialog said.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudifyTimestamp, type EventDocument } from '../../src/core/index.js';
import { flipByteIn } from '../snapshots/helpers.js';
import { tinyBlueprint } from './blueprints.js';
import { adminPassword, startWebFixture, type WebFixture } from './harness.js';
import { firstStorageEntry } from '../snapshots/raw-zip.js';

let web: WebFixture;
const basic = `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`;

before(async () => {
  web = await startWebFixture();
  await web.login();
});

after(async () => {
  await web?.close();
});

async function rest(method: string, path: string, body?: string, type = 'application/json'): Promise<Response> {
  return fetch(`${web.url}/api/v2${path}`, { method, headers: { authorization: basic, ...(body === undefined ? {} : { 'content-type': type }) }, body });
}

function lines(executionId: string, from: number, count: number): EventDocument[] {
  const start = Date.now();
  return Array.from({ length: count }, (_, k) => ({
    type: 'cloudify_log', logger: 'follow', level: 'info', timestamp: cloudifyTimestamp(new Date(start + k)),
    '@timestamp': new Date(start + k).toISOString(), message: { text: `follow line ${from + k}` },
    context: { deployment_id: '', execution_id: executionId, workflow_id: 'follow_test' },
  }));
}


test('Verify shows an intact snapshot, and names the damaged entry of a corrupted one', async () => {
  const { page, manager } = web;
  assert.equal((await rest('PUT', '/blueprints/kept?application_file_name=tiny.yaml', tinyBlueprint, 'application/octet-stream')).status, 201);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Snapshots' }).click();
  for (const id of ['snap-a', 'snap-bad']) {
    await page.getByLabel('Snapshot id').first().fill(id);
    await page.getByRole('button', { name: 'Create snapshot' }).click();
    await page.locator(`tr[data-snapshot="${id}"] td.status-created`).waitFor();
  }
  await page.getByRole('button', { name: 'Verify snap-a' }).click();
  const result = page.getByTestId('verify-result');
  await result.getByText(/Intact: \d+ entries checked\. Rows: .*blueprints 1/).waitFor();
  assert.match(await result.getByRole('heading').innerText(), /Verify snap-a/);
  await web.screenshot('snapshot-verify');

  const path = manager.app.snapshots.files.archivePath('snap-bad');
  const entry = await firstStorageEntry(path);
  await flipByteIn(path, entry);
  await page.getByRole('button', { name: 'Verify snap-bad' }).click();
  const alert = page.getByTestId('verify-result').getByRole('alert');
  await alert.getByText(/Damaged: snapshot_(hash_mismatch|corrupt)_error/).waitFor();
  assert.ok((await alert.innerText()).includes(`(entry ${entry})`), await alert.innerText());
  await page.getByTestId('verify-result').getByRole('button', { name: 'Close' }).click();
});

test('restore with force: the confirmation, the refusal, force, then the manager holds the snapshot', async () => {
  const { page } = web;
  // After snap-a: 'kept' is deleted and 'later' is created.
  assert.equal((await rest('DELETE', '/blueprints/kept')).status, 200);
  assert.equal((await rest('PUT', '/blueprints/later?application_file_name=tiny.yaml', tinyBlueprint, 'application/octet-stream')).status, 201);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Snapshots' }).click();
  await page.getByRole('button', { name: 'Restore snap-a' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore snapshot snap-a?' });
  await dialog.getByText(/This manager holds 1 blueprint\(s\), 0 deployment\(s\), \d+ execution\(s\) and \d+ event\(s\)\. Without force the restore is refused; with force/).waitFor();
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  await dialog.getByRole('alert').getByText('Restore refused').waitFor();
  await dialog.getByRole('button', { name: 'Restore with force' }).click();
  await page.getByRole('heading', { name: /^Execution / }).waitFor();
  await page.getByTestId('execution-status').getByText(/terminated|failed/).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('execution-status').innerText(), 'terminated', await page.locator('main').innerText());
  await page.getByRole('log', { name: 'Event lines' }).getByText(/Successfully restored snapshot/).waitFor();
  await web.screenshot('snapshot-restored');

  const ids = ((await (await rest('GET', '/blueprints?_include=id')).json()) as { items: { id: string }[] }).items.map((b) => b.id).sort();
  assert.ok(ids.includes('kept'), `the snapshot's blueprint is back: ${ids.join(', ')}`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blueprints' }).click();
  await page.getByRole('link', { name: 'kept', exact: true }).waitFor();
  // A forced restore into a non-empty manager merges (the dialog says so): 'later' is still there.
  assert.deepEqual(ids, ['kept', 'later']);
  assert.deepEqual(web.pageErrors, []);
});

// Last: a forced restore merges, and the manager refuses to merge an execution id both hold
// (this test's execution would be in both had a snapshot been taken after it).
test('the event stream opens at the newest 1,000 events and follows new ones with the cursor', async () => {
  const { page, manager } = web;
  const id = 'ex-follow';
  await manager.services.ctx.store.executions.insert({
    id, status: 'started', deployment_id: null, workflow_id: 'follow_test', blueprint_id: null, created_at: new Date().toISOString(),
    error: '', parameters: {}, is_system_workflow: true,
  });
  await manager.services.ctx.store.events.append(lines(id, 0, 3000));
  const urls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v2/events')) urls.push(r.url());
  });
  await page.goto(`${web.url}/executions/${id}`);
  const log = page.getByRole('log', { name: 'Event lines' });
  await log.getByText('INFO: follow line 2999').waitFor();
  await page.getByText('following · 3000 event(s) · showing the last 1000').waitFor();
  assert.equal(await log.locator('.line').count(), 1000);
  assert.match(await log.locator('.line').first().innerText(), /INFO: follow line 2000$/);

  await manager.services.ctx.store.events.append(lines(id, 3000, 1500));
  await log.getByText('INFO: follow line 4499').waitFor();
  await page.getByText('following · 4500 event(s) · showing the last 2000').waitFor();
  assert.equal(await log.locator('.line').count(), 2000);
  assert.match(await log.locator('.line').first().innerText(), /INFO: follow line 2500$/);

  const patched = await rest('PATCH', `/executions/${id}`, JSON.stringify({ status: 'terminated' }));
  assert.equal(patched.status, 200);
  await page.getByText('complete · 4500 event(s) · showing the last 2000').waitFor();

  const queries = urls.map((u) => new URL(u).searchParams);
  assert.equal(queries[0]?.get('_sort'), '-_seq', 'the first load reads the newest page');
  const follows = queries.slice(1);
  assert.ok(follows.length >= 3, `follow requests: ${urls.join(' ')}`);
  assert.ok(follows.every((q) => /^\d+$/.test(q.get('_after_seq') ?? '')), 'every follow carries the cursor');
  assert.ok(queries.every((q) => !q.has('_offset')), 'no offset paging');
});
