/**
 * Collects readings into batches: one transaction per batch spares the SD card and
 * bounds what a crash can lose (docs/architecture.md, "Durable once committed": at most the open batch).
 * A batch closes batchIntervalMs after its first reading or at batchMaxRows,
 * whichever comes first. Events never wait here.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { ReadingItem } from './records.js';

export interface ReadingBatcherOptions {
  readonly clock: Clock;
  /** Default 1000 ms. */
  readonly intervalMs?: number;
  /** Default 500 rows. */
  readonly maxRows?: number;
  /** Receives each closed batch; must not throw (the store writer never does). */
  readonly onBatch: (items: ReadingItem[]) => void;
}

export class ReadingBatcher {
  readonly intervalMs: number;
  readonly maxRows: number;
  readonly #clock: Clock;
  readonly #onBatch: (items: ReadingItem[]) => void;
  #items: ReadingItem[] = [];
  #timer: TimerHandle | undefined;

  constructor(options: ReadingBatcherOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.maxRows = Math.max(1, options.maxRows ?? 500);
    this.#clock = options.clock;
    this.#onBatch = options.onBatch;
  }

  /** Readings in the open batch. */
  get size(): number {
    return this.#items.length;
  }

  add(item: ReadingItem): void {
    this.#items.push(item);
    if (this.#items.length >= this.maxRows) this.flush();
    else this.#timer ??= this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.intervalMs);
  }

  /** Closes the open batch now (shutdown, SIGTERM, an explicit flush). */
  flush(): void {
    if (this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#items.length === 0) return;
    const batch = this.#items;
    this.#items = [];
    this.#onBatch(batch);
  }
}
