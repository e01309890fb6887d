/**
 * Browser-test harness: a real manager (real DSL, planner, workflows, script plugin, SQLite in a
 * temp data dir, the embedded broker) listening on 127.0.0.1 port 0 and serving the built UI,
 * plus headless Debian chromium driven by playwright-core (never a browser download) with a
 * fresh temp profile. `close()` stops both and removes the temp folders.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createManager, type Manager } from '../../src/manager/app.js';
import { managerDepsWithAgents } from '../../src/manager/agents/index.js';
import { defaultWebRoot } from '../../src/web/index.js';

export const adminPassword = 'web-admin-password';
export const chromiumPath = '/usr/bin/chromium';
/** Screenshots of the main pages land here (git-ignored). */
export const screenshotDir = new URL('../../test-output/web/', import.meta.url).pathname;

/** Throws a clear message when the UI was not built (tests must not silently skip). */
export function requireBuiltUi(): void {
  if (!existsSync(join(defaultWebRoot, 'index.html'))) {
    throw new Error(`The web UI is not built (${defaultWebRoot}/index.html is missing): run npm run build first`);
  }
  if (!existsSync(chromiumPath)) throw new Error(`Debian's chromium is missing at ${chromiumPath}: scripts/setup.sh installs it`);
}

export interface WebFixture {
  manager: Manager;
  url: string;
  dataDir: string;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  pageErrors: string[];
  /** Logs in through the form and waits for the overview. */
  login(password?: string): Promise<void>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWebFixture(): Promise<WebFixture> {
  requireBuiltUi();
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-web-'));
  const profile = mkdtempSync(join(tmpdir(), 'rekindle-chromium-'));
  const manager = await createManager(
    { dataDir, adminPassword, host: '127.0.0.1', port: 0, brokerHost: '127.0.0.1', logToStderr: false, closeGraceMs: 2000 },
    { ...managerDepsWithAgents(), announce: () => undefined },
  );
  let context: BrowserContext | undefined;
  try {
    const url = await manager.listen();
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) pageErrors.push(m.text());
    });
    mkdirSync(screenshotDir, { recursive: true });
    const ctx = context;
    return {
      manager,
      url,
      dataDir,
      context: ctx,
      page,
      pageErrors,
      async login(password = adminPassword) {
        await page.goto(`${url}/`);
        await page.getByLabel('User name').fill('admin');
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.getByRole('heading', { name: 'Overview' }).waitFor();
      },
      async screenshot(name) {
        await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
      },
      async close() {
        await ctx.close().catch(() => undefined);
        await manager.close();
        rmSync(profile, { recursive: true, force: true });
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close().catch(() => undefined);
    await manager.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
