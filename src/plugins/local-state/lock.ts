/** A lock file holding the pid of the command using a local state folder (stale locks are taken over). */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { UserError } from '../../core/index.js';

/** Takes the lock at `path`; returns the release function. */
export function acquireLock(path: string, what: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new UserError(
          'local_state_locked',
          `${what} is in use by another command (pid ${holder})`,
          {
            details: { path, pid: holder },
            hints: [
              'Wait for the other command to finish',
              `If no such command runs, delete ${path}`,
            ],
          },
        );
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new UserError('local_state_locked', `Could not lock ${what} (${path})`, {
    details: { path },
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
