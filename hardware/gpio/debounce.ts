import type { Clock, TimerHandle } from '../clock.js';
import type { DigitalInput, Level } from '../ports/digital.js';

export interface DebounceOptions {
  /** How long a new level must hold before it counts, in ms. */
  readonly ms: number;
  readonly clock: Clock;
}

/**
 * Wraps an input so that a change is reported only once the new level has held
 * for `ms` without another edge. Contact bounce, or a wet leak rope that
 * flickers at the water's edge, then yields one event instead of a flood.
 *
 * Every edge restarts the wait, even one that reports the level already
 * pending: an edge means the line moved, and edges can be coalesced or missed.
 * A burst that ends where it started reports nothing. read() returns the
 * debounced level: the pin is read once at the start, and an edge that comes
 * before that read lands means the level before it was the opposite one.
 */
export function debounceInput(input: DigitalInput, options: DebounceOptions): DigitalInput {
  if (!(options.ms >= 0) || !Number.isFinite(options.ms)) {
    throw new RangeError(`debounce ms must be a finite number ≥ 0, got ${options.ms}`);
  }
  return new DebouncedInput(input, options.ms, options.clock);
}

class DebouncedInput implements DigitalInput {
  readonly name: string;
  readonly #input: DigitalInput;
  readonly #ms: number;
  readonly #clock: Clock;
  readonly #listeners = new Set<(level: Level) => void>();
  readonly #unwatch: () => void;
  /** The debounced level; undefined until the first read or edge. */
  #stable: Level | undefined;
  #pending: { level: Level; timer: TimerHandle } | undefined;
  readonly #priming: Promise<void>;
  #closed = false;

  constructor(input: DigitalInput, ms: number, clock: Clock) {
    this.name = input.name;
    this.#input = input;
    this.#ms = ms;
    this.#clock = clock;
    this.#unwatch = input.watch((level) => this.#onEdge(level));
    this.#priming = this.#prime();
  }

  async read(): Promise<Level> {
    if (this.#stable === undefined) await this.#priming;
    if (this.#stable !== undefined) return this.#stable;
    // The first read failed and nothing has moved since: ask the pin again (a failure rejects).
    const raw = await this.#input.read();
    this.#stable ??= raw;
    return this.#stable;
  }

  watch(listener: (level: Level) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pending !== undefined) this.#clock.clearTimeout(this.#pending.timer);
    this.#pending = undefined;
    this.#listeners.clear();
    this.#unwatch();
    await this.#input.close();
  }

  async #prime(): Promise<void> {
    try {
      const raw = await this.#input.read();
      // An edge that came first already told us the level before it.
      this.#stable ??= raw;
    } catch {
      // read() asks again.
    }
  }

  #onEdge(level: Level): void {
    if (this.#closed) return;
    // An edge is a change: before the first one, the line sat at the other level.
    this.#stable ??= level === 1 ? 0 : 1;
    if (this.#pending !== undefined) this.#clock.clearTimeout(this.#pending.timer);
    const timer = this.#clock.setTimeout(() => this.#settle(level), this.#ms);
    this.#pending = { level, timer };
  }

  #settle(level: Level): void {
    this.#pending = undefined;
    if (this.#closed || level === this.#stable) return;
    this.#stable = level;
    for (const listener of [...this.#listeners]) listener(level);
  }
}
