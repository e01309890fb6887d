/**
 * Buffers workflow events and writes them to storage in batches (every `intervalMs` or every
 * `maxBatch` events). `flush()` writes what is buffered; `close()` flushes and stops the timer.
 */
import type { EventDocument } from '../../core/index.js';
import type { EventSinkPort } from '../../engine/ports.js';

export interface EventBatcherOptions {
  write(events: readonly EventDocument[]): Promise<void>;
  /** Called when a write fails (the batch is dropped after logging). */
  onError(error: unknown, count: number): void;
  /** @default 200 */
  intervalMs?: number;
  /** @default 200 */
  maxBatch?: number;
}

export class EventBatcher implements EventSinkPort {
  #buffer: EventDocument[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  readonly #options: Required<EventBatcherOptions>;

  constructor(options: EventBatcherOptions) {
    this.#options = { intervalMs: 200, maxBatch: 200, ...options };
  }

  emit(event: EventDocument): void {
    const at = event['@timestamp'] ?? new Date().toISOString();
    this.#buffer.push({ ...event, '@timestamp': at });
    if (this.#buffer.length >= this.#options.maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#options.intervalMs);
  }

  /** Writes everything buffered so far; resolves when it is stored (writes stay in order). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#buffer;
    this.#buffer = [];
    this.#writing = this.#writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.#options.write(batch);
      } catch (error) {
        this.#options.onError(error, batch.length);
      }
    });
    return this.#writing;
  }

  close(): Promise<void> {
    return this.flush();
  }
}
