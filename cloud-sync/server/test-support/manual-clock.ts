/** A ServerClock that moves only when a test says so. */
import type { ServerClock, ServerTimer } from '../clock.js';

interface Pending {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

export class ManualServerClock implements ServerClock {
  #now: number;
  #nextId = 1;
  #timers: Pending[] = [];

  constructor(start = Date.UTC(2026, 0, 15, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): ServerTimer {
    const timer = { id: this.#nextId++, due: this.#now + Math.max(0, ms), fn };
    this.#timers.push(timer);
    this.#timers.sort((a, b) => a.due - b.due || a.id - b.id);
    return { id: timer.id };
  }

  clearTimeout(timer: ServerTimer): void {
    this.#timers = this.#timers.filter((t) => t.id !== timer.id);
  }

  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward, firing due timers in order and letting their promise chains run. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.due > end) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.due);
      next.fn();
      await settle();
    }
    this.#now = end;
  }
}

/** Lets pending promise callbacks and I/O callbacks run (a database round trip takes several). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
