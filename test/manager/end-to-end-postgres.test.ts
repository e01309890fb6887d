/** The manager's end-to-end suite on a throw-away PostgreSQL cluster (test/storage/pg-cluster.ts). */
import { onPgCluster } from '../storage/pg-cluster.js';
import { defineEndToEnd } from './end-to-end-suite.js';

onPgCluster((cluster) => defineEndToEnd('PostgreSQL', () => cluster().newDatabase()));
