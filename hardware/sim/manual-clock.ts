import type { Clock, TimerHandle } from '../clock.js';

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/** Lets queued promise callbacks and fs/stream callbacks run before the next timer fires. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told to. Tests and fast-forwarded simulations use
 * it to run drivers, pattern players and simulated tanks through hours of time in
 * milliseconds, deterministically.
 */
export class ManualClock implements Clock {
  /** Its timers fire exactly when due: no time is ever lost on it. */
  readonly exact = true;
  #wall: number;
  #mono = 0;
  #nextId = 1;
  #timers: Timer[] = [];

  constructor(startWallMs = Date.UTC(2026, 0, 1, 0, 0, 0)) {
    this.#wall = startWallMs;
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#mono;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { id: this.#nextId++, due: this.#mono + Math.max(0, ms), fn };
    // Keep the list ordered by due time, then by creation (like Node's timers).
    let i = this.#timers.length;
    while (i > 0 && this.#timers[i - 1]!.due > timer.due) i--;
    this.#timers.splice(i, 0, timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle.id);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Steps the wall clock alone (an NTP correction); timers are unaffected. */
  setWallTime(ms: number): void {
    this.#wall = ms;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due, in order,
   * and letting the promise chains they start run between firings.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#mono + ms;
    await flush();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.due > end) break;
      this.#fireNext();
      await flush();
    }
    this.#moveTo(end);
  }

  /**
   * Advances time timer by timer until `promise` settles, and returns its result.
   * Throws when it would take more than `limitMs` of simulated time, or when it
   * can never settle because no timer is left.
   */
  async run<T>(promise: Promise<T>, limitMs = 60_000): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    const deadline = this.#mono + limitMs;
    for (;;) {
      await flush();
      if (settled) return promise;
      const next = this.#timers[0];
      if (next === undefined) {
        throw new Error('ManualClock.run: the promise is waiting for something other than a timer');
      }
      if (next.due > deadline) {
        throw new Error(`ManualClock.run: the promise did not settle within ${limitMs} ms of simulated time`);
      }
      this.#fireNext();
    }
  }

  #fireNext(): void {
    const timer = this.#timers.shift();
    if (timer === undefined) return;
    this.#moveTo(timer.due);
    timer.fn();
  }

  #moveTo(mono: number): void {
    if (mono <= this.#mono) return;
    this.#wall += mono - this.#mono;
    this.#mono = mono;
  }
}
