/** Progress for long transfers: a line that updates in a terminal, a few lines otherwise. */
import type { ProgressListener } from '../client/index.js';

export function progressPrinter(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressListener & { done(): void } {
  const tty = stream.isTTY === true;
  let lastPercent = -1;
  let lastPrinted = 0;
  const listener = (done: number, total: number | undefined): void => {
    const percent = total ? Math.floor((done / total) * 100) : -1;
    const now = Date.now();
    if (tty) {
      if (percent === lastPercent && now - lastPrinted < 200) return;
      stream.write(`\r${label}: ${formatBytes(done)}${total ? ` / ${formatBytes(total)} (${percent}%)` : ''}   `);
    } else {
      // Non-interactive: a line every 25% of large transfers only.
      if (!total || total < 8 * 1024 * 1024 || percent < lastPercent + 25) return;
      stream.write(`${label}: ${percent}%\n`);
    }
    lastPercent = percent;
    lastPrinted = now;
  };
  return Object.assign(listener, {
    done(): void {
      if (tty && lastPercent !== -1) stream.write('\n');
    },
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
