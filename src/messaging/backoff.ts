/** Capped exponential backoff: `initialMs`, doubling, never above `maxMs`. */
export interface BackoffOptions {
  /** @default 100 */
  initialMs?: number;
  /** @default 4000 (so an agent is back within ~5 s of its manager) */
  maxMs?: number;
}

/** A backoff sequence; `reset()` after a success. */
export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  #next: number;
  constructor(options: BackoffOptions = {}) {
    this.#initial = options.initialMs ?? 100;
    this.#max = options.maxMs ?? 4000;
    this.#next = this.#initial;
  }
  /** The delay to wait now; the following one doubles (capped). */
  nextDelay(): number {
    const delay = this.#next;
    this.#next = Math.min(this.#max, this.#next * 2);
    return delay;
  }
  reset(): void {
    this.#next = this.#initial;
  }
}
