/**
 * The fallback when the live socket cannot be used (live-source.ts): refresh what the
 * page shows every few seconds, pause while the tab is hidden, and when the cloud stops
 * answering, say so and retry with the same back-off as the socket would.
 */
import { Backoff } from '../../../client/backoff.js';
import type { ApiFailure } from '../api/api-failure.js';
import type { ConnectionStatus, Timers } from './connection-status.js';

const FIRST_TICK_MS = 500;

export interface PollingOptions {
  readonly everyMs: number;
  readonly timers: Timers;
  readonly refresh: () => Promise<ApiFailure[]>;
  readonly onStatus: (status: ConnectionStatus) => void;
  readonly backoff?: Backoff;
}

export class PollingSource {
  readonly #o: PollingOptions;
  readonly #backoff: Backoff;
  #timer: unknown;
  #running = false;
  #visible = true;
  #networkUp = true;
  #lastOkAt: number | undefined;
  #busy = false;

  constructor(options: PollingOptions) {
    this.#o = options;
    this.#backoff = options.backoff ?? new Backoff({ baseMs: 2_000, capMs: 60_000 });
  }

  /** Pages start their own loads; the first tick, a moment later, joins them and reports how they went. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#o.onStatus({ kind: 'connecting' });
    this.#schedule(FIRST_TICK_MS);
  }

  stop(): void {
    this.#running = false;
    this.#cancel();
  }

  /** Refresh now (the tab came back, the network returned, the user asked). */
  poke(): void {
    if (!this.#running) return;
    this.#cancel();
    void this.#tick();
  }

  pageVisible(visible: boolean): void {
    this.#visible = visible;
    if (visible) this.poke();
  }

  networkChanged(up: boolean): void {
    this.#networkUp = up;
    if (!up) {
      this.#cancel();
      this.#o.onStatus({ kind: 'offline', lastOkAt: this.#lastOkAt });
    } else this.poke();
  }

  /** A page's own fetch succeeded: the cloud is reachable. */
  succeeded(): void {
    this.#lastOkAt = this.#o.timers.now();
  }

  async #tick(): Promise<void> {
    if (!this.#running || this.#busy || !this.#networkUp) return;
    if (!this.#visible) {
      this.#schedule(this.#o.everyMs);
      return;
    }
    this.#busy = true;
    try {
      const failures = await this.#o.refresh();
      if (!this.#running || !this.#networkUp) return;
      if (failures.some((f) => f.transient)) {
        const delay = this.#backoff.next();
        this.#o.onStatus({ kind: 'reconnecting', retryAt: this.#o.timers.now() + delay, attempt: this.#backoff.attempt, lastOkAt: this.#lastOkAt });
        this.#schedule(delay);
      } else {
        this.#backoff.reset();
        this.#lastOkAt = this.#o.timers.now();
        this.#o.onStatus({ kind: 'polling', everyMs: this.#o.everyMs, lastOkAt: this.#lastOkAt });
        this.#schedule(this.#o.everyMs);
      }
    } finally {
      this.#busy = false;
    }
  }

  #schedule(ms: number): void {
    this.#cancel();
    this.#timer = this.#o.timers.setTimeout(() => void this.#tick(), ms);
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
