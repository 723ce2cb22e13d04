/**
 * A full garbage collection at a fixed period, when the runtime exposes gc() (the
 * systemd unit passes --expose-gc). V8 lets the old generation grow some 8 MB past
 * what is live before it collects on its own, and keeps those pages afterwards: on a
 * Pi that slack is resident memory for nothing. Collecting every 10 s keeps the
 * gateway's heap within ~3 MB of its live size. A collection of its ~16 MB heap
 * pauses the loop ~15 ms — shorter than one buzzer pattern step by far, and the
 * alarm-latency bench measures the protection path with it running.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';

export interface HeapTrimOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs?: number;
  /** The collector; default globalThis.gc, present only under --expose-gc. */
  readonly gc?: (() => void) | undefined;
}

export const HEAP_TRIM_INTERVAL_MS = 10_000;

export class HeapTrim {
  readonly #options: HeapTrimOptions;
  readonly #gc: (() => void) | undefined;
  #timer: TimerHandle | undefined;
  #runs = 0;
  #longestMs = 0;

  constructor(options: HeapTrimOptions) {
    this.#options = options;
    this.#gc = 'gc' in options ? options.gc : (globalThis as { gc?: () => void }).gc;
  }

  /** Whether there is a collector to call (false without --expose-gc: then start() does nothing). */
  get enabled(): boolean {
    return this.#gc !== undefined;
  }

  stats(): { runs: number; longestMs: number } {
    return { runs: this.#runs, longestMs: this.#longestMs };
  }

  start(): void {
    const gc = this.#gc;
    if (gc === undefined || this.#timer !== undefined) return;
    const { clock, logger, intervalMs = HEAP_TRIM_INTERVAL_MS } = this.#options;
    const trim = (): void => {
      const started = performance.now();
      try {
        gc();
      } catch (err) {
        // Never fatal, never again: the daemon runs on, only with V8's own schedule.
        logger.warn({ err }, 'heap trim: gc() failed; leaving collection to V8');
        this.#timer = undefined;
        return;
      }
      this.#runs++;
      this.#longestMs = Math.max(this.#longestMs, performance.now() - started);
      this.#timer = clock.setTimeout(trim, intervalMs);
    };
    this.#timer = clock.setTimeout(trim, intervalMs);
    logger.debug({ intervalMs }, 'heap trim: a full GC every interval (--expose-gc)');
  }

  stop(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
