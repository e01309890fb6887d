/**
 * Accessibility basics: axe-core, injected into each main page, finds no serious or critical
 * violation; the keyboard alone logs in (Tab reaches the fields, Enter submits) and reaches the
 * navigation links.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { tinyBlueprint } from './blueprints.js';
import { adminPassword, startWebFixture, type WebFixture } from './harness.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const basic = `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`;
let web: WebFixture;
let executionId = '';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  // A string: the tests compile without DOM types.
  const violations = await page.evaluate<AxeViolation[]>("axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)");
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

before(async () => {
  web = await startWebFixture();
  const call = (method: string, path: string, body?: string, type = 'application/json') =>
    fetch(`${web.url}/api/v2${path}`, { method, headers: { authorization: basic, ...(body ? { 'content-type': type } : {}) }, ...(body ? { body } : {}) });
  assert.equal((await call('PUT', '/blueprints/tiny?application_file_name=tiny.yaml', tinyBlueprint, 'application/octet-stream')).status, 201);
  assert.equal((await call('PUT', '/deployments/tiny-1', JSON.stringify({ blueprint_id: 'tiny' }))).status, 201);
  const started = await call('POST', '/executions', JSON.stringify({ deployment_id: 'tiny-1', workflow_id: 'install' }));
  executionId = ((await started.json()) as { id: string }).id;
});

after(async () => {
  await web?.close();
});

test('keyboard only: Tab reaches the login fields, Enter submits, Tab reaches every nav link', async () => {
  const { page } = web;
  await page.goto(`${web.url}/`);
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate('document.activeElement?.id'), 'login-username');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate('document.activeElement?.id'), 'login-password');
  await page.keyboard.type(adminPassword);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();

  await page.locator('body').focus();
  const reached: string[] = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    reached.push(String(await page.evaluate("document.activeElement?.innerText ?? ''")));
  }
  for (const name of ['Skip to content', 'Overview', 'Blueprints', 'Deployments', 'Executions', 'Snapshots', 'Agents', 'Log out']) {
    assert.ok(reached.includes(name), `Tab reaches ${name} (reached: ${reached.join(' | ')})`);
  }
  // Back to the Snapshots link with Shift+Tab; Enter follows it.
  for (let i = 0; i < 9 && (await page.evaluate('document.activeElement?.innerText')) !== 'Snapshots'; i++) {
    await page.keyboard.press('Shift+Tab');
  }
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Snapshots', level: 1 }).waitFor();
});

test('axe-core: no serious or critical violations on the main pages', async () => {
  const { page } = web;
  const pages: [string, string][] = [
    ['/', 'Overview'],
    ['/blueprints', 'Blueprints'],
    ['/blueprints/tiny', 'Blueprint tiny'],
    ['/deployments', 'Deployments'],
    ['/deployments/tiny-1', 'Deployment tiny-1'],
    ['/executions', 'Executions'],
    [`/executions/${executionId}`, `Execution ${executionId}`],
    ['/snapshots', 'Snapshots'],
    ['/agents', 'Agents'],
  ];
  const found: string[] = [];
  for (const [path, heading] of pages) {
    await page.goto(`${web.url}${path}`);
    await page.getByRole('heading', { name: heading, exact: true, level: 1 }).waitFor();
    await page.locator('table, .cards, .events, .topology').first().waitFor().catch(async (error: unknown) => {
      throw new Error(`${path} did not render: ${await page.locator('main').innerText()}`, { cause: error });
    });
    for (const v of await seriousViolations(page)) found.push(`${path}: ${v}`);
  }
  await page.evaluate('sessionStorage.clear()');
  await page.goto(`${web.url}/`);
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  for (const v of await seriousViolations(page)) found.push(`login: ${v}`);
  await web.screenshot('login');
  assert.deepEqual(found, []);
  // The check can fail: an unlabelled field is a critical violation.
  await page.setContent('<!doctype html><html lang="en"><head><title>t</title></head><body><main><input></main></body></html>');
  assert.ok((await seriousViolations(page)).some((v) => v.startsWith('critical label')), 'axe reports an unlabelled input');
});
