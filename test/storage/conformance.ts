/**
 * The storage conformance suite: the same behaviour, checked against every adapter on a real
 * database. `defineStorageConformance(name, setup)` registers it; `setup` runs in `before()`.
 */
import { after, before, describe } from 'node:test';
import { openStorage, type StoragePort } from '../../src/storage/index.js';
import { crudSection } from './conformance-crud.js';
import { engineSection } from './conformance-engine.js';
import { eventsSection } from './conformance-events.js';
import { listSection } from './conformance-lists.js';
import { ndjsonSection } from './conformance-ndjson.js';
import { stateSection } from './conformance-state.js';
import { transferSection } from './conformance-transfer.js';

/** Provides fresh, empty databases for one adapter. */
export interface StorageFixture {
  /** A URL naming a new, empty database. */
  newUrl(): Promise<string>;
  /** Runs raw SQL on a database (outside the storage layer), to break things on purpose. */
  exec(url: string, sql: string): Promise<void>;
  teardown(): Promise<void>;
}

/** What each section gets. */
export interface ConformanceContext {
  dialect: 'sqlite' | 'postgres';
  /** A fresh, migrated storage (closed after the suite). */
  open(): Promise<StoragePort>;
  /** Opens (again) the storage at `url` (closed after the suite). */
  openUrl(url: string): Promise<StoragePort>;
  newUrl(): Promise<string>;
  exec(url: string, sql: string): Promise<void>;
}

/** Registers the whole suite for one adapter. */
export function defineStorageConformance(name: 'sqlite' | 'postgres', setup: () => Promise<StorageFixture>): void {
  describe(`storage conformance: ${name}`, () => {
    let fixture: StorageFixture | undefined;
    const opened: StoragePort[] = [];
    const need = (): StorageFixture => {
      if (!fixture) throw new Error('storage fixture was not set up');
      return fixture;
    };
    const ctx: ConformanceContext = {
      dialect: name,
      async openUrl(url) {
        const storage = await openStorage({ url });
        opened.push(storage);
        return storage;
      },
      async open() {
        return ctx.openUrl(await need().newUrl());
      },
      newUrl: () => need().newUrl(),
      exec: (url, sql) => need().exec(url, sql),
    };
    before(async () => {
      fixture = await setup();
    });
    after(async () => {
      for (const storage of opened) await storage.close();
      await fixture?.teardown();
    });
    crudSection(ctx);
    listSection(ctx);
    stateSection(ctx);
    eventsSection(ctx);
    transferSection(ctx);
    ndjsonSection(ctx);
    engineSection(ctx);
  });
}
