/** The manager's end-to-end suite on SQLite (a file in the data dir). */
import { join } from 'node:path';
import { defineEndToEnd } from './end-to-end-suite.js';

defineEndToEnd('SQLite', (dataDir) => Promise.resolve(`sqlite://${join(dataDir, 'manager.db')}`));
