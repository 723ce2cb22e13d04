/**
 * A task run once, some time from now, on the store's clock: the transfer of the
 * journal into SQLite and the write of the acked cursor are both "at most this
 * late" jobs. Scheduling an already scheduled task keeps the earlier time.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';

export class DeferredTask {
  readonly #clock: Clock;
  readonly #run: () => void;
  #timer: TimerHandle | undefined;
  #due = Number.POSITIVE_INFINITY;

  /** `run` must not throw (it runs from a timer). */
  constructor(clock: Clock, run: () => void) {
    this.#clock = clock;
    this.#run = run;
  }

  get scheduled(): boolean {
    return this.#timer !== undefined;
  }

  /** Runs the task in `delayMs`, or at its current time if that is sooner. */
  schedule(delayMs: number): void {
    const due = this.#clock.monotonic() + delayMs;
    if (this.#timer !== undefined && this.#due <= due) return;
    this.cancel();
    this.#due = due;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#due = Number.POSITIVE_INFINITY;
      this.#run();
    }, delayMs);
  }

  cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = Number.POSITIVE_INFINITY;
  }
}
