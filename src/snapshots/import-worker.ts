/**
 * Worker thread entry of worker-import.ts: opens the archive again from the parts it is given,
 * reads its storage stream (archiveImportItems, encoded) and posts each item, never more than the
 * credit the importing thread has granted; then the interrupted executions, or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorToData } from '../core/index.js';
import { archiveImportItems } from './import-items.js';
import { SnapshotArchive } from './reader.js';
import type { ImportWorkerCredit, ImportWorkerData, ImportWorkerMessage } from './worker-import.js';

async function run(port: NonNullable<typeof parentPort>, data: ImportWorkerData): Promise<void> {
  let credit = 0; // the importing thread grants the first WINDOW when it starts to read
  let wake: (() => void) | undefined;
  port.on('message', (message: ImportWorkerCredit) => {
    credit += message.credit;
    wake?.();
  });
  const send = (message: ImportWorkerMessage): void => port.postMessage(message);
  const interrupted: string[] = [];
  let archive: SnapshotArchive | undefined;
  try {
    archive = await SnapshotArchive.reopen(data.parts);
    for await (const item of archiveImportItems(archive, { at: data.at, interrupted, encode: data.mode })) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      credit -= 1;
      send({ item });
    }
    send({ done: true, interrupted });
  } catch (error) {
    send({ error: errorToData(error) });
  } finally {
    archive?.close();
    port.close();
  }
}

if (parentPort) await run(parentPort, workerData as ImportWorkerData);
