/** The storage conformance suite on SQLite (temp-dir database files). */
import { defineStorageConformance } from './conformance.js';
import { sqliteFixture } from './sqlite-fixture.js';

defineStorageConformance('sqlite', () => Promise.resolve(sqliteFixture()));
