/**
 * A water-leak contact (under the sink, beside the tank): wet at scheduled times,
 * dry again after a while. A drying rope does not let go cleanly; it flickers wet
 * and dry, less and less often, so the gateway's debounce gets exercised.
 *
 * wetAt() is a pure function of time (the flicker is keyed on the slot, not drawn
 * per call), so any step size and any call order give the same answers.
 */
import { keyedUniform } from './keyed-random.js';

export interface WaterLeakEvent {
  readonly wetAtMs: number;
  /** Solidly wet for this long. */
  readonly wetForMs: number;
  /** Then flickers while drying for this long (0 = dries cleanly). */
  readonly flickerMs?: number;
}

export interface WaterLeakConfig {
  readonly seed?: number;
  readonly events?: readonly WaterLeakEvent[];
  /** Length of one flicker slot: shorter than the debounce, so it must filter them. Default 250 ms. */
  readonly flickerSlotMs?: number;
}

export interface WaterLeakState {
  readonly timeMs: number;
  readonly wet: boolean;
}

export class WaterLeakScenario {
  readonly events: readonly WaterLeakEvent[];
  readonly #seed: number;
  readonly #slotMs: number;
  #timeMs = Number.NEGATIVE_INFINITY;

  constructor(config: WaterLeakConfig = {}) {
    this.#seed = config.seed ?? 1;
    this.#slotMs = config.flickerSlotMs ?? 250;
    if (!(this.#slotMs > 0)) throw new RangeError('flickerSlotMs: must be positive');
    this.events = [...(config.events ?? [])];
    this.events.forEach((e, i) => {
      if (!(e.wetForMs >= 0 && (e.flickerMs ?? 0) >= 0)) throw new RangeError(`events[${i}]: durations must be >= 0`);
    });
  }

  get state(): WaterLeakState {
    return { timeMs: this.#timeMs, wet: this.wetAt(this.#timeMs) };
  }

  /** Records the latest time asked for (the state is derived; going backwards is ignored). */
  advanceTo(nowMs: number): void {
    if (nowMs > this.#timeMs) this.#timeMs = nowMs;
  }

  wetAt(nowMs: number): boolean {
    return this.events.some((event, index) => this.#eventWetAt(event, index, nowMs));
  }

  /**
   * The first instant after `nowMs` at which wetAt() changes, or null if it never
   * does: a simulated GPIO input can schedule its edge exactly.
   */
  nextChangeAfter(nowMs: number): number | null {
    const now = this.wetAt(nowMs);
    let t = nowMs;
    for (;;) {
      const next = this.#nextBoundaryAfter(t);
      if (next === null) return null;
      if (this.wetAt(next) !== now) return next;
      t = next;
    }
  }

  #eventWetAt(event: WaterLeakEvent, index: number, ms: number): boolean {
    const dryingFrom = event.wetAtMs + event.wetForMs;
    if (ms < event.wetAtMs) return false;
    if (ms < dryingFrom) return true;
    const flickerMs = event.flickerMs ?? 0;
    if (ms >= dryingFrom + flickerMs) return false;
    // Wet in a slot with a chance that falls from 1 to 0 across the drying time.
    const slot = Math.floor((ms - dryingFrom) / this.#slotMs);
    const stillWet = 1 - (slot * this.#slotMs) / flickerMs;
    return keyedUniform(this.#seed, index, slot) < stillWet;
  }

  /** The next instant after `ms` where some event starts, ends, or starts a flicker slot. */
  #nextBoundaryAfter(ms: number): number | null {
    let next = Number.POSITIVE_INFINITY;
    for (const event of this.events) {
      const dryingFrom = event.wetAtMs + event.wetForMs;
      const dryAt = dryingFrom + (event.flickerMs ?? 0);
      for (const edge of [event.wetAtMs, dryingFrom, dryAt]) if (edge > ms) next = Math.min(next, edge);
      if (ms >= dryingFrom && ms < dryAt) {
        const slotEdge = dryingFrom + (Math.floor((ms - dryingFrom) / this.#slotMs) + 1) * this.#slotMs;
        next = Math.min(next, slotEdge);
      }
    }
    return Number.isFinite(next) ? next : null;
  }
}
