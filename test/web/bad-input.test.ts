/**
 * Bad input in the UI: a wrong password shows the error and stays on the login page; an expired
 * session goes back to login with a message; a broken blueprint shows its DSL diagnostics with
 * line numbers; a restore into a non-empty manager is refused and the page offers force.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { brokenBlueprint, tinyBlueprint } from './blueprints.js';
import { adminPassword, startWebFixture, type WebFixture } from './harness.js';

let web: WebFixture;
const basic = `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`;

before(async () => {
  web = await startWebFixture();
});

after(async () => {
  await web?.close();
});

test('a wrong password shows an error and no page behind the login', async () => {
  const { page } = web;
  await page.goto(`${web.url}/`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  const alert = page.getByRole('alert');
  await alert.getByText('Login failed').waitFor();
  assert.match(await alert.innerText(), /unauthorized_error[\s\S]*wrong user name or password/);
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
  assert.equal(await page.evaluate("sessionStorage.getItem('rekindle.token')"), null);
  await web.screenshot('login-error');
});

test('an invalid token sends the user back to login with a message', async () => {
  const { page } = web;
  await web.login();
  await page.evaluate("sessionStorage.setItem('rekindle.token', 'no-such-token')");
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blueprints' }).click();
  await page.getByRole('status').getByText(/Your session ended: .*token is invalid or expired/).waitFor();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
});

test('a broken blueprint shows the DSL diagnostics with line numbers', async () => {
  const { page } = web;
  await web.login();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blueprints' }).click();
  await page.getByLabel('Blueprint id').fill('broken');
  await page.getByLabel('Blueprint file').setInputFiles({ name: 'broken.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(brokenBlueprint) });
  await page.getByRole('button', { name: 'Upload' }).click();
  const diagnostics = page.getByRole('list', { name: 'Diagnostics' });
  await diagnostics.waitFor();
  const items = await diagnostics.getByRole('listitem').allInnerTexts();
  assert.equal(items.length, 2, items.join('\n'));
  assert.match(items[0]!, /^broken\.yaml:6:11 line 6 Node template vm has unknown type 'no\.such\.Type'/);
  assert.match(items[1]!, /^broken\.yaml:10:17 line 10 Node template app: relationship target 'nowhere' is not a node template/);
  assert.match(await page.getByRole('alert').innerText(), /Upload failed \(invalid_blueprint_error\)/);
  await web.screenshot('blueprint-diagnostics');
  const list = await fetch(`${web.url}/api/v2/blueprints`, { headers: { authorization: basic } });
  assert.equal(((await list.json()) as { items: unknown[] }).items.length, 0, 'nothing was stored');
});

test('a restore into a non-empty manager says what is there and asks for force', async () => {
  const { page } = web;
  const put = await fetch(`${web.url}/api/v2/blueprints/tiny?application_file_name=tiny.yaml`, {
    method: 'PUT', headers: { authorization: basic, 'content-type': 'application/octet-stream' }, body: tinyBlueprint,
  });
  assert.equal(put.status, 201);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Snapshots' }).click();
  await page.getByLabel('Snapshot id').first().fill('before');
  await page.getByRole('button', { name: 'Create snapshot' }).click();
  const row = page.locator('tr[data-snapshot="before"]');
  await row.locator('td.status-created').waitFor();
  await row.getByRole('button', { name: 'Restore before' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore snapshot before?' });
  await dialog.getByText(/This manager holds 1 blueprint\(s\), 0 deployment\(s\), \d+ execution\(s\) and \d+ event\(s\)\. Without force the restore is refused/).waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Restore with force' }).count(), 0);
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
  const alert = dialog.getByRole('alert');
  await alert.getByText('Restore refused').waitFor();
  assert.match(await alert.innerText(), /snapshot_dirty_manager_error[\s\S]*dirty manager is not permitted/);
  await dialog.getByRole('button', { name: 'Restore with force' }).waitFor();
  await web.screenshot('restore-needs-force');
  assert.deepEqual(web.pageErrors, []);
});
