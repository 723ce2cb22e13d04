/**
 * At most one state publish per sensor per interval: the first change goes out at
 * once, the ones that follow within the interval collapse into a single trailing
 * publish of the latest state. Home Assistant needs no more, and a node flooding
 * readings cannot flood the broker. Urgent changes (health) go out at once.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';

interface KeyState {
  last: number;
  timer: TimerHandle | undefined;
}

export class StateThrottle {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #publish: (key: string) => void;
  readonly #keys = new Map<string, KeyState>();

  constructor(clock: Clock, intervalMs: number, publish: (key: string) => void) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#publish = publish;
  }

  touch(key: string, urgent = false): void {
    const now = this.#clock.monotonic();
    const state = this.#keys.get(key);
    if (state === undefined || urgent || now - state.last >= this.#intervalMs) {
      if (state?.timer !== undefined) this.#clock.clearTimeout(state.timer);
      this.#keys.set(key, { last: now, timer: undefined });
      this.#publish(key);
      return;
    }
    if (state.timer !== undefined) return; // a trailing publish is due and will carry the latest state
    state.timer = this.#clock.setTimeout(() => {
      state.timer = undefined;
      state.last = this.#clock.monotonic();
      this.#publish(key);
    }, state.last + this.#intervalMs - now);
  }

  cancelAll(): void {
    for (const state of this.#keys.values()) if (state.timer !== undefined) this.#clock.clearTimeout(state.timer);
    this.#keys.clear();
  }
}
