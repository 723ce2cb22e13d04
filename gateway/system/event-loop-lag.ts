/**
 * How late the event loop runs (node:perf_hooks monitorEventLoopDelay: a native
 * histogram fed by a libuv timer, no JavaScript per tick). Figures are given per
 * window of `windowMs`: a read reports the last complete window, and starts a new
 * one once the current is that old. It starts on the first read, so a gateway that
 * nobody scrapes pays nothing.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LagFigures {
  /** Seconds. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** How long the figures were gathered over, seconds. */
  readonly windowSeconds: number;
}

export interface EventLoopLagOptions {
  /** Monotonic milliseconds. */
  readonly now: () => number;
  readonly windowMs?: number;
  /** The sampling timer's period, ms (default 20). */
  readonly resolutionMs?: number;
}

const NS_PER_S = 1e9;

export class EventLoopLag {
  readonly #options: EventLoopLagOptions;
  #histogram: IntervalHistogram | undefined;
  #windowStart = 0;
  #last: LagFigures | undefined;

  constructor(options: EventLoopLagOptions) {
    this.#options = options;
  }

  /** The last complete window's figures (or the current one's before any is complete); undefined until there are samples. */
  read(): LagFigures | undefined {
    const now = this.#options.now();
    const histogram = this.#histogram;
    if (histogram === undefined) {
      this.#histogram = monitorEventLoopDelay({ resolution: this.#options.resolutionMs ?? 20 });
      this.#histogram.enable();
      this.#windowStart = now;
      return undefined;
    }
    const elapsed = now - this.#windowStart;
    const current = histogram.count > 0 ? figures(histogram, elapsed) : undefined;
    if (elapsed >= (this.#options.windowMs ?? 60_000)) {
      if (current !== undefined) this.#last = current;
      histogram.reset();
      this.#windowStart = now;
    }
    return this.#last ?? current;
  }

  stop(): void {
    this.#histogram?.disable();
    this.#histogram = undefined;
  }
}

function figures(histogram: IntervalHistogram, elapsedMs: number): LagFigures {
  return {
    p50: histogram.percentile(50) / NS_PER_S,
    p99: histogram.percentile(99) / NS_PER_S,
    max: histogram.max / NS_PER_S,
    windowSeconds: elapsedMs / 1000,
  };
}
